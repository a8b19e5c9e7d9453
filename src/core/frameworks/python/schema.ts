/**
 * The keyword arguments of the calls traindx's script fixes write into, from each framework's source,
 * so that a fix never writes a keyword the call would refuse (`TypeError: unexpected keyword`).
 */

/**
 * Lightning `Trainer.__init__`: Lightning-AI/pytorch-lightning src/lightning/pytorch/trainer/trainer.py
 * at 000699b539781511c1638c8044bb1039bd77677c, plus the 2.x names (`use_distributed_sampler`, which
 * replaced `replace_sampler_ddp`; `barebones`; `model_registry`).
 */
export const LIGHTNING_TRAINER = [
  'logger', 'enable_checkpointing', 'callbacks', 'default_root_dir', 'gradient_clip_val', 'gradient_clip_algorithm',
  'num_nodes', 'devices', 'enable_progress_bar', 'overfit_batches', 'track_grad_norm', 'check_val_every_n_epoch',
  'fast_dev_run', 'accumulate_grad_batches', 'max_epochs', 'min_epochs', 'max_steps', 'min_steps', 'max_time',
  'limit_train_batches', 'limit_val_batches', 'limit_test_batches', 'limit_predict_batches', 'val_check_interval',
  'log_every_n_steps', 'accelerator', 'strategy', 'sync_batchnorm', 'precision', 'enable_model_summary',
  'num_sanity_val_steps', 'profiler', 'benchmark', 'deterministic', 'reload_dataloaders_every_n_epochs',
  'replace_sampler_ddp', 'detect_anomaly', 'plugins', 'multiple_trainloader_mode', 'inference_mode',
  'use_distributed_sampler', 'barebones', 'model_registry',
];

/** Lightning `EarlyStopping.__init__` (src/lightning/pytorch/callbacks/early_stopping.py). */
export const LIGHTNING_EARLY_STOPPING = [
  'monitor', 'min_delta', 'patience', 'verbose', 'mode', 'strict', 'check_finite', 'stopping_threshold',
  'divergence_threshold', 'check_on_train_epoch_end', 'log_rank_zero_only',
];

/**
 * The TrainingArguments fields traindx writes, with what each accepts: huggingface/transformers
 * src/transformers/training_args.py at 00349ae87eddc872ffa21a8a54f264375a0056a8 (the commit
 * frameworks/hf/validate.ts reads). `evaluation_strategy` is the pre-4.41 name of `eval_strategy`;
 * `warmup_ratio` is still read there (deprecated in favour of a fractional `warmup_steps`).
 */
export const TRAINING_ARGS_WRITTEN: Record<string, 'bool' | 'number' | 'string' | readonly string[]> = {
  load_best_model_at_end: 'bool',
  metric_for_best_model: 'string',
  eval_strategy: ['no', 'steps', 'epoch'],
  evaluation_strategy: ['no', 'steps', 'epoch'],
  save_strategy: ['no', 'steps', 'epoch', 'best'],
  save_steps: 'number',
  warmup_ratio: 'number',
  max_grad_norm: 'number',
};

/** HF `Trainer.__init__` (src/transformers/trainer.py, v4.46+: `processing_class` beside the older `tokenizer`). */
export const HF_TRAINER = [
  'model', 'args', 'data_collator', 'train_dataset', 'eval_dataset', 'processing_class', 'tokenizer', 'model_init',
  'compute_loss_func', 'compute_metrics', 'callbacks', 'optimizers', 'optimizer_cls_and_kwargs',
  'preprocess_logits_for_metrics',
];

/** HF `EarlyStoppingCallback.__init__` (src/transformers/trainer_callback.py). */
export const HF_EARLY_STOPPING = ['early_stopping_patience', 'early_stopping_threshold'];

/** Keras `EarlyStopping.__init__` (keras-team/keras keras/src/callbacks/early_stopping.py, Keras 3). */
export const KERAS_EARLY_STOPPING = ['monitor', 'min_delta', 'patience', 'verbose', 'mode', 'baseline', 'restore_best_weights', 'start_from_epoch'];

/**
 * Keras `Model.fit` (keras/src/trainers/trainer.py, Keras 3), plus tf.keras 2's `max_queue_size`,
 * `workers`, `use_multiprocessing`.
 */
export const KERAS_FIT = [
  'x', 'y', 'batch_size', 'epochs', 'verbose', 'callbacks', 'validation_split', 'validation_data', 'shuffle',
  'class_weight', 'sample_weight', 'initial_epoch', 'steps_per_epoch', 'validation_steps', 'validation_batch_size',
  'validation_freq', 'max_queue_size', 'workers', 'use_multiprocessing',
];
