/**
 * LightningCLI config checks, from Lightning-AI/pytorch-lightning at
 * 7f0c3436cd3f6ad3753125672024fc415cbcb414: `trainer` keys are `Trainer.__init__` arguments
 * (`src/lightning/pytorch/trainer/trainer.py`); `EarlyStopping` needs a `monitor`
 * (`callbacks/early_stopping.py`); `BackboneFinetuning` raises unless the LightningModule has a
 * `backbone` attribute (`callbacks/finetuning.py`), which a config can only show as a `backbone`
 * argument of the model; `SequentialLR` cannot hold `ReduceLROnPlateau` (it steps its schedulers
 * without the metric, and LightningCLI's plateau scheduler is `lightning.pytorch.cli.ReduceLROnPlateau`
 * at the top level, `cli.py`).
 */
import type { Change } from '../../config/changes';
import { className } from '../../config/extract';
import type { CNode } from '../../config/tree';
import { childOf, dataFormat, locate, plainOf } from '../../config/tree';
import type { ConfigDoc } from '../framework';
import { pyTypeOf } from '../shared/python-types';
import { checkChanges, type Schema } from '../shared/schema';

const TRAINER_ARGS = [
  'accelerator', 'strategy', 'devices', 'num_nodes', 'precision', 'logger', 'callbacks', 'fast_dev_run', 'max_epochs',
  'min_epochs', 'max_steps', 'min_steps', 'max_time', 'limit_train_batches', 'limit_val_batches', 'limit_test_batches',
  'limit_predict_batches', 'overfit_batches', 'val_check_interval', 'check_val_every_n_epoch', 'num_sanity_val_steps',
  'log_every_n_steps', 'enable_checkpointing', 'enable_progress_bar', 'enable_model_summary', 'accumulate_grad_batches',
  'gradient_clip_val', 'gradient_clip_algorithm', 'deterministic', 'benchmark', 'inference_mode',
  'use_distributed_sampler', 'profiler', 'detect_anomaly', 'barebones', 'plugins', 'sync_batchnorm',
  'reload_dataloaders_every_n_epochs', 'default_root_dir', 'enable_autolog_hparams', 'model_registry',
];

const ANY = { types: ['int', 'float', 'bool', 'str', 'none', 'list', 'dict'] } as const;

const TRAINER: Schema = {
  ...Object.fromEntries(TRAINER_ARGS.map((k) => [`trainer.${k}`, ANY])),
  'trainer.gradient_clip_val': { types: ['int', 'float', 'none'] },
  'trainer.callbacks': { types: ['list', 'dict', 'none'] },
};

interface ClassObject {
  name: string;
  args: Record<string, unknown>;
}

function classObjects(node: CNode | undefined): ClassObject[] {
  const data = node ? plainOf(node) : undefined;
  const list = Array.isArray(data) ? data : data ? [data] : [];
  return list.flatMap((x) => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return [];
    const o = x as Record<string, unknown>;
    if (typeof o.class_path !== 'string') return [];
    const args = typeof o.init_args === 'object' && o.init_args !== null ? (o.init_args as Record<string, unknown>) : {};
    return [{ name: className(o.class_path), args }];
  });
}

/** Whether the model's arguments name a `backbone` (the attribute BackboneFinetuning needs). */
function modelHasBackbone(root: CNode | undefined): boolean {
  return locate(root, 'model.init_args.backbone') !== undefined || locate(root, 'model.backbone') !== undefined;
}

export function validateLightning(doc: ConfigDoc, changes: readonly Change[]): string[] {
  const problems = checkChanges(changes, {
    schema: TRAINER,
    owner: 'Lightning Trainer',
    typeOf: (c) => pyTypeOf(c.node, c.raw, dataFormat(doc.cfg)),
    inScope: (key) => key.startsWith('trainer.'),
  });
  for (const cb of classObjects(locate(doc.root, 'trainer.callbacks')?.node)) {
    if (cb.name === 'EarlyStopping' && typeof cb.args.monitor !== 'string') problems.push('EarlyStopping needs a monitor');
    if (cb.name === 'BackboneFinetuning' && !modelHasBackbone(doc.root)) problems.push('BackboneFinetuning needs a model with a backbone attribute');
  }
  const sched = classObjects(childOf(doc.root, 'lr_scheduler'))[0];
  const inner = sched?.name === 'SequentialLR' ? classObjects(locate(doc.root, 'lr_scheduler.init_args.schedulers')?.node) : [];
  if (inner.some((s) => s.name === 'ReduceLROnPlateau')) problems.push('SequentialLR cannot step ReduceLROnPlateau (it needs the monitored metric)');
  return problems;
}
