/**
 * Shared vocabulary of the core. Everything here is plain data so that it can cross a worker or an
 * LSP boundary as JSON.
 */

/** Canonical metric names. Parsers map every framework alias onto one of these (see run/names.ts). */
export type CanonicalMetric =
  | 'lr'
  | 'train_loss'
  | 'val_loss'
  | 'train_acc'
  | 'val_acc'
  | 'grad_norm'
  | 'update_ratio'
  | 'weight_norm'
  | 'update_norm'
  | 'epoch'
  | 'step';

/** One scalar read from a log. `name` is canonical when an alias is known, else the original name. */
export interface MetricEvent {
  /** Canonical name when known (e.g. `val_loss`), otherwise the original name as written. */
  name: string;
  /** The name exactly as it appears in the log (e.g. `eval_loss`, `lr-AdamW`, `val/loss`). */
  rawName: string;
  /** The value; NaN and ±Infinity are kept, not dropped. */
  value: number;
  /** Global optimisation step when the log gives one. */
  step?: number;
  /**
   * Epoch when the log gives one (fractional for HF), numbered as the log writes it (Lightning and
   * Keras CSV from 0, printed `Epoch [16/45]` and Ultralytics from 1): findings quote the numbers the
   * user sees in the file.
   */
  epoch?: number;
  /** 1-based line (or record index for binary formats) where the value was written. */
  line: number;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Ids of the knowledge-base scenarios. The first eight come from the course; `divergence` and `lr-range` are ours. */
export type ScenarioId =
  | 'lr-schedule'
  | 'early-stopping'
  | 'search-strategy'
  | 'large-batch'
  | 'ensemble'
  | 'update-ratio'
  | 'weight-averaging'
  | 'fine-tuning'
  | 'divergence'
  | 'lr-range';

export const SCENARIO_IDS: readonly ScenarioId[] = [
  'lr-schedule',
  'early-stopping',
  'search-strategy',
  'large-batch',
  'ensemble',
  'update-ratio',
  'weight-averaging',
  'fine-tuning',
  'divergence',
  'lr-range',
];

/** Stable ids of the rules (the `rule` field of a finding, the LSP diagnostic's `code` detail, SARIF results). */
export type RuleId =
  | 'lr-step-drop'
  | 'lr-step-scheduler'
  | 'overfitting-plateau'
  | 'no-early-stopping'
  | 'grid-search'
  | 'large-batch-lr-scaling'
  | 'large-batch-no-warmup'
  | 'large-batch-early-instability'
  | 'seed-variance'
  | 'update-ratio'
  | 'val-oscillation'
  | 'finetune-lr-high'
  | 'finetune-forgetting'
  | 'nonfinite'
  | 'loss-explosion'
  | 'loss-spike'
  | 'loss-not-decreasing'
  | 'warmup-loss-rise'
  | 'no-validation'
  | 'warmup-exceeds-run'
  | 'transformer-no-warmup'
  | 'lr-floor-early'
  | 'metric-decline'
  | 'loss-at-chance';

export const RULE_IDS: readonly RuleId[] = [
  'lr-step-drop',
  'lr-step-scheduler',
  'overfitting-plateau',
  'no-early-stopping',
  'grid-search',
  'large-batch-lr-scaling',
  'large-batch-no-warmup',
  'large-batch-early-instability',
  'seed-variance',
  'update-ratio',
  'val-oscillation',
  'finetune-lr-high',
  'finetune-forgetting',
  'nonfinite',
  'loss-explosion',
  'loss-spike',
  'loss-not-decreasing',
  'warmup-loss-rise',
  'no-validation',
  'warmup-exceeds-run',
  'transformer-no-warmup',
  'lr-floor-early',
  'metric-decline',
  'loss-at-chance',
];

export function isRuleId(s: string): s is RuleId {
  return (RULE_IDS as readonly string[]).includes(s);
}

/** A source range, 0-based lines and characters (LSP convention). */
export interface SourceRange {
  startLine: number;
  startChar: number;
  endLine: number;
  endChar: number;
}

export type EvidenceValue = number | string | boolean | null | readonly (number | string)[];

/**
 * A place in a notebook's cells: the cell's 0-based index among all its cells (markdown included, as an
 * editor lists them) and the range within that cell's source. A finding read from a cell's saved
 * output is placed on the cell's training call; `outputLine` is the 1-based `.ipynb` line of the
 * output line the evidence is on.
 */
export interface CellLocation {
  index: number;
  range: SourceRange;
  outputLine?: number;
}

/** One diagnosis. `line` is 1-based (findings contract); `range` refines it when known (configs). */
export interface Finding {
  scenario: ScenarioId;
  /** Stable id of the rule that produced it, e.g. `lr-step-drop`, `overfitting-plateau`. */
  rule: RuleId;
  severity: Severity;
  message: string;
  /** Path of the file the evidence is in, as given to the analyzer. */
  file: string;
  /** 1-based line of the evidence. */
  line: number;
  range?: SourceRange;
  /** The numbers behind the message, for hovers, quick fixes and the webview markers. */
  evidence: Record<string, EvidenceValue>;
  /** In a notebook (`.ipynb`): where the finding is among its cells (an editor shows cells, not the JSON). */
  cell?: CellLocation;
  /**
   * The same event or setting seen in other files (the LR drop in metrics.csv, TensorBoard and
   * output.log of one run; one key in the N seed configs of a group), or the other places of one finding
   * told once (the cuts of one reduce-on-plateau schedule, with `message` saying which): present only
   * when there are any.
   */
  related?: { file: string; line: number; message?: string }[];
}
