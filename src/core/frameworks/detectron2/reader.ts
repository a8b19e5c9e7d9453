/**
 * detectron2 YAML configs (`configs/*.yaml` with `_BASE_` inheritance, and the full `config.yaml` that
 * `default_setup` dumps into OUTPUT_DIR). Upper-case CfgNode keys from facebookresearch/detectron2
 * `detectron2/config/defaults.py`: `SOLVER.BASE_LR`, `SOLVER.IMS_PER_BATCH` (total over all GPUs, read
 * here as the batch with no device multiplier), `SOLVER.STEPS` (a YAML list, or a `(60000, 80000)`
 * tuple string in hand-written configs), `SOLVER.LR_SCHEDULER_NAME` (`WarmupMultiStepLR` default,
 * `WarmupCosineLR`), `SOLVER.WARMUP_ITERS` (default 1000), `SOLVER.MAX_ITER` (iterations; there are no
 * epochs), `SOLVER.CLIP_GRADIENTS.{ENABLED,CLIP_TYPE,CLIP_VALUE}`, `MODEL.WEIGHTS` (pretrained
 * checkpoint), `MODEL.BACKBONE.FREEZE_AT` (default 2), `SEED` (-1 = random). `MODEL_EMA.{ENABLED,DECAY}`
 * comes from d2go / detectron2 projects. Values inherited through `_BASE_` are not followed.
 */
import type { TrainingConfig } from '../../config/training-config';
import type { CMap } from '../../config/tree';
import { childOf } from '../../config/tree';
import { at, bool, first, isNull, mk, num, numberListOf, str, stringOf } from '../../config/extract';
import type { Ctx, StyleReader } from '../../config/extract';
import { readDetectron2Semantics } from './semantics';

export const detectron2Reader: StyleReader = {
  style: 'detectron2',
  rank: 2,
  detect(root: CMap): number {
    const solver = childOf(root, 'SOLVER');
    const model = childOf(root, 'MODEL');
    const upper = root.entries.filter((e) => /^[A-Z_][A-Z0-9_]*$/.test(e.key)).length;
    if (solver?.kind === 'map') return 6 + upper / 10;
    if (model?.kind === 'map' && upper >= 2 && (childOf(root, '_BASE_') || childOf(root, 'INPUT') || childOf(root, 'DATASETS'))) return 4;
    return 0;
  },
  extract(ctx: Ctx, out: TrainingConfig): void {
    out.lr = num(ctx, 'SOLVER.BASE_LR');
    out.batchSize = num(ctx, 'SOLVER.IMS_PER_BATCH');
    const steps = at(ctx, 'SOLVER.STEPS');
    const list = numberListOf(steps?.node);
    if (steps && list) out.schedulerSteps = mk(ctx, steps, list);
    out.scheduler = str(ctx, 'SOLVER.LR_SCHEDULER_NAME');
    out.schedulerFactor = num(ctx, 'SOLVER.GAMMA');
    out.warmup = num(ctx, 'SOLVER.WARMUP_ITERS');
    if (out.warmup) out.warmupUnit = 'steps';
    out.maxSteps = num(ctx, 'SOLVER.MAX_ITER');
    out.optimizer = str(ctx, 'SOLVER.OPTIMIZER');
    const enabled = bool(ctx, 'SOLVER.CLIP_GRADIENTS.ENABLED');
    if (enabled?.value) out.gradClip = num(ctx, 'SOLVER.CLIP_GRADIENTS.CLIP_VALUE') ?? { ...enabled, value: 1 };
    else if (enabled) out.gradClip = { ...enabled, value: 0 }; // 0 = disabled
    const w = at(ctx, 'MODEL.WEIGHTS');
    if (w) {
      const s = isNull(w.node) ? undefined : stringOf(w.node);
      out.pretrained = mk<boolean | string>(ctx, w, s ?? false);
    }
    out.freeze = num(ctx, 'MODEL.BACKBONE.FREEZE_AT');
    const seed = num(ctx, 'SEED');
    if (seed && seed.value >= 0) out.seed = seed;
    const ema = bool(ctx, 'MODEL_EMA.ENABLED');
    if (ema) out.ema = ema.value ? first<boolean | number>(num(ctx, 'MODEL_EMA.DECAY'), ema) : ema;
    readDetectron2Semantics(ctx, out);
  },
};
