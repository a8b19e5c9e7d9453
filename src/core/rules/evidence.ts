/**
 * The evidence each rule attaches to its findings, by rule id. A rule's entry is the type alias its rule
 * file declares (a `type`, not an `interface`, so that it stays assignable to the JSON record of the
 * findings contract); readers of a finding's evidence (quick fixes, hovers, the run view) go through
 * `evidenceOf`, never through string-named lookups on an untyped record.
 *
 * Every rule's entry is its own type; `LooseEvidence` is the JSON shape they all fit.
 */
import type { EvidenceValue, Finding, RuleId } from '../types';
import type { LossExplosionEvidence, LossSpikeEvidence, NonfiniteEvidence } from './divergence';
import type { NoEarlyStoppingEvidence, OverfittingPlateauEvidence } from './early-stopping';
import type { LrStepDropEvidence, LrStepSchedulerEvidence } from './lr-schedule';
import type { LrFloorEarlyEvidence } from './lr-floor';
import type { MetricDeclineEvidence } from './metric-decline';
import type { ValOscillationEvidence } from './weight-averaging';
import type { FinetuneForgettingEvidence, FinetuneLrHighEvidence } from './fine-tuning';
import type { UpdateRatioEvidence } from './update-ratio';
import type { GridSearchEvidence } from './search-strategy';
import type { SeedVarianceEvidence } from './ensemble';
import type { LargeBatchEarlyInstabilityEvidence, LargeBatchLrScalingEvidence, LargeBatchNoWarmupEvidence } from './large-batch';
import type { LossNotDecreasingEvidence } from './loss-not-decreasing';
import type { WarmupLossRiseEvidence } from './warmup-loss-rise';
import type { NoValidationEvidence } from './no-validation';
import type { WarmupExceedsRunEvidence } from './warmup-exceeds-run';
import type { TransformerNoWarmupEvidence } from './transformer-no-warmup';
import type { LossAtChanceEvidence } from './loss-at-chance';

export type LooseEvidence = Record<string, EvidenceValue>;

export interface EvidenceByRule {
  'lr-step-drop': LrStepDropEvidence;
  'lr-step-scheduler': LrStepSchedulerEvidence;
  'overfitting-plateau': OverfittingPlateauEvidence;
  'no-early-stopping': NoEarlyStoppingEvidence;
  'grid-search': GridSearchEvidence;
  'large-batch-lr-scaling': LargeBatchLrScalingEvidence;
  'large-batch-no-warmup': LargeBatchNoWarmupEvidence;
  'large-batch-early-instability': LargeBatchEarlyInstabilityEvidence;
  'seed-variance': SeedVarianceEvidence;
  'update-ratio': UpdateRatioEvidence;
  'val-oscillation': ValOscillationEvidence;
  'finetune-lr-high': FinetuneLrHighEvidence;
  'finetune-forgetting': FinetuneForgettingEvidence;
  nonfinite: NonfiniteEvidence;
  'loss-explosion': LossExplosionEvidence;
  'loss-spike': LossSpikeEvidence;
  'loss-not-decreasing': LossNotDecreasingEvidence;
  'warmup-loss-rise': WarmupLossRiseEvidence;
  'no-validation': NoValidationEvidence;
  'warmup-exceeds-run': WarmupExceedsRunEvidence;
  'transformer-no-warmup': TransformerNoWarmupEvidence;
  'lr-floor-early': LrFloorEarlyEvidence;
  'metric-decline': MetricDeclineEvidence;
  'loss-at-chance': LossAtChanceEvidence;
}

/**
 * A finding's evidence as its rule's type. Evidence that crossed a process boundary (LSP diagnostic data)
 * is JSON the rule wrote, so the fields are there, but a reader must still treat a missing field as absent:
 * the result is `Partial`.
 */
export function evidenceOf<R extends RuleId>(_rule: R, evidence: Finding['evidence'] | undefined): Partial<EvidenceByRule[R]> {
  return (evidence ?? {}) as Partial<EvidenceByRule[R]>;
}
