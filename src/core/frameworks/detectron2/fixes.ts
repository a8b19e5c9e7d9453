/**
 * Quick fixes written as detectron2 CfgNode keys (`SOLVER.LR_SCHEDULER_NAME`, `SOLVER.WARMUP_ITERS`,
 * `SOLVER.CLIP_GRADIENTS`, `MODEL.BACKBONE.FREEZE_AT`).
 */
import { addKey, float } from '../../config/edits';
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
    // CLIP_VALUE's default is a float (1.0): yacs refuses an int there, so 1 is written 1.0.
    edits: (cfg, text, maxNorm) => addKey(cfg, text, 'SOLVER.CLIP_GRADIENTS', { ENABLED: true, CLIP_TYPE: 'norm', CLIP_VALUE: float(maxNorm) }),
  },
  // No EMA fix: vanilla detectron2 has no EMA key (MODEL_EMA is d2go's).
  // Stem + res2 frozen, detectron2's default.
  freezeBackbone: (cfg, text) => addKey(cfg, text, 'MODEL.BACKBONE.FREEZE_AT', 2),
};
