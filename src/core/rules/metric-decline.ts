/**
 * Log rule `metric-decline` (scenario early-stopping, issue 11): the task metric (accuracy, F1, mAP,
 * BLEU; WER/CER lower is better: task-metric.ts) got worse after its best, in a run with no validation
 * loss to judge on (with one, `overfitting-plateau` judges the loss and reads the metric beside it).
 *
 * Two shapes:
 * - `gradual`: `patience` = 5 or more evaluations after the best (the overfitting-plateau patience,
 *   SageMaker patience_train 5), the last below the best by more than `noiseK` = 3 × the metric's
 *   usual change between evaluations (median |Δ|) and by ≥ `minRel` = 2 % of the best [proposals]:
 *   a test accuracy ending 0.11 points under its best after swinging by 10 points per epoch
 *   (text_convnext_imagenet_450ep) is noise, not a decline.
 * - `collapse`: the last evaluation alone fell by ≥ `collapseK` = 5 × the usual change, ≥ half of the
 *   whole decline, ending ≥ `collapseRel` = 10 % under the best [proposals]: a sudden fall is a
 *   divergence in the last stretch rather than overfitting (wandb_imdb_transformer_lion_collapse:
 *   test accuracy 0.827 → 0.536, near chance on balanced IMDB, while the epoch's train loss was 0.099).
 *
 * Either way the advice is to keep the checkpoint of the best evaluation. Information instead of a
 * warning when the config already early-stops and restores the best weights. The gradual form needs a
 * config (a run that stops a few evaluations after its best may have been early-stopped unseen) and is
 * quiet when the decline is no longer than the configured patience.
 */
import { lossSeries, meanInInterval, alignKey, perEvalOf, pointKey, type Point } from '../run/aggregate';
import { fmt, fmtEpoch, median, pct } from '../run/stats';
import type { Finding } from '../types';
import { patienceFromRun } from './early-stopping';
import type { Rule, RunContext, Thresholds } from './rule';
import { taskMetric } from './task-metric';
import { isOn, logFinding } from './util';

/** Evidence of `metric-decline`. */
export type MetricDeclineEvidence = {
  metric: string;
  higherIsBetter: boolean;
  kind: 'gradual' | 'collapse';
  bestValue: number;
  bestLine: number;
  bestEpoch: number | null;
  bestStep: number | null;
  lastValue: number;
  lastLine: number;
  evals: number;
  evalsAfter: number;
  /** Best − last in the metric's better direction, and as a share of the best. */
  decline: number;
  relDecline: number;
  /** Median |Δ| between consecutive evaluations. */
  noise: number;
  /** Relative fall of the train loss from the best evaluation to the last (null: no train loss). */
  trainDrop: number | null;
  suggestedPatience: number | null;
};

function at(p: Point): string {
  if (Number.isFinite(p.epoch)) return `epoch ${fmtEpoch(p.epoch)}`;
  if (Number.isFinite(p.step)) return `step ${p.step}`;
  return `line ${p.line}`;
}

/** The train loss's relative fall between two evaluations (NaN when there is no train loss to read). */
function trainDropBetween(ctx: RunContext, evals: readonly Point[], from: number, to: number, metric: Parameters<typeof alignKey>[0]): number {
  const train = lossSeries(ctx.run, 'train');
  if (!train) return NaN;
  const k = alignKey(metric, train);
  const key = (i: number) => pointKey(evals[i], k);
  const a = meanInInterval(train, k, from > 0 ? key(from - 1) : -Infinity, key(from));
  const b = meanInInterval(train, k, to > 0 ? key(to - 1) : -Infinity, key(to));
  return a > 0 ? (a - b) / a : NaN;
}

