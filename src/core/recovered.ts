/**
 * Errors core code recovers from where a bug, not the input, is the likely cause: a config reader or a
 * fix writer that threw, a format's sniffer that threw. The analysis goes on (the config is not read,
 * the fix not offered), but the error must not vanish: the first error of each place is kept and handed
 * to whoever listens (the server's log, once), the rest only counted.
 */
type Listener = (where: string, message: string) => void;

const first = new Map<string, string>();
const counts = new Map<string, number>();
let listener: Listener | undefined;

export function recovered(where: string, err: unknown): void {
  counts.set(where, (counts.get(where) ?? 0) + 1);
  if (first.has(where)) return;
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  first.set(where, message);
  listener?.(where, message);
}

/** Hands every first error so far, then each new one, to `fn` (one listener: the host's log). */
export function onRecovered(fn: Listener | undefined): void {
  listener = fn;
  if (fn) for (const [where, message] of first) fn(where, message);
}

/** How often each place recovered (for tests and the server's info). */
export function recoveredCounts(): ReadonlyMap<string, number> {
  return counts;
}
