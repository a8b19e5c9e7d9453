/**
 * The optimizer steps of a plain training loop: `optimizer.step()` (or AMP's `scaler.step(optimizer)`)
 * as a statement of its own inside a `for`/`while` loop or a per-batch function, with the optimizer it steps. What the
 * update-ratio action and the loop's gradient-clipping fix insert their lines around.
 */
import { argparseOptions } from './argparse';
import { bindingsOf } from './bindings';
import { callsOf } from './calls';
import { isOptimizerCall } from './torch';
import { dottedName, textOf } from './syntax';
import type { PySource, SyntaxNode } from './syntax';

/** Names that hold an optimizer in scripts that build it elsewhere (`self.optimizer`, `opt_g`). */
const OPTIMIZER_LIKE = /^(opt|optim|optimi[sz]er)(_\w+)?$|_(opt|optim|optimi[sz]er)$/i;

export interface LoopStep {
  /** The `x.step(…)` expression statement. */
  statement: SyntaxNode;
  /** The optimizer it steps, as written (`optimizer`, `self.opt`). */
  optimizer: string;
  /** Stepped through AMP's GradScaler (`scaler.step(optimizer)`). */
  scaled: boolean;
}

/** Every optimizer step of a loop in the script, in source order. */
export function loopSteps(src: PySource): LoopStep[] {
  const out: LoopStep[] = [];
  const cursor = src.top.cursor();
  do {
    if (cursor.name !== 'ExpressionStatement') continue;
    const step = stepOf(src, cursor.node);
    const optimizer = step && optimizerOf(src, step.call);
    if (step && optimizer && stepsRepeatedly(step.statement)) out.push({ statement: step.statement, optimizer, scaled: step.call.getChild('ArgList')?.firstChild?.nextSibling?.name !== ')' });
  } while (cursor.next());
  return out;
}

export interface StepCall {
  statement: SyntaxNode;
  call: SyntaxNode;
}

/** The `x.step(…)` expression statement the offset is in (on its own line: the edit wraps the line). */
export function stepStatementAt(src: PySource, at: number): StepCall | undefined {
  for (let n: SyntaxNode | null = src.top.resolveInner(at, 0); n; n = n.parent) {
    if (n.name === 'ExpressionStatement') return stepOf(src, n);
  }
  return undefined;
}

/** The statement as a step call on a line of its own (the edits wrap the line), else undefined. */
function stepOf(src: PySource, n: SyntaxNode): StepCall | undefined {
  const call = n.firstChild;
  if (call?.name !== 'CallExpression' || call.to !== n.to) return undefined;
  const callee = call.firstChild;
  if (callee?.name !== 'MemberExpression' || callee.lastChild?.name !== 'PropertyName' || textOf(src, callee.lastChild) !== 'step') return undefined;
  const lineStart = src.text.lastIndexOf('\n', n.from - 1) + 1;
  if (src.text.slice(lineStart, n.from).trim() !== '') return undefined;
  return { statement: n, call };
}

/**
 * The optimizer the step updates, as written: the receiver of `optimizer.step()` (or the argument of
 * `scaler.step(optimizer)`), when it is assigned an optimizer in this script or named like one. A
 * scheduler's `.step()` is not an optimizer step and gets no action.
 */
export function optimizerOf(src: PySource, call: SyntaxNode): string | undefined {
  const receiver = call.firstChild?.firstChild;
  if (!receiver) return undefined;
  const receiverName = dottedName(src, receiver);
  const args = call.getChild('ArgList');
  const argNodes: SyntaxNode[] = [];
  for (let c = args?.firstChild ?? null; c; c = c.nextSibling) if (c.name !== '(' && c.name !== ')' && c.name !== ',') argNodes.push(c);
  const bindings = bindingsOf(src);
  const optimizers = new Set(
    callsOf({ src, bindings, options: argparseOptions(src) })
      .filter(isOptimizerCall)
      .map((c) => c.assignedTo)
      .filter((n): n is string => n !== undefined),
  );
  const isOptimizer = (name: string | undefined) => name !== undefined && (optimizers.has(name) || OPTIMIZER_LIKE.test(name.slice(name.lastIndexOf('.') + 1)));
  if (argNodes.length === 0) return isOptimizer(receiverName) ? receiverName : undefined;
  // `scaler.step(optimizer)`: AMP's GradScaler steps the optimizer it is given.
  const only = argNodes.length === 1 ? dottedName(src, argNodes[0]) : undefined;
  return receiverName !== undefined && /scaler/i.test(receiverName) && isOptimizer(only) ? only : undefined;
}

/**
 * Whether the step runs once per batch: inside a loop, or inside a function (a `train_step` /
 * `_run_batch` method that the loop calls: pytorch/examples ddp-tutorial-series, gcn, reinforce).
 * A step at module level outside any loop runs once.
 */
export function stepsRepeatedly(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === 'ForStatement' || p.name === 'WhileStatement' || p.name === 'FunctionDefinition') return true;
  }
  return false;
}

