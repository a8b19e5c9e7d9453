/**
 * Quick fixes written as detectron2 CfgNode keys (`SOLVER.LR_SCHEDULER_NAME`, `SOLVER.WARMUP_ITERS`,
 * `SOLVER.CLIP_GRADIENTS`, `MODEL.BACKBONE.FREEZE_AT`).
 */
import { addKey, float, setNumber } from '../../config/edits';
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
  // Stem + res2 frozen, detectron2's default: only a FREEZE_AT the file lowers is raised back to it.
  freezeBackbone: (cfg, text) =>
    cfg.freeze?.key === 'MODEL.BACKBONE.FREEZE_AT' && typeof cfg.freeze.value === 'number' && cfg.freeze.value < 2 ? setNumber(cfg, text, cfg.freeze, 2) : [],
};
