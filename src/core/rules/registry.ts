/**
 * Every rule, and the three ways of running them. A rule that throws never stops the others: its
 * findings are dropped and the error is returned beside the findings of the rest.
 *
 * Threshold overrides (settings, CLI `--threshold key=value`) are matched per rule: `ruleId.key` sets
 * that rule's knob; a bare `key` sets it in every rule whose defaults have that key (e.g. `patience`).
 */
import type { TrainingConfig } from '../config/training-config';
import type { Finding } from '../types';
import { DIVERGENCE_RULES } from './divergence';
import { EARLY_STOPPING_RULES } from './early-stopping';
import { ENSEMBLE_RULES } from './ensemble';
import { FINE_TUNING_RULES } from './fine-tuning';
import { LARGE_BATCH_RULES } from './large-batch';
import { lrFloorEarlyRule } from './lr-floor';
import { LR_SCHEDULE_RULES } from './lr-schedule';
import { metricDeclineRule } from './metric-decline';
import type { Rule, RunContext, RunGroup, Thresholds } from './rule';
import { SEARCH_STRATEGY_RULES } from './search-strategy';
import { UPDATE_RATIO_RULES } from './update-ratio';
import { WEIGHT_AVERAGING_RULES } from './weight-averaging';
import { lossAtChanceRule } from './loss-at-chance';
import { lossNotDecreasingRule } from './loss-not-decreasing';
import { warmupLossRiseRule } from './warmup-loss-rise';
import { noValidationRule } from './no-validation';
import { warmupExceedsRunRule } from './warmup-exceeds-run';
import { transformerNoWarmupRule } from './transformer-no-warmup';

export const RULES: Rule[] = [
  ...LR_SCHEDULE_RULES,
  ...EARLY_STOPPING_RULES,
  ...SEARCH_STRATEGY_RULES,
  ...LARGE_BATCH_RULES,
  ...ENSEMBLE_RULES,
  ...UPDATE_RATIO_RULES,
  ...WEIGHT_AVERAGING_RULES,
  ...FINE_TUNING_RULES,
  ...DIVERGENCE_RULES,
  lossNotDecreasingRule,
  lossAtChanceRule,
  warmupLossRiseRule,
  noValidationRule,
  warmupExceedsRunRule,
  transformerNoWarmupRule,
  lrFloorEarlyRule,
  metricDeclineRule,
];

export interface RuleError {
  rule: string;
  message: string;
}

export interface RuleResult {
  findings: Finding[];
  errors: RuleError[];
}

export type ThresholdOverrides = Partial<Record<string, number>>;

/** The thresholds one rule runs with: its defaults, then bare keys it knows, then `ruleId.key`. */
export function thresholdsFor(rule: Rule, overrides?: ThresholdOverrides): Thresholds {
  if (!overrides) return rule.defaults;
  const t: Record<string, number> = { ...rule.defaults };
  const prefix = `${rule.id}.`;
  const entries = Object.entries(overrides).filter((e): e is [string, number] => typeof e[1] === 'number' && !Number.isNaN(e[1]));
  for (const [k, v] of entries) if (!k.includes('.') && k in rule.defaults) t[k] = v;
  for (const [k, v] of entries) if (k.startsWith(prefix)) t[k.slice(prefix.length)] = v;
  return t;
}

function runEach(rules: readonly Rule[], call: (r: Rule) => Finding[] | undefined): RuleResult {
  const findings: Finding[] = [];
  const errors: RuleError[] = [];
  for (const r of rules) {
    try {
      const f = call(r);
      if (f) findings.push(...f);
    } catch (e) {
      errors.push({ rule: r.id, message: e instanceof Error ? e.message : String(e) });
    }
  }
  findings.sort(byPlace);
  return { findings, errors };
}

function byPlace(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}

/** Findings on one run's metrics (using the config beside it when there is one). */
export function runRules(ctx: RunContext, t?: ThresholdOverrides, rules: readonly Rule[] = RULES): RuleResult {
  return runEach(rules, (r) => r.checkRun?.(ctx, thresholdsFor(r, t)));
}

/** Findings on a config, with the runs whose logs read it (see Rule.checkConfig). */
export function configRules(config: TrainingConfig, t?: ThresholdOverrides, rules: readonly Rule[] = RULES, runs: readonly RunContext[] = []): RuleResult {
  return runEach(rules, (r) => r.checkConfig?.(config, thresholdsFor(r, t), runs));
}

/** Findings across sibling runs that differ only in seed. */
export function groupRules(group: RunGroup, t?: ThresholdOverrides, rules: readonly Rule[] = RULES): RuleResult {
  return runEach(rules, (r) => r.checkGroup?.(group, thresholdsFor(r, t)));
}

/** Every rule id with its scenario, default severity and defaults (for docs, settings and SARIF). */
export function ruleCatalog(): { id: string; scenario: string; severity: string; defaults: Thresholds }[] {
  return RULES.map((r) => ({ id: r.id, scenario: r.scenario, severity: r.defaultSeverity, defaults: r.defaults }));
}
