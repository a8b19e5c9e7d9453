/**
 * Quick fixes written as Hugging Face `TrainingArguments` fields (and the YAML wrappers that reuse
 * them): `lr_scheduler_type`, `warmup_ratio`, `max_grad_norm`, `load_best_model_at_end`.
 */
import { addKey, setNumber, setTopKeys, setValue } from '../../config/edits';
import type { FixWriters } from '../framework';

/** The common 6–10 % warmup of transformer fine-tunes. */
const DEFAULT_WARMUP_RATIO = 0.1;

export const hfFixes: FixWriters = {
  cosine: (cfg, text) => (cfg.scheduler ? setValue(cfg, text, cfg.scheduler, 'cosine') : addKey(cfg, text, 'lr_scheduler_type', 'cosine')),
  warmup: {
    amount: (hint) => hint.ratio ?? DEFAULT_WARMUP_RATIO,
    edits: (cfg, text, ratio) =>
      cfg.warmup && cfg.warmupUnit === 'ratio' ? setNumber(cfg, text, cfg.warmup, ratio) : addKey(cfg, text, 'warmup_ratio', ratio),
    title: (_cfg, ratio) => `Add LR warmup: warmup_ratio ${ratio} (${Math.round(ratio * 100)}% of the steps)`,
  },
  gradClip: { key: () => 'max_grad_norm', edits: (cfg, text, maxNorm) => addKey(cfg, text, 'max_grad_norm', maxNorm) },
  earlyStopping: {
    // A training_args.json has no early_stopping_patience field (EarlyStoppingCallback is added in code);
    // YAML wrappers such as axolotl take it as a key.
    title: (cfg, patience) =>
      cfg.format === 'json' ? 'Set load_best_model_at_end: true (keep the best checkpoint)' : `Add early_stopping_patience ${patience} and load_best_model_at_end`,
    edits: (cfg, text, patience) =>
      cfg.format === 'yaml'
        ? setTopKeys(cfg, text, { early_stopping_patience: patience, load_best_model_at_end: true })
        : addKey(cfg, text, 'load_best_model_at_end', true),
  },
  // No EMA argument in TrainingArguments.
};
