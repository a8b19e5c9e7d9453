/**
 * Lightning CLI configs: `config.yaml` as `LightningCLI` writes it (`SaveConfigCallback`, or
 * `--print_config`), and the configs users pass with `--config`. Conventions from
 * Lightning-AI/pytorch-lightning `src/lightning/pytorch/cli.py` and jsonargparse:
 * - top-level `seed_everything`, `trainer` (every Trainer argument), `model`, `data`, `optimizer`,
 *   `lr_scheduler`, `ckpt_path`;
 * - classes chosen by `class_path` with their arguments under `init_args`
 *   (`optimizer: {class_path: torch.optim.SGD, init_args: {lr: 0.1}}`); the shorthand
 *   `optimizer: Adam` is a class name alone;
 * - `trainer.callbacks` is a list of `{class_path, init_args}` (EarlyStopping, BackboneFinetuning,
 *   EMAWeightAveraging/StochasticWeightAveraging, …), or a single such object.
 * What the model or data module takes is the user's own signature; its `lr`, `batch_size`,
 * `pretrained`, … are found by the plain reader's key lists inside `model`/`data`.
 */
import type { TrainingConfig } from '../../config/training-config';
import type { CMap, CNode, Located } from '../../config/tree';
import { childOf } from '../../config/tree';
import {
  at, className, findKey, first, isNull, mk, num, numOrNull, numberListOf, numberOf, stringOf,
} from '../../config/extract';
import type { Ctx, StyleReader } from '../../config/extract';
import { classInside, extractPlain } from '../plain/reader';

const TOP = ['seed_everything', 'trainer', 'model', 'data', 'optimizer', 'lr_scheduler', 'ckpt_path'];

function hasClassPath(node: CNode | undefined, depth = 0): boolean {
  if (!node || depth > 3) return false;
  if (node.kind === 'map') {
    if (node.entries.some((e) => e.key === 'class_path')) return true;
    return node.entries.some((e) => hasClassPath(e.value, depth + 1));
  }
  if (node.kind === 'seq') return node.items.some((i) => hasClassPath(i, depth + 1));
  return false;
}

export const lightningCliReader: StyleReader = {
  style: 'lightning-cli',
  rank: 3,
  detect(root: CMap): number {
    const trainer = childOf(root, 'trainer');
    const keys = root.entries.map((e) => e.key);
    const top = TOP.filter((k) => keys.includes(k)).length;
    const classy = hasClassPath(root);
    if (trainer?.kind === 'map' && (classy || keys.includes('seed_everything') || keys.includes('ckpt_path'))) return 6 + top;
    if (classy && (keys.includes('model') || keys.includes('optimizer') || keys.includes('lr_scheduler'))) return 4 + top;
    return 0;
  },
  extract(ctx: Ctx, out: TrainingConfig): void {
    const trainer = at(ctx, 'trainer');
    const model = at(ctx, 'model');
    const data = at(ctx, 'data');
    if (model) out.numClasses = num(ctx, 'init_args.num_classes', model);

    // Optimizer: top-level `optimizer` (class_path + init_args, or a class name), else one injected into the model.
    const opt = at(ctx, 'optimizer');
    if (opt) {
      const cls = classInside(opt);
      if (cls) out.optimizer = mk(ctx, cls, stringOf(cls.node) as string);
      else if (stringOf(opt.node) && !isNull(opt.node)) out.optimizer = mk(ctx, opt, stringOf(opt.node) as string);
      out.lr = num(ctx, 'init_args.lr', opt) ?? num(ctx, 'lr', opt);
      out.weightDecay = num(ctx, 'init_args.weight_decay', opt);
    }
    if (model && !out.optimizer) {
      const inner = findKey(ctx, ['optimizer'], (l) => classInside(l) !== undefined, { base: model, maxDepth: 3 });
      const cls = inner && classInside(inner);
      if (cls) out.optimizer = mk(ctx, cls, stringOf(cls.node) as string);
    }
    if (model && !out.lr) {
      const l = findKey(ctx, ['lr', 'learning_rate'], (x) => numberOf(x.node) !== undefined, { base: model, maxDepth: 4 });
      if (l) out.lr = mk(ctx, l, numberOf(l.node) as number);
    }

    // Scheduler.
    const sched = at(ctx, 'lr_scheduler') ?? (model && findKey(ctx, ['lr_scheduler', 'scheduler'], (l) => classInside(l) !== undefined, { base: model, maxDepth: 3 }));
    if (sched) readScheduler(ctx, sched, out);

    if (data) {
      const b = findKey(ctx, ['batch_size', 'train_batch_size'], (x) => numberOf(x.node) !== undefined, { base: data, maxDepth: 3 });
      if (b) out.batchSize = mk(ctx, b, numberOf(b.node) as number);
    }

    if (trainer) {
      const dev = at(ctx, 'devices', trainer);
      if (dev) {
        const n = dev.node.kind === 'seq' ? dev.node.items.length : numberOf(dev.node);
        if (n !== undefined && n > 0) out.devices = mk(ctx, dev, n);
      }
      out.gradAccumulation = num(ctx, 'accumulate_grad_batches', trainer);
      out.gradClip = numOrNull(ctx, 'gradient_clip_val', 0, trainer);
      const epochs = num(ctx, 'max_epochs', trainer);
      if (epochs && epochs.value > 0) out.epochs = epochs;
      const steps = num(ctx, 'max_steps', trainer);
      if (steps && steps.value > 0) out.maxSteps = steps;
      readCallbacks(ctx, at(ctx, 'callbacks', trainer), out);
    }

    const seed = at(ctx, 'seed_everything');
    if (seed && typeof numberOf(seed.node) === 'number') out.seed = mk(ctx, seed, numberOf(seed.node) as number);

    // Whatever else the user's model/data signatures say (pretrained, freeze_backbone, warmup_steps, …).
    extractPlain(ctx, out, { skip: new Set(['lr_scheduler', 'optimizer']) });
  },
};

