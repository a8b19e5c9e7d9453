/**
 * `traindx check` on many runs: the runs are split into independent parts (core/analyze.ts
 * partitionFiles: a run's logs, the configs they read and their sibling runs stay together, so ensemble
 * groups are whole in one part) and each part is analysed in a worker thread; the results are merged in
 * the order one analysis of everything gives, so the output is the same byte for byte.
 *
 * The worker is this same file (the dist/cli.js bundle, or out/src/cli/parallel.js under tests),
 * started with `workerData.traindxPart`.
 */
import * as fs from 'fs';
import * as os from 'os';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { analyzePart, countRuns, mergeParts, partitionFiles, walkAnalyzable, type AnalysisPart, type AnalysisResult, type AnalyzeOptions, type PartResult } from '../core/analyze';
import type { AnalyzerOptions } from '../core/workspace';

/** Fewer runs than this are analysed on the main thread (starting workers costs ~ 50 ms each). */
export const MIN_RUNS_FOR_WORKERS = 8;
/** More workers than this buy little: the main thread's walk and merge stay serial. */
const MAX_WORKERS = 8;

interface PartJob {
  traindxPart: AnalysisPart;
  options: AnalyzerOptions;
}

/**
 * How many workers to use for `runs` runs: none below MIN_RUNS_FOR_WORKERS or on one CPU; else one per
 * CPU up to MAX_WORKERS. `TRAINDX_WORKERS=n` overrides (0 or 1: no workers).
 */
export function workerCount(runs: number, env: NodeJS.ProcessEnv = process.env): number {
  const forced = env.TRAINDX_WORKERS;
  if (forced !== undefined && forced.trim() !== '' && Number.isInteger(Number(forced))) return Math.max(0, Number(forced));
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (runs < MIN_RUNS_FOR_WORKERS || cpus < 2) return 0;
  return Math.min(cpus, MAX_WORKERS);
}

/** analyzePaths, with the runs spread over `workers` threads (the default: workerCount). */
export async function analyzePathsParallel(paths: readonly string[], options: AnalyzeOptions = {}, workers?: number): Promise<AnalysisResult & { workers: number }> {
  const walk = await walkAnalyzable(paths, options);
  const n = workers ?? workerCount(countRuns(walk.files));
  const analyzer: AnalyzerOptions = { thresholds: options.thresholds, disabled: options.disabled, severity: options.severity };
  const parts = partitionFiles(walk.files, Math.max(1, n), sizeOf);
  if (n < 2 || parts.length < 2) {
    const all = parts.length === 1 ? parts[0] : { logs: parts.flatMap((p) => p.logs), configs: parts.flatMap((p) => p.configs) };
    return { ...mergeParts(walk, [await analyzePart(all, analyzer)]), workers: 0 };
  }
  const results = await Promise.all(parts.map((part) => runPart(part, analyzer)));
  return { ...mergeParts(walk, results), workers: parts.length };
}

/** Bytes of a log (the work its analysis costs), a small constant for a config or an unreadable file. */
function sizeOf(file: string): number {
  try {
    return Math.max(4096, fs.statSync(file).size);
  } catch {
    return 4096; // gone or unreadable: the worker that reads it says so; here it only weighs the split
  }
}

function runPart(part: AnalysisPart, options: AnalyzerOptions): Promise<PartResult> {
  return new Promise((resolve, reject) => {
    const job: PartJob = { traindxPart: part, options };
    const w = new Worker(__filename, { workerData: job });
    let done = false;
    w.once('message', (r: PartResult) => {
      done = true;
      resolve(r);
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (!done) reject(new Error(`analysis worker exited with code ${code} before answering`));
    });
  });
}

/** True in a worker thread started by runPart (the CLI's entry must not run there). */
export const isAnalysisWorker = !isMainThread && Boolean((workerData as Partial<PartJob> | null)?.traindxPart);

if (isAnalysisWorker) {
  const job = workerData as PartJob;
  analyzePart(job.traindxPart, job.options).then(
    (r) => parentPort?.postMessage(r),
    (e: unknown) => {
      throw e;
    },
  );
}
