/**
 * Scenario `fine-tuning` (course scenario 8: a high LR on all layers destroys pretrained features; use
 * ≈ 0.1× the base LR and freeze early layers).
 *
 * Config rule `finetune-lr-high` (R08 + R09, ANALYZER_ANCHORS §5.4, §4.4), judged for the setup the
 * config describes (assessFinetuneLr):
 * - setups whose LR is not the full-model LR of the course's failure are in range whatever the LR:
 *   · an adapter (LoRA/QLoRA at 2e-4, prefix/P-tuning at 2e-2: only the adapter's weights train);
 *   · frozen layers (`freeze`, `freeze_backbone`, detectron2 `MODEL.BACKBONE.FREEZE_AT` ≥ 1, which is 2
 *     when the config does not write it: detectron2/config/defaults.py `_C.MODEL.BACKBONE.FREEZE_AT = 2`);
 *   · layer-wise LR decay (MAE/BEiT `layer_decay` 0.65-0.75: the lower layers train at lr·decay^depth);
 *   · the framework's own default LR for its fine-tunes: Ultralytics lr0 SGD 1e-2 / Adam 1e-3
 *     (ultralytics/cfg/default.yaml, comment of `lr0`); detectron2 SGD at the model zoo's 0.02 per 16
 *     images (configs/Base-RCNN-FPN.yaml `BASE_LR: 0.02`, `IMS_PER_BATCH: 16`), scaled linearly;
 *   · an LR the framework ignores (Ultralytics `optimizer: auto`, `lrIgnored`).
 * - a full fine-tune (nothing of the above) is flagged only when its LR is clearly above the
 *   fine-tuning range of its optimizer family: above `clearFactor` = 3 × the top of the range, the
 *   range being Adam-family ≤ `adamMax` = 1e-4 (R08 ft_adam_warn: 2× the top of the BERT grid 5e-5),
 *   SGD ≤ `sgdMax` = 0.01 (0.1× the 0.1 scratch reference at B = 256: Caffe 0.01 → 0.001,
 *   torchvision/timm 0.1), other/unknown ≤ `anyMax` = 0.01 (UMLAUT's "Learning Rate is high", §2.3).
 *   Between the top of the range and 3× it, real recipes differ (ViT/DeiT fine-tunes at 1e-4-3e-4):
 *   nothing is said. The message escalates the wording above `adamHigh` = 1e-3 for Adam-family.
 *   → warning on the lr key, suggesting 0.1× the LR (course answer) bounded by the range.
 * - R09 (nothing frozen) is folded into this finding rather than reported alone: the course's failure is
 *   the combination "retrain all layers with a high learning rate".
 *
 * Log rule `finetune-forgetting` (R08 "CRITICAL if the loss also diverges"): when the config beside the
 * log says pretrained, the first evaluations destroy the starting point:
 * - val_acc: min of evaluations 2…(1 + `earlyEvals` = 3) below the first by ≥ `accDrop` = 0.05 (5 points
 *   of accuracy) [proposal], or
 * - val_loss: max of those above the first by ≥ `lossRise` = 50 % [proposal: the R14 ±50 % band], or
 * - train loss rising as the logged LR warms up: while the LR climbs to its peak (≥ 2× its first
 *   value), the median train loss of the last third of the warmup is ≥ (1 + `warmupRise` = 25 %) ×
 *   that of the first third [proposal: a real fine-tune whose loss barely moves at a near-zero LR,
 *   mmengine_mmdet_balloon 2.755 → 2.785 (+1 %), stays far below it],
 * → warning at the worst evaluation (or the warmup's worst train-loss point).
 */
import type { TrainingConfig } from '../config/training-config';
import { alignKey, keyOf, perEval, upperBound } from '../run/aggregate';
import { fmt, fmtEpoch, median } from '../run/stats';
import type { Finding } from '../types';
import { effectiveBatch } from './batch';
import { trainLossSeries } from './divergence';
import { peakOf } from './lr-peak';
import type { Rule, RunContext, Thresholds } from './rule';
import { accScale, configFinding, isOn, logFinding, optimizerFamily, type OptimizerFamily } from './util';

/** Why a fine-tune's LR is not the full-model LR the rule judges. */
export type FinetuneProtection = { by: 'adapter' | 'frozen' | 'layer-decay' | 'framework-default' | 'lr-ignored'; text: string };

