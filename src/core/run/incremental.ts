/**
 * Per-series incremental state for rules that scan whole series: the state is advanced over the points
 * appended since the last call, so a rule re-run after an append costs time proportional to the new
 * points, not to the series. A series that shrank or changed under the scanned prefix (a file reset and
 * re-read) starts over.
 */
import type { Series } from './series';

interface Entry<T> {
  processed: number;
  /** The series' generation when scanned: points removed since (a reset file) mean starting over. */
  generation: number;
  /** Value and line of the first and the last processed point, to notice a rewritten prefix. */
  sig: [number, number, number, number];
  state: T;
}

const caches = new WeakMap<Series, Map<string, Entry<unknown>>>();

function sigOf(s: Series, processed: number): [number, number, number, number] {
  if (processed === 0) return [NaN, 0, NaN, 0];
  return [s.value(0), s.line(0), s.value(processed - 1), s.line(processed - 1)];
}

function sameSig(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (!(a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) return false;
  return true;
}

/**
 * The state of `key` on `s`, advanced to the series' current length: `init()` makes a fresh state,
 * `advance(state, from, to)` consumes points [from, to).
 */
export function advance<T>(s: Series, key: string, init: () => T, step: (state: T, from: number, to: number) => void): T {
  let byKey = caches.get(s);
  if (!byKey) {
    byKey = new Map();
    caches.set(s, byKey);
  }
  let e = byKey.get(key) as Entry<T> | undefined;
  if (!e || e.processed > s.length || e.generation !== s.generation || !sameSig(e.sig, sigOf(s, e.processed))) {
    e = { processed: 0, generation: s.generation, sig: sigOf(s, 0), state: init() };
    byKey.set(key, e as Entry<unknown>);
  }
  if (e.processed < s.length) {
    step(e.state, e.processed, s.length);
    e.processed = s.length;
    e.sig = sigOf(s, e.processed);
  }
  return e.state;
}

let versionCounter = 0;

/**
 * A token that changes whenever `s` gains points or has its read prefix rewritten (equal tokens: the
 * same points), for caching results computed from a whole series.
 */
export function versionOf(s: Series): number {
  return advance(
    s,
    'version',
    () => ({ v: ++versionCounter }),
    (st) => {
      st.v = ++versionCounter;
    },
  ).v;
}
