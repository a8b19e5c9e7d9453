/**
 * What a Hugging Face config means beyond its keys. Defaults from huggingface/transformers
 * `src/transformers/training_args.py` (00349ae87eddc872ffa21a8a54f264375a0056a8): `optim` adamw_torch
 * (adamw_torch_fused with torch ≥ 2.8, the same family), `max_grad_norm` 1.0
 * (clipping is on unless it is 0), `warmup_steps`/`warmup_ratio` 0 (no warmup), and the best checkpoint
 * chosen on `metric_for_best_model`, "loss" (the `eval_loss` of evaluations) when unset. Adapters
 * (only their weights train): LLaMA-Factory `finetuning_type: lora|oft` (hiyouga/LLaMA-Factory
 * `hparams/finetuning_args.py`; `freeze` and `full` train the model's own weights), axolotl
 * `adapter: lora|qlora`, a LoRA rank (`lora_r`, `lora_rank`) and ChatGLM P-tuning v2 `pre_seq_len`.
 */
import { at, bool, isNull, mk, num, numberOf, str, stringOf } from '../../config/extract';
import type { Ctx } from '../../config/extract';
import type { Setting, TrainingConfig } from '../../config/training-config';

const HF_MAX_GRAD_NORM = 1.0;
const HF_BEST_METRIC = 'eval_loss';
const HF_OPTIMIZER = 'adamw_torch';

function adapterOf(ctx: Ctx): Setting<string> | undefined {
  const ft = str(ctx, 'finetuning_type');
  if (ft) return ft.value === 'lora' || ft.value === 'oft' ? ft : undefined;
  const adapter = at(ctx, 'adapter');
  const name = adapter && !isNull(adapter.node) ? stringOf(adapter.node) : undefined;
  if (adapter && name) return mk(ctx, adapter, name);
  for (const key of ['lora_r', 'lora_rank']) {
    const r = num(ctx, key);
    if (r && r.value > 0) return { ...r, value: 'lora' };
  }
  const pre = at(ctx, 'pre_seq_len');
  const n = pre && numberOf(pre.node);
  if (pre && n !== undefined && n > 0) return mk(ctx, pre, 'p-tuning');
  // The PEFT examples' `use_peft` flag (huggingface/peft examples/int8_training/run_adalora_whisper_int8.sh @ 5d602fdb).
  const peft = at(ctx, 'use_peft');
  if (peft && bool(ctx, 'use_peft')?.value === true) return mk(ctx, peft, 'peft');
  return undefined;
}

export function readHfSemantics(ctx: Ctx, out: TrainingConfig): void {
  out.adapter = adapterOf(ctx);
  out.weightDecay = num(ctx, 'weight_decay');
  out.monitor = str(ctx, 'metric_for_best_model');
  out.builtIn = {
    ...(at(ctx, 'max_grad_norm') ? {} : { gradClip: HF_MAX_GRAD_NORM }),
    ...(at(ctx, 'warmup_steps') || at(ctx, 'warmup_ratio') ? {} : { warmup: { value: 0, unit: 'steps' as const } }),
    monitor: HF_BEST_METRIC,
    ...(out.optimizer ? {} : { optimizer: HF_OPTIMIZER }),
  };
}
