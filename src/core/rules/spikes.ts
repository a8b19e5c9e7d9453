/**
 * Spike detection shared by `loss-spike` (divergence) and `large-batch-early-instability`.
 *
 * R13 (ANALYZER_ANCHORS §5.6): over a trailing window w, z = (x − median)/(1.4826·MAD) > 6 and
 * x > 1.5·median; recovery = back within 10 % of the pre-spike median. w = 100, z = 6 and ×1.5 are the
 * table's [proposal] defaults; "no recovery in 500 steps" escalates.
 */
import type { Series } from '../run/series';
import { robustZ, SortedWindow } from '../run/stats';

export interface SpikeOptions {
  /** Trailing window, in logged points (R13 w = 100). */
  window: number;
  /** Points needed in the window before testing (so an opening transient is never a "spike"). */
  minWindow: number;
  /** Robust z-score threshold (R13: 6). */
  z: number;
  /** Ratio to the trailing median (R13: 1.5). */
  ratio: number;
  /** Recovered when back at or under median·(1 + recoveryRel) (R13: 10 %). */
  recoveryRel: number;
  /** Steps (or points when the series has no steps) allowed for recovery (R13: 500 steps). */
  recoverySteps: number;
  /** Only test indices in [from, to). */
  from?: number;
  to?: number;
}

export interface Spike {
  index: number;
  value: number;
  /** Trailing median before the spike. */
  median: number;
  z: number;
  /** value / median. */
  ratio: number;
  /** Index where the series came back, or -1. */
  recoveredAt: number;
  /** True when not recovered although the series went on for at least `recoverySteps` after it. */
  unrecovered: boolean;
  /** Consecutive points above the threshold merged into this spike. */
  length: number;
}

function pos(s: Series, i: number): number {
  const st = s.step(i);
  return Number.isFinite(st) ? st : i;
}

/** Spikes of a series. Runs of consecutive spiking points count as one spike (the highest point). */
export function detectSpikes(s: Series, o: SpikeOptions): Spike[] {
  const w = new SortedWindow(Math.max(2, o.window));
  const out: Spike[] = [];
  const from = o.from ?? 0;
  const to = Math.min(o.to ?? s.length, s.length);
  let open: Spike | undefined;
  for (let i = 0; i < to; i++) {
    const x = s.value(i);
    if (!Number.isFinite(x)) continue;
    let isSpike = false;
    if (i >= from && w.size >= o.minWindow) {
      const med = w.median();
      if (med > 0 && x > o.ratio * med) {
        const z = robustZ(x, med, w.mad(med));
        if (z > o.z) {
          isSpike = true;
          if (open && open.index + open.length === i) {
            open.length++;
            if (x > open.value) {
              open.value = x;
              open.z = z;
              open.ratio = x / open.median;
            }
          } else {
            open = { index: i, value: x, median: med, z, ratio: x / med, recoveredAt: -1, unrecovered: false, length: 1 };
            out.push(open);
          }
        }
      }
    }
    if (!isSpike && open && open.index + open.length === i) open = undefined;
    w.push(x);
  }
  // Recovery of each spike.
  for (const sp of out) {
    const limit = sp.median * (1 + o.recoveryRel);
    const start = pos(s, sp.index);
    let lastPos = start;
    for (let j = sp.index + sp.length; j < s.length; j++) {
      const v = s.value(j);
      lastPos = pos(s, j);
      if (lastPos - start > o.recoverySteps) break;
      if (Number.isFinite(v) && v <= limit) {
        sp.recoveredAt = j;
        break;
      }
    }
    sp.unrecovered = sp.recoveredAt < 0 && lastPos - start > o.recoverySteps;
  }
  return out;
}
