/**
 * Indices to keep so that every bucket's min and max survive (a spike is never averaged away),
 * plus the first and last point. Non-finite values are kept: they are what a user must see.
 */
export function decimate(values: { readonly length: number; value(i: number): number }, max: number): number[] {
  const n = values.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.floor(max / 2);
  const out: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * n) / buckets);
    const hi = Math.floor(((b + 1) * n) / buckets);
    let iMin = -1;
    let iMax = -1;
    let odd = -1;
    for (let i = lo; i < hi; i++) {
      const v = values.value(i);
      if (!Number.isFinite(v)) {
        if (odd < 0) odd = i;
        continue;
      }
      if (iMin < 0 || v < values.value(iMin)) iMin = i;
      if (iMax < 0 || v > values.value(iMax)) iMax = i;
    }
    const keep = [iMin, iMax, odd].filter((i) => i >= 0).sort((a, b) => a - b);
    for (const i of keep) if (out[out.length - 1] !== i) out.push(i);
  }
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}
