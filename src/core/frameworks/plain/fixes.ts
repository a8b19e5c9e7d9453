/**
 * Quick fixes of hand-written configs, whose keys mean whatever the user's training script reads: only
 * the value of a key the file already has is changed (a key added may never be read, see validate.ts).
 */
import { setNumber, setValue } from '../../config/edits';
import type { EarlyStoppingWriter, FixWriters, GradClipWriter, WarmupWriter } from '../framework';
import { cosineClassObject, isClassObjectScheduler } from '../shared/class-object';
import { epochWarmup } from '../shared/epoch-warmup';

export const plainGradClip: GradClipWriter = {
  key: (cfg) => cfg.gradClip?.key ?? 'clip_grad_norm',
  edits: (cfg, text, maxNorm) => (cfg.gradClip ? setNumber(cfg, text, cfg.gradClip, maxNorm) : []),
};

export const plainEarlyStopping: EarlyStoppingWriter = {
  write(cfg, text, patience) {
    const es = cfg.earlyStopping;
    if (!es || typeof es.value !== 'number') return undefined;
    return { title: `Set early stopping: ${es.key} ${patience}`, edits: setNumber(cfg, text, es, patience) };
  },
};

const plainWarmup: WarmupWriter = {
  ...epochWarmup,
  edits: (cfg, text, amount) => (cfg.warmup ? setNumber(cfg, text, cfg.warmup, amount) : []),
};

export const plainFixes: FixWriters = {
  cosine(cfg, text) {
    if (isClassObjectScheduler(cfg)) return cosineClassObject(cfg, text);
    return cfg.scheduler ? setValue(cfg, text, cfg.scheduler, 'cosine') : [];
  },
  warmup: plainWarmup,
  gradClip: plainGradClip,
  earlyStopping: plainEarlyStopping,
  ema(cfg, text, decay) {
    if (cfg.ema && typeof cfg.ema.value === 'boolean') return setValue(cfg, text, cfg.ema, true);
    return cfg.ema ? setNumber(cfg, text, cfg.ema, decay) : [];
  },
  freezeBackbone: (cfg, text) => (cfg.freeze && typeof cfg.freeze.value === 'boolean' ? setValue(cfg, text, cfg.freeze, true) : []),
};
