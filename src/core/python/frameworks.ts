/**
 * Trainers that own the loop: Hugging Face `TrainingArguments` (and TRL's configs, which subclass it),
 * Lightning `Trainer`, Keras `compile`/`fit`; the early-stopping callbacks any of them take; and a
 * W&B sweep dict handed to `wandb.sweep`.
 *
 * HF keywords are read by the same reader as `training_args.json` (config/styles/hf-training-args.ts).
 * What TrainingArguments does without a keyword, from huggingface/transformers
 * src/transformers/training_args.py (v4.46): `optim` "adamw_torch", `max_grad_norm` 1.0.
 * Lightning Trainer keywords from Lightning-AI/pytorch-lightning src/lightning/pytorch/trainer/trainer.py:
 * `max_epochs`, `max_steps`, `devices`, `accumulate_grad_batches`, `gradient_clip_val`, `callbacks`.
 */
import { hfTrainingArgsReader } from '../frameworks/hf/reader';
import { wandbSweepReader } from '../frameworks/wandb/reader';
import type { TrainingConfig } from '../config/training-config';
import { bool, first, num, str } from '../config/extract';
import type { PyCall } from './calls';
import { asKeyword, keywordsOf, settingAt } from './context';
import type { Reading } from './context';
import { evaluate } from './evaluate';
import { argument } from './syntax';

const HF_ARGS = /^(TrainingArguments|Seq2SeqTrainingArguments|SFTConfig|DPOConfig|ORPOConfig|KTOConfig|CPOConfig|GRPOConfig|RewardConfig)$/;
const fromHf = (c: PyCall) => /^(transformers|trl)\b/.test(c.path) || c.path === c.name;

const HF_TRAINERS = /^(Trainer|Seq2SeqTrainer|SFTTrainer|DPOTrainer|ORPOTrainer|KTOTrainer|GRPOTrainer|RewardTrainer)$/;

export const isHfArguments = (c: PyCall): boolean => HF_ARGS.test(c.name) && fromHf(c);
export const isHfTrainer = (c: PyCall): boolean => HF_TRAINERS.test(c.name) && /^(transformers|trl)\b/.test(c.path);

export function readHfArguments(r: Reading): void {
  const trainer = r.calls.find(isHfTrainer);
  if (trainer) r.trains.push(trainer.node);
  const call = r.calls.find(isHfArguments);
  if (!call) return;
  r.trains.push(call.node);
  const ctx = keywordsOf(r, call);
  const hf: TrainingConfig = { file: r.out.file, format: 'python', style: 'python-script' };
  hfTrainingArgsReader.extract(ctx, hf);
  for (const [k, v] of Object.entries(hf) as [keyof TrainingConfig, unknown][]) {
    if (v !== undefined && k !== 'file' && k !== 'format' && k !== 'style') (r.out as unknown as Record<string, unknown>)[k] = v;
  }
  r.out.monitor ??= str(ctx, 'metric_for_best_model');
  if (!r.out.optimizer) r.out.optimizer = settingAt(r, 'optim', 'adamw_torch', call.node, call.node.firstChild ?? call.node);
  if (!hf.gradClip) r.out.builtIn = { ...r.out.builtIn, gradClip: 1.0 };
}

const LIGHTNING = /^(lightning|pytorch_lightning)(\.pytorch)?\.Trainer$/;
export const isLightningTrainer = (c: PyCall): boolean => LIGHTNING.test(c.path);
/** Keras `fit` with `epochs=`; sklearn's `fit(X, y)` has none. */
export const isKerasFit = (c: PyCall): boolean => c.name === 'fit' && c.args.some((a) => a.name === 'epochs');

export function readLightningTrainer(r: Reading): void {
  const call = r.calls.find(isLightningTrainer);
  if (!call) return;
  r.trains.push(call.node);
  const ctx = keywordsOf(r, call);
  r.out.epochs ??= num(ctx, 'max_epochs');
  const steps = num(ctx, 'max_steps');
  if (steps && steps.value > 0) r.out.maxSteps ??= steps;
  r.out.gradAccumulation ??= num(ctx, 'accumulate_grad_batches');
  r.out.gradClip ??= num(ctx, 'gradient_clip_val');
  const devices = first(num(ctx, 'devices'), num(ctx, 'gpus'));
  if (devices) r.out.devices ??= devices;
}

/** Keras `model.compile(optimizer='adam')` and `model.fit(…, epochs=N, batch_size=B)`. */
export function readKeras(r: Reading): void {
  const compile = r.calls.find((c) => c.name === 'compile' && c.args.some((a) => a.name === 'optimizer'));
  if (compile) {
    const ctx = keywordsOf(r, compile);
    const named = str(ctx, 'optimizer');
    if (named) {
      r.out.optimizer ??= named;
      r.trains.push(compile.node);
    }
  }
  const fit = r.calls.find(isKerasFit);
  if (!fit) return;
  r.trains.push(fit.node);
  const ctx = keywordsOf(r, fit);
  r.out.epochs ??= num(ctx, 'epochs');
  r.out.batchSize ??= num(ctx, 'batch_size');
}

/**
 * Early stopping, whoever provides it: Keras and Lightning `EarlyStopping(monitor, patience)`, HF
 * `EarlyStoppingCallback(early_stopping_patience)`, a script's own `EarlyStopping` class. Keras
 * `restore_best_weights=True` keeps the best weights.
 */
export function readEarlyStopping(r: Reading): void {
  const call = r.calls.find((c) => /^(EarlyStopping|EarlyStoppingCallback|EarlyStopper)$/.test(c.name));
  if (!call) return;
  const ctx = keywordsOf(r, call);
  r.out.earlyStopping ??= first<number | boolean | string>(num(ctx, 'patience'), num(ctx, 'early_stopping_patience')) ?? settingAt(r, call.name, true, call.node);
  const restore = bool(ctx, 'restore_best_weights');
  if (restore?.value) r.out.restoreBest ??= restore;
  r.out.monitor ??= str(ctx, 'monitor');
}

/** `wandb.sweep(sweep_config)` with the config a dict literal: read as a W&B sweep file would be. */
export function readWandbSweep(r: Reading): void {
  const call = r.calls.find((c) => c.path === 'wandb.sweep');
  if (!call) return;
  const arg = argument(call.args, 'sweep', 0);
  const root = evaluate(r, arg?.value);
  if (root?.kind !== 'map' || wandbSweepReader.detect(root) === 0) return;
  const ctx = keywordsOf(r, call, asKeyword(undefined, 'sweep'));
  const swept: TrainingConfig = { file: r.out.file, format: 'python', style: 'python-script' };
  wandbSweepReader.extract({ parsed: ctx.parsed, root }, swept);
  if (swept.sweep) {
    r.out.sweep = swept.sweep;
    r.trains.push(call.node);
  }
}
