/**
 * Plain key/value configs: a hand-written `config.yaml`, Lightning `hparams.yaml` (whatever
 * `save_hyperparameters()` saw), Hydra configs of the lightning-hydra-template kind
 * (`model.optimizer: {_target_: torch.optim.Adam, lr: …}`, `callbacks.early_stopping: {_target_, patience}`),
 * Keras/argparse dumps, and MLflow/W&B records of them. Keys are searched breadth-first, so the
 * shallowest spelling wins; subtrees of sequences are not entered (a list of records is a log, not a
 * config).
 *
 * The key spellings below come from: PyTorch/torchvision reference scripts (`lr`, `epochs`,
 * `lr_step_size`, `lr_warmup_epochs`, `clip_grad_norm`, `model_ema`), Keras (`learning_rate`,
 * `patience`, `restore_best_weights`, `clipnorm`), Lightning Trainer args (`max_epochs`,
 * `accumulate_grad_batches`, `gradient_clip_val`, `devices`, `seed_everything`), HF scripts
 * (`model_name_or_path`, `warmup_steps`, `num_train_epochs`, `max_grad_norm`), timm (`sched`, `opt`,
 * `decay_epochs`), mmengine (`frozen_stages`, `load_from`), detectron2 (`freeze_at`) and common
 * hand-written variants (`batch_size`, `bs`, `scheduler`, `milestones`, `step_size`, `freeze_backbone`,
 * `ema`, `seed`, `early_stopping`).
 */
import type { Setting, TrainingConfig } from '../../config/training-config';
import type { CNode, Located } from '../../config/tree';
import {
  boolOf, findKey, isNull, mk, numberListOf, numberOf, stringOf,
} from '../../config/extract';
import type { Ctx, StyleReader } from '../../config/extract';

const LR = ['lr', 'learning_rate', 'base_lr', 'lr0', 'init_lr', 'initial_lr', 'max_lr', 'learningRate'];
const OPTIMIZER = ['optimizer', 'optim', 'opt', 'optimizer_name', 'optimizer_type'];
const SCHEDULER = ['scheduler', 'lr_scheduler', 'sched', 'lr_schedule', 'lr_scheduler_type', 'scheduler_type', 'lr_policy'];
const BATCH = ['batch_size', 'per_device_train_batch_size', 'train_batch_size', 'micro_batch_size', 'batchSize', 'bs', 'batch'];
const EPOCHS = ['epochs', 'num_epochs', 'max_epochs', 'n_epochs', 'num_train_epochs', 'nb_epochs', 'total_epochs'];
const MAX_STEPS = ['max_steps', 'max_iters', 'max_iter', 'total_steps', 'num_steps', 'train_steps'];
const SCHED_STEPS = ['milestones', 'step_size', 'lr_step_size', 'lr_steps', 'decay_epochs', 'lr_decay_epochs', 'decay_steps', 'lr_milestones', 'decay_milestones'];
const WARMUP: [string, TrainingConfig['warmupUnit']][] = [
  ['warmup_epochs', 'epochs'], ['lr_warmup_epochs', 'epochs'], ['warmup_steps', 'steps'], ['warmup_iters', 'steps'],
  ['num_warmup_steps', 'steps'], ['lr_warmup_steps', 'steps'], ['warmup_ratio', 'ratio'], ['warmup', undefined],
];
const EARLY = ['early_stopping_patience', 'early_stopping', 'early_stop', 'es_patience', 'earlystop_patience', 'patience'];
const RESTORE = ['load_best_model_at_end', 'restore_best_weights', 'restore_best'];
const PRETRAINED = [
  'pretrained', 'model_name_or_path', 'pretrained_model_name_or_path', 'base_model', 'pretrained_weights', 'weights',
  'init_checkpoint', 'load_from', 'pretrained_path', 'initial_checkpoint', 'use_pretrained',
];
const FREEZE = ['freeze', 'freeze_backbone', 'freeze_layers', 'layers_to_freeze', 'frozen_stages', 'freeze_at', 'freeze_encoder', 'freeze_base'];
const EMA = ['ema', 'model_ema', 'use_ema', 'ema_decay', 'ema_rate', 'swa', 'use_swa'];
const CLIP = ['clip_grad_norm', 'max_grad_norm', 'gradient_clip_val', 'clip_grad', 'grad_clip', 'clip_norm', 'clipnorm', 'grad_clip_norm', 'gradient_clipping'];
const SEED = ['seed', 'random_seed', 'seed_everything', 'manual_seed'];
const ACCUM = ['gradient_accumulation_steps', 'accumulate_grad_batches', 'grad_accum_steps', 'accum_iter', 'grad_accum', 'accumulation_steps'];
const DEVICES = ['devices', 'gpus', 'num_gpus', 'n_gpu', 'world_size', 'nproc_per_node'];
const WEIGHT_DECAY = ['weight_decay', 'weightDecay'];
const LAYER_DECAY = ['layer_decay', 'layerwise_decay', 'layer_decay_rate', 'lr_layer_decay'];
/** Early stopping (Keras/Lightning `monitor`) and HF best-checkpoint selection watch a metric. */
const MONITOR = ['monitor', 'metric_for_best_model'];

