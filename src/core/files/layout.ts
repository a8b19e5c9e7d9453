/**
 * The one answer to "what is this file to traindx": a log, a training config, or neither; the run a
 * log belongs to; the configs a log may read. The CLI walk (files/walk.ts), the server's watcher and
 * the analysis workspace all ask here, so they agree on every path.
 *
 * What a file is depends on its name only. Which folders are searched is a separate rule
 * (skipped-folders.ts) applied while discovering files under a root: a file named on the command line
 * or opened in the editor is read wherever it is.
 */
import * as path from 'path';
import { isConfigCandidate } from '../config/config-candidates';
import { isNotebookFile } from '../python/notebook';
import { isLogCandidate, isMlflowMetricPath, runKeyOf as runKeyOfPath } from '../formats/registry';

export { isSkippedFolder } from './skipped-folders';

export type FileKind = 'log' | 'config';

/** A log (by its name or, for MLflow, its place in a run), a config, or neither (undefined). */
export function kindOf(file: string): FileKind | undefined {
  if (isLogCandidate(file)) return 'log';
  // Names of both kinds (`*.log.json`, `trainer_state.json`) are logs.
  if (isConfigCandidate(file)) return 'config';
  return undefined;
}

/**
 * A config that is a log too: a notebook (`.ipynb`) is its code cells (a training script) and its saved
 * outputs (what the training printed). Read as a config first, then as a log.
 */
export function isLogToo(file: string): boolean {
  return isNotebookFile(file);
}

export function isLogFile(file: string): boolean {
  return kindOf(file) === 'log';
}

export function isConfigFile(file: string): boolean {
  return kindOf(file) === 'config';
}

/**
 * The run a log belongs to, named by a path: an MLflow metric file → its run folder; a TensorBoard
 * file under `train/`, `validation/`, `val/` or `eval/` (Keras) → the folder above; otherwise the log
 * itself.
 */
export function runKeyOf(logFile: string): string {
  return runKeyOfPath(logFile);
}

/**
 * How many folders a log's config is looked for in: the log's own and the three above it (a
 * Lightning `<run>/lightning_logs/version_0/metrics.csv` reads `<run>/config.yaml`, two up).
 */
export const CONFIG_SEARCH_DEPTH = 4;

/** The folders whose configs a log may read, nearest first (CONFIG_SEARCH_DEPTH of them at most). */
export function configFoldersOf(logFile: string): string[] {
  const out: string[] = [];
  let dir = path.dirname(logFile);
  for (let depth = 0; depth < CONFIG_SEARCH_DEPTH; depth++) {
    out.push(dir);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}

/**
 * The `params/` folder of the MLflow run an MLflow metric file belongs to (one file per param: the
 * run's config, read by config/mlflow-params.ts). Undefined for any other log: a TensorBoard run
 * folder (the run key of `<run>/train/events…`) is not an MLflow run, whatever `params/` it holds.
 */
export function mlflowParamsFolderOf(logFile: string): string | undefined {
  if (!isMlflowMetricPath(logFile)) return undefined;
  const run = runKeyOfPath(logFile);
  return run !== logFile ? path.join(run, 'params') : undefined;
}
