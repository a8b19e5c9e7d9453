/**
 * Scenario `large-batch` (course scenario 4: scale the LR with the batch, warm up, clip gradients).
 * ANALYZER_ANCHORS §5.5 (R10, R11), §4.1 (Goyal et al.: η ∝ B, 5 warmup epochs), §4.2 and §3.7
 * (square-root scaling for Adam-family optimizers, timm's 'ada'/'lamb' test).
 *
 * The effective batch is the framework's own (batch.ts: per-device × devices × accumulation, a total
 * batch is not multiplied by devices, a nominal batch accumulates).
 *
 * `large-batch-no-warmup` (R11, WARN): B ≥ `largeBatch` = 1024 (4× the 256 reference, [proposal]) or an
 * SGD LR ≥ `lrFactor` × the 0.1 reference raised for a batch above 256, and no warmup: none written and
 * none built into the framework (detectron2 `WARMUP_ITERS` 1000, Ultralytics `warmup_epochs` 3). Quiet
 * when the logs of the runs that read the config show a calm start (early-start.ts): the run answered
 * the question the warning asks. Suggests 5 warmup epochs (Goyal; timm `--warmup-epochs 5`) or ~10 %
 * of steps for transformer fine-tunes (§5.5, HF #6673).
 *
 * `large-batch-lr-scaling` (R10, INFO): judged only against the user's own reference, an LR and a batch
 * written in the same config (`lrReference`: timm `lr_base` at `lr_base_size`), scaled linearly (SGD)
 * or by the square root (Adam-family) unless the config says which: B ≥ `minBatch` = 512 (2× the
 * reference [proposal]: below it the scaling rules say little) and lr / expected ∉ [`bandLow` 0.5,
 * `bandHigh` 2] (the table's [proposal] band). Without such a reference nothing is said: a universal
 * base LR (SGD 0.1, Adam 1e-3 at 256) is the wrong yardstick for most real setups (a BERT fine-tune at
 * 2e-5 or YOLO at lr0 0.01 would be "fixed" to 1.4e-3 and 0.4), and the config cannot tell whether its
 * LR was already tuned at this batch. Also quiet for fine-tunes (pretrained: the from-scratch scaling
 * does not apply) and when the framework ignores the LR written (Ultralytics `optimizer: auto`).
 *
 * Both mention missing gradient clipping (course scenario 4 answer; timm/torchvision have no clipping by
 * default, §5.6 R13).
 *
 * `large-batch-early-instability` (R11 escalation: "R13/R12 in the first 5 % of steps"; the brief allows
 * up to 10 %): when the config beside the log says large batch, train-loss spikes (R13 test) in the first
 * `earlyShare` = 10 % of the log → warning.
 */
import type { TrainingConfig } from '../config/training-config';
import { fmt, fmtEpoch } from '../run/stats';
import type { Finding } from '../types';
import { batchText, effectiveBatch, type BatchInfo } from './batch';
import { spikeOptions, SPIKE_DEFAULTS, trainLossSeries } from './divergence';
import { runsStartCalm } from './early-start';
import type { Rule, RunContext, Thresholds } from './rule';
import { detectSpikes } from './spikes';
import { configFinding, hasGradClip, isOn, logFinding, optimizerFamily, type OptimizerFamily } from './util';

export { batchText, effectiveBatch, type BatchInfo } from './batch';

/** Optimizer family, with the framework's default when the config does not name one (§3.6 HF adamw, §3.7 timm sgd). */
export function configOptimizerFamily(c: TrainingConfig): OptimizerFamily {
  if (c.optimizer) return optimizerFamily(c.optimizer.value);
  return optimizerFamily(c.builtIn?.optimizer);
}

/** The warmup a config gets: written, built into its framework, or none (a key written as 0 overrides the built-in). */
export type WarmupState =
  | { kind: 'set'; key: string; value: number; unit?: 'steps' | 'epochs' | 'ratio' }
  | { kind: 'built-in'; value: number; unit: 'steps' | 'epochs' | 'ratio' }
  | { kind: 'off'; key?: string };