/** Keys naming the class of an object in Hydra (`_target_`), jsonargparse (`class_path`), mmengine (`type`). */
const CLASS_KEYS = ['_target_', 'class_path', 'type', 'name'];

export interface PlainOptions {
  /** Top-level (or any-level) subtrees not to search, e.g. `hydra`. */
  skip?: ReadonlySet<string>;
}

function numeric(l: Located): boolean {
  return numberOf(l.node) !== undefined;
}

/** The class written inside an object-valued key (`optimizer: {_target_: torch.optim.Adam}`), as a Located. */
export function classInside(l: Located): Located | undefined {
  if (l.node.kind !== 'map') return undefined;
  for (const k of CLASS_KEYS) {
    const e = l.node.entries.find((x) => x.key === k);
    if (e && stringOf(e.value) !== undefined) return { node: e.value, entry: e, path: `${l.path}.${k}` };
  }
  return undefined;
}

function nameSetting(ctx: Ctx, l: Located): Setting<string> | undefined {
  const s = stringOf(l.node);
  if (s !== undefined && !isNull(l.node)) return mk(ctx, l, s);
  if (isNull(l.node)) return mk(ctx, l, 'none');
  const inner = classInside(l);
  return inner ? mk(ctx, inner, stringOf(inner.node) as string) : undefined;
}

function devicesOf(node: CNode): number | undefined {
  if (node.kind === 'seq') return node.items.length;
  const n = numberOf(node);
  if (n !== undefined) return n > 0 ? n : undefined;
  const s = stringOf(node);
  if (s && /^\d+(\s*,\s*\d+)*,?$/.test(s)) return s.split(',').filter((x) => x.trim() !== '').length;
  return undefined;
}

/** Value of a freeze key: null/false → false, a number, a string, or a list of layer names/indices. */
export function freezeValue(node: CNode): boolean | number | string | string[] | undefined {
  if (isNull(node)) return false;
  const b = boolOf(node);
  if (b !== undefined) return b;
  const n = numberOf(node);
  if (n !== undefined) return n;
  const s = stringOf(node);
  if (s !== undefined) return s;
  if (node.kind === 'seq') {
    const items = node.items.map((i) => (i.kind === 'scalar' && i.value !== null ? String(i.value) : undefined));
    return items.every((i) => i !== undefined) ? (items as string[]) : undefined;
  }
  return undefined;
}

/** `pretrained: true|false|<path>`, `model_name_or_path: bert-base-uncased`; empty/null says nothing. */
export function pretrainedValue(node: CNode): boolean | string | undefined {
  const b = boolOf(node);
  if (b !== undefined) return b;
  const s = stringOf(node);
  return s !== undefined && !isNull(node) ? s : undefined;
}

