import type { SourceRange } from '../types';

/** One setting read from a config, with where it is written so diagnostics and edits can target it. */
export interface Setting<T> {
  value: T;
  /** Dotted path of the key as written, e.g. `model.init_args.lr` or `SOLVER.BASE_LR`. */
  key: string;
  /** Range of the key and its value (0-based). */
  range: SourceRange;
  /** Range of the value only, for replace edits. */
  valueRange: SourceRange;
}

export type ConfigStyle =
  | 'lightning-cli'
  | 'hf-training-args'
  | 'timm'
  | 'ultralytics'
  | 'detectron2'
  | 'wandb-sweep'
  | 'hydra-sweep'
  | 'optuna-ray'
  | 'plain'
  /** A Python training script (src/core/python/): settings read from its calls, argparse defaults and constants. */
  | 'python-script'
  /** A launch script (`run.sh`): the training command's arguments (frameworks/launch/). */
  | 'launch-script';

export interface SweepParameter {
  key: string;
  /** Number of discrete values swept, or undefined for a continuous distribution. */
  count?: number;
  range: SourceRange;
}

export interface SweepSpace {
  method: 'grid' | 'random' | 'bayes' | 'unknown';
  /** Where the method is written, when it is. */
  methodSetting?: Setting<string>;
  parameters: SweepParameter[];
  /** The sweeper runs every combination when the method is not known and every parameter is a list (Hydra). */
  gridWhenDiscrete?: boolean;
  /** Trial budget when written (`run_cap`, `n_trials`, `num_samples`). */
  trials?: Setting<number>;
}

/**
 * What traindx knows of a training config, whatever its style. Every field is optional: a field that
 * is absent means the config does not say.
 */
export interface TrainingConfig {
  file: string;
  format: 'yaml' | 'json' | 'python' | 'shell';
  style: ConfigStyle;
  lr?: Setting<number>;
  optimizer?: Setting<string>;
  /** Per-device batch size. */
  batchSize?: Setting<number>;
  devices?: Setting<number>;
  gradAccumulation?: Setting<number>;
  scheduler?: Setting<string>;
  /** Scheduler milestones/step size when the scheduler is step-like. */
  schedulerSteps?: Setting<number | number[]>;
  /** The factor a step-like scheduler multiplies the LR by at each step (`gamma`, timm `decay_rate`, detectron2 `SOLVER.GAMMA`). */
  schedulerFactor?: Setting<number>;
  warmup?: Setting<number>;
  /** Unit of `warmup` when the key tells it (`warmup_ratio` → ratio of training, `WARMUP_ITERS` → steps). */
  warmupUnit?: 'steps' | 'epochs' | 'ratio';
  epochs?: Setting<number>;
  /** Training length in optimiser steps/iterations when given that way (`max_steps`, `SOLVER.MAX_ITER`). */
  maxSteps?: Setting<number>;
  /** Early stopping configured: a callback, `patience`, `early_stopping_patience`. */
  earlyStopping?: Setting<number | boolean | string>;
  /** HF `load_best_model_at_end`, Keras `restore_best_weights`. */
  restoreBest?: Setting<boolean>;
  /** `pretrained: true`, `model_name_or_path`, `weights=`, a checkpoint path. */
  pretrained?: Setting<boolean | string>;
  /** Anything frozen: `freeze`, `freeze_backbone`, `layers_to_freeze`, LoRA/PEFT adapters. */
  freeze?: Setting<boolean | number | string | string[]>;
  ema?: Setting<boolean | number>;
  gradClip?: Setting<number>;
  seed?: Setting<number>;
  sweep?: SweepSpace;
  /**
   * What the framework does without any key for it, so that rules do not suggest what is already on
   * (Ultralytics/YOLOv5 always keep a ModelEMA, clip gradients at norm 10 and save the best-fitness
   * weights as `weights/best.pt` besides `last.pt`).
   */
  builtIn?: BuiltIn;
  /** Parameter-efficient fine-tuning (LoRA, QLoRA, prefix/P-tuning, IA3…): only the adapter's weights train. */
  adapter?: Setting<string>;
  /** Layer-wise LR decay (timm/BEiT/MAE `layer_decay`): lower layers train at lr·decay^depth. */
  layerDecay?: Setting<number>;
  weightDecay?: Setting<number>;
  /** A reference LR written in the config for a reference batch (timm `lr_base` at `lr_base_size`). */
  lrReference?: { lr: Setting<number>; batch: number; scaling?: 'linear' | 'sqrt' };
  /** The metric early stopping / best-checkpoint selection watches (`metric_for_best_model`, `monitor`). */
  monitor?: Setting<string>;
  /** Whether `batchSize` is per device (the default) or the total over devices (Ultralytics `batch`, detectron2 `IMS_PER_BATCH`). */
  batchScope?: 'device' | 'total';
  /** The LR written is not the one used (Ultralytics `optimizer: auto` chooses its own LR). */
  lrIgnored?: boolean;
  /**
   * Number of classes of the single-label cross-entropy the training loss is, when the config states it
   * (timm `num_classes`, a Lightning model's `num_classes`, a script's `num_classes=` / `num_labels=` or Keras
   * `Dense(C, activation='softmax')`). Readers fill it only where the framework's loss is that cross-entropy:
   * never from a detector's class count (detectron2 `NUM_CLASSES`, YOLO `nc`), whose losses are sums of other terms.
   */
  numClasses?: Setting<number>;
  /** Vocabulary of a language model whose loss is the next-token cross-entropy (a script's `vocab_size=`). */
  vocabSize?: Setting<number>;
  /**
   * Whether training evaluates on held-out data: false when a training script was read and shows no
   * evaluation at all (src/core/python/validation.ts); undefined when unknown (every other config).
   */
  validates?: boolean;
  /**
   * A piece of a config tree (an mmengine `_base_/schedules` module: the optimizer and schedule, with
   * the hooks and data in other files): what it does not write may be set elsewhere, so rules do not
   * report a setting as missing from it.
   */
  fragment?: boolean;
}

/**
 * What a framework does when its config says nothing, read from the framework's own source (each reader
 * cites file and commit).
 */
export interface BuiltIn {
  ema?: boolean;
  gradClip?: number;
  restoreBest?: boolean;
  /** Warmup the framework applies by default (detectron2 `WARMUP_ITERS` 1000, Ultralytics `warmup_epochs` 3). */
  warmup?: { value: number; unit: 'steps' | 'epochs' | 'ratio' };
  /** Metric the framework selects and early-stops on (Ultralytics fitness = 0.1·mAP50 + 0.9·mAP50-95). */
  monitor?: string;
  /** Batch the framework accumulates gradients up to (Ultralytics `nbs` 64). */
  nominalBatch?: number;
  /** What the framework freezes when the config says nothing (detectron2 `FREEZE_AT` 2: the stem and res2). */
  freeze?: string;
  /** The optimizer the framework uses when the config names none (HF `adamw_torch`, timm `sgd`). */
  optimizer?: string;
  /**
   * The LRs the framework's own recipes fine-tune with, by optimizer family; with `perBatch`, the LR is
   * for that many images and scales linearly with the batch (detectron2's model zoo: 0.02 per 16).
   */
  recipeLr?: { sgd?: number; adam?: number; perBatch?: number; source: string };
}
