import * as path from 'path';

/**
 * Names of files that may hold a training config. Whether one really is a training config is decided
 * by reading it (readConfig returns undefined otherwise); this only keeps the walk and the watcher cheap.
 * JSON files that are logs (trainer_state.json, metrics.json, scalars.json) are not configs.
 */
const LOG_JSON = new Set(['trainer_state.json', 'metrics.json', 'scalars.json', 'all_results.json', 'train_results.json', 'eval_results.json']);
/**
 * Files of a W&B run folder that are neither the run's config (`files/config.yaml` is) nor a log:
 * `wandb-summary.json` holds the last value of each metric (one point per series, nothing a rule can
 * judge a curve from; in INDEX entry 34 it is 802 KB of gradient histograms with a bare `NaN` token),
 * `wandb-metadata.json` the host, git state and command line.
 */
const WANDB_RECORDS = new Set(['wandb-summary.json', 'wandb-metadata.json']);

export function isConfigCandidate(file: string): boolean {
  const base = path.basename(file).toLowerCase();
  if (LOG_JSON.has(base) || WANDB_RECORDS.has(base)) return false;
  if (base === 'package.json' || base === 'package-lock.json' || base.startsWith('tsconfig')) return false;
  // A `.py` or `.ipynb` is a config when it is a training script (src/core/python/ decides).
  // A `.sh` is a config when it launches a training script with arguments (frameworks/launch decides).
  return (
    base.endsWith('.yaml') || base.endsWith('.yml') || base.endsWith('.json') || base.endsWith('.jsonc') || base.endsWith('.py') || base.endsWith('.ipynb') || base.endsWith('.sh')
  );
}
