import { advance } from '../run/incremental';
import type { Run } from '../run/run';
import type { RunProgress } from './types';

/** How far a run got: its last epoch and best validation loss, when logged. */
export function progressOf(run: Run): RunProgress {
  let lastEpoch = -Infinity;
  for (const name of run.names()) {
    const s = run.series(name);
    if (s && Number.isFinite(s.epoch(s.length - 1))) lastEpoch = Math.max(lastEpoch, s.epoch(s.length - 1));
  }
  const val = run.series('val_loss');
  // The lowest value so far, carried over appends (a status update costs the new points, not the series).
  const best = val
    ? advance(
        val,
        'query-best-value',
        () => ({ best: Infinity }),
        (st, a, b) => {
          for (let i = a; i < b; i++) if (val.value(i) < st.best) st.best = val.value(i);
        },
      ).best
    : Infinity;
  return { lastEpoch: Number.isFinite(lastEpoch) ? lastEpoch : undefined, bestValLoss: Number.isFinite(best) ? best : undefined };
}
