/**
 * Divergence without NaN (issue 11), two more shapes of `loss-explosion`:
 *
 * - `relapse`: the loss came down, then gave back at least `giveBack` = half of what it had gained and
 *   stayed there to the end, at ≥ `relapseRatio` = 2× its best. The start-relative test (R14, ×1.5 the
 *   initial loss) misses a run that learned first and blew up later: 2.3 → 0.2 → 1.6 never passes 1.5 ×
 *   2.3. Both sides are on median-of-`smooth` values (§5 conventions), so a spike that recovers
 *   (json_list_grokking_slingshot's slingshot spikes, hf_codebert's noisy batches) is not a relapse.
 *   Half [proposal]: the loss then sits nearer where training began than where it got to.
 * - `unbounded`: a loss with no lower bound running to −∞ (a mis-specified likelihood, a sign error, a
 *   density evaluated off its support: −3.4e4 → −6.5e7). Negative and ≥ `absMax` (R14's 1e3) in size,
 *   and ≥ `unboundedFactor` = 10× the size of its start [proposal]: a negative log-likelihood that
 *   settles (a flow's bits/dim below 0) stays within a small factor of where it began.
 *
 * Both are scanned incrementally over new points only.
 */
import { advance } from '../run/incremental';
import type { Series } from '../run/series';
import { RollingMedian } from '../run/rolling-median';
import type { Thresholds } from './rule';

export interface RelapseScan {
  /** The last `smooth` finite values and how many were seen. */
  window: RollingMedian;
  seen: number;
  /** Median of the first `smooth` finite values. */
  initial: number;
  /** Lowest smoothed value and its index. */
  best: number;
  bestIdx: number;
  /** First index of the current stretch of smoothed values above the half-way level (−1: not above now). */
  aboveIdx: number;
  /** Smoothed value now. */
  now: number;
}

export function relapseScan(s: Series, begin: number, t: Thresholds): RelapseScan {
  const k = Math.max(1, Math.round(t.smooth));
  return advance(
    s,
    `relapse:${begin}:${k}:${t.giveBack}`,
    (): RelapseScan => ({ window: new RollingMedian(k), seen: 0, initial: NaN, best: Infinity, bestIdx: -1, aboveIdx: -1, now: NaN }),
    (st, a, b) => {
      // The state in locals for the loop (a 1 GB log's loss is ~10 M points; thresholds are a dictionary).
      const giveBack = t.giveBack;
      const w = st.window;
      let { seen, initial, best, bestIdx, aboveIdx, now } = st;
      for (let i = Math.max(a, begin); i < b; i++) {
        const v = s.value(i);
        if (!Number.isFinite(v)) continue;
        w.push(v);
        seen++;
        if (seen < k) continue;
        if (seen === k) initial = w.median();
        // The smoothed value m is only needed when it is a new best; else two counts tell m < best, m > level.
        if (w.medianBelow(best)) {
          best = w.median();
          bestIdx = i;
          aboveIdx = -1;
          continue;
        }
        if (w.medianAbove(best + giveBack * (initial - best))) {
          if (aboveIdx < 0) aboveIdx = i;
        } else aboveIdx = -1;
      }
      if (seen >= k) now = w.median();
      Object.assign(st, { seen, initial, best, bestIdx, aboveIdx, now });
    },
  );
}

/** Whether the scan reads as a relapse: learned first, then gave back `giveBack` of it for good. */
export function isRelapse(st: RelapseScan, t: Thresholds): boolean {
  if (st.seen < t.minPoints || st.aboveIdx < 0 || !(st.best > 0)) return false;
  if (!(st.initial > st.best)) return false;
  // The best must be a real gain, not the opening noise of a flat loss.
  if (!(st.initial >= t.relapseRatio * st.best)) return false;
  return st.now >= t.relapseRatio * st.best;
}

export interface UnboundedScan {
  /** The first `smooth` finite values. */
  window: RollingMedian;
  seen: number;
  /** Median of the first `smooth` finite values. */
  initial: number;
  /** First index where the loss went below −max(absMax, unboundedFactor·|initial|); −1: none. */
  hit: number;
  lowest: number;
  last: number;
}

export function unboundedScan(s: Series, begin: number, t: Thresholds): UnboundedScan {
  const k = Math.max(1, Math.round(t.smooth));
  return advance(
    s,
    `unbounded:${begin}:${k}:${t.absMax}:${t.unboundedFactor}`,
    (): UnboundedScan => ({ window: new RollingMedian(k), seen: 0, initial: NaN, hit: -1, lowest: Infinity, last: NaN }),
    (st, a, b) => {
      for (let i = Math.max(a, begin); i < b; i++) {
        const v = s.value(i);
        if (!Number.isFinite(v)) continue;
        st.last = v;
        if (v < st.lowest) st.lowest = v;
        if (st.seen < k) {
          st.window.push(v);
          st.seen++;
          if (st.seen === k) st.initial = st.window.median();
          continue;
        }
        st.seen++;
        if (st.hit < 0 && v < -Math.max(t.absMax, t.unboundedFactor * Math.abs(st.initial))) st.hit = i;
      }
    },
  );
}

/** Still running away at the end: the last value is within a factor 10 of the lowest (not a transient). */
export function isUnbounded(st: UnboundedScan): boolean {
  return st.hit >= 0 && st.last < 0 && st.last <= st.lowest / 10;
}
