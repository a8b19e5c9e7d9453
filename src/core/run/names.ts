/**
 * Maps the metric names that frameworks write onto the canonical names of `types.ts`.
 *
 * Decisions (each one is a trade-off, so it is written down here):
 * - Matching is case-insensitive and treats `/`, `-`, `.` and spaces like `_` (`val/loss` = `val_loss`,
 *   `Loss` = `loss`), except for the learning-rate-monitor patterns, which are matched as written.
 * - Lightning `self.log(..., on_step=True, on_epoch=True)` writes `x_step` and `x_epoch`. `x_epoch` is
 *   the per-epoch aggregate, the same granularity other frameworks log, so it becomes the canonical
 *   name; `x_step` keeps its raw name, because mixing per-step and per-epoch values in one series would
 *   make a noisy step value look like an epoch trend (and double-count epochs).
 * - Only the first parameter group's LR becomes `lr`: `lr/pg0` (Ultralytics, 0-based), `x/lr0`
 *   (YOLOv5), `lr-<Opt>` and `lr-<Opt>/pg1` (Lightning's LearningRateMonitor numbers groups from 1).
 *   Other groups (`lr/pg1`, `lr-Adam/pg2`) and a second optimizer of the same type (`lr-Adam-1`) keep
 *   their raw names, so one series never interleaves two schedules. Caveat: in YOLO runs group 0 is
 *   the bias group, whose warmup starts at `warmup_bias_lr` and *decreases* during warmup.
 * - `base_lr` (mmengine's un-scheduled LR), `min_lr`, `lr-Adam-momentum` are not `lr`.
 * - `test_*` is not `val_*`: a final test row (Lightning `test_loss`) would otherwise add a point
 *   after the last validation epoch.
 * - camelCase and PascalCase spellings are the same words (`ValLoss`, `TrainLoss`, `valAcc`,
 *   `learningRate`): a name not found as written is looked up again split at its case changes. A
 *   metric written after its phase (`loss_val`, TensorBoard's `Loss/train`, `Accuracy/val`) is the
 *   same as the phase first. What becomes `val_loss` must say val/valid/validation/eval and loss
 *   (property-tested in test/unit/run/names-property.test.ts).
 * - Accuracy values are kept as written (timm `eval_top1` and Ultralytics `metrics/accuracy_top1` are
 *   percentages resp. fractions); rules must compare within one series only.
 */
import type { CanonicalMetric } from '../types';

const ALIASES: ReadonlyArray<readonly [CanonicalMetric, readonly string[]]> = [
  [
    'lr',
    [
      'lr',
      'learning_rate',
      'learningrate',
      'train_learning_rate',
      'train_lr',
      'epoch_learning_rate',
      'epoch_lr',
      'x_lr0',
      'lr_pg0',
    ],
  ],
  [
    'train_loss',
    [
      'loss',
      'train_loss',
      'training_loss',
      'train_loss_epoch',
      'loss_epoch',
      'total_loss',
      'epoch_loss',
      'avg_loss',
      'train_avg_loss',
      'train_total_loss',
      'trn_loss',
      'loss_train',
      'loss_training',
      'average_loss',
      'train_average_loss',
    ],
  ],
  [
    'val_loss',
    [
      'val_loss',
      'valid_loss',
      'validation_loss',
      'eval_loss',
      'val_loss_epoch',
      'valid_loss_epoch',
      'validation_loss_epoch',
      'eval_loss_epoch',
      'epoch_val_loss',
      'val_avg_loss',
      'val_total_loss',
      'val_average_loss',
      'valid_average_loss',
      'eval_average_loss',
      'avg_val_loss',
      'average_val_loss',
      'mean_val_loss',
      'loss_val',
      'loss_valid',
      'loss_validation',
      'loss_eval',
    ],
  ],
  [
    'train_acc',
    [
      'acc',
      'accuracy',
      'train_acc',
      'train_accuracy',
      'training_accuracy',
      'train_acc_epoch',
      'train_accuracy_epoch',
      'acc_epoch',
      'accuracy_epoch',
      'epoch_accuracy',
      'epoch_acc',
      'train_top1',
      'train_acc1',
      'acc_train',
      'accuracy_train',
    ],
  ],
  [
    'val_acc',
    [
      'val_acc',
      'val_accuracy',
      'valid_acc',
      'valid_accuracy',
      'validation_acc',
      'validation_accuracy',
      'eval_acc',
      'eval_accuracy',
      'val_acc_epoch',
      'valid_acc_epoch',
      'val_accuracy_epoch',
      'eval_top1',
      'val_top1',
      'val_acc1',
      'val_acc@1',
      'eval_acc1',
      'eval_acc@1',
      'metrics_accuracy_top1',
      'accuracy_top1',
      'epoch_val_accuracy',
      'acc_val',
      'accuracy_val',
      'acc_valid',
      'accuracy_valid',
      'acc_eval',
      'accuracy_eval',
    ],
  ],
  ['grad_norm', ['grad_norm', 'train_grad_norm', 'gradient_norm', 'gradnorm', 'grad_norm_total', 'total_grad_norm']],
  [
    'update_ratio',
    [
      'update_ratio',
      'update_to_weight',
      'update_to_weight_ratio',
      'update_weight_ratio',
      'upd_w_ratio',
      'upd_ratio',
      'update_over_weight',
      'dw_w',
      'dw_over_w',
      'delta_w_over_w',
      '‖δw‖_‖w‖',
      '||dw||_||w||',
      '|dw|_|w|',
      'train_update_ratio',
    ],
  ],
  ['weight_norm', ['weight_norm', 'param_norm', 'params_norm', 'w_norm', '‖w‖', '||w||', 'train_weight_norm']],
  ['update_norm', ['update_norm', 'upd_norm', 'delta_norm', 'dw_norm', '‖δw‖', '||dw||', 'train_update_norm']],
];

