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
 *
 * Cost on a growing log: the verdict is kept per series until the window's length or its end points
 * change; the non-finite and spike tests read only appended points (run/incremental.ts, the spike
 * scan the divergence rule shares), so the O(window) median pass runs once per 1/earlyShare points
 * appended (or once per poll that adds more), not on every append.
 */
import { advance } from '../run/incremental';
import type { Series } from '../run/series';
import { median } from '../run/stats';
import { spikeOptions, trainLossSeries } from './divergence';
import type { RunContext, Thresholds } from './rule';
import { detectSpikes } from './spikes';

export type EarlyStart = 'calm' | 'rough' | 'unknown';

/** Why a start is rough, and at which train-loss point (the first non-finite value, the largest spike, the highest point). */
export type RoughStart = { why: 'non-finite' | 'spike' | 'blow-up'; index: number; value: number; ratio: number } | { why: 'no-fall' };

type StartDetail = { start: 'calm' | 'unknown' } | { start: 'rough'; rough: RoughStart };

/** A verdict and the early window it was made on: its length, its first and last points, the series' generation. */
interface Verdict {
  n: number;
  generation: number;
  sig: [number, number, number, number];
  detail: StartDetail;
}

/**
 * Verdicts per train-loss series and thresholds. Every append to a log clears the findings of the
 * config it reads, and the config rules ask again; the early window only changes length every
 * 1/earlyShare points, so most asks are answered here.
 */
const verdicts = new WeakMap<Series, Map<string, Verdict>>();

/** The start of the run with the reason when it is rough (see the file comment for the tests). */
export function earlyStartDetail(ctx: RunContext, t: Thresholds): StartDetail {
  const s = trainLossSeries(ctx);
  if (!s || s.length < t.minWindow + 2) return { start: 'unknown' };
  const n = Math.min(s.length, Math.max(t.minWindow + 2, Math.ceil(t.earlyShare * s.length)));
  let byKey = verdicts.get(s);
  if (!byKey) {
    byKey = new Map();
    verdicts.set(s, byKey);
  }
  const key = `${t.minWindow}:${t.earlyShare}:${t.ratio}:${t.window}:${t.z}:${t.recoveryRel}:${t.recoverySteps}`;
  const sig = windowSig(s, n);
  const cached = byKey.get(key);
  if (cached && cached.n === n && cached.generation === s.generation && sameSig(cached.sig, sig)) return cached.detail;
  const detail = judge(s, n, t);
  byKey.set(key, { n, generation: s.generation, sig, detail });
  return detail;
}

export function earlyStart(ctx: RunContext, t: Thresholds): EarlyStart {
  return earlyStartDetail(ctx, t).start;
}

/** The verdict on the first `n` points of `s` (see the file comment). */
function judge(s: Series, n: number, t: Thresholds): StartDetail {
  // A non-finite point or a spike in the window is known from scans advanced over appended points only.
  const nonFinite = advance(
    s,
    'first-non-finite',
    () => ({ first: -1 }),
    (st, from, to) => {
      for (let i = from; st.first < 0 && i < to; i++) if (!Number.isFinite(s.value(i))) st.first = i;
    },
  ).first;
  if (nonFinite >= 0 && nonFinite < n) return { start: 'rough', rough: { why: 'non-finite', index: nonFinite, value: s.value(nonFinite), ratio: NaN } };
  // The spike scan is causal (a point is judged on the points before it), so the spikes of the window
  // are the whole series' spikes that start in it.
  const spikes = detectSpikes(s, spikeOptions(t)).filter((x) => x.index < n);
  if (spikes.length > 0) {
    const top = spikes.reduce((x, y) => (y.ratio > x.ratio ? y : x));
    return { start: 'rough', rough: { why: 'spike', index: top.index, value: top.value, ratio: top.ratio } };
  }
  const vals = new Float64Array(n);
  s.copyValues(0, n, vals);
  const third = Math.max(1, Math.floor(n / 3));
  const head = median(vals.subarray(0, third));
  const tail = median(vals.subarray(n - third));
  if (head > 0) {
    const limit = t.ratio * head;
    let top = -1;
    for (let i = 0; i < n; i++) if (vals[i] > limit && (top < 0 || vals[i] > vals[top])) top = i;
    if (top >= 0) return { start: 'rough', rough: { why: 'blow-up', index: top, value: vals[top], ratio: vals[top] / head } };
  }
  return tail < head ? { start: 'calm' } : { start: 'rough', rough: { why: 'no-fall' } };
}

function windowSig(s: Series, n: number): [number, number, number, number] {
  return [s.value(0), s.line(0), s.value(n - 1), s.line(n - 1)];
}

function sameSig(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Calm only when at least one run tells and every run that tells is calm. */
export function runsStartCalm(runs: readonly RunContext[] | undefined, t: Thresholds): boolean {
  const told = (runs ?? []).map((r) => earlyStart(r, t)).filter((s) => s !== 'unknown');
  return told.length > 0 && told.every((s) => s === 'calm');
}