export function warmupState(c: TrainingConfig): WarmupState {
  const w = c.warmup;
  if (w && typeof w.value === 'number' && w.value > 0) return { kind: 'set', key: w.key, value: w.value, unit: c.warmupUnit };
  if (w) return { kind: 'off', key: w.key };
  const b = c.builtIn?.warmup;
  if (b && b.value > 0) return { kind: 'built-in', value: b.value, unit: b.unit };
  return { kind: 'off' };
}

/** What the config says about the large-batch setup: the judgement the rules and the hover share. */
export type LargeBatchAssessment = {
  batch?: BatchInfo;
  /** Why this is a large-batch setup in the R11 sense (the effective batch, or an SGD LR raised for a batch above 256); absent when it is not one. */
  large?: 'batch' | 'lr';
  warmup: WarmupState;
  clip: boolean;
};

/** Thresholds of `assessLargeBatch`: the no-warmup rule's (`largeBatch`, `lrFactor`, `sgdRef`, `refBatch`). */
export function assessLargeBatch(c: TrainingConfig, t: Thresholds): LargeBatchAssessment {
  const batch = effectiveBatch(c);
  const lr = c.lr?.value;
  // R11's "scaled lr ≥ 4× lr_ref" is about an LR raised *for* a batch above the 256 reference; a high
  // LR at a small batch is a plain too-high LR (divergence / update-ratio), not this scenario.
  const lrHigh =
    !c.lrIgnored && configOptimizerFamily(c) === 'sgd' && typeof lr === 'number' && lr >= t.lrFactor * t.sgdRef && batch !== undefined && batch.effective > t.refBatch;
  const large = batch && batch.effective >= t.largeBatch ? 'batch' : lrHigh ? 'lr' : undefined;
  return { batch, ...(large ? { large } : {}), warmup: warmupState(c), clip: hasGradClip(c) };
}

/** True when the config describes a large-batch setup in the R11 sense. */
export function isLargeBatch(c: TrainingConfig, t: Thresholds): { batch?: BatchInfo; lrHigh: boolean } | undefined {
  const a = assessLargeBatch(c, t);
  return a.large ? { batch: a.batch, lrHigh: a.large === 'lr' } : undefined;
}

/** Why the LR scaling is not judged (each is a reason to say nothing, not a verdict). */
export type LrScalingSkip = 'no-batch' | 'no-lr' | 'lr-ignored' | 'fine-tune' | 'small-batch' | 'no-reference';

export type LrScalingAssessment =
  | {
      judged: true;
      /** The config's own reference LR and batch (timm `lr_base` at `lr_base_size`). */
      reference: { lr: number; batch: number; key: string };
      scaling: 'linear' | 'sqrt';
      /** The reference LR scaled to this effective batch. */
      expected: number;
      ratio: number;
      verdict: 'below' | 'within' | 'above';
      batch: BatchInfo;
    }
  | { judged: false; why: LrScalingSkip; batch?: BatchInfo };

/** Thresholds: the lr-scaling rule's (`minBatch`, `bandLow`, `bandHigh`). */
export function assessLrScaling(c: TrainingConfig, t: Thresholds): LrScalingAssessment {
  const batch = effectiveBatch(c);
  const skip = (why: LrScalingSkip): LrScalingAssessment => ({ judged: false, why, ...(batch ? { batch } : {}) });
  if (!batch) return skip('no-batch');
  const lr = c.lr?.value;
  if (!(typeof lr === 'number' && lr > 0)) return skip('no-lr');
  if (c.lrIgnored) return skip('lr-ignored');
  if (isOn(c.pretrained)) return skip('fine-tune');
  if (batch.effective < t.minBatch) return skip('small-batch');
  const ref = c.lrReference;
  if (!ref || !(ref.lr.value > 0) || !(ref.batch > 0)) return skip('no-reference');
  // timm's own default (train.py `lr_base_scale`): square root when the optimizer name has 'ada' or 'lamb', else linear.
  const scaling = ref.scaling ?? (configOptimizerFamily(c) === 'adam' ? 'sqrt' : 'linear');
  const factor = batch.effective / ref.batch;
  const expected = ref.lr.value * (scaling === 'linear' ? factor : Math.sqrt(factor));
  const ratio = lr / expected;
  const verdict = ratio < t.bandLow ? 'below' : ratio > t.bandHigh ? 'above' : 'within';
  return { judged: true, reference: { lr: ref.lr.value, batch: ref.batch, key: ref.lr.key }, scaling, expected, ratio, verdict, batch };
}

