/** Helpers shared by the rule files: building findings at a series point or a config setting. */
import type { Setting, TrainingConfig } from '../config/training-config';
import type { Run } from '../run/run';
import type { EvidenceValue, Finding, RuleId, ScenarioId, Severity } from '../types';
import type { EvidenceByRule } from './evidence';
import type { RunContext } from './rule';

export type Evidence = Record<string, EvidenceValue>;

/** File of a point: the run file it was read from, else the run's main log. */
export function fileOf(ctx: RunContext, fileIndex: number): string {
  return ctx.run.files[fileIndex] ?? ctx.logFile;
}

export function logFinding<R extends RuleId>(
  ctx: RunContext,
  scenario: ScenarioId,
  rule: R,
  severity: Severity,
  message: string,
  at: { line: number; fileIndex: number },
  evidence: EvidenceByRule[R],
): Finding {
  return { scenario, rule, severity, message, file: fileOf(ctx, at.fileIndex), line: Math.max(1, at.line), evidence };
}

/** A finding on a config setting: 1-based line of the key, the setting's range, the key in evidence (its `key` field). */
export function configFinding<R extends RuleId>(
  config: TrainingConfig,
  scenario: ScenarioId,
  rule: R,
  severity: Severity,
  message: string,
  setting: Setting<unknown>,
  evidence: Omit<EvidenceByRule[R], 'key'>,
): Finding {
  return {
    scenario,
    rule,
    severity,
    message,
    file: config.file,
    line: setting.range.startLine + 1,
    range: setting.range,
    evidence: { key: setting.key, ...evidence },
  };
}

/** Optimizer family for LR references: `adam` (adaptive: Adam/AdamW/LAMB/Adagrad/RMSprop/Adafactor), `sgd`, or unknown. */
export type OptimizerFamily = 'adam' | 'sgd' | 'unknown';

/**
 * timm's rule (ANALYZER_ANCHORS §3.7: sqrt scaling "if the opt name contains 'ada' or 'lamb'") extended
 * with RMSprop and Lion-style names; SGD/momentum/Nesterov/LARS are linear-scaling optimizers (§4.1).
 * HF TrainingArguments `optim` values (`adamw_torch`, `adamw_8bit`, `paged_adamw_32bit`) contain `adam`.
 */
export function optimizerFamily(name: string | undefined): OptimizerFamily {
  if (!name) return 'unknown';
  const n = name.toLowerCase();
  if (/ada|lamb|rmsprop|lion|sophia/.test(n)) return 'adam';
  if (/sgd|momentum|nesterov|lars/.test(n)) return 'sgd';
  return 'unknown';
}

/** Whether a setting says "on": true, a positive number, a non-empty string other than none/false. */
export function isOn(s: Setting<unknown> | undefined): boolean {
  if (!s) return false;
  const v = s.value;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) && v > 0;
  if (typeof v === 'string') return !/^\s*(|none|null|false|no|0|off)\s*$/i.test(v);
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== undefined;
}

/** Canonical names whose values are losses (lower is better). Raw names ending in `loss` also count. */
export function isLossName(name: string): boolean {
  return name === 'train_loss' || name === 'val_loss' || /loss$/i.test(name);
}

/** Every loss series of the run (canonical first). */
export function lossNames(run: Run): string[] {
  return run.names().filter(isLossName).sort((a, b) => rank(a) - rank(b));
}

function rank(n: string): number {
  return n === 'train_loss' ? 0 : n === 'val_loss' ? 1 : 2;
}

/** Accuracy values in [0, 1] or in percent: the unit of one accuracy point for messages and thresholds. */
export function accScale(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]) && values[i] > max) max = values[i];
  return max > 1.5 ? 100 : 1;
}

/** What the framework does by default without a key (Ultralytics/YOLOv5 keep an EMA and clip at 10). */
function builtIn(c: TrainingConfig | undefined): { ema?: boolean; gradClip?: number } | undefined {
  return (c as { builtIn?: { ema?: boolean; gradClip?: number } } | undefined)?.builtIn;
}

/** EMA of the weights is on, by a key or by the framework's default. */
export function hasEma(c: TrainingConfig | undefined): boolean {
  return isOn(c?.ema) || builtIn(c)?.ema === true;
}

/** Gradient clipping is on, by a key or by the framework's default. */
export function hasGradClip(c: TrainingConfig | undefined): boolean {
  return isOn(c?.gradClip) || (builtIn(c)?.gradClip ?? 0) > 0;
}