export type FinetuneLrAssessment =
  | { pretrained: false }
  | {
      pretrained: true;
      family: OptimizerFamily;
      /** Top of the full fine-tuning range for the family. */
      limit: number;
      /** Above this, the LR is clearly out of range. */
      clearLimit: number;
      lr?: number;
      protection?: FinetuneProtection;
      verdict: 'no-lr' | 'protected' | 'in-range' | 'high' | 'clearly-high';
      suggestedLr?: number;
    };

/** The optimizer family of a fine-tune (HF TrainingArguments default to AdamW). */
function finetuneFamily(c: TrainingConfig): OptimizerFamily {
  const f = optimizerFamily(c.optimizer?.value);
  return f === 'unknown' && !c.optimizer ? optimizerFamily(c.builtIn?.optimizer) : f;
}

function protectionOf(c: TrainingConfig, family: OptimizerFamily, lr: number): FinetuneProtection | undefined {
  if (c.lrIgnored) return { by: 'lr-ignored', text: 'the framework chooses its own LR (the one written is ignored)' };
  if (isOn(c.adapter)) return { by: 'adapter', text: `only the adapter trains (${c.adapter!.key} = ${String(c.adapter!.value)})` };
  if (isOn(c.freeze)) return { by: 'frozen', text: `layers are frozen (${c.freeze!.key} = ${JSON.stringify(c.freeze!.value)})` };
  if (c.builtIn?.freeze && !c.freeze) return { by: 'frozen', text: `the framework freezes the ${c.builtIn.freeze} by default` };
  const ld = c.layerDecay?.value;
  if (c.layerDecay && typeof ld === 'number' && ld > 0 && ld < 1) return { by: 'layer-decay', text: `layer-wise LR decay ${fmt(ld)} (${c.layerDecay.key}): the lower layers train at a fraction of the LR` };
  const recipe = c.builtIn?.recipeLr;
  const recipeBase = recipe && family !== 'unknown' ? recipe[family] : undefined;
  if (recipe && recipeBase !== undefined) {
    const perBatch = recipe.perBatch;
    const b = perBatch ? (effectiveBatch(c)?.effective ?? perBatch) : undefined;
    const own = perBatch && b ? (recipeBase * b) / perBatch : recipeBase;
    const what = perBatch ? `${recipe.source} for this batch: ${fmt(own)}` : `${recipe.source} for ${family === 'sgd' ? 'SGD' : 'Adam'} fine-tunes: ${fmt(own)}`;
    if (lr <= own * (1 + 1e-9)) return { by: 'framework-default', text: what };
  }
  return undefined;
}

/** Whether a fine-tune's LR is out of range for the setup the config describes. */
export function assessFinetuneLr(c: TrainingConfig, t: Thresholds): FinetuneLrAssessment {
  if (!isOn(c.pretrained)) return { pretrained: false };
  const family = finetuneFamily(c);
  const limit = family === 'adam' ? t.adamMax : family === 'sgd' ? t.sgdMax : t.anyMax;
  const clearLimit = limit * t.clearFactor;
  const base = { pretrained: true as const, family, limit, clearLimit };
  const lr = c.lr?.value;
  if (!(typeof lr === 'number' && lr > 0)) return { ...base, verdict: 'no-lr' };
  const protection = protectionOf(c, family, lr);
  if (protection) return { ...base, lr, protection, verdict: 'protected' };
  if (!(lr > limit)) return { ...base, lr, verdict: 'in-range' };
  const suggestedLr = Math.min(lr * t.factor, limit);
  return { ...base, lr, verdict: lr > clearLimit ? 'clearly-high' : 'high', suggestedLr };
}

export type FinetuneLrHighEvidence = {
  key: string;
  lr: number;
  suggestedLr: number;
  limit: number;
  optimizer: string | null;
  family: OptimizerFamily;
  pretrained: string | boolean;
  pretrainedKey: string;
  /** Always false: a frozen, adapter or layer-decay setup is in range (kept for readers of older findings). */
  frozen: boolean;
};

