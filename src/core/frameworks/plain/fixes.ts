/**
 * Quick fixes of hand-written configs, whose keys mean whatever the user's training script reads:
 * existing keys are changed; the keys added are the common spellings (`scheduler`, `warmup_epochs`,
 * `clip_grad_norm`, `early_stopping_patience`, `ema`, `freeze_backbone`).
 */
import { addKey, setNumber, setTopKeys, setValue } from '../../config/edits';
import type { EarlyStoppingWriter, FixWriters, GradClipWriter } from '../framework';
import { cosineClassObject, isClassObjectScheduler } from '../shared/class-object';
import { epochWarmup } from '../shared/epoch-warmup';

export const plainGradClip: GradClipWriter = {
  key: (cfg) => cfg.gradClip?.key ?? 'clip_grad_norm',
  edits: (cfg, text, maxNorm) => (cfg.gradClip ? setNumber(cfg, text, cfg.gradClip, maxNorm) : addKey(cfg, text, 'clip_grad_norm', maxNorm)),
};

export const plainEarlyStopping: EarlyStoppingWriter = {
  title: (_cfg, patience) => `Add early stopping: early_stopping_patience ${patience}`,
  edits: (cfg, text, patience) =>
    cfg.earlyStopping && typeof cfg.earlyStopping.value === 'number'
      ? setNumber(cfg, text, cfg.earlyStopping, patience)
      : addKey(cfg, text, 'early_stopping_patience', patience),
};

export const plainFixes: FixWriters = {
  cosine(cfg, text) {
    if (isClassObjectScheduler(cfg)) return cosineClassObject(cfg, text);
    return cfg.scheduler ? setValue(cfg, text, cfg.scheduler, 'cosine') : addKey(cfg, text, 'scheduler', 'cosine');
  },
  warmup: epochWarmup,
  gradClip: plainGradClip,
  earlyStopping: plainEarlyStopping,
  ema(cfg, text, decay) {
    if (cfg.ema && typeof cfg.ema.value === 'boolean') return setValue(cfg, text, cfg.ema, true);
    if (cfg.ema) return setNumber(cfg, text, cfg.ema, decay);
    return setTopKeys(cfg, text, { ema: true, ema_decay: decay });
  },
  freezeBackbone(cfg, text) {
    if (cfg.freeze && typeof cfg.freeze.value === 'boolean') return setValue(cfg, text, cfg.freeze, true);
    return cfg.freeze ? [] : addKey(cfg, text, 'freeze_backbone', true);
  },
};
