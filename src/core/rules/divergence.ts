/**
 * Scenario `divergence`: non-finite values (R12, nonfinite.ts), exploding / rising loss (R14,
 * loss-explosion.ts) and loss spikes (R13, loss-spike.ts). Defaults and their sources:
 * ANALYZER_ANCHORS.md §5.6.
 */
import type { Rule } from './rule';
import { nonfiniteRule } from './nonfinite';
import { lossExplosionRule } from './loss-explosion';
import { lossSpikeRule } from './loss-spike';

export { nonfiniteRule, type NonfiniteEvidence } from './nonfinite';
export { lossExplosionRule, type LossExplosionEvidence } from './loss-explosion';
export { lossSpikeRule, spikeOptions, SPIKE_DEFAULTS, type LossSpikeEvidence } from './loss-spike';
export { trainLossSeries } from './train-loss';

export const DIVERGENCE_RULES: Rule[] = [nonfiniteRule, lossExplosionRule, lossSpikeRule];