export const finetuneLrHighRule: Rule = {
  id: 'finetune-lr-high',
  scenario: 'fine-tuning',
  defaultSeverity: 'warning',
  defaults: { adamMax: 1e-4, adamHigh: 1e-3, sgdMax: 0.01, anyMax: 0.01, factor: 0.1, clearFactor: 3 },
  checkConfig(config: TrainingConfig, t: Thresholds): Finding[] {
    const a = assessFinetuneLr(config, t);
    if (!a.pretrained || a.verdict !== 'clearly-high' || a.lr === undefined || a.suggestedLr === undefined || !config.lr || !config.pretrained) return [];
    const { lr, family, limit } = a;
    const famText = family === 'adam' ? 'Adam-family' : family === 'sgd' ? 'SGD' : 'any optimizer';
    const pre = config.pretrained;
    const what = typeof pre.value === 'string' ? `pretrained weights (${pre.value})` : 'a pretrained model';
    const msg =
      `fine-tuning ${what} at lr ${fmt(lr)} with nothing frozen (no adapter, no layer decay): ×${fmt(lr / limit)} the top of the full fine-tuning range for ${famText} (≤ ${fmt(limit)})` +
      (family === 'adam' && lr > t.adamHigh ? ', an order of magnitude too high' : '') +
      ` — large updates overwrite the pretrained features. Use ≈ ${fmt(a.suggestedLr)} (${a.suggestedLr < limit ? '0.1× the LR' : 'the top of the range'}), or freeze the early layers or train the head first.`;
    return [
      configFinding(config, 'fine-tuning', 'finetune-lr-high', 'warning', msg, config.lr, {
        lr,
        suggestedLr: a.suggestedLr,
        limit,
        optimizer: config.optimizer?.value ?? null,
        family,
        pretrained: typeof pre.value === 'string' ? pre.value : true,
        pretrainedKey: pre.key,
        frozen: false,
      }),
    ];
  },
};

type ForgettingCommon = { first: number; worst: number; firstLine: number; worstLine: number; lr: number | null };
/** val_acc fell by `drop` (fraction of accuracy), or a loss (val_loss, or the train loss during warmup) rose `ratio`×. */
export type FinetuneForgettingEvidence = (ForgettingCommon & { metric: 'val_acc'; drop: number }) | (ForgettingCommon & { metric: string; ratio: number });

export const finetuneForgettingRule: Rule = {
  id: 'finetune-forgetting',
  scenario: 'fine-tuning',
  defaultSeverity: 'warning',
  defaults: { earlyEvals: 3, accDrop: 0.05, lossRise: 0.5, warmupRise: 0.25, minWarmupPoints: 6 },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    if (!isOn(ctx.config?.pretrained)) return [];
    const k = Math.max(1, Math.round(t.earlyEvals));
    const lrText = ctx.config?.lr ? ` at lr ${fmt(ctx.config.lr.value)}` : '';
    const accEvals = perEval(ctx.run, 'val_acc').filter((p) => Number.isFinite(p.value));
    if (accEvals.length >= 2) {
      const scale = accScale(accEvals.map((p) => p.value));
      const first = accEvals[0];
      const next = accEvals.slice(1, 1 + k);
      const worst = next.reduce((a, b) => (b.value < a.value ? b : a));
      const drop = first.value - worst.value;
      if (drop >= t.accDrop * scale) {
        const u = (x: number) => (scale === 1 ? fmt(x) : `${fmt(x)}%`);
        return [
          logFinding(
            ctx,
            'fine-tuning',
            'finetune-forgetting',
            'warning',
            `val_acc fell from ${u(first.value)} at the first evaluation to ${u(worst.value)} at ${where(worst)} while fine-tuning a pretrained model${lrText}: the first updates are destroying the pretrained features — lower the LR (≈ 0.1×), warm up, or freeze the backbone first.`,
            worst,
            { metric: 'val_acc', first: first.value, worst: worst.value, drop: drop / scale, firstLine: first.line, worstLine: worst.line, lr: ctx.config?.lr?.value ?? null },
          ),
        ];
      }
    }
    const lossEvals = perEval(ctx.run, 'val_loss').filter((p) => Number.isFinite(p.value));
    if (lossEvals.length >= 2) {
      const first = lossEvals[0];
      const next = lossEvals.slice(1, 1 + k);
      const worst = next.reduce((a, b) => (b.value > a.value ? b : a));
      // The task metric improving over the same evaluations while the loss rises is over-confidence on
      // the examples still wrong, not forgetting (the HF course's MRPC fine-tune at 2e-5, saved in
      // huggingface/notebooks course/videos/trainer_api.ipynb: eval_loss 0.41 → 0.71 while accuracy
      // rose 0.82 → 0.86).
      const accHeld = accEvals.length >= 2 && Math.min(...accEvals.slice(1, 1 + k).map((p) => p.value)) >= accEvals[0].value;
      if (first.value > 0 && worst.value >= first.value * (1 + t.lossRise) && !accHeld) {
        return [
          logFinding(
            ctx,
            'fine-tuning',
            'finetune-forgetting',
            'warning',
            `val_loss rose from ${fmt(first.value)} at the first evaluation to ${fmt(worst.value)} (×${fmt(worst.value / first.value)}) at ${where(worst)} while fine-tuning a pretrained model${lrText}: the first updates are destroying the pretrained features — lower the LR (≈ 0.1×), warm up, or freeze the backbone first.`,
            worst,
            { metric: 'val_loss', first: first.value, worst: worst.value, ratio: worst.value / first.value, firstLine: first.line, worstLine: worst.line, lr: ctx.config?.lr?.value ?? null },
          ),
        ];
      }
    }
    const rise = warmupRise(ctx, t);
    if (rise) {
      const { s, head, worst } = rise;
      const p = { epoch: s.epoch(worst), step: s.step(worst), line: s.line(worst) };
      return [
        logFinding(
          ctx,
          'fine-tuning',
          'finetune-forgetting',
          'warning',
          `${s.name} rose from ${fmt(head)} to ${fmt(s.value(worst))} at ${where(p)} while the LR warmed up, fine-tuning a pretrained model${lrText}: the LR the warmup climbs to is too high for the pretrained weights — lower the peak LR (≈ 0.1×) or freeze the backbone first.`,
          { line: s.line(worst), fileIndex: s.fileIndex(worst) },
          { metric: s.name, first: head, worst: s.value(worst), ratio: rise.ratio, firstLine: s.line(0), worstLine: s.line(worst), lr: ctx.config?.lr?.value ?? null },
        ),
      ];
    }
    return [];
  },
};

