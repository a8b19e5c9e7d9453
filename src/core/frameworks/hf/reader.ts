/**
 * Hugging Face `TrainingArguments`, as `args.to_json_string()` / `to_dict()` writes them
 * (`training_args.json`, W&B and MLflow records of a Trainer run), and the YAML wrappers that reuse the
 * same names: LLaMA-Factory (`finetuning_type`, `model_name_or_path`), axolotl (`base_model`,
 * `micro_batch_size`, `num_epochs`, `lr_scheduler`, `optimizer`, `adapter`, `early_stopping_patience`).
 * Field names and defaults from huggingface/transformers `src/transformers/training_args.py`:
 * `learning_rate` 5e-5, `per_device_train_batch_size` 8, `gradient_accumulation_steps` 1,
 * `lr_scheduler_type` linear, `warmup_steps` 0 (v5: a float in [0, 1) is a ratio), `warmup_ratio` 0
 * (deprecated in v5), `num_train_epochs` 3, `max_steps` -1, `max_grad_norm` 1.0 (0 disables clipping),
 * `load_best_model_at_end` false, `seed` 42, `optim` adamw_torch. `early_stopping_patience` belongs
 * to `EarlyStoppingCallback`, written as a key only by wrappers.
 */
import type { TrainingConfig } from '../../config/training-config';
import type { CMap } from '../../config/tree';
import { at, bool, countKeys, first, isNull, mk, num, numOrNull, numberOf, str, stringOf } from '../../config/extract';
import type { Ctx, StyleReader } from '../../config/extract';
import { freezeValue, pretrainedValue } from '../plain/reader';
import { readHfSemantics } from './semantics';

const HF_KEYS = [
  'per_device_train_batch_size', 'gradient_accumulation_steps', 'lr_scheduler_type', 'num_train_epochs', 'warmup_ratio',
  'warmup_steps', 'max_grad_norm', 'load_best_model_at_end', 'output_dir', 'logging_steps', 'eval_strategy',
  'evaluation_strategy', 'save_strategy', 'optim', 'adam_beta1', 'adam_epsilon', 'logging_nan_inf_filter',
  'metric_for_best_model', 'overwrite_output_dir', 'per_device_eval_batch_size',
  // LLaMA-Factory / axolotl
  'finetuning_type', 'stage', 'micro_batch_size', 'base_model', 'lora_r', 'lora_rank', 'lora_target',
];

export const hfTrainingArgsReader: StyleReader = {
  style: 'hf-training-args',
  rank: 6,
  detect(root: CMap): number {
    const n = countKeys(root, HF_KEYS);
    const lr = countKeys(root, ['learning_rate']);
    if (lr && n >= 2) return 3 + n / 10;
    if (n >= 4) return 2 + n / 10;
    return 0;
  },
  extract(ctx: Ctx, out: TrainingConfig): void {
    out.lr = num(ctx, 'learning_rate');
    out.batchSize = first(num(ctx, 'per_device_train_batch_size'), num(ctx, 'micro_batch_size'), num(ctx, 'train_batch_size'));
    out.gradAccumulation = num(ctx, 'gradient_accumulation_steps');
    out.scheduler = first(str(ctx, 'lr_scheduler_type'), str(ctx, 'lr_scheduler'));
    out.optimizer = first(str(ctx, 'optim'), str(ctx, 'optimizer'));
    out.epochs = first(num(ctx, 'num_train_epochs'), num(ctx, 'num_epochs'));
    const steps = num(ctx, 'max_steps');
    if (steps && steps.value > 0) out.maxSteps = steps;
    out.gradClip = numOrNull(ctx, 'max_grad_norm', 0);
    out.seed = num(ctx, 'seed');
    out.restoreBest = bool(ctx, 'load_best_model_at_end');

    // Warmup: a non-zero warmup_steps wins (it overrides warmup_ratio in v4); a float < 1 is a ratio (v5).
    const ws = num(ctx, 'warmup_steps');
    const wr = num(ctx, 'warmup_ratio');
    if (ws && ws.value > 0) {
      out.warmup = ws;
      out.warmupUnit = ws.value < 1 ? 'ratio' : 'steps';
    } else if (wr) {
      out.warmup = wr;
      out.warmupUnit = 'ratio';
    } else if (ws) {
      out.warmup = ws;
      out.warmupUnit = 'steps';
    }

    const es = at(ctx, 'early_stopping_patience');
    if (es) {
      const n = numberOf(es.node);
      if (n !== undefined) out.earlyStopping = mk(ctx, es, n);
      else if (isNull(es.node)) out.earlyStopping = mk(ctx, es, false);
    }

    for (const key of ['model_name_or_path', 'base_model', 'pretrained_model_name_or_path']) {
      const l = at(ctx, key);
      const v = l && pretrainedValue(l.node);
      if (l && v !== undefined) {
        out.pretrained = mk(ctx, l, v);
        break;
      }
    }
    // LLaMA-Factory `finetuning_type: lora|freeze|full`, axolotl `adapter: lora|qlora`: the base is frozen.
    const ft = str(ctx, 'finetuning_type');
    const adapter = at(ctx, 'adapter');
    if (ft) out.freeze = ft.value === 'full' ? { ...ft, value: false } : ft;
    else if (adapter && stringOf(adapter.node) && !isNull(adapter.node)) out.freeze = mk(ctx, adapter, stringOf(adapter.node) as string);
    else {
      const fl = at(ctx, 'freeze_trainable_layers');
      const v = fl && freezeValue(fl.node);
      if (fl && v !== undefined) out.freeze = mk(ctx, fl, v);
    }
    readHfSemantics(ctx, out);
  },
};
