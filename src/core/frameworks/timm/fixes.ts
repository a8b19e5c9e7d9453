/** Quick fixes written as timm `train.py` arguments (`sched`, `warmup_epochs`, `clip_grad`, `model_ema`). */
import { addKey, setTopKeys, setValue } from '../../config/edits';
import type { FixWriters } from '../framework';
import { epochWarmup } from '../shared/epoch-warmup';

export const timmFixes: FixWriters = {
  cosine: (cfg, text) => (cfg.scheduler ? setValue(cfg, text, cfg.scheduler, 'cosine') : addKey(cfg, text, 'sched', 'cosine')),
  warmup: epochWarmup,
  gradClip: { key: () => 'clip_grad', edits: (cfg, text, maxNorm) => addKey(cfg, text, 'clip_grad', maxNorm) },
  ema: (cfg, text, decay) => setTopKeys(cfg, text, { model_ema: true, model_ema_decay: decay }),
  // timm has no early stopping and no freeze flag.
};
