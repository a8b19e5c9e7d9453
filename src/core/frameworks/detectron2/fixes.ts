/**
 * Quick fixes written as detectron2 CfgNode keys (`SOLVER.LR_SCHEDULER_NAME`, `SOLVER.WARMUP_ITERS`,
 * `SOLVER.CLIP_GRADIENTS`, `MODEL.BACKBONE.FREEZE_AT`).
 */
import { addKey } from '../../config/edits';
import type { FixWriters } from '../framework';

/** detectron2's own default `SOLVER.WARMUP_ITERS`. */
const DEFAULT_WARMUP_ITERS = 1000;

export const detectron2Fixes: FixWriters = {
  cosine: (cfg, text) => addKey(cfg, text, 'SOLVER.LR_SCHEDULER_NAME', 'WarmupCosineLR'),
  warmup: {
    amount: () => DEFAULT_WARMUP_ITERS,
    edits: (cfg, text, iters) => addKey(cfg, text, 'SOLVER.WARMUP_ITERS', iters),
    title: (_cfg, iters) => `Add LR warmup: SOLVER.WARMUP_ITERS ${iters}`,
  },
  gradClip: {
    key: () => 'SOLVER.CLIP_GRADIENTS',
    edits: (cfg, text, maxNorm) => addKey(cfg, text, 'SOLVER.CLIP_GRADIENTS', { ENABLED: true, CLIP_TYPE: 'norm', CLIP_VALUE: maxNorm }),
  },
  ema: (cfg, text, decay) => addKey(cfg, text, 'MODEL_EMA', { ENABLED: true, DECAY: decay }),
  // Stem + res2 frozen, detectron2's default.
  freezeBackbone: (cfg, text) => addKey(cfg, text, 'MODEL.BACKBONE.FREEZE_AT', 2),
};
