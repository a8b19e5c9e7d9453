/**
 * The last `k` values pushed, for the rules' small smoothing windows (k ≈ 5) scanned over every point
 * of a loss: a push is one store, and "is the median below / above x" is a count over the window (for
 * odd k the median is below x exactly when more than half the values are), so the median itself is
 * sorted out only when its value is needed. Sorting a copy of the window per point cost most of a
 * 1 GB log's first rules pass (bench: 4 s of 6.8 s); keeping it sorted per push still ~50 ns a point.
 *
 * `median()` is exactly `median(last k values)` of run/stats.ts: the same doubles, the same middle.
 */
import { median } from './stats';

export class RollingMedian {
  private readonly ring: Float64Array;
  private count = 0;
  private head = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`RollingMedian capacity ${capacity}`);
    this.ring = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a finite value, dropping the oldest once `capacity` values are held. */
  push(x: number): void {
    this.ring[this.head] = x;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    if (this.count < this.capacity) this.count++;
  }

  /** Median of the values held (NaN when none). */
  median(): number {
    return median(this.held());
  }

  /** `median() < x`, without sorting when the count is odd. */
  medianBelow(x: number): boolean {
    const n = this.count;
    if (n === 0 || n % 2 === 0) return this.median() < x;
    const r = this.ring;
    let below = 0;
    for (let i = 0; i < n; i++) if (r[i] < x) below++;
    return below > n >> 1;
  }

  /** `median() > x`, without sorting when the count is odd. */
  medianAbove(x: number): boolean {
    const n = this.count;
    if (n === 0 || n % 2 === 0) return this.median() > x;
    const r = this.ring;
    let above = 0;
    for (let i = 0; i < n; i++) if (r[i] > x) above++;
    return above > n >> 1;
  }

  /** The values held, oldest first. */
  private held(): Float64Array {
    const n = this.count;
    const out = new Float64Array(n);
    const start = n < this.capacity ? 0 : this.head;
    for (let i = 0; i < n; i++) out[i] = this.ring[(start + i) % this.capacity];
    return out;
  }
}
