/**
 * timm `train.py` `args.yaml`: `yaml.safe_dump(args.__dict__)`, flat, alphabetically sorted argparse
 * destinations (huggingface/pytorch-image-models `train.py`). Keys: `lr` (null → derived from
 * `lr_base` × global batch / `lr_base_size`), `batch_size`, `grad_accum_steps`, `opt`, `sched`
 * (`cosine`, `step`, `multistep`, `plateau`, …) with `decay_epochs` / `decay_milestones`,
 * `warmup_epochs` (default 5), `epochs`, `pretrained`, `initial_checkpoint`, `model_ema` (+ `_decay`),
 * `clip_grad` (null = no clipping), `seed`. timm has no early stopping (`patience_epochs` belongs to the
 * plateau scheduler) and no freeze flag.
 */
import type { TrainingConfig } from '../../config/training-config';
import type { CMap } from '../../config/tree';
import { at, bool, countKeys, first, isNull, mk, num, numOrNull, numberListOf, str, stringOf } from '../../config/extract';
import type { Ctx, StyleReader } from '../../config/extract';
import { readTimmSemantics } from './semantics';

const TIMM_KEYS = [
  'sched', 'opt', 'decay_epochs', 'decay_rate', 'warmup_lr', 'min_lr', 'model_ema', 'model_ema_decay', 'clip_mode',
  'lr_base', 'lr_base_size', 'lr_noise', 'smoothing', 'drop_path', 'aa', 'reprob', 'remode', 'mixup', 'cutmix',
  'epoch_repeats', 'cooldown_epochs', 'patience_epochs', 'opt_eps', 'opt_betas', 'layer_decay', 'sched_on_updates',
  'initial_checkpoint', 'grad_accum_steps', 'decay_milestones', 'warmup_prefix', 'train_interpolation',
];

export const timmReader: StyleReader = {
  style: 'timm',
  rank: 7,
  detect(root: CMap): number {
    const n = countKeys(root, TIMM_KEYS);
    return n >= 3 ? 3 + n / 10 : 0;
  },
  extract(ctx: Ctx, out: TrainingConfig): void {
    out.lr = num(ctx, 'lr');
    out.batchSize = num(ctx, 'batch_size');
    out.gradAccumulation = num(ctx, 'grad_accum_steps');
    out.optimizer = str(ctx, 'opt');
    out.scheduler = str(ctx, 'sched');
    const ms = at(ctx, 'decay_milestones');
    const list = numberListOf(ms?.node);
    out.schedulerSteps =
      out.scheduler?.value === 'multistep' && ms && list ? mk<number | number[]>(ctx, ms, list) : num(ctx, 'decay_epochs');
    out.schedulerFactor = num(ctx, 'decay_rate');
    out.warmup = num(ctx, 'warmup_epochs');
    if (out.warmup) out.warmupUnit = 'epochs';
    out.epochs = num(ctx, 'epochs');
    const pre = bool(ctx, 'pretrained');
    const init = at(ctx, 'initial_checkpoint');
    const initPath = init && !isNull(init.node) ? stringOf(init.node) : undefined;
    out.pretrained = pre?.value ? pre : init && initPath ? mk<boolean | string>(ctx, init, initPath) : pre;
    const ema = bool(ctx, 'model_ema');
    out.ema = ema;
    out.gradClip = numOrNull(ctx, 'clip_grad', 0);
    out.seed = num(ctx, 'seed');
    out.devices = first(num(ctx, 'world_size'));
    // train.py trains with a C-way cross-entropy (plain, label-smoothed or soft-target) unless `bce_loss`.
    if (!bool(ctx, 'bce_loss')?.value) out.numClasses = num(ctx, 'num_classes');
    readTimmSemantics(ctx, out);
  },
};
