/**
 * The median of the last `k` values pushed, kept sorted as they come: a push replaces the oldest
 * value by moving only the values ranked between it and the new one, O(k) moves and no allocation.
 * For the small smoothing windows of the rules (k ≈ 5) that is a few compares per point, where
 * sorting a fresh copy per point cost most of a 1 GB log's first rules pass (bench: 4 s of 6.8 s).
 *
 * `median()` is exactly `median(last k values)` of run/stats.ts: the same doubles, the same middle.
 */
export class RollingMedian {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private count = 0;
  private head = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`RollingMedian capacity ${capacity}`);
    this.ring = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a finite value, dropping the oldest once `capacity` values are held. */
  push(x: number): void {
    const cap = this.capacity;
    const a = this.sorted;
    const n = this.count;
    if (n < cap) {
      this.ring[(this.head + n) % cap] = x;
      this.count = n + 1;
      let j = n;
      for (; j > 0 && a[j - 1] > x; j--) a[j] = a[j - 1];
      a[j] = x;
      return;
    }
    const old = this.ring[this.head];
    this.ring[this.head] = x;
    this.head = this.head + 1 === cap ? 0 : this.head + 1;
    // Find (a copy of) `old`, then slide toward where `x` belongs.
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid] < old) lo = mid + 1;
      else hi = mid;
    }
    let j = lo;
    if (x > old) {
      for (; j + 1 < n && a[j + 1] < x; j++) a[j] = a[j + 1];
    } else {
      for (; j > 0 && a[j - 1] > x; j--) a[j] = a[j - 1];
    }
    a[j] = x;
  }

  /** Median of the values held (NaN when none). */
  median(): number {
    const n = this.count;
    if (n === 0) return NaN;
    const m = n >> 1;
    return n % 2 ? this.sorted[m] : (this.sorted[m - 1] + this.sorted[m]) / 2;
  }
}
