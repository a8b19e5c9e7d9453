/**
 * Every log format, format detection by content (and name), and which files are worth watching.
 */
import type { LogFormat } from './format';
import { plain } from './plain';
import { hfConsole } from './hf-console';
import { lightningCsv } from './lightning-csv';
import { kerasCsv } from './keras-csv';
import { timmCsv } from './timm-csv';
import { ultralyticsCsv } from './ultralytics-csv';
import { yoloResultsTxt } from './yolo-results-txt';
import { ultralyticsConsole } from './ultralytics-console';
import { fastaiCsv } from './fastai-csv';
import { genericCsv } from './generic-csv';
import { tsvTable } from './tsv-table';
import { hfTrainerState } from './hf-trainer-state';
import { jsonl } from './jsonl';
import { jsonHistory } from './json-history';
import { detectron2Json } from './detectron2-json';
import { mmengineJson } from './mmengine-json';
import { mmengineLog } from './mmengine-log';
import { llamafactoryJsonl } from './llamafactory-jsonl';
import { tensorboard } from './tensorboard';
import { mlflow, mlflowRunDir } from './mlflow';
import { baseName, pathParts } from './event';
import { recovered } from '../recovered';

/** In order of specificity: on equal confidence the earlier one wins. */
export const FORMATS: LogFormat[] = [
  tensorboard,
  hfTrainerState,
  jsonHistory,
  mlflow,
  llamafactoryJsonl,
  detectron2Json,
  mmengineJson,
  mmengineLog,
  ultralyticsCsv,
  yoloResultsTxt,
  ultralyticsConsole,
  lightningCsv,
  timmCsv,
  fastaiCsv,
  kerasCsv,
  hfConsole,
  genericCsv,
  tsvTable,
  jsonl,
  plain,
];

/**
 * The format of a file from its path and first bytes (decoded as latin1 or UTF-8; binary formats
 * sniff ASCII markers). The highest confidence above 0 wins; undefined when nothing matches.
 */
export function detectFormat(path: string, head: string): LogFormat | undefined {
  let best: LogFormat | undefined;
  let bestScore = 0;
  for (const f of FORMATS) {
    let s = 0;
    try {
      s = f.sniff(path, head);
    } catch (err) {
      recovered(`sniff ${f.id}`, err);
      s = 0; // a sniffer must never take detection down
    }
    if (s > bestScore) {
      best = f;
      bestScore = s;
    }
  }
  return best;
}

const NOT_LOGS = new Set([
  'requirements.txt', 'license.txt', 'readme.txt', 'cmakelists.txt', 'notice.txt', 'package.json', 'package-lock.json',
  'tsconfig.json', 'config.json', 'adapter_config.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt',
  'merges.txt', 'special_tokens_map.json', 'generation_config.json', 'debug.log', 'debug-internal.log',
]);
/**
 * A training history saved as one JSON document: Keras `json.dump(history.history, …)` files
 * (`history.json`, `training_history.json`, `model_history.json`) and lists of per-epoch records
 * (`training_log.json`, `train_log.json`). Being logs, they are not read as configs.
 */
const JSON_HISTORY = /^(?:(?:.*[_.-])?history|train(?:ing)?[_-]log)\.json$/;
/** YOLOv5 ≤ v5.0 / YOLOv7 `results.txt` (and the `results<name>.txt` copies its `--bucket` upload made). */
const YOLO_RESULTS = /^results[\w-]*\.txt$/;
const CSV_NOT_LOGS = /(?:^|[_-])(?:labels?|annotations?|dataset|train_data|test_data|submission|predictions?)(?:[_.-]|$)/;

/**
 * Names worth watching/walking: `*.log`, `*.txt` logs (and YOLO `results.txt`), `*.csv`, `*.tsv`, `trainer_state.json`, `*.jsonl`,
 * `metrics.json`, `scalars.json`, `*.log.json`, JSON histories (`*history.json`, `training_log.json`),
 * TensorBoard event files, MLflow metric files.
 * Excludes files that are known not to be logs. (Which folders are searched: core/files.)
 */
export function isLogCandidate(path: string): boolean {
  const parts = pathParts(path);
  const name = baseName(path);
  if (NOT_LOGS.has(name)) return false;
  if (name.includes('tfevents')) return true;
  if (isMlflowMetric(parts)) return true;
  if (name === 'trainer_state.json' || name === 'metrics.json' || name === 'scalars.json' || name.endsWith('.log.json')) return true;
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return true;
  if (JSON_HISTORY.test(name)) return true;
  if (name.endsWith('.csv')) return !CSV_NOT_LOGS.test(name);
  if (name.endsWith('.tsv')) return !CSV_NOT_LOGS.test(name);
  if (name.endsWith('.log') || name.endsWith('.out')) return true;
  if (name.endsWith('.txt')) return /(?:log|train|output|stdout|history|metrics|progress|console)/.test(name) || YOLO_RESULTS.test(name);
  return false;
}

/** A metric file of an MLflow run (by its place in the run's folder). */
export function isMlflowMetricPath(path: string): boolean {
  return isMlflowMetric(pathParts(path));
}

function isMlflowMetric(parts: readonly string[]): boolean {
  const m = parts.lastIndexOf('mlruns');
  if (m >= 0 && parts[m + 3] === 'metrics' && parts.length > m + 4) return true;
  // A run copied out of `mlruns/`: `<run>/metrics/<key>` next to `params/` (not knowable from the
  // path alone), so only accept extension-less names directly under a `metrics` folder path.
  const i = parts.indexOf('metrics');
  const depth = parts.length - 1 - i;
  return i > 0 && depth >= 1 && depth <= 3 && !parts[parts.length - 1].includes('.');
}

/**
 * The run a file belongs to: an MLflow metric file → its run directory; a TensorBoard file under
 * `train/` or `validation/` (Keras) → the parent of that folder; otherwise the file itself.
 */
export function runKeyOf(path: string): string {
  const parts = pathParts(path);
  const name = parts[parts.length - 1].toLowerCase();
  if (isMlflowMetric(parts)) {
    const dir = mlflowRunDir(path);
    if (dir !== undefined) return dir;
  }
  if (name.includes('tfevents') && parts.length >= 3) {
    const dir = parts[parts.length - 2].toLowerCase();
    if (dir === 'train' || dir === 'validation' || dir === 'val' || dir === 'eval') {
      const sep = path.includes('/') ? '/' : '\\';
      return parts.slice(0, -2).join(sep);
    }
  }
  return path;
}
