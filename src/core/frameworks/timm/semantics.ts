/**
 * What a timm `args.yaml` means beyond its keys, from huggingface/pytorch-image-models `train.py`
 * (aa4b5850c1543fa488abf260f18390eda46cf85d): with `lr` null the LR is derived from `lr_base` (0.1) at
 * `lr_base_size` (256) for the global batch (batch_size × world size × grad_accum_steps), scaled by
 * `lr_base_scale`, which when empty is sqrt for optimizers whose name contains "ada" or "lamb" and
 * linear otherwise; `layer_decay` lowers the LR of lower layers; `warmup_epochs` defaults to 5 and
 * `opt` to sgd.
 */
import { num, str } from '../../config/extract';
import type { Ctx } from '../../config/extract';
import type { TrainingConfig } from '../../config/training-config';

const LR_BASE_SIZE = 256;
const WARMUP_EPOCHS = 5;

export function readTimmSemantics(ctx: Ctx, out: TrainingConfig): void {
  // The base LR is the config's own reference for its batch whether or not `lr` overrides it: an
  // explicit `lr` far from lr_base × the batch ratio is what the large-batch scaling rule reports.
  const base = num(ctx, 'lr_base');
  if (base && base.value > 0) {
    const scale = str(ctx, 'lr_base_scale')?.value;
    const opt = out.optimizer?.value.toLowerCase() ?? 'sgd';
    const scaling = scale === 'sqrt' || scale === 'linear' ? scale : /ada|lamb/.test(opt) ? 'sqrt' : 'linear';
    out.lrReference = { lr: base, batch: num(ctx, 'lr_base_size')?.value ?? LR_BASE_SIZE, scaling };
  }
  const ld = num(ctx, 'layer_decay');
  if (ld && ld.value > 0) out.layerDecay = ld;
  out.weightDecay = num(ctx, 'weight_decay');
  const builtIn = { ...(out.warmup ? {} : { warmup: { value: WARMUP_EPOCHS, unit: 'epochs' as const } }), ...(out.optimizer ? {} : { optimizer: 'sgd' }) };
  if (Object.keys(builtIn).length) out.builtIn = builtIn;
}
