/**
 * The evidence each rule attaches to its findings, by rule id. A rule's entry is the type alias its rule
 * file declares (a `type`, not an `interface`, so that it stays assignable to the JSON record of the
 * findings contract); readers of a finding's evidence (quick fixes, hovers, the run view) go through
 * `evidenceOf`, never through string-named lookups on an untyped record.
 *
 * Entries still typed `LooseEvidence` have not been given their shape yet.
 */
import type { EvidenceValue, Finding, RuleId } from '../types';
import type { LossExplosionEvidence, LossSpikeEvidence, NonfiniteEvidence } from './divergence';
import type { NoEarlyStoppingEvidence, OverfittingPlateauEvidence } from './early-stopping';
import type { LrStepDropEvidence, LrStepSchedulerEvidence } from './lr-schedule';
import type { ValOscillationEvidence } from './weight-averaging';

export type LooseEvidence = Record<string, EvidenceValue>;

export interface EvidenceByRule {
  'lr-step-drop': LrStepDropEvidence;
  'lr-step-scheduler': LrStepSchedulerEvidence;
  'overfitting-plateau': OverfittingPlateauEvidence;
  'no-early-stopping': NoEarlyStoppingEvidence;
  'grid-search': LooseEvidence;
  'large-batch-lr-scaling': LooseEvidence;
  'large-batch-no-warmup': LooseEvidence;
  'large-batch-early-instability': LooseEvidence;
  'seed-variance': LooseEvidence;
  'update-ratio': LooseEvidence;
  'val-oscillation': ValOscillationEvidence;
  'finetune-lr-high': LooseEvidence;
  'finetune-forgetting': LooseEvidence;
  nonfinite: NonfiniteEvidence;
  'loss-explosion': LossExplosionEvidence;
  'loss-spike': LossSpikeEvidence;
}

/**
 * A finding's evidence as its rule's type. Evidence that crossed a process boundary (LSP diagnostic data)
 * is JSON the rule wrote, so the fields are there, but a reader must still treat a missing field as absent:
 * the result is `Partial`.
 */
export function evidenceOf<R extends RuleId>(_rule: R, evidence: Finding['evidence'] | undefined): Partial<EvidenceByRule[R]> {
  return (evidence ?? {}) as Partial<EvidenceByRule[R]>;
}
