/**
 * Spike detection shared by `loss-spike` (divergence) and `large-batch-early-instability`.
 *
 * R13 (ANALYZER_ANCHORS §5.6): over a trailing window w, z = (x − median)/(1.4826·MAD) > 6 and
 * x > 1.5·median; recovery = back within 10 % of the pre-spike median. w = 100, z = 6 and ×1.5 are the
 * table's [proposal] defaults; "no recovery in 500 steps" escalates. The trailing MAD is refreshed every
 * w/10 points (cost: one sort per 10 points instead of one per candidate).
 */
import type { Series } from '../run/series';
import { advance } from '../run/incremental';
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

interface ScanState {
  w: SortedWindow;
  spikes: Spike[];
  open?: Spike;
}

function scanRange(s: Series, o: SpikeOptions, st: ScanState, a: number, b: number, from: number): void {
  const w = st.w;
  for (let i = a; i < b; i++) {
    const x = s.value(i);
    if (!Number.isFinite(x)) continue;
    let isSpike = false;
    if (i >= from && w.size >= o.minWindow) {
      const med = w.median();
      if (med > 0 && x > o.ratio * med) {
        const z = robustZ(x, med, w.recentMad(Math.max(1, Math.floor(o.window / 10))));
        if (z > o.z) {
          isSpike = true;
          const open = st.open;
          if (open && open.index + open.length === i) {
            open.length++;
            if (x > open.value) {
              open.value = x;
              open.z = z;
              open.ratio = x / open.median;
            }
          } else {
            st.open = { index: i, value: x, median: med, z, ratio: x / med, recoveredAt: -1, unrecovered: false, length: 1 };
            st.spikes.push(st.open);
          }
        }
      }
    }
    if (!isSpike && st.open && st.open.index + st.open.length === i) st.open = undefined;
    w.push(x);
  }
}

/**
 * Spikes of a series. Runs of consecutive spiking points count as one spike (the highest point).
 * Without `to`, the scan is incremental (run/incremental.ts): a re-run after an append only reads the
 * new points; recovery is re-checked only for spikes not yet resolved. Do not modify the result.
 */
export function detectSpikes(s: Series, o: SpikeOptions): readonly Spike[] {
  const from = o.from ?? 0;
  const fresh = (): ScanState => ({ w: new SortedWindow(Math.max(2, o.window)), spikes: [] });
  let st: ScanState;
  if (o.to === undefined) {
    const key = `spikes:${o.window}:${o.minWindow}:${o.z}:${o.ratio}:${o.recoveryRel}:${o.recoverySteps}:${from}`;
    st = advance(s, key, fresh, (state, a, b) => scanRange(s, o, state, a, b, from));
  } else {
    st = fresh();
    scanRange(s, o, st, 0, Math.min(o.to, s.length), from);
  }
  for (const sp of st.spikes) {
    if (sp.recoveredAt >= 0 || sp.unrecovered) continue;
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
  return st.spikes;
}
