/**
 * `LambdaLR(optimizer, lr_lambda=lambda epoch: G ** (epoch // S))`: a step decay written by hand
 * (the LR is multiplied by G every S scheduler steps, as StepLR(step_size=S, gamma=G) does). Only
 * this shape is read: the lambda's one parameter floor-divided by a constant, as the exponent of a
 * constant. Any other function is a schedule traindx cannot name, and is left unread.
 */
import type { Setting } from '../config/training-config';
import type { PyCall } from './calls';
import type { Reading } from './context';
import { numberValue } from './evaluate';
import { argument, rangeOf, textOf } from './syntax';
import type { SyntaxNode } from './syntax';

/** The scheduler name a step-function LambdaLR is reported as: its base name (`step`) makes it a step schedule. */
export const STEP_LAMBDA = 'LambdaLR:step';

export interface StepLambda {
  /** Scheduler steps between drops (S), ranged at S. */
  every: Setting<number>;
  /** The factor of each drop (G), ranged at G. */
  factor: Setting<number>;
}

export function readStepLambda(r: Reading, call: PyCall): StepLambda | undefined {
  const fn = argument(call.args, 'lr_lambda', 1)?.value;
  if (fn?.name !== 'LambdaExpression') return undefined;
  const params = fn.getChild('ParamList');
  const param = params?.getChildren('VariableName');
  if (!param || param.length !== 1) return undefined;
  const body = fn.lastChild;
  if (body?.name !== 'BinaryExpression' || opOf(r, body) !== '**') return undefined;
  const base = body.firstChild;
  let exponent = body.lastChild;
  while (exponent?.name === 'ParenthesizedExpression') exponent = exponent.firstChild?.nextSibling ?? null;
  if (!base || exponent?.name !== 'BinaryExpression' || opOf(r, exponent) !== '//') return undefined;
  const counter = exponent.firstChild;
  const divisor = exponent.lastChild;
  if (counter?.name !== 'VariableName' || textOf(r.src, counter) !== textOf(r.src, param[0]) || !divisor) return undefined;
  const g = numberValue(r, base);
  const s = numberValue(r, divisor);
  if (g === undefined || s === undefined || !(g > 0 && g < 1) || !(s >= 1)) return undefined;
  return { every: at(r, 'lr_lambda', s, divisor), factor: at(r, 'lr_lambda', g, base) };
}

function opOf(r: Reading, binary: SyntaxNode): string {
  const op = binary.firstChild?.nextSibling;
  return op ? textOf(r.src, op) : '';
}

function at(r: Reading, key: string, value: number, node: SyntaxNode): Setting<number> {
  const range = rangeOf(r.src, node.from, node.to);
  return { value, key, range, valueRange: range };
}
