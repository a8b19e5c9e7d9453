/**
 * Spike detection shared by `loss-spike` (divergence) and `large-batch-early-instability`.
 *
 * R13 (ANALYZER_ANCHORS §5.6): over a trailing window w, z = (x − median)/(1.4826·MAD) > 6 and
 * x > 1.5·median; recovery = back within 10 % of the pre-spike median. w = 100, z = 6 and ×1.5 are the
 * table's [proposal] defaults; "no recovery in 500 steps" escalates. The trailing MAD is refreshed every
 * w/10 points (cost: one O(w) walk over the sorted window per 10 points instead of one per candidate).
 */
import type { Series } from '../run/series';
import { advance } from '../run/incremental';
import { madOfSorted, robustZ } from '../run/stats';

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

/**
 * The trailing window of the scan: the same contents, median and MAD as the reference
 * `SortedWindow` (test/unit/run/sorted-window.ts), so the same spikes,
 * built for the cold pass over millions of points:
 * - The sorted copy is only built when a point could be a spike. A point at or under `ratio` × the
 *   window's minimum (kept by a monotonic deque) cannot exceed `ratio` × the median, which is the
 *   first test, so on a calm loss nearly every point costs O(1).
 * - When points often need the median (a noisy, near-zero loss), the sorted copy is kept up to date
 *   instead, a full window replacing its oldest value in one move through it (only the values ranked
 *   between the old and the new one shift).
 */
class TrailingWindow {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private count = 0;
  private head = 0;
  private pushes = 0;
  private madValue = NaN;
  private madAge = 0;
  /** Sorted copy maintained on every push (else rebuilt on demand when `stale`). */
  private eager = false;
  private stale = true;
  private rebuilds = 0;
  /** Monotonic deque of (value, push number) for the window minimum. */
  private readonly dqVal: Float64Array;
  private readonly dqSeq: Float64Array;
  private dqHead = 0;
  private dqLen = 0;

  constructor(readonly capacity: number) {
    this.ring = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
    this.dqVal = new Float64Array(capacity);
    this.dqSeq = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /**
   * False only when `x > ratio · median` is impossible with a positive median (x ≤ ratio · min with
   * min > 0, and rounding is monotone), i.e. when the spike test would fail anyway.
   */
  mayExceed(x: number, ratio: number): boolean {
    if (this.eager || ratio <= 0 || this.dqLen === 0) return true;
    const min = this.dqVal[this.dqHead];
    return !(min > 0 && x <= ratio * min);
  }

  push(x: number): void {
    const seq = ++this.pushes;
    const cap = this.capacity;
    const n = this.count;
    let old = NaN;
    if (n === cap) {
      old = this.ring[this.head];
      this.ring[this.head] = x;
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
    } else {
      this.ring[(this.head + n) % cap] = x;
      this.count = n + 1;
    }
    if (!this.eager) {
      this.stale = true;
      // Window minimum: drop what left the window, then larger values behind the new one.
      if (this.dqLen > 0 && this.dqSeq[this.dqHead] <= seq - cap) {
        this.dqHead = this.dqHead + 1 === cap ? 0 : this.dqHead + 1;
        this.dqLen--;
      }
      while (this.dqLen > 0) {
        const back = (this.dqHead + this.dqLen - 1) % cap;
        if (this.dqVal[back] < x) break;
        this.dqLen--;
      }
      const at = (this.dqHead + this.dqLen) % cap;
      this.dqVal[at] = x;
      this.dqSeq[at] = seq;
      this.dqLen++;
      return;
    }
    const a = this.sorted;
    if (n === cap) {
      // Index of (a copy of) `old` in the sorted values, then move toward where `x` belongs.
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (a[mid] < old) lo = mid + 1;
        else hi = mid;
      }
      let j = lo;
      if (x > old) {
        while (j + 1 < n && a[j + 1] < x) {
          a[j] = a[j + 1];
          j++;
        }
      } else {
        while (j > 0 && a[j - 1] > x) {
          a[j] = a[j - 1];
          j--;
        }
      }
      a[j] = x;
      return;
    }
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    for (let k = n; k > lo; k--) a[k] = a[k - 1];
    a[lo] = x;
  }

  private fresh(): Float64Array {
    if (!this.eager && this.stale) {
      const a = this.sorted.subarray(0, this.count);
      a.set(this.ring.subarray(0, this.count));
      a.sort();
      this.stale = false;
      // Needed for more than one point in eight: keep it sorted from now on.
      if (++this.rebuilds * 8 > this.pushes && this.pushes >= 1024) this.eager = true;
    }
    return this.sorted;
  }

  median(): number {
    const n = this.count;
    if (n === 0) return NaN;
    const s = this.fresh();
    const m = n >> 1;
    return n % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** As the reference SortedWindow.recentMad: the MAD around the median, recomputed at most every `every` pushes. */
  recentMad(every: number): number {
    if (Number.isNaN(this.madValue) || this.pushes - this.madAge >= every) {
      this.madValue = madOfSorted(this.fresh(), this.count, this.median());
      this.madAge = this.pushes;
    }
    return this.madValue;
  }
}

interface ScanState {
  w: TrailingWindow;
  spikes: Spike[];
  open?: Spike;
}

function scanRange(s: Series, o: SpikeOptions, st: ScanState, a: number, b: number, from: number): void {
  const w = st.w;
  for (let i = a; i < b; i++) {
    const x = s.value(i);
    if (!Number.isFinite(x)) continue;
    let isSpike = false;
    if (i >= from && w.size >= o.minWindow && w.mayExceed(x, o.ratio)) {
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
  const fresh = (): ScanState => ({ w: new TrailingWindow(Math.max(2, o.window)), spikes: [] });
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
