/**
 * Scenario `early-stopping`, rule `no-validation`: a long run whose log holds no validation or
 * evaluation series at all. Early stopping, the best-checkpoint choice and any overfitting diagnosis
 * need a held-out curve; without one a run can memorise its training set for a hundred epochs unseen
 * (real-logs #13 hf_chatglm_ptuning_noeval: 130 epochs to a train loss of 0.003, no eval entry).
 *
 * - "long": the log's last epoch is ≥ `minEpochs` = 50 [proposal: many passes over the same data is
 *   where memorising starts to matter; an LLM fine-tune of 1–3 epochs or a pretraining run measured in
 *   steps, which often evaluate rarely or apart, is left alone];
 * - "no validation": no series whose name reads as held-out data (val/valid/eval/test/dev prefixes or
 *   parts, camelCase `valLoss`) or as a metric only computed on it (mAP, PSNR, SSIM, BLEU, ROUGE, WER,
 *   top-1/top-5, Acc@1, F1, precision, recall, perplexity);
 * - the training loss fell below `memorised` = 1/10 of its first value: the regime where only a held-out
 *   curve tells learning from memorising [proposal: #13 ends at 0.07 % of its start; a run whose loss
 *   stays high, such as a 20-epoch Keras MNIST run stuck at 2.30, has a different problem, which
 *   `lr-range` reports].
 * → information at the last training-loss point. The log cannot tell whether evaluation is off on
 * purpose (a separate evaluation job, a run meant to memorise): the message says what is missing, not
 * that the run is wrong.
 */
import { fmt, fmtEpoch } from '../run/stats';
import type { Run } from '../run/run';
import type { Finding } from '../types';
import { trainLossSeries } from './divergence';
import type { Rule, RunContext, Thresholds } from './rule';
import { logFinding } from './util';

export type NoValidationEvidence = {
  metric: string;
  epochs: number;
  first: number;
  last: number;
};

const HELD_OUT_PART = /(^|[^a-z])(val|valid|validation|eval|evaluation|test|testing|dev)([^a-z]|$)/i;
const HELD_OUT_CAMEL = /(^|[^a-zA-Z])([vV]al|[vV]alid|[eE]val|[tT]est|[dD]ev)[A-Z0-9]/;
const HELD_OUT_METRIC = /map|psnr|ssim|bleu|rouge|(^|[^a-z])c?wer([^a-z]|$)|top-?[15]|acc@|(^|[^a-z])f1|precision|recall|perplexity/i;

/** Whether a metric name reads as computed on held-out data. */
export function isHeldOutName(name: string): boolean {
  return HELD_OUT_PART.test(name) || HELD_OUT_CAMEL.test(name) || HELD_OUT_METRIC.test(name);
}

function hasHeldOutSeries(run: Run): boolean {
  return run.names().some((n) => isHeldOutName(n) && (run.series(n)?.length ?? 0) > 0);
}

function lastEpoch(run: Run, names: readonly string[]): number {
  let e = NaN;
  for (const n of names) {
    const s = run.series(n);
    if (!s || s.length === 0) continue;
    const v = s.epoch(s.length - 1);
    if (Number.isFinite(v) && !(v <= e)) e = v;
  }
  return e;
}

export const noValidationRule: Rule = {
  id: 'no-validation',
  scenario: 'early-stopping',
  defaultSeverity: 'information',
  defaults: { minEpochs: 50, memorised: 0.1 },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const s = trainLossSeries(ctx);
    if (!s || s.length < 2) return [];
    const epochs = lastEpoch(ctx.run, [s.name, 'train_loss', 'lr', 'epoch']);
    if (!(epochs >= t.minEpochs)) return [];
    if (hasHeldOutSeries(ctx.run)) return [];
    const i = s.length - 1;
    const first = s.value(0);
    const last = s.value(i);
    if (!(first > 0) || !(last <= first * t.memorised)) return [];
    const msg =
      `${fmtEpoch(epochs)} epochs of training with no validation or evaluation metric in this log (${s.name} ${fmt(first)} → ${fmt(last)}): ` +
      `nothing shows whether the model still generalises or only memorises its training set, and early stopping has nothing to watch. ` +
      `Hold out a validation split and evaluate it every epoch or so (Hugging Face: eval_strategy="epoch" with an eval_dataset), keeping the best checkpoint.`;
    return [logFinding(ctx, 'early-stopping', 'no-validation', 'information', msg, { line: s.line(i), fileIndex: s.fileIndex(i) }, { metric: s.name, epochs, first, last })];
  },
};