/**
 * Train loss over the logged warmup (first LR value → LR peak, the peak ≥ 2× the first): rising when the
 * median of its last third is ≥ (1 + warmupRise) × the median of its first third.
 */
export function warmupRise(ctx: RunContext, t: Thresholds): WarmupRise | undefined {
  const lr = ctx.run.series('lr');
  const s = trainLossSeries(ctx);
  if (!lr || !s || lr.length < 3) return undefined;
  const peak = peakOf(lr);
  if (peak === 0 || !(lr.value(peak) >= 2 * Math.max(0, lr.value(0)))) return undefined;
  const k = alignKey(lr, s);
  const end = upperBound(s, k, keyOf(lr, peak, k));
  if (end < t.minWarmupPoints) return undefined;
  // Once the LR has peaked, appends land after the warmup: the answer is the one already computed.
  const key = [peak, lr.value(peak), end, s.value(0), s.line(0), s.value(end - 1), s.line(end - 1), t.warmupRise];
  const memo = warmupMemo.get(s);
  if (memo && memo.lr === lr && memo.key.every((x, i) => Object.is(x, key[i]))) return memo.result;
  const result = warmupRiseOver(s, end, t);
  warmupMemo.set(s, { lr, key, result });
  return result;
}

type WarmupRise = { s: NonNullable<ReturnType<typeof trainLossSeries>>; head: number; ratio: number; worst: number };
const warmupMemo = new WeakMap<object, { lr: object; key: number[]; result: WarmupRise | undefined }>();

function warmupRiseOver(s: WarmupRise['s'], end: number, t: Thresholds): WarmupRise | undefined {
  const vals: number[] = [];
  for (let i = 0; i < end; i++) vals.push(s.value(i));
  if (!vals.every(Number.isFinite)) return undefined;
  const third = Math.max(1, Math.floor(vals.length / 3));
  const head = median(vals.slice(0, third));
  const tail = median(vals.slice(vals.length - third));
  if (!(head > 0) || !(tail >= head * (1 + t.warmupRise))) return undefined;
  let worst = 0;
  for (let i = 1; i < end; i++) if (vals[i] > vals[worst]) worst = i;
  return { s, head, ratio: tail / head, worst };
}

function where(p: { epoch: number; step: number; line: number }): string {
  if (Number.isFinite(p.epoch)) return `epoch ${fmtEpoch(p.epoch)}`;
  if (Number.isFinite(p.step)) return `step ${p.step}`;
  return `line ${p.line}`;
}

export const FINE_TUNING_RULES: Rule[] = [finetuneLrHighRule, finetuneForgettingRule];