/** Is a `patience` key the early-stopping one (not ReduceLROnPlateau's, not a scheduler's)? */
function earlyStoppingPatience(l: Located): boolean {
  const lower = l.path.toLowerCase();
  if (/sched|plateau|lr_/.test(lower.slice(0, lower.lastIndexOf('.') + 1))) return false;
  return true;
}

/** Reads every plain key it finds into `out`, never overwriting a field already set. */
export function extractPlain(ctx: Ctx, out: TrainingConfig, opts: PlainOptions = {}): void {
  const find = (names: readonly string[], accept?: (l: Located) => boolean) =>
    findKey(ctx, names, accept, { skip: opts.skip });
  const set = <K extends keyof TrainingConfig>(k: K, v: TrainingConfig[K] | undefined) => {
    if (out[k] === undefined && v !== undefined) out[k] = v;
  };
  const numSetting = (names: readonly string[], accept: (l: Located) => boolean = numeric) => {
    const l = find(names, (x) => numeric(x) && accept(x));
    return l ? mk(ctx, l, numberOf(l.node) as number) : undefined;
  };

  set('lr', numSetting(LR));
  if (!out.optimizer) {
    const l = find(OPTIMIZER, (x) => nameSetting(ctx, x) !== undefined && !isNull(x.node));
    set('optimizer', l ? nameSetting(ctx, l) : undefined);
  }
  set('batchSize', numSetting(BATCH, (l) => (numberOf(l.node) as number) > 0));
  set('epochs', numSetting(EPOCHS, (l) => (numberOf(l.node) as number) > 0));
  set('maxSteps', numSetting(MAX_STEPS, (l) => (numberOf(l.node) as number) > 0));
  set('gradAccumulation', numSetting(ACCUM));
  set('seed', numSetting(SEED));
  set('weightDecay', numSetting(WEIGHT_DECAY));
  set('layerDecay', numSetting(LAYER_DECAY, (l) => (numberOf(l.node) as number) > 0));
  if (!out.monitor) {
    const l = find(MONITOR, (x) => stringOf(x.node) !== undefined && !isNull(x.node));
    set('monitor', l ? mk(ctx, l, stringOf(l.node) as string) : undefined);
  }
  if (!out.scheduler) {
    const l = find(SCHEDULER, (x) => nameSetting(ctx, x) !== undefined);
    set('scheduler', l ? nameSetting(ctx, l) : undefined);
  }
  if (!out.schedulerSteps) {
    const l = find(SCHED_STEPS, (x) => numberListOf(x.node) !== undefined || numeric(x));
    if (l) {
      const list = numberListOf(l.node);
      set('schedulerSteps', mk<number | number[]>(ctx, l, list ?? (numberOf(l.node) as number)));
    }
  }
  if (!out.warmup) {
    for (const [name, unit] of WARMUP) {
      const l = find([name], numeric);
      if (l) {
        out.warmup = mk(ctx, l, numberOf(l.node) as number);
        if (unit) out.warmupUnit = unit;
        break;
      }
    }
  }
  if (!out.earlyStopping) {
    const l = find(EARLY, (x) => earlyStoppingPatience(x) && (x.node.kind === 'map' || x.node.kind === 'scalar'));
    if (l) {
      if (l.node.kind === 'map') {
        const p = findKey(ctx, ['patience'], numeric, { base: l, maxDepth: 2 });
        set('earlyStopping', p ? mk(ctx, p, numberOf(p.node) as number) : mk(ctx, l, true));
      } else if (isNull(l.node)) {
        set('earlyStopping', mk(ctx, l, false));
      } else {
        const v = numberOf(l.node) ?? boolOf(l.node) ?? stringOf(l.node);
        if (v !== undefined) set('earlyStopping', mk(ctx, l, v));
      }
    }
  }
  if (!out.restoreBest) {
    const l = find(RESTORE, (x) => boolOf(x.node) !== undefined);
    set('restoreBest', l ? mk(ctx, l, boolOf(l.node) as boolean) : undefined);
  }
  if (!out.pretrained) {
    const l = find(PRETRAINED, (x) => pretrainedValue(x.node) !== undefined);
    set('pretrained', l ? mk(ctx, l, pretrainedValue(l.node) as boolean | string) : undefined);
  }
  if (!out.freeze) {
    const l = find(FREEZE, (x) => freezeValue(x.node) !== undefined);
    set('freeze', l ? mk(ctx, l, freezeValue(l.node) as boolean | number | string | string[]) : undefined);
  }
  if (!out.ema) {
    const l = find(EMA, (x) => x.node.kind === 'map' || boolOf(x.node) !== undefined || numeric(x) || isNull(x.node));
    if (l) {
      if (l.node.kind === 'map') {
        const d = findKey(ctx, ['decay', 'ema_decay', 'momentum'], numeric, { base: l, maxDepth: 1 });
        set('ema', d ? mk(ctx, d, numberOf(d.node) as number) : mk(ctx, l, true));
      } else {
        set('ema', mk(ctx, l, isNull(l.node) ? false : (boolOf(l.node) ?? (numberOf(l.node) as number))));
      }
    }
  }
  if (!out.gradClip) {
    const l = find(CLIP, (x) => numeric(x) || isNull(x.node));
    set('gradClip', l ? mk(ctx, l, numberOf(l.node) ?? 0) : undefined);
  }
  if (!out.devices) {
    const l = find(DEVICES, (x) => devicesOf(x.node) !== undefined);
    set('devices', l ? mk(ctx, l, devicesOf(l.node) as number) : undefined);
  }
}

