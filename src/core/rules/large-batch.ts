/**
 * Scenario `large-batch` (course scenario 4: scale the LR with the batch, warm up, clip gradients).
 * ANALYZER_ANCHORS §5.5 (R10, R11), §4.1 (Goyal et al.: η = 0.1·B/256, 5 warmup epochs), §4.2 and §3.7
 * (square-root scaling for Adam-family optimizers, timm's 'ada'/'lamb' test).
 *
 * Effective batch B = per-device batch × devices × gradient accumulation (§3.6).
 *
 * `large-batch-no-warmup` (R11, WARN): B ≥ `largeBatch` = 1024 (4× the 256 reference, [proposal]) or an
 * SGD LR ≥ 4× the 0.1 reference, and no warmup (absent or 0). Suggests 5 warmup epochs (Goyal; timm
 * `--warmup-epochs 5`) or ~10 % of steps for transformer fine-tunes (§5.5, HF #6673).
 *
 * `large-batch-lr-scaling` (R10, INFO): B ≥ `minBatch` = 512 (2× the reference [proposal]: below it the
 * scaling rules say little) and lr / expected ∉ [`bandLow` 0.5, `bandHigh` 2] (the table's [proposal]
 * band). Expected: SGD 0.1·B/256 (§4.1); Adam-family `adamRef`·√(B/256) with `adamRef` = 1e-3
 * (AUTOTRAINER's Adam-family base LR 0.001, §2.1). Skipped for pretrained models (fine-tuning LRs
 * follow R08, not the from-scratch references).
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
import { spikeOptions, SPIKE_DEFAULTS, trainLossSeries } from './divergence';
import type { Rule, RunContext, Thresholds } from './rule';
import { detectSpikes } from './spikes';
import { configFinding, hasGradClip, isOn, logFinding, optimizerFamily, type OptimizerFamily } from './util';

export interface BatchInfo {
  effective: number;
  perDevice: number;
  devices: number;
  accumulation: number;
}

export function effectiveBatch(c: TrainingConfig): BatchInfo | undefined {
  const b = c.batchSize?.value;
  if (!(typeof b === 'number' && b > 0)) return undefined;
  const d = c.devices?.value && c.devices.value > 0 ? c.devices.value : 1;
  const a = c.gradAccumulation?.value && c.gradAccumulation.value > 0 ? c.gradAccumulation.value : 1;
  return { effective: b * d * a, perDevice: b, devices: d, accumulation: a };
}

/** Optimizer family, with the style's default when the config does not name one (§3.6 HF adamw, §3.7 timm sgd). */
export function configOptimizerFamily(c: TrainingConfig): OptimizerFamily {
  const f = optimizerFamily(c.optimizer?.value);
  if (f !== 'unknown' || c.optimizer) return f;
  if (c.style === 'hf-training-args') return 'adam';
  if (c.style === 'timm') return 'sgd';
  return 'unknown';
}

export function expectedLr(family: OptimizerFamily, batch: number, t: Thresholds): number {
  if (family === 'sgd') return (t.sgdRef * batch) / t.refBatch;
  if (family === 'adam') return t.adamRef * Math.sqrt(batch / t.refBatch);
  return NaN;
}

function batchText(b: BatchInfo): string {
  const parts = [String(b.perDevice)];
  if (b.devices > 1) parts.push(`${b.devices} devices`);
  if (b.accumulation > 1) parts.push(`${b.accumulation} accumulation steps`);
  return parts.length > 1 ? `${b.effective} (${parts.join(' × ')})` : String(b.effective);
}

const hasClip = (c: TrainingConfig) => hasGradClip(c);

/** True when the config describes a large-batch setup in the R11 sense. */
export function isLargeBatch(c: TrainingConfig, t: Thresholds): { batch?: BatchInfo; lrHigh: boolean } | undefined {
  const b = effectiveBatch(c);
  const lr = c.lr?.value;
  // R11's "scaled lr ≥ 4× lr_ref" is about an LR raised *for* a batch above the 256 reference; a high
  // LR at a small batch is a plain too-high LR (divergence / update-ratio), not this scenario.
  const lrHigh =
    configOptimizerFamily(c) === 'sgd' && typeof lr === 'number' && lr >= t.lrFactor * t.sgdRef && b !== undefined && b.effective > t.refBatch;
  if ((b && b.effective >= t.largeBatch) || lrHigh) return { batch: b, lrHigh };
  return undefined;
}

const COMMON = { refBatch: 256, sgdRef: 0.1, adamRef: 1e-3, largeBatch: 1024, lrFactor: 4 };

