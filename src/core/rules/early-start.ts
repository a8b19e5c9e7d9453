/**
 * What a run's log says about the start of training, for config findings that predict trouble there
 * ("no warmup: the first large steps can blow up the loss"): once the run is logged, its own start is
 * better evidence than the prediction.
 *
 * The early part is the first `earlyShare` of the train-loss points (at least `minWindow` + 2, the
 * spike test's own minimum). The start is calm when, in that part:
 * - the spike test of the divergence rule (R13) finds no spike;
 * - no point exceeds `ratio` (1.5, the spike ratio) × the median of the first third (a blow-up in the
 *   very first points, before the spike test's window fills);
 * - the loss falls: the median of the last third is below the median of the first third.
 * It is rough (spikes or no fall) otherwise, and unknown without enough train-loss points.
 */
import { median } from '../run/stats';
import { spikeOptions, trainLossSeries } from './divergence';
import type { RunContext, Thresholds } from './rule';
import { detectSpikes } from './spikes';

export type EarlyStart = 'calm' | 'rough' | 'unknown';

/** Why a start is rough, and at which train-loss point (the first non-finite value, the largest spike, the highest point). */
export type RoughStart = { why: 'non-finite' | 'spike' | 'blow-up'; index: number; value: number; ratio: number } | { why: 'no-fall' };

/** The start of the run with the reason when it is rough (see the file comment for the tests). */
export function earlyStartDetail(ctx: RunContext, t: Thresholds): { start: 'calm' | 'unknown' } | { start: 'rough'; rough: RoughStart } {
  const s = trainLossSeries(ctx);
  if (!s || s.length < t.minWindow + 2) return { start: 'unknown' };
  const n = Math.min(s.length, Math.max(t.minWindow + 2, Math.ceil(t.earlyShare * s.length)));
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = s.value(i);
    if (!Number.isFinite(v)) return { start: 'rough', rough: { why: 'non-finite', index: i, value: v, ratio: NaN } };
    vals.push(v);
  }
  const spikes = detectSpikes(s, { ...spikeOptions(t), to: n });
  if (spikes.length) {
    const top = spikes.reduce((x, y) => (y.ratio > x.ratio ? y : x));
    return { start: 'rough', rough: { why: 'spike', index: top.index, value: top.value, ratio: top.ratio } };
  }
  const third = Math.max(1, Math.floor(vals.length / 3));
  const head = median(vals.slice(0, third));
  const tail = median(vals.slice(vals.length - third));
  if (head > 0 && vals.some((v) => v > t.ratio * head)) {
    let top = 0;
    for (let i = 1; i < vals.length; i++) if (vals[i] > vals[top]) top = i;
    return { start: 'rough', rough: { why: 'blow-up', index: top, value: vals[top], ratio: vals[top] / head } };
  }
  return tail < head ? { start: 'calm' } : { start: 'rough', rough: { why: 'no-fall' } };
}

export function earlyStart(ctx: RunContext, t: Thresholds): EarlyStart {
  return earlyStartDetail(ctx, t).start;
}

/** Calm only when at least one run tells and every run that tells is calm. */
export function runsStartCalm(runs: readonly RunContext[] | undefined, t: Thresholds): boolean {
  const told = (runs ?? []).map((r) => earlyStart(r, t)).filter((s) => s !== 'unknown');
  return told.length > 0 && told.every((s) => s === 'calm');
}