const COMMON = { refBatch: 256, sgdRef: 0.1, largeBatch: 1024, lrFactor: 4 };

export type LargeBatchNoWarmupEvidence = {
  key: string;
  effectiveBatch: number | null;
  batch: number | null;
  devices: number | null;
  accumulation: number | null;
  lr: number | null;
  warmupKey: string | null;
  suggestedWarmupEpochs: number;
  suggestedWarmupRatio: number;
  gradClip: boolean;
};

export const largeBatchNoWarmupRule: Rule = {
  id: 'large-batch-no-warmup',
  scenario: 'large-batch',
  defaultSeverity: 'warning',
  defaults: { ...COMMON, warmupEpochs: 5, warmupRatio: 0.1, earlyShare: 0.1, ...SPIKE_DEFAULTS },
  checkConfig(config: TrainingConfig, t: Thresholds, runs?: readonly RunContext[]): Finding[] {
    const a = assessLargeBatch(config, t);
    if (!a.large || a.warmup.kind !== 'off') return [];
    if (runsStartCalm(runs, t)) return [];
    const w = config.warmup;
    const at = w ?? config.batchSize ?? config.lr;
    if (!at) return [];
    const why = a.large === 'batch' && a.batch ? `effective batch ${batchText(a.batch)}` : `LR ${fmt(config.lr?.value ?? NaN)} (≥ ${t.lrFactor}× the ${t.sgdRef} reference)`;
    const msg =
      `${why} with no LR warmup: the first large steps can blow up the loss. Warm up linearly over ~${t.warmupEpochs} epochs (or ~${Math.round(t.warmupRatio * 100)}% of steps)` +
      (a.clip ? '.' : ' and clip gradients (no clipping is configured).');
    return [
      configFinding(config, 'large-batch', 'large-batch-no-warmup', 'warning', msg, at, {
        effectiveBatch: a.batch?.effective ?? null,
        batch: a.batch?.perDevice ?? null,
        devices: a.batch?.devices ?? null,
        accumulation: a.batch?.accumulation ?? null,
        lr: config.lr?.value ?? null,
        warmupKey: w?.key ?? null,
        suggestedWarmupEpochs: t.warmupEpochs,
        suggestedWarmupRatio: t.warmupRatio,
        gradClip: a.clip,
      }),
    ];
  },
};

export type LargeBatchLrScalingEvidence = {
  key: string;
  lr: number;
  /** The config's own reference LR scaled to the effective batch. */
  suggestedLr: number;
  ratio: number;
  effectiveBatch: number;
  batch: number;
  devices: number;
  accumulation: number;
  scaling: 'linear' | 'sqrt';
  referenceLr: number;
  referenceBatch: number;
  referenceKey: string;
  gradClip: boolean;
};

export const largeBatchLrScalingRule: Rule = {
  id: 'large-batch-lr-scaling',
  scenario: 'large-batch',
  defaultSeverity: 'information',
  defaults: { minBatch: 512, bandLow: 0.5, bandHigh: 2 },
  checkConfig(config: TrainingConfig, t: Thresholds): Finding[] {
    const a = assessLrScaling(config, t);
    const lr = config.lr;
    if (!a.judged || a.verdict === 'within' || !lr) return [];
    const b = a.batch;
    const rule = `${a.reference.key} ${fmt(a.reference.lr)} at batch ${a.reference.batch}, scaled ${a.scaling === 'linear' ? 'linearly' : 'by the square root'} to ${b.effective}`;
    const clip = hasGradClip(config);
    const msg =
      `lr ${fmt(lr.value)} at effective batch ${batchText(b)} is ×${fmt(a.ratio)} the ${fmt(a.expected)} this config's own reference gives (${rule}); ` +
      (a.verdict === 'below' ? 'the LR was probably not scaled up with the batch (slow training).' : 'the LR is above its scaled reference (unstable early training).') +
      (clip ? '' : ' No gradient clipping is configured.');
    return [
      configFinding(config, 'large-batch', 'large-batch-lr-scaling', 'information', msg, lr, {
        lr: lr.value,
        suggestedLr: a.expected,
        ratio: a.ratio,
        effectiveBatch: b.effective,
        batch: b.perDevice,
        devices: b.devices,
        accumulation: b.accumulation,
        scaling: a.scaling,
        referenceLr: a.reference.lr,
        referenceBatch: a.reference.batch,
        referenceKey: a.reference.key,
        gradClip: clip,
      }),
    ];
  },
};

