/**
 * Quick-fix edits on Python training scripts, as pure functions of the config read from a script and
 * that script's text (LSP-shaped TextEdits, 0-based ranges into that text; nothing is written).
 */
import type { TextEdit } from '../config/edits';
import type { TrainingConfig } from '../config/training-config';
import { LineIndex } from '../config/tree';
import { bindingsOf } from './bindings';
import { isEditableScript } from './edit-call';
import { argsOf, parsePython, textOf } from './syntax';
import type { PySource, SyntaxNode } from './syntax';

const STEP_LIKE = /^(StepLR|MultiStepLR|LambdaLR:step)$/;

/**
 * StepLR / MultiStepLR / a step-function LambdaLR → `CosineAnnealingLR(<optimizer>, T_max=<epochs>)`, replacing the whole call
 * (the scheduler's range). The optimizer argument is kept as written. T_max is the script's epoch
 * count when it is known (the scheduler is stepped once per epoch in these scripts, which is what a
 * StepLR's `step_size` in epochs implies), written as the expression that gives it when that is a
 * name (`args.epochs`), else as the number. Without a known epoch count there is no right T_max: no edit.
 * The callee keeps its module prefix (`lr_scheduler.StepLR` → `lr_scheduler.CosineAnnealingLR`); a
 * bare imported name (`from torch.optim.lr_scheduler import StepLR`) becomes the full path when `torch`
 * is imported, else CosineAnnealingLR is imported beside StepLR.
 */
export function replaceStepWithCosine(cfg: TrainingConfig, text: string): TextEdit[] {
  return isEditableScript(cfg) ? replaceStepWithCosineInCode(cfg, text) : [];
}

/**
 * The same edit on Python code that is not a `.py` file's whole text: a notebook's cells joined as one
 * script (python/notebook-fixes.ts maps the edits back into the cells). `text` must be the code `cfg`
 * was read from.
 */
export function replaceStepWithCosineInCode(cfg: TrainingConfig, text: string): TextEdit[] {
  const s = cfg.scheduler;
  if (!s || !STEP_LIKE.test(s.value) || !cfg.epochs) return [];
  const lines = new LineIndex(text);
  const src = parsePython(text);
  const call = callAt(src.top, lines.offset(s.range.startLine, s.range.startChar), lines.offset(s.range.endLine, s.range.endChar));
  const callee = call?.firstChild;
  if (!call || !callee) return [];
  const args = argsOf(src, call.getChild('ArgList'));
  const optimizer = args.find((a) => a.name === 'optimizer') ?? args.find((a) => a.name === undefined && a.spread === undefined);
  if (!optimizer) return [];
  const written = textOf(src, callee);
  const dot = written.lastIndexOf('.');
  const edits: TextEdit[] = [];
  let target: string;
  if (dot >= 0) target = `${written.slice(0, dot)}.CosineAnnealingLR`;
  else if (bindingsOf(src).imports.get('torch') === 'torch') target = 'torch.optim.lr_scheduler.CosineAnnealingLR';
  else {
    // `from torch.optim.lr_scheduler import StepLR` without `import torch`: import the new class beside it.
    const imp = importOf(src.top, written, src.text);
    if (!imp) return [];
    const end = lines.position(imp.to);
    edits.push({ range: { startLine: end.line, startChar: end.char, endLine: end.line, endChar: end.char }, newText: '\nfrom torch.optim.lr_scheduler import CosineAnnealingLR' });
    target = 'CosineAnnealingLR';
  }
  const tMax = epochsExpression(src, lines, cfg, call);
  edits.push({ range: s.range, newText: `${target}(${textOf(src, optimizer.value)}, T_max=${tMax})` });
  return edits;
}

/** The CallExpression spanning exactly [from, to). */
function callAt(top: SyntaxNode, from: number, to: number): SyntaxNode | undefined {
  let node: SyntaxNode | null = top.resolveInner(from, 1);
  while (node && !(node.name === 'CallExpression' && node.from === from && node.to === to)) node = node.parent;
  return node ?? undefined;
}

/** The top-level `from … import` statement that imports `name`. */
function importOf(top: SyntaxNode, name: string, text: string): SyntaxNode | undefined {
  for (let st: SyntaxNode | null = top.firstChild; st; st = st.nextSibling) {
    if (st.name !== 'ImportStatement' || st.firstChild?.name !== 'from') continue;
    for (let c: SyntaxNode | null = st.firstChild; c; c = c.nextSibling) if (c.name === 'VariableName' && text.slice(c.from, c.to) === name && c.prevSibling?.name !== '.') return st;
  }
  return undefined;
}

/**
 * How to write the epoch count at the scheduler: the loop bound as written when it is a name or
 * `args.epochs` in the scheduler's own function (so that `--epochs 30` still gives the right T_max;
 * `range(1, N + 1)` gives N), else the number.
 */
function epochsExpression(src: PySource, lines: LineIndex, cfg: TrainingConfig, call: SyntaxNode): string {
  const e = cfg.epochs;
  if (!e) return '';
  const from = lines.offset(e.range.startLine, e.range.startChar);
  const bound = src.text.slice(from, lines.offset(e.range.endLine, e.range.endChar)).trim();
  const name = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)(\s*\+\s*1)?$/.exec(bound);
  const boundNode = src.top.resolveInner(from, 1);
  if (name && e.key === 'epochs' && functionOf(boundNode) === functionOf(call)) return name[1];
  return String(e.value);
}

function functionOf(node: SyntaxNode | null): number {
  for (let p: SyntaxNode | null = node; p; p = p.parent) if (p.name === 'FunctionDefinition') return p.from;
  return -1;
}
