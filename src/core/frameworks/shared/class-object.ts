/**
 * Schedulers written as objects to instantiate — jsonargparse `class_path` + `init_args` (Lightning
 * CLI), Hydra `_target_` (+ `_partial_`) — are replaced whole, so that no argument of the old class
 * (`milestones`, `gamma`) is left for the new one to refuse.
 */
import { replaceKey, type TextEdit } from '../../config/edits';
import type { TrainingConfig } from '../../config/training-config';
import { dataFormat, locate, parseConfigText } from '../../config/tree';

export const COSINE_CLASS = 'torch.optim.lr_scheduler.CosineAnnealingLR';

/** Cosine length when the config gives no epochs. */
export const DEFAULT_T_MAX = 100;

/** Whether the scheduler setting is the class name of such an object. */
export function isClassObjectScheduler(cfg: TrainingConfig): boolean {
  return cfg.scheduler !== undefined && /\.(class_path|_target_)$/.test(cfg.scheduler.key);
}

/** The scheduler object replaced by `CosineAnnealingLR(T_max = epochs)`; no edit when it is not an object. */
export function cosineClassObject(cfg: TrainingConfig, text: string): TextEdit[] {
  const s = cfg.scheduler;
  if (!s || !isClassObjectScheduler(cfg)) return [];
  const tMax = cfg.epochs?.value ?? DEFAULT_T_MAX;
  const parent = s.key.replace(/\.(class_path|_target_)$/, '');
  const partial = locate(parseConfigText(text, dataFormat(cfg)).root, `${parent}._partial_`);
  const value: Record<string, unknown> = s.key.endsWith('class_path')
    ? { class_path: COSINE_CLASS, init_args: { T_max: tMax } }
    : { _target_: COSINE_CLASS, ...(partial ? { _partial_: true } : {}), T_max: tMax };
  return replaceKey(cfg, text, parent, value);
}
