/**
 * Scenario `search-strategy` (course scenario 3: prefer random search to grid search).
 *
 * Config rule `grid-search` (R18, ANALYZER_ANCHORS §5.7):
 * - N = ∏ counts of the swept keys of a grid; warning when N ≥ `maxCombos` = 100 (the table's
 *   [proposal]), information when N < 100 but ≥ `minDims` = 4 keys are swept (R18 "INFO under 100
 *   combos but ≥ 4 swept dims").
 * - Suggested budget: the smallest n with 1 − (1 − q)^n ≥ p for q = top 5 %, p = 95 % → n = 59 (§4.6,
 *   Bergstra & Bengio; "about 60 trials").
 * - A Hydra multirun sweep is a grid whatever its method field says when every parameter is a list.
 */
import type { SweepSpace, TrainingConfig } from '../config/training-config';
import type { Finding, SourceRange } from '../types';
import type { Rule, Thresholds } from './rule';

/** Smallest n with 1 − (1 − q)^n ≥ p. */
export function randomTrialsFor(q: number, p: number): number {
  return Math.ceil(Math.log(1 - p) / Math.log(1 - q));
}

function isGrid(sweep: SweepSpace): boolean {
  if (sweep.method === 'grid') return true;
  if (sweep.method === 'unknown' && sweep.gridWhenDiscrete === true) return sweep.parameters.every((p) => p.count !== undefined);
  return false;
}

/** What a sweep config says about its search: the judgement the rule and the hover share. */
export type GridSearchAssessment = {
  method: SweepSpace['method'];
  /** A grid (the method says so, or a Hydra multirun whose every parameter is a list). */
  grid: boolean;
  /** Swept keys with a discrete number of values. */
  counted: { key: string; count: number; range: SourceRange }[];
  /** Product of the counts: the runs a grid over them takes. */
  combinations: number;
  /** Random-search trials for a top-`topShare` configuration with probability `confidence`. */
  randomTrials: number;
  hitProbability: number;
  /** hitProbability in percent, rounded down to 0.1 (never overstated). */
  hitPercent: number;
  verdict: 'not-grid' | 'small' | 'many-dims' | 'big';
};

export function assessGridSearch(config: TrainingConfig, t: Thresholds): GridSearchAssessment | undefined {
  const sweep = config.sweep;
  if (!sweep) return undefined;
  const counted = sweep.parameters.filter((p) => p.count !== undefined && p.count > 0).map((p) => ({ key: p.key, count: p.count as number, range: p.range }));
  const combinations = counted.reduce((n, p) => n * p.count, 1);
  const randomTrials = randomTrialsFor(t.topShare, t.confidence);
  const hitProbability = 1 - (1 - t.topShare) ** randomTrials;
  const grid = isGrid(sweep);
  const verdict = !grid || counted.length === 0 ? 'not-grid' : combinations >= t.maxCombos ? 'big' : counted.length >= t.minDims ? 'many-dims' : 'small';
  return { method: sweep.method, grid, counted, combinations, randomTrials, hitProbability, hitPercent: Math.floor(hitProbability * 1000) / 10, verdict };
}

export type GridSearchEvidence = {
  key: string;
  combinations: number;
  dims: number;
  counts: number[];
  keys: string[];
  suggestedMethod: 'random';
  suggestedTrials: number;
  hitProbability: number;
  trialsKey: string | null;
};

export const gridSearchRule: Rule = {
  id: 'grid-search',
  scenario: 'search-strategy',
  defaultSeverity: 'warning',
  defaults: { maxCombos: 100, minDims: 4, topShare: 0.05, confidence: 0.95 },
  checkConfig(config: TrainingConfig, t: Thresholds): Finding[] {
    const sweep = config.sweep;
    const a = assessGridSearch(config, t);
    if (!sweep || !a || a.verdict === 'not-grid' || a.verdict === 'small') return [];
    const params = a.counted;
    const combos = a.combinations;
    const dims = params.length;
    const big = a.verdict === 'big';
    const n = a.randomTrials;
    const counts = params.map((p) => `${p.key} ${p.count}`).join(' × ');
    const range: SourceRange = sweep.methodSetting?.range ?? params[0].range;
    const key = sweep.methodSetting?.key ?? params[0].key;
    const message = big
      ? `grid search over ${dims} hyperparameters = ${combos} runs (${counts}). Random search with ${n} trials finds a configuration in the top ${Math.round(t.topShare * 100)}% with ${a.hitPercent}% probability, and samples every swept value more densely; sample the LR log-uniformly.`
      : `grid search over ${dims} hyperparameters (${counts} = ${combos} runs): with this many dimensions random search explores each one better for the same budget (only a few hyperparameters usually matter); sample the LR log-uniformly.`;
    const evidence: GridSearchEvidence = {
      key,
      combinations: combos,
      dims,
      counts: params.map((p) => p.count),
      keys: params.map((p) => p.key),
      suggestedMethod: 'random',
      suggestedTrials: Math.min(n, combos),
      hitProbability: a.hitProbability,
      trialsKey: sweep.trials?.key ?? null,
    };
    return [{ scenario: 'search-strategy', rule: 'grid-search', severity: big ? 'warning' : 'information', message, file: config.file, line: range.startLine + 1, range, evidence }];
  },
};

export const SEARCH_STRATEGY_RULES: Rule[] = [gridSearchRule];
