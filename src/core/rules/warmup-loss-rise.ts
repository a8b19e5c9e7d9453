/**
 * Scenario `lr-range`, rule `warmup-loss-rise`: the training loss rises while the logged LR warms up,
 * on a run that is not a fine-tune. A warmup is a slow sweep over rates, the same experiment as an LR
 * range test (Smith 2017, §3.3): once the rate passes the edge of the usable window the loss turns up.
 * The rate logged where the loss was lowest during the warmup is the run's own estimate of that edge.
 *
 * The test is `finetune-forgetting`'s warmup test, shared rather than repeated (`warmupRise` in
 * fine-tuning.ts: the LR climbs to a peak ≥ 2× its first value, ≥ `minWarmupPoints` = 6 loss values
 * before the peak, median of the last third of them ≥ (1 + `warmupRise` = 25 %) × the first third's).
 * When the config says pretrained, `finetune-forgetting` reports the same curve in its own terms, so this
 * rule says nothing; nor on RL or adversarial runs (`non-monotone-objective.ts`).
 * → warning at the warmup's worst loss value, quoting the LR at the loss minimum as the peak to use.
 */
import { alignKey, keyOf, lowerBound, upperBound } from '../run/aggregate';
import { fmt, fmtEpoch } from '../run/stats';
import type { Series } from '../run/series';
import type { Finding } from '../types';
import { warmupRise } from './fine-tuning';
import { rangeTestAdvice, rateOfRun } from './lr-range-test';
import { peakOf } from './lr-peak';
import { lossNotMeantToFall } from './non-monotone-objective';
import type { Rule, RunContext, Thresholds } from './rule';
import { isOn, logFinding } from './util';

export type WarmupLossRiseEvidence = {
  metric: string;
  first: number;
  worst: number;
  ratio: number;
  worstLine: number;
  /** The LR logged at the warmup's lowest loss, and the LR peak the warmup climbed to. */
  lrAtBest: number | null;
  peakLr: number;
};

function where(s: Series, i: number): string {
  if (Number.isFinite(s.step(i))) return `step ${s.step(i)}`;
  if (Number.isFinite(s.epoch(i))) return `epoch ${fmtEpoch(s.epoch(i))}`;
  return `line ${s.line(i)}`;
}

/** The LR in force at loss point `i`: the last LR logged at or before it. */
function lrAt(lr: Series, loss: Series, i: number): number {
  const k = alignKey(lr, loss);
  const key = keyOf(loss, i, k);
  const j = upperBound(lr, k, key) - 1;
  return j >= 0 ? lr.value(j) : lr.value(Math.min(lowerBound(lr, k, key), lr.length - 1));
}

export const warmupLossRiseRule: Rule = {
  id: 'warmup-loss-rise',
  scenario: 'lr-range',
  defaultSeverity: 'warning',
  defaults: { warmupRise: 0.25, minWarmupPoints: 6 },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    if (isOn(ctx.config?.pretrained) || lossNotMeantToFall(ctx.run)) return [];
    const rise = warmupRise(ctx, t);
    const lr = ctx.run.series('lr');
    if (!rise || !lr) return [];
    const { s, head, worst } = rise;
    let best = 0;
    for (let i = 1; i < worst; i++) if (s.value(i) < s.value(best)) best = i;
    const peak = lr.value(peakOf(lr));
    const atBest = lrAt(lr, s, best);
    const bestText = Number.isFinite(atBest) && atBest > 0 ? `the loss was lowest (${fmt(s.value(best))} at ${where(s, best)}) at lr ≈ ${fmt(atBest)}: use a peak at or below that, or ` : '';
    const msg =
      `${s.name} rose from ${fmt(head)} to ${fmt(s.value(worst))} at ${where(s, worst)} while the LR warmed up towards ${fmt(peak)}: ` +
      `the rate passed what this run tolerates before the warmup ended — ${bestText}${rangeTestAdvice(rateOfRun(ctx))}.`;
    return [
      logFinding(ctx, 'lr-range', 'warmup-loss-rise', 'warning', msg, { line: s.line(worst), fileIndex: s.fileIndex(worst) }, {
        metric: s.name,
        first: head,
        worst: s.value(worst),
        ratio: rise.ratio,
        worstLine: s.line(worst),
        lrAtBest: Number.isFinite(atBest) ? atBest : null,
        peakLr: peak,
      }),
    ];
  },
};
