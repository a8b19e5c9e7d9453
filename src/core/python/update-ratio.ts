/**
 * "Log the update-to-weight ratio": a code action on the `optimizer.step()` (or `scaler.step(optimizer)`)
 * of a plain PyTorch loop that wraps the step in a few lines measuring r = ‖Δw‖/‖w‖ over all the
 * parameters the step updates, and prints it as `update_ratio=<r>`, the pair traindx's printed-log
 * reader (formats/plain.ts) reads into the `update_ratio` series the update-ratio rule judges.
 *
 * The inserted code needs nothing but torch (already imported by the loop): the parameters with a
 * gradient are copied before the step and compared after it. The copy costs one extra set of
 * weights in memory per step, which is why the action says "for this run" in its title's detail and
 * the lines are marked so that they are easy to find and remove.
 */
import type { TextEdit } from '../config/edits';
import { bindingsOf } from './bindings';
import { callsOf } from './calls';
import { argparseOptions } from './argparse';
import { isOptimizerCall } from './torch';
import { dottedName, parsePython, rangeOf, textOf } from './syntax';
import type { PySource, SyntaxNode } from './syntax';

/** The marker every inserted line carries: the action is not offered twice, and the lines are easy to find. */
export const UPDATE_RATIO_MARKER = '_tdx_';

export interface PythonAction {
  title: string;
  edits: TextEdit[];
}

/** Names that hold an optimizer in scripts that build it elsewhere (`self.optimizer`, `opt_g`). */
const OPTIMIZER_LIKE = /^(opt|optim|optimi[sz]er)(_\w+)?$|_(opt|optim|optimi[sz]er)$/i;

/** The action at a position of a script, when the position is on a step call of a loop's optimizer. */
export function updateRatioActionAt(text: string, line: number, character: number): PythonAction | undefined {
  if (!/\.step\(/.test(text) || text.includes(`${UPDATE_RATIO_MARKER}before`)) return undefined;
  const src = parsePython(text);
  const at = src.lines.offset(line, character);
  const step = stepStatementAt(src, at);
  if (!step) return undefined;
  const optimizer = optimizerOf(src, step.call);
  if (!optimizer || !insideLoop(step.statement)) return undefined;
  return { title: 'Log the update-to-weight ratio (‖Δw‖/‖w‖ printed as update_ratio= after each step)', edits: wrapStep(src, step.statement, optimizer) };
}

interface StepCall {
  statement: SyntaxNode;
  call: SyntaxNode;
}

/** The `x.step(…)` expression statement the offset is in (on its own line: the edit wraps the line). */
function stepStatementAt(src: PySource, at: number): StepCall | undefined {
  for (let n: SyntaxNode | null = src.top.resolveInner(at, 0); n; n = n.parent) {
    if (n.name !== 'ExpressionStatement') continue;
    const call = n.firstChild;
    if (call?.name !== 'CallExpression' || call.to !== n.to) return undefined;
    const callee = call.firstChild;
    if (callee?.name !== 'MemberExpression' || callee.lastChild?.name !== 'PropertyName' || textOf(src, callee.lastChild) !== 'step') return undefined;
    const lineStart = src.text.lastIndexOf('\n', n.from - 1) + 1;
    if (src.text.slice(lineStart, n.from).trim() !== '') return undefined;
    return { statement: n, call };
  }
  return undefined;
}

/**
 * The optimizer the step updates, as written: the receiver of `optimizer.step()` (or the argument of
 * `scaler.step(optimizer)`), when it is assigned an optimizer in this script or named like one. A
 * scheduler's `.step()` is not an optimizer step and gets no action.
 */
function optimizerOf(src: PySource, call: SyntaxNode): string | undefined {
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

function insideLoop(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === 'ForStatement' || p.name === 'WhileStatement') return true;
    if (p.name === 'FunctionDefinition' || p.name === 'ClassDefinition') return false;
  }
  return false;
}

/** The lines before and after the step, at the step's own indentation. */
function wrapStep(src: PySource, statement: SyntaxNode, optimizer: string): TextEdit[] {
  const lineStart = src.text.lastIndexOf('\n', statement.from - 1) + 1;
  const indent = src.text.slice(lineStart, statement.from);
  const eol = src.text.includes('\r\n') ? '\r\n' : '\n';
  const m = UPDATE_RATIO_MARKER;
  const before = [
    `${m}params = [p for g in ${optimizer}.param_groups for p in g["params"] if p.grad is not None]  # traindx: update-to-weight ratio`,
    `${m}before = [p.detach().clone() for p in ${m}params]`,
  ];
  const after = [
    `${m}update = sum(float((p.detach() - b).pow(2).sum()) for p, b in zip(${m}params, ${m}before)) ** 0.5`,
    `${m}weight = sum(float(p.detach().pow(2).sum()) for p in ${m}params) ** 0.5`,
    `print(f"update_ratio={${m}update / (${m}weight + 1e-12):.4e}", flush=True)`,
    `del ${m}params, ${m}before`,
  ];
  const start = rangeOf(src, lineStart, lineStart);
  const end = rangeOf(src, statement.to, statement.to);
  return [
    { range: start, newText: before.map((l) => indent + l + eol).join('') },
    { range: end, newText: after.map((l) => eol + indent + l).join('') },
  ];
}
