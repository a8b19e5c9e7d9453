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

/**
 * `mad(sorted.subarray(0, n), center)` for `n` finite values sorted ascending, without a copy or a sort:
 * the deviations fall away from `center` on both sides, so the middle ones are found by merging the two
 * runs outward from it, O(n). The deviations are the same doubles as `mad`'s (|x − c| = |c − x| exactly),
 * hence the same result — the spike scan's trailing MAD depends on that.
 */
export function madOfSorted(sorted: ArrayLike<number>, n: number, center: number): number {
  if (n === 0) return NaN;
  // r: first value at or above the center; the walk takes the smaller deviation from r or r − 1.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < center) lo = mid + 1;
    else hi = mid;
  }
  let l = lo - 1;
  let r = lo;
  const m = n >> 1;
  let prev = NaN;
  let cur = NaN;
  for (let k = 0; k <= m; k++) {
    const dl = l >= 0 ? Math.abs(sorted[l] - center) : Infinity;
    const dr = r < n ? Math.abs(sorted[r] - center) : Infinity;
    prev = cur;
    if (dr <= dl) {
      cur = dr;
      r++;
    } else {
      cur = dl;
      l--;
    }
  }
  return n % 2 ? cur : (prev + cur) / 2;
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