export const largeBatchNoWarmupRule: Rule = {
  id: 'large-batch-no-warmup',
  scenario: 'large-batch',
  defaultSeverity: 'warning',
  defaults: { ...COMMON, warmupEpochs: 5, warmupRatio: 0.1 },
  checkConfig(config: TrainingConfig, t: Thresholds): Finding[] {
    const lb = isLargeBatch(config, t);
    if (!lb) return [];
    const w = config.warmup;
    if (w && typeof w.value === 'number' && w.value > 0) return [];
    const at = w ?? config.batchSize ?? config.lr;
    if (!at) return [];
    const clip = hasClip(config);
    const why = lb.batch && lb.batch.effective >= t.largeBatch ? `effective batch ${batchText(lb.batch)}` : `LR ${fmt(config.lr!.value)} (≥ ${t.lrFactor}× the ${t.sgdRef} reference)`;
    const msg =
      `${why} with no LR warmup: the first large steps can blow up the loss. Warm up linearly over ~${t.warmupEpochs} epochs (or ~${Math.round(t.warmupRatio * 100)}% of steps)` +
      (clip ? '.' : ' and clip gradients (no clipping is configured).');
    return [
      configFinding(config, 'large-batch', 'large-batch-no-warmup', 'warning', msg, at, {
        effectiveBatch: lb.batch?.effective ?? null,
        batch: lb.batch?.perDevice ?? null,
        devices: lb.batch?.devices ?? null,
        accumulation: lb.batch?.accumulation ?? null,
        lr: config.lr?.value ?? null,
        warmupKey: w?.key ?? null,
        suggestedWarmupEpochs: t.warmupEpochs,
        suggestedWarmupRatio: t.warmupRatio,
        gradClip: clip,
      }),
    ];
  },
};

export const largeBatchLrScalingRule: Rule = {
  id: 'large-batch-lr-scaling',
  scenario: 'large-batch',
  defaultSeverity: 'information',
  defaults: { ...COMMON, minBatch: 512, bandLow: 0.5, bandHigh: 2 },
  checkConfig(config: TrainingConfig, t: Thresholds): Finding[] {
    const b = effectiveBatch(config);
    const lr = config.lr;
    if (!b || !lr || !(lr.value > 0) || b.effective < t.minBatch) return [];
    if (isOn(config.pretrained)) return [];
    const family = configOptimizerFamily(config);
    const expected = expectedLr(family, b.effective, t);
    if (!(expected > 0)) return [];
    const ratio = lr.value / expected;
    if (ratio >= t.bandLow && ratio <= t.bandHigh) return [];
    const rule = family === 'sgd' ? `linear rule ${t.sgdRef}·B/${t.refBatch}` : `square-root rule ${fmt(t.adamRef)}·√(B/${t.refBatch})`;
    const clip = hasClip(config);
    const msg =
      `lr ${fmt(lr.value)} at effective batch ${batchText(b)} is ×${fmt(ratio)} the ${rule} = ${fmt(expected)} (${family === 'sgd' ? 'SGD' : 'Adam-family'}); ` +
      (ratio < t.bandLow ? 'the LR was probably not scaled up with the batch (slow training).' : 'the LR is above the scaling rule (unstable early training).') +
      (clip ? '' : ' No gradient clipping is configured.');
    return [
      configFinding(config, 'large-batch', 'large-batch-lr-scaling', 'information', msg, lr, {
        lr: lr.value,
        suggestedLr: expected,
        ratio,
        effectiveBatch: b.effective,
        batch: b.perDevice,
        devices: b.devices,
        accumulation: b.accumulation,
        scaling: family === 'sgd' ? 'linear' : 'sqrt',
        gradClip: clip,
      }),
    ];
  },
};

export const largeBatchEarlyInstabilityRule: Rule = {
  id: 'large-batch-early-instability',
  scenario: 'large-batch',
  defaultSeverity: 'warning',
  defaults: { ...COMMON, earlyShare: 0.1, ...SPIKE_DEFAULTS },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const c = ctx.config;
    if (!c) return [];
    const lb = isLargeBatch(c, t);
    if (!lb) return [];
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
    const top = spikes.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const lr = ctx.run.series('lr');
    let noWarmupSeen = false;
    if (lr && lr.length > 1) {
      let max = -Infinity;
      for (let i = 0; i < lr.length; i++) if (lr.value(i) > max) max = lr.value(i);
      noWarmupSeen = lr.value(0) >= 0.9 * max;
    }
    const st = s.step(top.index);
    const where = Number.isFinite(st) ? `step ${st}` : Number.isFinite(s.epoch(top.index)) ? `epoch ${fmtEpoch(s.epoch(top.index))}` : `line ${s.line(top.index)}`;
    const why = lb.batch && lb.batch.effective >= t.largeBatch ? `effective batch ${batchText(lb.batch)}` : `high LR ${fmt(c.lr?.value ?? NaN)}`;
    const clip = hasClip(c);
    const msg =
      `${s.name} spiked ${spikes.length} time${spikes.length > 1 ? 's' : ''} in the first ${Math.round(t.earlyShare * 100)}% of training (×${fmt(top.ratio)} at ${where}) with ${why}` +
      (noWarmupSeen ? ' and no warmup in the logged LR' : '') +
      `: large-batch early instability — warm up the LR${clip ? '' : ', clip gradients'} and check the LR scaling.`;
    return [
      logFinding(ctx, 'large-batch', 'large-batch-early-instability', 'warning', msg, { line: s.line(top.index), fileIndex: s.fileIndex(top.index) }, {
        count: spikes.length,
        maxRatio: top.ratio,
        value: top.value,
        median: top.median,
        step: Number.isFinite(st) ? st : null,
        effectiveBatch: lb.batch?.effective ?? null,
        noWarmupInLog: noWarmupSeen,
        gradClip: clip,
        lines: spikes.slice(0, 20).map((p) => s.line(p.index)),
      }),
    ];
  },
};

export const LARGE_BATCH_RULES: Rule[] = [largeBatchNoWarmupRule, largeBatchLrScalingRule, largeBatchEarlyInstabilityRule];
