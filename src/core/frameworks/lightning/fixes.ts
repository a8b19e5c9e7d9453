/**
 * Quick fixes written in LightningCLI's `config.yaml`: the top-level `lr_scheduler` (class_path +
 * init_args), `trainer.gradient_clip_val`, and callbacks appended to `trainer.callbacks`.
 */
import { addKey, appendListItem, isPlainObject, replaceKey, setValue, type TextEdit } from '../../config/edits';
import type { TrainingConfig } from '../../config/training-config';
import { dataFormat, locate, parseConfigText, plainOf } from '../../config/tree';
import { schedulerBaseName } from '../../rules/lr-schedule';
import type { FixWriters } from '../framework';
import { COSINE_CLASS, DEFAULT_T_MAX, cosineClassObject, isClassObjectScheduler } from '../shared/class-object';
import { DEFAULT_WARMUP_EPOCHS } from '../shared/epoch-warmup';
import { recovered } from '../../recovered';

const LINEAR_LR = 'torch.optim.lr_scheduler.LinearLR';
const SEQUENTIAL_LR = 'torch.optim.lr_scheduler.SequentialLR';

/**
 * Warmup as torchvision's reference scripts build it: the top-level `lr_scheduler` is wrapped as
 * `SequentialLR([LinearLR(start_factor 0.1, total_iters N), <original>], milestones [N])` (N epochs:
 * LightningCLI steps its scheduler per epoch), or becomes that `LinearLR` alone when there is none. No
 * edit when the schedule is the model's own argument or there is no top-level `optimizer`
 * (LightningCLI ignores `lr_scheduler` without it).
 */
function warmupEdits(cfg: TrainingConfig, text: string, epochs: number): TextEdit[] {
  try {
    const n = Math.max(1, Math.round(epochs));
    if (!cfg.optimizer || !/^optimizer(\.|$)/.test(cfg.optimizer.key)) return [];
    const s = cfg.scheduler;
    if (s && !/^lr_scheduler(\.class_path)?$/.test(s.key)) return []; // the model's own scheduler argument
    const warmup = { class_path: LINEAR_LR, init_args: { start_factor: 0.1, total_iters: n } };
    const loc = locate(parseConfigText(text, dataFormat(cfg)).root, ['lr_scheduler']);
    const original = loc ? plainOf(loc.node) : null;
    let main: Record<string, unknown> | undefined;
    if (isPlainObject(original) && typeof original.class_path === 'string') main = original;
    else if (typeof original === 'string' && original !== '') main = { class_path: original }; // shorthand class name
    else if (original !== null && original !== undefined) return []; // something we cannot read
    const value = main ? { class_path: SEQUENTIAL_LR, init_args: { schedulers: [warmup, main], milestones: [n] } } : warmup;
    return replaceKey(cfg, text, 'lr_scheduler', value);
  } catch (err) {
    recovered('lightning warmup fix', err);
    return [];
  }
}

export const lightningFixes: FixWriters = {
  cosine(cfg, text) {
    const s = cfg.scheduler;
    if (isClassObjectScheduler(cfg)) return cosineClassObject(cfg, text);
    if (!s || s.key === 'lr_scheduler') {
      return replaceKey(cfg, text, 'lr_scheduler', { class_path: COSINE_CLASS, init_args: { T_max: cfg.epochs?.value ?? DEFAULT_T_MAX } });
    }
    return setValue(cfg, text, s, 'cosine');
  },
  warmup: {
    amount: (hint) => Math.max(1, Math.round(hint.epochs ?? DEFAULT_WARMUP_EPOCHS)),
    edits: warmupEdits,
    title(cfg, epochs) {
      const main = cfg.scheduler && cfg.scheduler.value !== 'none' ? schedulerBaseName(cfg.scheduler.value) : undefined;
      return main
        ? `Add LR warmup: LinearLR over ${epochs} epochs, then ${main} (SequentialLR)`
        : `Add LR warmup: lr_scheduler LinearLR over ${epochs} epochs (start factor 0.1)`;
    },
  },
  gradClip: { key: () => 'trainer.gradient_clip_val', edits: (cfg, text, maxNorm) => addKey(cfg, text, 'trainer.gradient_clip_val', maxNorm) },
  earlyStopping: {
    write: (cfg, text, patience) => ({
      title: `Add an EarlyStopping callback on val_loss (patience ${patience})`,
      edits: appendListItem(cfg, text, 'trainer.callbacks', {
        class_path: 'lightning.pytorch.callbacks.EarlyStopping',
        init_args: { monitor: 'val_loss', mode: 'min', patience },
      }),
    }),
  },
  ema: (cfg, text, decay) =>
    appendListItem(cfg, text, 'trainer.callbacks', { class_path: 'lightning.pytorch.callbacks.EMAWeightAveraging', init_args: { decay } }),
  // Unfreezes at epoch 10.
  freezeBackbone: (cfg, text) =>
    appendListItem(cfg, text, 'trainer.callbacks', {
      class_path: 'lightning.pytorch.callbacks.BackboneFinetuning',
      init_args: { unfreeze_backbone_at_epoch: 10 },
    }),
};
