import * as path from 'path';

/**
 * Names of files that may hold a training config. Whether one really is a training config is decided
 * by reading it (readConfig returns undefined otherwise); this only keeps the walk and the watcher cheap.
 * JSON files that are logs (trainer_state.json, metrics.json, scalars.json) are not configs.
 */
const LOG_JSON = new Set(['trainer_state.json', 'metrics.json', 'scalars.json', 'all_results.json', 'train_results.json', 'eval_results.json']);

export function isConfigCandidate(file: string): boolean {
  const base = path.basename(file).toLowerCase();
  if (LOG_JSON.has(base)) return false;
  if (base === 'package.json' || base === 'package-lock.json' || base.startsWith('tsconfig')) return false;
  // A `.py` or `.ipynb` is a config when it is a training script (src/core/python/ decides).
  return base.endsWith('.yaml') || base.endsWith('.yml') || base.endsWith('.json') || base.endsWith('.jsonc') || base.endsWith('.py') || base.endsWith('.ipynb');
}
