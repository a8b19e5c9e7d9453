/**
 * Scenario `lr-schedule`, rule `warmup-exceeds-run`: the config's warmup is as long as the whole run or
 * longer, so the LR never reaches the value the config sets and the schedule after the warmup never
 * runs. Compared only in one unit, never converted (steps per epoch depend on the dataset):
 * - a warmup ratio ≥ 1 (HF `warmup_ratio`);
 * - warmup steps ≥ the run's steps (`warmup_steps` vs `max_steps`, detectron2 `SOLVER.WARMUP_ITERS` vs
 *   `SOLVER.MAX_ITER`);
 * - warmup epochs ≥ the run's epochs (timm/Ultralytics `warmup_epochs` vs `epochs`).
 * A run length read under an evaluation section (LitGPT `eval.max_iters`: evaluation batches) is not the
 * run's length and is not compared.
 * A warmup the user wrote → warning on the warmup key. A warmup the framework adds by itself
 * (detectron2's 1000 iterations, defaults.py `_C.SOLVER.WARMUP_ITERS = 1000`; timm's 5 epochs;
 * Ultralytics' 3) → information on the run-length key the user wrote: the official detectron2 Colab
 * fine-tune (MAX_ITER 300) runs entirely inside that warmup and still trains, so this is a fact worth
 * knowing, not an error.
 */
import type { Setting, TrainingConfig } from '../config/training-config';
import { fmt } from '../run/stats';
import type { Finding } from '../types';
import { warmupState } from './large-batch';
import type { Rule, Thresholds } from './rule';
import { configFinding } from './util';

export type WarmupExceedsRunEvidence = {
  key: string;
  warmup: number;
  unit: 'steps' | 'epochs' | 'ratio';
  /** The run's length in the same unit (1 for a ratio) and the key it was read from. */
  length: number;
  lengthKey: string | null;
  builtIn: boolean;
};

const HELD_OUT_SECTION = /(^|\.)(eval|evaluation|val|valid|validation|test)\./i;

function lengthOf(c: TrainingConfig, unit: 'steps' | 'epochs' | 'ratio'): { length: number; setting?: Setting<number> } | undefined {
  if (unit === 'ratio') return { length: 1 };
  const s = unit === 'steps' ? c.maxSteps : c.epochs;
  // A length under an evaluation section counts evaluation batches, not training (LitGPT `eval.max_iters`).
  if (!s || HELD_OUT_SECTION.test(s.key)) return undefined;
  return typeof s.value === 'number' && s.value > 0 ? { length: s.value, setting: s } : undefined;
}

export const warmupExceedsRunRule: Rule = {
  id: 'warmup-exceeds-run',
  scenario: 'lr-schedule',
  defaultSeverity: 'warning',
  defaults: {},
  checkConfig(config: TrainingConfig, _t: Thresholds): Finding[] {
    const w = warmupState(config);
    if (w.kind === 'off' || !w.unit) return [];
    const len = lengthOf(config, w.unit);
    if (!len || !(w.value >= len.length)) return [];
    const unitText = w.unit === 'ratio' ? 'of the run' : w.unit;
    const runText = w.unit === 'ratio' ? 'the whole run' : `the ${fmt(len.length)} ${w.unit} of the run${len.setting ? ` (${len.setting.key})` : ''}`;
    const evidence = { warmup: w.value, unit: w.unit, length: len.length, lengthKey: len.setting?.key ?? null };
    if (w.kind === 'set' && config.warmup) {
      const msg =
        `warmup of ${fmt(w.value)} ${unitText} (${w.key}) is not shorter than ${runText}: the LR climbs for the entire run and never reaches ${config.lr ? `lr ${fmt(config.lr.value)}` : 'the configured LR'}, and the schedule meant to follow the warmup never starts. ` +
        `Shorten the warmup to a few percent of the run (e.g. ${w.unit === 'ratio' ? '0.03–0.1' : `${fmt(Math.max(1, Math.round(len.length * 0.05)))} ${w.unit}, 5 %`}).`;
      return [configFinding(config, 'lr-schedule', 'warmup-exceeds-run', 'warning', msg, config.warmup, { ...evidence, builtIn: false })];
    }
    if (w.kind !== 'built-in' || !len.setting) return [];
    const msg =
      `the framework's built-in warmup of ${fmt(w.value)} ${unitText} is not shorter than ${runText}: the LR is still warming up when training ends, so ${config.lr ? `lr ${fmt(config.lr.value)}` : 'the configured LR'} is never reached. ` +
      `If that is not intended, set the warmup explicitly to a few percent of the run.`;
    return [configFinding(config, 'lr-schedule', 'warmup-exceeds-run', 'information', msg, len.setting, { ...evidence, builtIn: true })];
  },
};
