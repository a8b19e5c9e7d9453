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

function isGrid(config: TrainingConfig, sweep: SweepSpace): boolean {
  if (sweep.method === 'grid') return true;
  if (sweep.method === 'unknown' && config.style === 'hydra-sweep') return sweep.parameters.every((p) => p.count !== undefined);
  return false;
}

export const gridSearchRule: Rule = {
  id: 'grid-search',
  scenario: 'search-strategy',
  defaultSeverity: 'warning',
  defaults: { maxCombos: 100, minDims: 4, topShare: 0.05, confidence: 0.95 },
  checkConfig(config: TrainingConfig, t: Thresholds): Finding[] {
    const sweep = config.sweep;
    if (!sweep || !isGrid(config, sweep)) return [];
    const params = sweep.parameters.filter((p) => p.count !== undefined && p.count > 0);
    if (params.length === 0) return [];
    const combos = params.reduce((n, p) => n * (p.count as number), 1);
    const dims = params.length;
    const big = combos >= t.maxCombos;
    if (!big && dims < t.minDims) return [];
    const n = randomTrialsFor(t.topShare, t.confidence);
    const hit = 1 - (1 - t.topShare) ** n;
    const counts = params.map((p) => `${p.key} ${p.count}`).join(' × ');
    const range: SourceRange = sweep.methodSetting?.range ?? params[0].range;
    const key = sweep.methodSetting?.key ?? params[0].key;
    const message = big
      ? `grid search over ${dims} hyperparameters = ${combos} runs (${counts}). Random search with ${n} trials finds a configuration in the top ${Math.round(t.topShare * 100)}% with ${Math.round(hit * 1000) / 10}% probability, and samples every swept value more densely; sample the LR log-uniformly.`
      : `grid search over ${dims} hyperparameters (${counts} = ${combos} runs): with this many dimensions random search explores each one better for the same budget (only a few hyperparameters usually matter); sample the LR log-uniformly.`;
    return [
      {
        scenario: 'search-strategy',
        rule: 'grid-search',
        severity: big ? 'warning' : 'information',
        message,
        file: config.file,
        line: range.startLine + 1,
        range,
        evidence: {
          key,
          combinations: combos,
          dims,
          counts: params.map((p) => p.count as number),
          keys: params.map((p) => p.key),
          suggestedMethod: 'random',
          suggestedTrials: Math.min(n, combos),
          hitProbability: hit,
          trialsKey: sweep.trials?.key ?? null,
        },
      },
    ];
  },
};

export const SEARCH_STRATEGY_RULES: Rule[] = [gridSearchRule];
