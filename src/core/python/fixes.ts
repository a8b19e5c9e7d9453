/**
 * Quick-fix edits on Python training scripts, as pure functions of the config read from a script and
 * that script's text (LSP-shaped TextEdits, 0-based ranges into that text; nothing is written).
 */
import type { TextEdit } from '../config/edits';
import type { TrainingConfig } from '../config/training-config';
import { LineIndex } from '../config/tree';
import { argsOf, parsePython, textOf } from './syntax';
import type { SyntaxNode } from './syntax';

const STEP_LIKE = /^(StepLR|MultiStepLR)$/;

/**
 * StepLR / MultiStepLR → `CosineAnnealingLR(<optimizer>, T_max=<epochs>)`, replacing the whole call
 * (the scheduler's range). The optimizer argument is kept as written. T_max is the script's epoch
 * count when it is known (the scheduler is stepped once per epoch in these scripts, which is what a
 * StepLR's `step_size` in epochs implies), written as the expression that gives it when that is a
 * name (`args.epochs`), else as the number. Without a known epoch count there is no right T_max: no edit.
 * The callee keeps its module prefix (`torch.optim.lr_scheduler.StepLR` → `torch.optim.lr_scheduler.CosineAnnealingLR`);
 * a bare imported name (`from torch.optim.lr_scheduler import StepLR`) becomes the full path, since
 * CosineAnnealingLR may not be imported.
 */
export function replaceStepWithCosine(cfg: TrainingConfig, text: string): TextEdit[] {
  const s = cfg.scheduler;
  if (cfg.format !== 'python' || !s || !STEP_LIKE.test(s.value) || !cfg.epochs) return [];
  const lines = new LineIndex(text);
  const from = lines.offset(s.range.startLine, s.range.startChar);
  const to = lines.offset(s.range.endLine, s.range.endChar);
  const src = parsePython(text);
  const call = callAt(src.top, from, to);
  if (!call) return [];
  const args = argsOf(src, call.getChild('ArgList'));
  const optimizer = args.find((a) => a.name === 'optimizer') ?? args.find((a) => a.name === undefined && a.spread === undefined);
  if (!optimizer) return [];
  const callee = call.firstChild;
  if (!callee) return [];
  const written = textOf(src, callee);
  const dot = written.lastIndexOf('.');
  const target = dot < 0 ? 'torch.optim.lr_scheduler.CosineAnnealingLR' : `${written.slice(0, dot)}.CosineAnnealingLR`;
  const tMax = epochsExpression(text, lines, cfg);
  const optimizerText = textOf(src, optimizer.value);
  return [{ range: s.range, newText: `${target}(${optimizerText}, T_max=${tMax})` }];
}

/** The CallExpression spanning exactly [from, to). */
function callAt(top: SyntaxNode, from: number, to: number): SyntaxNode | undefined {
  let node: SyntaxNode | null = top.resolveInner(from, 1);
  while (node && !(node.name === 'CallExpression' && node.from === from && node.to === to)) node = node.parent;
  return node ?? undefined;
}

/**
 * How to write the epoch count at the scheduler: the loop bound's name when the epochs setting ranges
 * over a plain name or `args.epochs` (so that `--epochs 30` still gives the right T_max), else the number.
 */
function epochsExpression(text: string, lines: LineIndex, cfg: TrainingConfig): string {
  const e = cfg.epochs;
  if (!e) return '';
  const bound = text.slice(lines.offset(e.range.startLine, e.range.startChar), lines.offset(e.range.endLine, e.range.endChar)).trim();
  const name = /^([A-Za-z_][\w.]*)(\s*\+\s*1)?$/.exec(bound);
  if (name && !name[1].includes('(') && e.key === 'epochs' && !/^\d/.test(name[1])) return name[1];
  return String(e.value);
}
