import type { TrainingConfig } from '../config/training-config';
import type { Run } from '../run/run';
import type { Finding, RuleId, ScenarioId, Severity } from '../types';

/** Numeric knobs of the rules, overridable from settings and the CLI (`--threshold key=value`). */
export type Thresholds = Readonly<Record<string, number>>;

/** One run as the rules see it: its metrics, its log file(s) and the config found beside it. */
export interface RunContext {
  run: Run;
  /** The log file findings on metrics are reported against (the run's main log). */
  logFile: string;
  config?: TrainingConfig;
}

/** Sibling runs of one config differing only in seed (the `ensemble` scenario). */
export interface RunGroup {
  runs: RunContext[];
}

export interface Rule {
  /** Stable rule id (the `rule` field of a finding). */
  id: RuleId;
  scenario: ScenarioId;
  defaultSeverity: Severity;
  /** Default thresholds, each documented with its source in the rule file. */
  defaults: Thresholds;
  /** Findings on one run's metrics (and its config, when one is beside it). */
  checkRun?(ctx: RunContext, t: Thresholds): Finding[];
  /**
   * Findings on a config, reported on the config file. `runs` are the runs whose logs read this config
   * (when any were found): a prediction the config makes about training can be checked against them.
   */
  checkConfig?(config: TrainingConfig, t: Thresholds, runs?: readonly RunContext[]): Finding[];
  /** Findings across sibling runs. */
  checkGroup?(group: RunGroup, t: Thresholds): Finding[];
}
