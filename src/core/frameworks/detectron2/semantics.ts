/**
 * What a detectron2 config means beyond its keys, from facebookresearch/detectron2
 * `detectron2/config/defaults.py` (02b5c4e295e990042a714712c21dc79b731e8833): `SOLVER.IMS_PER_BATCH`
 * is the batch "across all machines"; `SOLVER.WARMUP_ITERS` defaults to 1000 (linear, from
 * `WARMUP_FACTOR` 1/1000); `MODEL.BACKBONE.FREEZE_AT` defaults to 2, freezing the stem and res2
 * (`modeling/backbone/resnet.py` `ResNet.freeze`). Values inherited through `_BASE_` are not followed:
 * the defaults stand for what the file does not say.
 */
import { num } from '../../config/extract';
import type { Ctx } from '../../config/extract';
import type { TrainingConfig } from '../../config/training-config';

const WARMUP_ITERS = 1000;

export function readDetectron2Semantics(ctx: Ctx, out: TrainingConfig): void {
  out.batchScope = 'total';
  out.weightDecay = num(ctx, 'SOLVER.WEIGHT_DECAY');
  out.builtIn = {
    ...(out.warmup ? {} : { warmup: { value: WARMUP_ITERS, unit: 'steps' as const } }),
    ...(out.freeze ? {} : { freeze: 'stem + res2 (MODEL.BACKBONE.FREEZE_AT 2)' }),
    // configs/Base-RCNN-FPN.yaml: BASE_LR 0.02 at IMS_PER_BATCH 16, the model zoo's SGD recipes.
    recipeLr: { sgd: 0.02, perBatch: 16, source: "the detectron2 model zoo's LR (0.02 per 16 images)" },
    // detectron2/solver/build.py build_optimizer: torch.optim.SGD (no config key names the optimizer).
    ...(out.optimizer ? {} : { optimizer: 'SGD' }),
  };
}
