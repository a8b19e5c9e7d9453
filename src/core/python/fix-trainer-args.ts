/**
 * Fixes written as keyword arguments of the call that owns the setting, in a training script:
 * - warmup: `TrainingArguments(warmup_ratio=…)` (Hugging Face);
 * - gradient clipping: `TrainingArguments(max_grad_norm=…)`, Lightning `Trainer(gradient_clip_val=…)`;
 * - grid → random search in a W&B sweep dict handed to `wandb.sweep`: `"method": "random"`, a
 *   `"run_cap"`, and float `values` lists turned into ranges (frameworks/wandb/distributions.ts, the
 *   same as in a sweep YAML).
 * A plain loop has no keyword to set (clipping there is a line of the loop): no edit.
 */
import type { TextEdit } from '../config/edits';
import type { TrainingConfig } from '../config/training-config';
import type { CMap } from '../config/tree';
import { distributionFor, parameterSpecs } from '../frameworks/wandb/distributions';
import { childOf } from '../config/tree';
import { editableScript, isEditableScript, setKeywords } from './edit-call';
import { LOOP_CLIP_CALL, loopGradClip } from './fix-loop-clip';
import { evaluate } from './evaluate';
import { isHfArguments, isLightningTrainer } from './frameworks';
import { argument, rangeOf } from './syntax';

/** A float as Python source (JS and Python read `1e-05` and `0.1` alike; `1` is written `1.0`, a float). */
function pythonFloat(n: number): string {
  const s = String(n);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

export function hfWarmupRatio(cfg: TrainingConfig, text: string, ratio: number): TextEdit[] {
  if (!isEditableScript(cfg)) return [];
  const s = editableScript(text);
  const args = s.calls.find(isHfArguments);
  return (args && setKeywords(s.src, args.node, [['warmup_ratio', pythonFloat(ratio)]])) ?? [];
}

/** What clips the gradient norm in this script: its trainer's keyword, or the loop's `clip_grad_norm_` call. */
export function clipKeyword(cfg: TrainingConfig, text?: string): string {
  if (cfg.gradClip?.key === 'max_grad_norm' || cfg.builtIn?.gradClip !== undefined) return 'max_grad_norm';
  if (text === undefined) return 'gradient_clip_val';
  return editableScript(text).calls.some(isLightningTrainer) ? 'gradient_clip_val' : `${LOOP_CLIP_CALL} before optimizer.step(),`;
}

export function trainerGradClip(cfg: TrainingConfig, text: string, maxNorm: number): TextEdit[] {
  if (!isEditableScript(cfg)) return [];
  const s = editableScript(text);
  const hf = s.calls.find(isHfArguments);
  if (hf) return setKeywords(s.src, hf.node, [['max_grad_norm', pythonFloat(maxNorm)]]) ?? [];
  const lightning = s.calls.find(isLightningTrainer);
  if (lightning) return setKeywords(s.src, lightning.node, [['gradient_clip_val', pythonFloat(maxNorm)]]) ?? [];
  return loopGradClip(cfg, text, maxNorm);
}

export function sweepToRandom(cfg: TrainingConfig, text: string, trials: number): TextEdit[] {
  if (!isEditableScript(cfg) || cfg.sweep?.method !== 'grid') return [];
  const s = editableScript(text);
  const call = s.calls.find((c) => c.path === 'wandb.sweep');
  const root = evaluate(s, argument(call?.args ?? [], 'sweep', 0)?.value);
  if (root?.kind !== 'map') return [];
  const method = root.entries.find((e) => e.key === 'method');
  if (!method || method.value.kind !== 'scalar' || !method.value.quoted) return [];
  const quote = s.src.text[method.value.span.start];
  const edits: TextEdit[] = [];
  const cap = root.entries.find((e) => e.key === 'run_cap');
  let methodText = `${quote}random${quote}`;
  if (!cap) methodText += `, ${quote}run_cap${quote}: ${trials}`;
  else if (cap.value.kind === 'scalar' && typeof cap.value.value === 'number') edits.push({ range: rangeOf(s.src, cap.value.span.start, cap.value.span.end), newText: String(trials) });
  else return [];
  edits.push({ range: rangeOf(s.src, method.value.span.start, method.value.span.end), newText: methodText });
  edits.push(...distributions(s.src.text, root, quote, (a, b) => rangeOf(s.src, a, b)));
  return edits;
}

/** Each float `values` list of a parameter written `{"values": [...]}` becomes a range. */
function distributions(text: string, root: CMap, quote: string, range: (a: number, b: number) => TextEdit['range']): TextEdit[] {
  const out: TextEdit[] = [];
  for (const { spec } of parameterSpecs(childOf(root, 'parameters'))) {
    if (spec.entries.length !== 1 || !/^\{/.test(text.slice(spec.span.start, spec.span.end))) continue;
    const d = distributionFor(spec, text);
    if (!d) continue;
    const q = (k: string) => `${quote}${k}${quote}`;
    out.push({ range: range(spec.span.start, spec.span.end), newText: `{${q('distribution')}: ${q(d.distribution)}, ${q('min')}: ${String(d.min)}, ${q('max')}: ${String(d.max)}}` });
  }
  return out;
}
