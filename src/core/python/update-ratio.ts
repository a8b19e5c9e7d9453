/**
 * "Log the update-to-weight ratio": a code action on the `optimizer.step()` (or `scaler.step(optimizer)`)
 * of a plain PyTorch loop that wraps the step in a few lines measuring r = ‖Δw‖/‖w‖ over all the
 * parameters the step updates, and prints it as `update_ratio=<r>`, the pair traindx's printed-log
 * reader (formats/plain.ts) reads into the `update_ratio` series the update-ratio rule judges.
 *
 * The inserted code needs nothing but torch (already imported by the loop): the parameters with a
 * gradient are copied before the step and compared after it. The copy costs one extra set of
 * weights in memory per step, so the lines are marked (`_tdx_`) to be easy to find and remove; once a
 * script has them, the action is not offered again (one measured optimizer per script).
 */
import type { TextEdit } from '../config/edits';
import { optimizerOf, stepStatementAt, stepsRepeatedly } from './loop-steps';
import { parsePython, rangeOf } from './syntax';
import type { PySource, SyntaxNode } from './syntax';

/** The marker every inserted line carries: the action is not offered twice, and the lines are easy to find. */
export const UPDATE_RATIO_MARKER = '_tdx_';

export interface PythonAction {
  title: string;
  edits: TextEdit[];
}

/** The action at a position of a script, when the position is on a step call of a loop's optimizer. */
export function updateRatioActionAt(text: string, line: number, character: number): PythonAction | undefined {
  if (!/\.step\(/.test(text) || text.includes(`${UPDATE_RATIO_MARKER}before`)) return undefined;
  const src = parsePython(text);
  const at = src.lines.offset(line, character);
  const step = stepStatementAt(src, at);
  if (!step) return undefined;
  const optimizer = optimizerOf(src, step.call);
  if (!optimizer || !stepsRepeatedly(step.statement)) return undefined;
  return { title: 'Log the update-to-weight ratio (‖Δw‖/‖w‖ printed as update_ratio= after each step)', edits: wrapStep(src, step.statement, optimizer) };
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
