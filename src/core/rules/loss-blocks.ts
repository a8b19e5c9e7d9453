/**
 * A compact, incrementally kept summary of a long series: at most `MAX_BLOCKS` consecutive blocks of
 * equal size, each holding the mean of its finite values. When the blocks are full, neighbours are merged
 * pairwise and the block size doubles, so an append costs O(1) amortised and a reader scans at most
 * `MAX_BLOCKS` numbers whatever the length of the log (ARCHITECTURE.md, "Appends are incremental").
 * Means of blocks also smooth the batch-to-batch noise a per-step loss carries.
 */
import { advance } from '../run/incremental';
import type { Series } from '../run/series';

export const MAX_BLOCKS = 256;

export interface Block {
  /** Mean of the block's finite values (NaN when it has none). */
  mean: number;
  /** Index in the series of the block's first and last point. */
  first: number;
  last: number;
  /** Finite values averaged. */
  count: number;
  /** Non-finite values met (NaN, ±Infinity). */
  nonFinite: number;
}

interface BlockState {
  size: number;
  done: Block[];
  open: { sum: number; count: number; nonFinite: number; first: number; points: number } | undefined;
}

function closed(b: { sum: number; count: number; nonFinite: number; first: number }, last: number): Block {
  return { mean: b.count ? b.sum / b.count : NaN, first: b.first, last, count: b.count, nonFinite: b.nonFinite };
}

function mergePairs(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i + 1 < blocks.length; i += 2) {
    const a = blocks[i];
    const b = blocks[i + 1];
    const count = a.count + b.count;
    const sum = (a.count ? a.mean * a.count : 0) + (b.count ? b.mean * b.count : 0);
    out.push({ mean: count ? sum / count : NaN, first: a.first, last: b.last, count, nonFinite: a.nonFinite + b.nonFinite });
  }
  return out;
}

/** The completed blocks of `s` (a trailing partial block is left out until it fills). */
export function blocksOf(s: Series): readonly Block[] {
  const st = advance<BlockState>(
    s,
    'loss-blocks',
    () => ({ size: 1, done: [], open: undefined }),
    (state, from, to) => {
      for (let i = from; i < to; i++) {
        const v = s.value(i);
        const o = (state.open ??= { sum: 0, count: 0, nonFinite: 0, first: i, points: 0 });
        o.points++;
        if (Number.isFinite(v)) {
          o.sum += v;
          o.count++;
        } else o.nonFinite++;
        if (o.points < state.size) continue;
        state.done.push(closed(o, i));
        state.open = undefined;
        if (state.done.length >= MAX_BLOCKS) {
          state.done = mergePairs(state.done);
          state.size *= 2;
        }
      }
    },
  );
  return st.done;
}