export const metricDeclineRule: Rule = {
  id: 'metric-decline',
  scenario: 'early-stopping',
  defaultSeverity: 'warning',
  defaults: { patience: 5, noiseK: 3, minRel: 0.02, collapseK: 5, collapseRel: 0.1, minEvals: 4 },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    // With a validation loss, overfitting-plateau judges the run and reads the metric beside it.
    if (lossSeries(ctx.run, 'val')) return [];
    const m = taskMetric(ctx.run, ctx.config);
    if (!m) return [];
    const evals = perEvalOf(m.series).filter((p) => Number.isFinite(p.value));
    const E = evals.length;
    if (E < t.minEvals) return [];
    const sign = m.higherIsBetter ? 1 : -1;
    let best = 0;
    for (let i = 1; i < E; i++) if (sign * (evals[i].value - evals[best].value) > 0) best = i;
    const lastIdx = E - 1;
    if (best === lastIdx) return [];
    const b = evals[best];
    const last = evals[lastIdx];
    const decline = sign * (b.value - last.value);
    const rel = b.value !== 0 ? decline / Math.abs(b.value) : NaN;
    const diffs = evals.slice(1).map((p, i) => Math.abs(p.value - evals[i].value));
    const noise = median(diffs);
    const lastDrop = sign * (evals[lastIdx - 1].value - last.value);
    const evalsAfter = lastIdx - best;
    const collapse = lastDrop >= t.collapseK * noise && lastDrop >= 0.5 * decline && rel >= t.collapseRel;
    const gradual = !collapse && evalsAfter >= t.patience && decline > t.noiseK * noise && rel >= t.minRel;
    if (!collapse && !gradual) return [];
    const cfg = ctx.config;
    // A slow decline that ended the run may be the patience of an early stopper the log does not show
    // (real-logs #32: Ultralytics phase 3 was stopped 5 epochs after its best by patience=5, printed only
    // in its console): without a config saying how the run stops, the gradual form says nothing.
    if (gradual && !cfg) return [];
    // The configured early stopping ended the run after waiting its patience: that decline is by design.
    const configuredPatience = cfg?.earlyStopping?.value;
    if (gradual && typeof configuredPatience === 'number' && evalsAfter <= configuredPatience) return [];
    const trainDrop = trainDropBetween(ctx, evals, best, lastIdx, m.series);
    const guarded = isOn(cfg?.earlyStopping) && (isOn(cfg?.restoreBest) || cfg?.builtIn?.restoreBest === true);
    const worse = m.higherIsBetter ? 'fell' : 'rose';
    let msg: string;
    let patience: number | undefined;
    if (collapse) {
      msg = `${m.name} collapsed at the last evaluation: ${fmt(evals[lastIdx - 1].value)} → ${fmt(last.value)} at ${at(last)} (${fmt(noise > 0 ? lastDrop / noise : Infinity)}× its usual change between evaluations), ${pct(rel)} off its best ${fmt(b.value)} at ${at(b)}`;
      msg += ` — a sudden fall, not a slow overfit: the run likely diverged in its last stretch (check the loss and grad norm there); keep the checkpoint of ${at(b)}`;
    } else {
      patience = patienceFromRun(evals, best, m.higherIsBetter);
      msg = `${m.name} best at ${at(b)} (${fmt(b.value)}); ${evalsAfter} evaluations after it, it ${worse} to ${fmt(last.value)} (${pct(rel)} off its best, ${fmt(noise > 0 ? decline / noise : Infinity)}× its usual change between evaluations)`;
      if (Number.isFinite(trainDrop) && trainDrop > 0) msg += ` while the train loss kept falling (−${pct(trainDrop)})`;
      msg += guarded
        ? ' — early stopping is configured and the best weights are kept, but it did not stop here: check that it monitors this metric'
        : ` — overfitting on the task metric: early-stop on ${m.name}${patience === undefined ? '' : ` (patience ≥ ${patience}: the longest wait for a new best before it was ${patience - 1} evaluation${patience === 2 ? '' : 's'})`} and keep the best checkpoint`;
    }
    return [
      logFinding(ctx, 'early-stopping', 'metric-decline', guarded ? 'information' : 'warning', msg, collapse ? last : b, {
        metric: m.name,
        higherIsBetter: m.higherIsBetter,
        kind: collapse ? 'collapse' : 'gradual',
        bestValue: b.value,
        bestLine: b.line,
        bestEpoch: Number.isFinite(b.epoch) ? b.epoch : null,
        bestStep: Number.isFinite(b.step) ? b.step : null,
        lastValue: last.value,
        lastLine: last.line,
        evals: E,
        evalsAfter,
        decline,
        relDecline: rel,
        noise,
        trainDrop: Number.isFinite(trainDrop) ? trainDrop : null,
        suggestedPatience: patience ?? null,
      }),
    ];
  },
};
