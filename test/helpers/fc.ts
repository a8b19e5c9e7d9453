import fc from 'fast-check';

/**
 * fast-check parameters every property of the suite uses, so a failure can be replayed:
 * - on failure the error names the seed and the counterexample's path, and the exact command
 *   (`FC_SEED=… FC_PATH=… npx mocha <file>`) that runs that counterexample again;
 * - `FC_SEED` (and optionally `FC_PATH`) in the environment replays it;
 * - fuzzers (`fuzz: true`) take their number of runs from `FUZZ_RUNS` (CI raises it), scaled by `share`
 *   for properties whose one run is costly (a folder written per run).
 */
export function fcParams<T>(defaultRuns: number, opts: { fuzz?: boolean; share?: number; minRuns?: number } = {}): fc.Parameters<T> {
  const seed = envInt('FC_SEED');
  const replayPath = process.env.FC_PATH?.trim() || undefined;
  return {
    numRuns: opts.fuzz ? fuzzRuns(defaultRuns, opts.share ?? 1, opts.minRuns ?? 1) : defaultRuns,
    ...(seed !== undefined ? { seed } : {}),
    ...(seed !== undefined && replayPath ? { path: replayPath } : {}),
    // One reporter for sync and async properties (fast-check refuses both a reporter and an asyncReporter).
    reporter: (details) => {
      if (!details.failed) return;
      throw new Error(replayMessage(details.seed, details.counterexamplePath, fc.defaultReportMessage(details) ?? ''));
    },
  };
}

/** Runs of a fuzzer: FUZZ_RUNS (default `defaultRuns`) × `share`, at least `minRuns`. */
export function fuzzRuns(defaultRuns: number, share = 1, minRuns = 1): number {
  const base = envInt('FUZZ_RUNS') ?? defaultRuns;
  return Math.max(minRuns, Math.floor(base * share));
}

function replayMessage(seed: number, counterexamplePath: string | null, report: string): string {
  const replay = counterexamplePath ? `FC_SEED=${seed} FC_PATH=${counterexamplePath}` : `FC_SEED=${seed}`;
  return `property failed (seed ${seed}, path ${counterexamplePath ?? 'none'}); replay with ${replay} npx mocha <this test file>\n${report}`;
}

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${name}=${raw} is not an integer`);
  return n;
}