function readScheduler(ctx: Ctx, sched: Located, out: TrainingConfig): void {
  if (isNull(sched.node)) {
    out.scheduler = mk(ctx, sched, 'none');
    return;
  }
  const cls = classInside(sched);
  if (!cls) {
    const s = stringOf(sched.node);
    if (s) out.scheduler = mk(ctx, sched, s);
    return;
  }
  const name = stringOf(cls.node) as string;
  out.scheduler = mk(ctx, cls, name);
  const init = at(ctx, 'init_args', sched);
  const short = className(name);
  if (!init) return;
  if (short === 'StepLR') out.schedulerSteps = num(ctx, 'step_size', init);
  if (short === 'StepLR' || short === 'MultiStepLR') out.schedulerFactor = num(ctx, 'gamma', init);
  if (short === 'MultiStepLR') {
    const m = at(ctx, 'milestones', init);
    const list = numberListOf(m?.node);
    if (m && list) out.schedulerSteps = mk(ctx, m, list);
  }
  if (short === 'OneCycleLR') {
    // The LR rises for pct_start of the steps (default 0.3): a warmup expressed as a ratio.
    const p = num(ctx, 'pct_start', init);
    if (p) {
      out.warmup = p;
      out.warmupUnit = 'ratio';
    }
    if (!out.lr) out.lr = num(ctx, 'max_lr', init);
  }
  if (short === 'LinearLR') {
    const t = num(ctx, 'total_iters', init);
    if (t) out.warmup = t;
  }
  if (short === 'SequentialLR') {
    // Warmup as torchvision builds it: SequentialLR([LinearLR, main], milestones=[warmup]).
    const list = at(ctx, 'schedulers', init);
    if (list?.node.kind === 'seq') {
      list.node.items.forEach((item, i) => {
        const l: Located = { node: item, path: `${list.path}[${i}]` };
        const c = classInside(l);
        const n = c && className(stringOf(c.node) as string);
        if (!out.warmup && (n === 'LinearLR' || n === 'ConstantLR')) out.warmup = num(ctx, 'init_args.total_iters', l);
      });
    }
  }
}

function readCallbacks(ctx: Ctx, cbs: Located | undefined, out: TrainingConfig): void {
  if (!cbs) return;
  const items: Located[] =
    cbs.node.kind === 'seq' ? cbs.node.items.map((node, i) => ({ node, path: `${cbs.path}[${i}]` })) : cbs.node.kind === 'map' ? [cbs] : [];
  for (const item of items) {
    const cls = classInside(item);
    if (!cls) continue;
    const name = className(stringOf(cls.node) as string);
    // The metric early stopping watches, else the one the best checkpoint is chosen on.
    if (name === 'EarlyStopping' || (name === 'ModelCheckpoint' && !out.monitor)) {
      const m = at(ctx, 'init_args.monitor', item);
      const metric = m && !isNull(m.node) ? stringOf(m.node) : undefined;
      if (m && metric) out.monitor = mk(ctx, m, metric);
    }
    if (name === 'EarlyStopping') {
      out.earlyStopping = first<number | boolean | string>(num(ctx, 'init_args.patience', item), mk(ctx, cls, true));
    } else if (/^(EMAWeightAveraging|WeightAveraging|StochasticWeightAveraging|EMA\w*)$/.test(name)) {
      out.ema = first<boolean | number>(num(ctx, 'init_args.decay', item), mk(ctx, cls, true));
    } else if (/Finetuning$|Freeze/.test(name)) {
      out.freeze = mk(ctx, cls, stringOf(cls.node) as string);
    }
  }
}