export type LargeBatchEarlyInstabilityEvidence = {
  count: number;
  maxRatio: number;
  value: number;
  median: number;
  step: number | null;
  effectiveBatch: number | null;
  noWarmupInLog: boolean;
  gradClip: boolean;
  lines: number[];
};

export const largeBatchEarlyInstabilityRule: Rule = {
  id: 'large-batch-early-instability',
  scenario: 'large-batch',
  defaultSeverity: 'warning',
  defaults: { ...COMMON, earlyShare: 0.1, ...SPIKE_DEFAULTS },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const c = ctx.config;
    if (!c) return [];
    const a = assessLargeBatch(c, t);
    if (!a.large) return [];
    const s = trainLossSeries(ctx);
    if (!s || s.length < t.minWindow + 2) return [];
    const first = s.step(0);
    const last = s.step(s.length - 1);
    let to = Math.ceil(t.earlyShare * s.length);
    if (Number.isFinite(first) && Number.isFinite(last) && last > first) {
      const limit = first + t.earlyShare * (last - first);
      to = 0;
      while (to < s.length && !(s.step(to) > limit)) to++;
    }
    const spikes = detectSpikes(s, { ...spikeOptions(t), to });
    if (!spikes.length) return [];
    const top = spikes.reduce((x, y) => (y.ratio > x.ratio ? y : x));
    const lr = ctx.run.series('lr');
    let noWarmupSeen = false;
    if (lr && lr.length > 1) {
      let max = -Infinity;
      for (let i = 0; i < lr.length; i++) if (lr.value(i) > max) max = lr.value(i);
      noWarmupSeen = lr.value(0) >= 0.9 * max;
    }
    const st = s.step(top.index);
    const where = Number.isFinite(st) ? `step ${st}` : Number.isFinite(s.epoch(top.index)) ? `epoch ${fmtEpoch(s.epoch(top.index))}` : `line ${s.line(top.index)}`;
    const why = a.large === 'batch' && a.batch ? `effective batch ${batchText(a.batch)}` : `high LR ${fmt(c.lr?.value ?? NaN)}`;
    const warm = a.warmup.kind === 'off' ? 'warm up the LR' : 'lengthen the warmup';
    const msg =
      `${s.name} spiked ${spikes.length} time${spikes.length > 1 ? 's' : ''} in the first ${Math.round(t.earlyShare * 100)}% of training (×${fmt(top.ratio)} at ${where}) with ${why}` +
      (noWarmupSeen ? ' and no warmup in the logged LR' : '') +
      `: large-batch early instability — ${warm}${a.clip ? '' : ', clip gradients'} and check the LR scaling.`;
    return [
      logFinding(ctx, 'large-batch', 'large-batch-early-instability', 'warning', msg, { line: s.line(top.index), fileIndex: s.fileIndex(top.index) }, {
        count: spikes.length,
        maxRatio: top.ratio,
        value: top.value,
        median: top.median,
        step: Number.isFinite(st) ? st : null,
        effectiveBatch: a.batch?.effective ?? null,
        noWarmupInLog: noWarmupSeen,
        gradClip: a.clip,
        lines: spikes.slice(0, 20).map((p) => s.line(p.index)),
      }),
    ];
  },
};

export const LARGE_BATCH_RULES: Rule[] = [largeBatchNoWarmupRule, largeBatchLrScalingRule, largeBatchEarlyInstabilityRule];
