/**
 * Small robust statistics used by the rules. Plain loops over numbers, no allocation beyond what the
 * caller hands in, so they stay cheap when rules re-run after every append.
 */

/** Median of the finite values of `xs` (NaN when there are none). Does not modify `xs`. */
export function median(xs: ArrayLike<number>): number {
  const a: number[] = [];
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) a.push(xs[i]);
  if (a.length === 0) return NaN;
  a.sort((p, q) => p - q);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/** Median absolute deviation around `center` (unscaled). */
export function mad(xs: ArrayLike<number>, center: number): number {
  const d: number[] = [];
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) d.push(Math.abs(xs[i] - center));
  return median(d);
}

/** Mean of the finite values (NaN when there are none). */
export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    if (Number.isFinite(xs[i])) {
      s += xs[i];
      n++;
    }
  }
  return n ? s / n : NaN;
}

/** Sample standard deviation (n − 1) of the finite values; NaN under two values. */
export function std(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    if (Number.isFinite(xs[i])) {
      s += (xs[i] - m) ** 2;
      n++;
    }
  }
  return n > 1 ? Math.sqrt(s / (n - 1)) : NaN;
}

/** Scale factor that makes the MAD a consistent estimator of the standard deviation (normal data). */
export const MAD_TO_SIGMA = 1.4826;

/**
 * Robust z-score of `x` against a baseline (median, MAD). The MAD is floored at `floorRel`·|median|
 * so that a perfectly flat baseline (MAD 0) does not make every tiny wiggle infinitely significant.
 */
export function robustZ(x: number, med: number, madValue: number, floorRel = 0.01): number {
  const scale = MAD_TO_SIGMA * Math.max(madValue, Math.abs(med) * floorRel, 1e-12);
  return (x - med) / scale;
}

/**
 * Keeps a sorted copy of the last `capacity` values pushed, for trailing medians in O(capacity) per
 * push (binary search + shift) instead of a sort per point.
 */
export class SortedWindow {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private count = 0;
  private head = 0;

  constructor(readonly capacity: number) {
    this.ring = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(x: number): void {
    this.pushes++;
    if (this.count === this.capacity) {
      this.removeSorted(this.ring[this.head]); // count − 1
      this.ring[this.head] = x;
      this.head = (this.head + 1) % this.capacity;
    } else {
      this.ring[(this.head + this.count) % this.capacity] = x;
    }
    this.count++;
    this.insertSorted(x);
  }

  median(): number {
    const n = this.count;
    if (n === 0) return NaN;
    const m = n >> 1;
    return n % 2 ? this.sorted[m] : (this.sorted[m - 1] + this.sorted[m]) / 2;
  }

  /** MAD around `center`; O(n log n), call only for candidates. */
  mad(center: number): number {
    return mad(this.sorted.subarray(0, this.count), center);
  }

  private madValue = NaN;
  private madAge = 0;

  /**
   * The MAD around the current median, recomputed at most every `every` pushes: on a noisy baseline
   * many points are candidates and an exact MAD per candidate would cost a sort each; the trailing MAD
   * moves slowly, so a value at most `every` points old is used.
   */
  recentMad(every: number): number {
    if (Number.isNaN(this.madValue) || this.pushes - this.madAge >= every) {
      this.madValue = this.mad(this.median());
      this.madAge = this.pushes;
    }
    return this.madValue;
  }

  private pushes = 0;

  private insertSorted(x: number): void {
    // count already includes x when called after push's bookkeeping; the filled part is count-1 long.
    const n = this.count - 1;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    const a = this.sorted;
    for (let k = n; k > lo; k--) a[k] = a[k - 1];
    a[lo] = x;
  }

  private removeSorted(x: number): void {
    const n = this.count;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    const a = this.sorted;
    for (let k = lo; k < n - 1; k++) a[k] = a[k + 1];
    this.count--;
  }
}

/** Number formatting for messages: 3 significant digits, exponent form for very small/large values. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) {
    const s = x.toExponential(2);
    return s.replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  return String(Number(x.toPrecision(3)));
}

/** Percentage with no decimals (`0.7666` → `77%`). */
export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** Epoch for messages: integers as is, fractional epochs with two decimals. */
export function fmtEpoch(e: number): string {
  if (!Number.isFinite(e)) return '?';
  return Number.isInteger(e) ? String(e) : e.toFixed(2);
}
