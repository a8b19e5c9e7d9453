import { mad } from '../../../src/core/run/stats';

/**
 * The trailing window of the R13 spike scan as first defined: a sorted copy of the last `capacity`
 * values, median and MAD recomputed from it. The product scans with the faster window of
 * src/core/rules/spikes.ts; tests keep this one as the definition it must match.
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
