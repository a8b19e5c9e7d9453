/**
 * The highest point of a logged LR series, kept incrementally (`run/incremental.ts`): rules that ask
 * for the LR peak after every append pay for the new points only.
 */
import { advance } from '../run/incremental';
import type { Series } from '../run/series';

/** Index of the first highest value of `lr` (0 when the series opens with NaN and never beats it). */
export function peakOf(lr: Series): number {
  return advance(
    lr,
    'lr-peak',
    () => ({ peak: 0 }),
    (st, from, to) => {
      for (let i = Math.max(1, from); i < to; i++) if (lr.value(i) > lr.value(st.peak)) st.peak = i;
    },
  ).peak;
}