const TABLE: ReadonlyMap<string, CanonicalMetric> = (() => {
  const m = new Map<string, CanonicalMetric>();
  for (const [canon, names] of ALIASES) for (const n of names) m.set(n, canon);
  return m;
})();

/** Lightning LearningRateMonitor: `lr-<Optimizer>` or `lr-<Optimizer>/pg1` is the first group. */
const LR_MONITOR_FIRST = /^lr-[A-Za-z][A-Za-z0-9_.]*(?:\/pg1)?$/;

/** Cache of results: names repeat on every line of a JSON-lines log, so look each up once. */
const cache = new Map<string, string>();
const CACHE_LIMIT = 10_000;

/** Lower-cases and turns the separators frameworks use between words into `_`. */
export function normalizeName(raw: string): string {
  return raw.trim().toLowerCase().replace(/[\s/\-.]+/g, '_');
}

/** The canonical name of `raw` when it is a known alias, otherwise `raw` unchanged. */
export function canonicalName(raw: string): string {
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  const out = lookup(raw);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(raw, out);
  return out;
}

/** The canonical name when `raw` is a known alias, else undefined. */
export function knownCanonical(raw: string): CanonicalMetric | undefined {
  const c = canonicalName(raw);
  return TABLE.has(c) || c === 'epoch' || c === 'step' ? (c as CanonicalMetric) : undefined;
}

/** `ValLoss` → `Val_Loss`, `valAcc` → `val_Acc`, `LRScheduler` → `LR_Scheduler` (then normalizeName). */
function splitCamel(raw: string): string {
  return raw.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2');
}

function lookup(raw: string): string {
  if (raw.length === 0 || raw.length > 200) return raw;
  if (LR_MONITOR_FIRST.test(raw)) return 'lr';
  const out = lookupNormalized(normalizeName(raw));
  if (out !== undefined) return out;
  const camel = normalizeName(splitCamel(raw));
  return lookupNormalized(camel) ?? raw;
}

function lookupNormalized(n: string): string | undefined {
  const direct = TABLE.get(n);
  if (direct) return direct;
  // `train/learning_rate`, `train/grad_norm` (HF TensorBoard): a `train_` prefix on a name that is
  // not itself a train/val pair.
  if (n.startsWith('train_')) {
    const rest = TABLE.get(n.slice(6));
    if (rest && rest !== 'train_loss' && rest !== 'train_acc' && rest !== 'val_loss' && rest !== 'val_acc') {
      return rest;
    }
  }
  return undefined;
}

/**
 * Which of several raw names of one canonical metric in a run takes the canonical name (lower wins;
 * ties go to the first seen). A per-epoch aggregate (`train_loss_epoch`, `epoch_loss`) beats the exact
 * canonical spelling, which beats a generic alias (`loss`): a printed log that writes a per-batch
 * `loss=` on step lines and `train_loss=` on epoch lines (examples/runs/step-decay/output.log) is read
 * on its epoch values, the granularity every other framework's canonical series has.
 */
export function variantRank(raw: string, canonical: string): number {
  const n = normalizeName(raw);
  if (/(^|_)epoch(_|$)/.test(n) && n !== 'epoch') return 0;
  return n === canonical ? 1 : 2;
}
