/**
 * Errors that are expected to repeat (a file that vanished between two reads, a request for a run
 * that is gone) are logged the first time each kind happens, with its context, and only counted
 * after that: the log stays readable and nothing is swallowed silently. No imports, so the server,
 * the client and the webview share it.
 */
export class OnceLog {
  private readonly counts = new Map<string, number>();

  constructor(private readonly write: (message: string) => void) {}

  /** Logs `error` under `kind` the first time `kind` is reported; counts the later ones. */
  report(kind: string, context: string, error: unknown): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n === 1) this.write(`${kind}: ${context}: ${messageOf(error)} (later ones of this kind are counted, not logged)`);
  }

  /** How many errors of each kind were reported, logged or not. */
  summary(): ReadonlyMap<string, number> {
    return this.counts;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
