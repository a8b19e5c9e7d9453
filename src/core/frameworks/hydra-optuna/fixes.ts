/**
 * Quick fixes of Hydra multirun sweeps and Optuna/Ray Tune search spaces. The search part is written in
 * the sweeper's terms (an Optuna sweeper's sampler and `n_trials`); the training settings around it are
 * the user's own keys, edited as in plain configs.
 */
import { setNumber, setValue } from '../../config/edits';
import type { FixWriters } from '../framework';
import { plainEarlyStopping, plainGradClip } from '../plain/fixes';
import { cosineClassObject, isClassObjectScheduler } from '../shared/class-object';

export const hydraOptunaFixes: FixWriters = {
  cosine(cfg, text) {
    if (isClassObjectScheduler(cfg)) return cosineClassObject(cfg, text);
    return cfg.scheduler ? setValue(cfg, text, cfg.scheduler, 'cosine') : [];
  },
  gradClip: plainGradClip,
  earlyStopping: { write: (cfg, text, patience) => (cfg.style === 'hydra-sweep' ? plainEarlyStopping.write(cfg, text, patience) : undefined) },
  randomSearch: {
    where: 'random sampler, trials',
    edits(cfg, text, trials) {
      const method = cfg.sweep?.methodSetting;
      if (cfg.style !== 'hydra-sweep' || !method || !/optuna/i.test(method.value)) return [];
      const edits = setValue(cfg, text, method, 'optuna.samplers.RandomSampler');
      return cfg.sweep?.trials ? [...edits, ...setNumber(cfg, text, cfg.sweep.trials, trials)] : edits;
    },
  },
};
