/**
 * Each kind of quick fix as one call, written in the convention of the config's framework (see
 * src/core/frameworks/<fw>/fixes.ts). Pure: the edits are returned, nothing is written; no edit when
 * the framework cannot express the fix.
 */
import type { TextEdit } from '../config/edits';
import type { TrainingConfig } from '../config/training-config';
import { frameworkOf } from '../frameworks';

/** Switches a step-like LR schedule to cosine annealing. */
export function replaceScheduler(cfg: TrainingConfig, text: string, kind: 'cosine'): TextEdit[] {
  if (kind !== 'cosine') return [];
  return frameworkOf(cfg).fixes.cosine?.(cfg, text) ?? [];
}

/** Adds (or raises) LR warmup; `amount` is in the framework's unit (its default when omitted). */
export function addWarmup(cfg: TrainingConfig, text: string, amount?: number): TextEdit[] {
  const w = frameworkOf(cfg).fixes.warmup;
  return w ? w.edits(cfg, text, amount ?? w.amount({})) : [];
}

/** Turns on gradient-norm clipping (max norm 1.0 by default, the HF default). */
export function addGradClip(cfg: TrainingConfig, text: string, maxNorm = 1.0): TextEdit[] {
  return frameworkOf(cfg).fixes.gradClip?.edits(cfg, text, maxNorm) ?? [];
}

/** Adds early stopping, keeping the best weights where the framework can. */
export function addEarlyStopping(cfg: TrainingConfig, text: string, patience = 5): TextEdit[] {
  return frameworkOf(cfg).fixes.earlyStopping?.write(cfg, text, patience)?.edits ?? [];
}

/** Keeps an exponential moving average of the weights (decay 0.9998 by default, timm's). */
export function enableEma(cfg: TrainingConfig, text: string, decay = 0.9998): TextEdit[] {
  return frameworkOf(cfg).fixes.ema?.(cfg, text, decay) ?? [];
}

/** Turns a grid sweep into random search with a trial budget. */
export function setSweepRandom(cfg: TrainingConfig, text: string, runCap = 60): TextEdit[] {
  return frameworkOf(cfg).fixes.randomSearch?.edits(cfg, text, runCap) ?? [];
}

/** Freezes the pretrained backbone. */
export function freezeBackbone(cfg: TrainingConfig, text: string): TextEdit[] {
  return frameworkOf(cfg).fixes.freezeBackbone?.(cfg, text) ?? [];
}
