/**
 * Scenario `fine-tuning` (course scenario 8: a high LR on all layers destroys pretrained features; use
 * ≈ 0.1× the base LR and freeze early layers).
 *
 * Config rule `finetune-lr-high` (R08 + R09, ANALYZER_ANCHORS §5.4, §4.4):
 * - pretrained (`pretrained: true`, a checkpoint path, `model_name_or_path`, `weights=`) and
 *   · Adam-family lr > `adamMax` = 1e-4 (R08 ft_adam_warn: 2× the top of the BERT grid 5e-5); the
 *     message escalates the wording above `adamHigh` = 1e-3;
 *   · SGD lr > `sgdMax` = 0.01 (0.1× the 0.1 scratch reference at B = 256: Caffe 0.01 → 0.001,
 *     torchvision/timm 0.1);
 *   · any other / unknown optimizer lr > `anyMax` = 0.01 (UMLAUT's "Learning Rate is high", §2.3);
 *   → warning on the lr key, suggesting 0.1× the LR (course answer) bounded by the family's limit.
 * - R09 (nothing frozen) is folded into this finding rather than reported alone: the course's failure is
 *   the combination "retrain all layers with a high learning rate"; a pretrained model trained end to
 *   end at a fine-tuning LR is the normal recipe (BERT, YOLO fine-tunes such as the real logs
 *   yolov5_driving_healthy at SGD 0.01), so a lone "nothing frozen" note on every such config would be
 *   noise. The evidence says whether anything is frozen.
 *
 * Log rule `finetune-forgetting` (R08 "CRITICAL if the loss also diverges"): when the config beside the
 * log says pretrained, the first evaluations destroy the starting point:
 * - val_acc: min of evaluations 2…(1 + `earlyEvals` = 3) below the first by ≥ `accDrop` = 0.05 (5 points
 *   of accuracy) [proposal], or
 * - val_loss: max of those above the first by ≥ `lossRise` = 50 % [proposal: the R14 ±50 % band],
 * → warning at the worst evaluation.
 */
import type { TrainingConfig } from '../config/training-config';
import { perEval } from '../run/aggregate';
import { fmt, fmtEpoch } from '../run/stats';
import type { Finding } from '../types';
import type { Rule, RunContext, Thresholds } from './rule';
import { accScale, configFinding, isOn, logFinding, optimizerFamily } from './util';

export const finetuneLrHighRule: Rule = {
  id: 'finetune-lr-high',
  scenario: 'fine-tuning',
  defaultSeverity: 'warning',
  defaults: { adamMax: 1e-4, adamHigh: 1e-3, sgdMax: 0.01, anyMax: 0.01, factor: 0.1 },
  checkConfig(config: TrainingConfig, t: Thresholds): Finding[] {
    if (!isOn(config.pretrained) || !config.lr) return [];
    const lr = config.lr.value;
    if (!(lr > 0)) return [];
    const family = optimizerFamily(config.optimizer?.value) === 'unknown' && !config.optimizer && config.style === 'hf-training-args' ? 'adam' : optimizerFamily(config.optimizer?.value);
    const limit = family === 'adam' ? t.adamMax : family === 'sgd' ? t.sgdMax : t.anyMax;
    if (!(lr > limit)) return [];
    const frozen = isOn(config.freeze);
    const suggested = Math.min(lr * t.factor, limit);
    const famText = family === 'adam' ? 'Adam-family' : family === 'sgd' ? 'SGD' : 'any optimizer';
    const pre = config.pretrained!;
    const what = typeof pre.value === 'string' ? `pretrained weights (${pre.value})` : 'a pretrained model';
    const msg =
      `fine-tuning ${what} at lr ${fmt(lr)}: above the fine-tuning range for ${famText} (≤ ${fmt(limit)})` +
      (family === 'adam' && lr > t.adamHigh ? ', an order of magnitude too high' : '') +
      (frozen ? '' : ' with nothing frozen') +
      ` — large updates overwrite the pretrained features. Use ≈ ${fmt(suggested)} (0.1× the from-scratch LR)` +
      (frozen ? '.' : ', and freeze the early layers or train the head first.');
    return [
      configFinding(config, 'fine-tuning', 'finetune-lr-high', 'warning', msg, config.lr, {
        lr,
        suggestedLr: suggested,
        limit,
        optimizer: config.optimizer?.value ?? null,
        family,
        pretrained: typeof pre.value === 'string' ? pre.value : true,
        pretrainedKey: pre.key,
        frozen,
      }),
    ];
  },
};

export const finetuneForgettingRule: Rule = {
  id: 'finetune-forgetting',
  scenario: 'fine-tuning',
  defaultSeverity: 'warning',
  defaults: { earlyEvals: 3, accDrop: 0.05, lossRise: 0.5 },
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
      if (first.value > 0 && worst.value >= first.value * (1 + t.lossRise)) {
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
    return [];
  },
};

function where(p: { epoch: number; step: number; line: number }): string {
  if (Number.isFinite(p.epoch)) return `epoch ${fmtEpoch(p.epoch)}`;
  if (Number.isFinite(p.step)) return `step ${p.step}`;
  return `line ${p.line}`;
}

export const FINE_TUNING_RULES: Rule[] = [finetuneLrHighRule, finetuneForgettingRule];