/** Fields that, found in a plain file, make it a training config (seed, devices, pretrained alone do not). */
const TRAINING_FIELDS: (keyof TrainingConfig)[] = [
  'batchSize', 'epochs', 'optimizer', 'scheduler', 'warmup', 'earlyStopping', 'gradClip', 'gradAccumulation',
  'maxSteps', 'schedulerSteps', 'ema', 'restoreBest',
];

/** A plain file is a training config when it names a learning rate, or two other training settings. */
export function looksLikeTraining(cfg: TrainingConfig): boolean {
  if (cfg.lr || cfg.sweep) return true;
  return TRAINING_FIELDS.filter((f) => cfg[f] !== undefined).length >= 2;
}

/**
 * PEFT `adapter_config.json` (written by `PeftModel.save_pretrained`): not a training config, but beside
 * a log it says the run fine-tuned a frozen pretrained base through an adapter. Read as `freeze` (the
 * `peft_type`, e.g. `LORA`) and `pretrained` (`base_model_name_or_path`, or true when it is null).
 */
function extractPeftAdapter(ctx: Ctx, out: TrainingConfig): boolean {
  const e = ctx.root.entries.find((x) => x.key === 'peft_type');
  const peft = e && stringOf(e.value);
  if (!e || !peft) return false;
  const loc: Located = { node: e.value, entry: e, path: 'peft_type' };
  out.freeze = mk(ctx, loc, peft);
  out.adapter = mk(ctx, loc, peft);
  const base = ctx.root.entries.find((x) => x.key === 'base_model_name_or_path');
  const name = base && stringOf(base.value);
  out.pretrained = base && name && !isNull(base.value)
    ? mk(ctx, { node: base.value, entry: base, path: 'base_model_name_or_path' }, name)
    : mk(ctx, loc, true);
  return true;
}

export const plainReader: StyleReader = {
  style: 'plain',
  rank: Number.MAX_SAFE_INTEGER,
  detect: () => 0,
  extract(ctx, out) {
    if (extractPeftAdapter(ctx, out)) return;
    extractPlain(ctx, out);
  },
  // Any map reads as plain: keep it only when it names training settings, or is a PEFT adapter config.
  accept: (cfg) => looksLikeTraining(cfg) || cfg.freeze?.key === 'peft_type',
};
