/**
 * Plain PyTorch (and Keras optimizer objects): the optimizer and its param groups, the LR scheduler,
 * the training DataLoader, the epoch loop, gradient clipping, seeds and weight averaging.
 *
 * Positional parameters from the signatures in pytorch/pytorch (torch/optim/*.py,
 * torch/optim/lr_scheduler.py @ v2.5.0): `SGD(params, lr=1e-3, …)`, `StepLR(optimizer, step_size,
 * gamma=0.1)`, `MultiStepLR(optimizer, milestones, gamma=0.1)`, `CosineAnnealingLR(optimizer, T_max)`,
 * `OneCycleLR(optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3)`,
 * `LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5)`, `DataLoader(dataset,
 * batch_size=1, shuffle=…)`, `clip_grad_norm_(parameters, max_norm)`. Keras optimizers take
 * `learning_rate` first (keras/src/optimizers/*.py).
 */
import type { Setting } from '../config/training-config';
import { first, mk, num, numberListOf, numberOf, str } from '../config/extract';
import type { Ctx } from '../config/extract';
import type { CNode } from '../config/tree';
import type { PyCall } from './calls';
import { asKeyword, keywordsOf, settingAt } from './context';
import type { Reading } from './context';
import { evaluate } from './evaluate';
import { argument, rangeOf, textOf } from './syntax';
import { readStepLambda, STEP_LAMBDA } from './step-lambda';

const OPTIMIZER_NAMES =
  /^(SGD|SGDW|ASGD|Adam|AdamW|Adamax|NAdam|Nadam|RAdam|Adadelta|Adagrad|RMSprop|Rprop|LBFGS|SparseAdam|Adafactor|Lion|LAMB|Lamb|LARS|Adan|SophiaG|Ftrl|Adam8bit|AdamW8bit|PagedAdamW|PagedAdamW8bit|PagedAdamW32bit|FusedAdam|FusedLAMB)$/;

export function isOptimizerCall(c: PyCall): boolean {
  if (!OPTIMIZER_NAMES.test(c.name)) return false;
  const segs = c.path.split('.');
  return segs.length === 1 ? false : segs.some((s) => /^(optim|optimizers|optimizer|bnb|bitsandbytes|transformers|apex|torch_optimizer|lion_pytorch)$/.test(s));
}

const isKeras = (c: PyCall) => /(^|\.)(keras|tf|tensorflow)\./.test(c.path);

export function readOptimizer(r: Reading): void {
  const opt = r.calls.find(isOptimizerCall);
  if (!opt) return;
  r.trains.push(opt.node);
  const callee = opt.node.firstChild ?? opt.node;
  r.out.optimizer = settingAt(r, 'optimizer', opt.name, opt.node, callee);
  const keras = isKeras(opt);
  const ctx = keywordsOf(r, opt, keras ? asKeyword(argument(opt.args, 'learning_rate', 0), 'learning_rate') : asKeyword(argument(opt.args, 'lr', 1), 'lr'));
  r.out.weightDecay = num(ctx, 'weight_decay');
  if (keras) {
    r.out.lr = first(num(ctx, 'learning_rate'), num(ctx, 'lr'), r.out.lr);
    r.out.gradClip = first(num(ctx, 'clipnorm'), num(ctx, 'global_clipnorm'));
    const lrArg = argument(opt.args, 'learning_rate', 0);
    const schedule = lrArg && r.calls.find((c) => c.node.from === lrArg.value.from && c.node.to === lrArg.value.to);
    if (schedule) readKerasSchedule(r, schedule);
    return;
  }
  const defaultLr = num(ctx, 'lr');
  const groups = evaluate(r, argument(opt.args, 'params', 0)?.value);
  const grouped = groups?.kind === 'seq' && groups.items.some((g) => g.kind === 'map');
  r.out.lr = grouped ? groupLr(ctx, groups.items, defaultLr) : (defaultLr ?? r.out.lr);
}

/**
 * One LR when every param group trains at the same one (a group's own `lr` or the optimizer's);
 * undefined when they differ (discriminative LRs: traindx has no single LR to judge).
 */
function groupLr(ctx: Ctx, groups: readonly CNode[], defaultLr: Setting<number> | undefined): Setting<number> | undefined {
  let chosen: Setting<number> | undefined;
  for (const g of groups) {
    const own = g.kind === 'map' ? g.entries.find((e) => e.key === 'lr') : undefined;
    const ownValue = own ? numberOf(own.value) : undefined;
    if (own && ownValue === undefined) return undefined;
    const s = own && ownValue !== undefined ? mk(ctx, { node: own.value, entry: own, path: 'lr' }, ownValue) : defaultLr;
    if (!s) return undefined;
    if (chosen && chosen.value !== s.value) return undefined;
    chosen ??= s;
  }
  return chosen;
}

const SCHEDULERS =
  /^(StepLR|MultiStepLR|ExponentialLR|CosineAnnealingLR|CosineAnnealingWarmRestarts|ReduceLROnPlateau|OneCycleLR|CyclicLR|PolynomialLR|LinearLR|ConstantLR|LambdaLR|MultiplicativeLR|SequentialLR|ChainedScheduler)$/;
/** Schedulers that only wrap or warm up another (SequentialLR([warmup, main])): the main one is named. */
const WRAPPERS = /^(SequentialLR|ChainedScheduler|ConstantLR)$/;
const HF_SCHEDULES = /^get_(\w+?)_schedule(_with_warmup)?$/;

function isTorchScheduler(c: PyCall): boolean {
  return SCHEDULERS.test(c.name) && (c.path.includes('lr_scheduler') || c.path === c.name);
}

export function readScheduler(r: Reading): void {
  const scheds = r.calls.filter((c) => isTorchScheduler(c) || HF_SCHEDULES.test(c.name) || (c.name === 'get_scheduler' && c.path.startsWith('transformers')));
  const warmup = scheds.find((c) => c.name === 'LinearLR' && isWarmupLinear(r, c));
  if (warmup) {
    const ctx = keywordsOf(r, warmup, asKeyword(argument(warmup.args, 'total_iters', 3), 'total_iters'));
    const iters = num(ctx, 'total_iters');
    r.out.warmup = iters ?? settingAt(r, 'total_iters', 5, warmup.node); // LinearLR's default total_iters
    r.out.warmupUnit = 'steps';
  }
  const main = scheds.find((c) => c !== warmup && !WRAPPERS.test(c.name));
  if (!main) return;
  const callee = main.node.firstChild ?? main.node;
  const hf = HF_SCHEDULES.exec(main.name);
  if (hf || main.name === 'get_scheduler') {
    const ctx = keywordsOf(r, main, asKeyword(argument(main.args, 'name', 0), 'name'));
    const name = hf ? hf[1] : str(ctx, 'name')?.value;
    if (name) r.out.scheduler = settingAt(r, 'scheduler', name, main.node, callee);
    const w = num(ctx, 'num_warmup_steps');
    if (w) {
      r.out.warmup = w;
      r.out.warmupUnit = 'steps';
    }
    const total = num(ctx, 'num_training_steps');
    if (total) r.out.maxSteps = total;
    return;
  }
  r.out.scheduler = settingAt(r, 'scheduler', main.name, main.node, callee);
  const positional: Record<string, [string, number]> = {
    StepLR: ['step_size', 1],
    MultiStepLR: ['milestones', 1],
    CosineAnnealingLR: ['T_max', 1],
    OneCycleLR: ['max_lr', 1],
  };
  const p = positional[main.name];
  const ctx = keywordsOf(r, main, p ? asKeyword(argument(main.args, p[0], p[1]), p[0]) : []);
  if (main.name === 'StepLR') r.out.schedulerSteps = num(ctx, 'step_size');
  if (main.name === 'StepLR' || main.name === 'MultiStepLR') {
    // The drop factor decides whether the decay is abrupt (StepLR(step_size=1, gamma=0.7) is a smooth
    // per-epoch decay): gamma is the third parameter of both, default 0.1.
    r.out.schedulerFactor = num(keywordsOf(r, main, asKeyword(argument(main.args, 'gamma', 2), 'gamma')), 'gamma');
  }
  if (main.name === 'LambdaLR') {
    const step = readStepLambda(r, main);
    if (step && r.out.scheduler) {
      r.out.scheduler = { ...r.out.scheduler, value: STEP_LAMBDA };
      r.out.schedulerSteps = step.every;
      r.out.schedulerFactor = step.factor;
    }
  }
  if (main.name === 'MultiStepLR') {
    const loc = ctx.root.entries.find((e) => e.key === 'milestones');
    const list = loc && numberListOf(loc.value);
    if (loc && list) r.out.schedulerSteps = mk(ctx, { node: loc.value, entry: loc, path: 'milestones' }, list);
  }
  if (main.name === 'OneCycleLR') {
    // OneCycleLR sets the LR itself: it warms up to max_lr over pct_start of training (default 0.3).
    const maxLr = num(ctx, 'max_lr');
    if (maxLr) r.out.lr = maxLr;
    const pct = num(ctx, 'pct_start');
    if (pct) {
      r.out.warmup = pct;
      r.out.warmupUnit = 'ratio';
    } else r.out.builtIn = { ...r.out.builtIn, warmup: { value: 0.3, unit: 'ratio' } };
  }
}

/** `LinearLR(start_factor < end_factor)` ramps the LR up: a warmup (defaults 1/3 → 1.0). */
function isWarmupLinear(r: Reading, c: PyCall): boolean {
  const ctx = keywordsOf(r, c, asKeyword(argument(c.args, 'start_factor', 1), 'start_factor'));
  const start = num(ctx, 'start_factor')?.value ?? 1 / 3;
  const end = num(ctx, 'end_factor')?.value ?? 1;
  return start < end;
}

/** Keras `learning_rate=keras.optimizers.schedules.PiecewiseConstantDecay(boundaries, values)` and kin. */
function readKerasSchedule(r: Reading, c: PyCall): void {
  if (!/schedules/.test(c.path) && !/Decay|Schedule/.test(c.name)) return;
  r.out.scheduler = settingAt(r, 'scheduler', c.name, c.node, c.node.firstChild ?? c.node);
  if (c.name === 'PiecewiseConstantDecay') {
    const ctx = keywordsOf(r, c, asKeyword(argument(c.args, 'boundaries', 0), 'boundaries'));
    const loc = ctx.root.entries.find((e) => e.key === 'boundaries');
    const list = loc && numberListOf(loc.value);
    if (loc && list) r.out.schedulerSteps = mk(ctx, { node: loc.value, entry: loc, path: 'boundaries' }, list);
  }
}

/** The training DataLoader's batch size: the loader assigned to a `train…` name, else the shuffled one, else the first. */
export function readDataLoader(r: Reading): void {
  const loaders = r.calls.filter((c) => c.name === 'DataLoader');
  if (loaders.length === 0) return;
  const shuffled = (c: PyCall) => {
    const s = keywordsOf(r, c).root.entries.find((e) => e.key === 'shuffle');
    return s?.value.kind === 'scalar' && s.value.value === true;
  };
  const train = loaders.find((c) => /train/i.test(c.assignedTo ?? '')) ?? loaders.find(shuffled) ?? loaders[0];
  if (train.assignedTo && drawnOnce(r, train.assignedTo)) return;
  const ctx = keywordsOf(r, train, asKeyword(argument(train.args, 'batch_size', 1), 'batch_size'));
  r.out.batchSize ??= num(ctx, 'batch_size');
}

/**
 * A loader only ever read as `next(iter(loader))`: one batch is drawn and the script trains on that
 * tensor (pytorch/examples mnist_forward_forward draws the whole training set at once and runs its
 * own loop over it). Its batch size is the size of the data, not a minibatch of SGD steps, so the
 * batch-size rules (scaling, warmup) have nothing to judge in it.
 */
function drawnOnce(r: Reading, name: string): boolean {
  let uses = 0;
  const cursor = r.src.top.cursor();
  do {
    if (cursor.name !== 'VariableName' || textOf(r.src, cursor.node) !== name) continue;
    const node = cursor.node;
    const parent = node.parent;
    if (parent?.name === 'AssignStatement' && parent.firstChild?.from === node.from) continue; // the assignment itself
    const iterCall = parent?.parent;
    const nextCall = iterCall?.parent?.parent;
    const isIter = parent?.name === 'ArgList' && iterCall?.name === 'CallExpression' && textOf(r.src, iterCall.firstChild ?? iterCall) === 'iter';
    const isNext = nextCall?.name === 'CallExpression' && textOf(r.src, nextCall.firstChild ?? nextCall) === 'next';
    if (!isIter || !isNext) return false;
    uses++;
  } while (cursor.next());
  return uses === 1;
}

/**
 * `for epoch in range(N)` / `range(1, N + 1)` / `range(start, N)`: the number of epochs the loop runs.
 * The setting points at N (for `N + 1` from 1, at N itself, which is what an edit changes).
 */
export function readEpochLoop(r: Reading): void {
  if (r.out.epochs) return;
  const cursor = r.src.top.cursor();
  do {
    if (cursor.name !== 'ForStatement') continue;
    const loop = cursor.node;
    const target = loop.getChild('VariableName');
    if (!target || !/epoch/i.test(textOf(r.src, target))) continue;
    const iter = target.nextSibling?.nextSibling; // `in` then the iterable
    const call = iter && r.calls.find((c) => c.node.from === iter.from && c.node.to === iter.to && c.name === 'range');
    if (!call || call.args.length === 0 || call.args.length > 2 || call.args.some((a) => a.name || a.spread)) continue;
    const [startArg, stopArg] = call.args.length === 1 ? [undefined, call.args[0]] : call.args;
    const start = startArg ? evaluate(r, startArg.value) : undefined;
    const startValue = startArg ? (start?.kind === 'scalar' && typeof start.value === 'number' ? start.value : undefined) : 0;
    if (startValue === undefined) continue;
    let stopNode = stopArg.value;
    let offset = 0;
    // `range(1, N + 1)`: the setting is N.
    if (stopNode.name === 'BinaryExpression' && stopNode.lastChild?.name === 'Number' && textOf(r.src, stopNode.firstChild?.nextSibling ?? stopNode) === '+') {
      const inc = Number(textOf(r.src, stopNode.lastChild));
      if (stopNode.firstChild) {
        offset = inc;
        stopNode = stopNode.firstChild;
      }
    }
    const stop = evaluate(r, stopNode);
    if (stop?.kind !== 'scalar' || typeof stop.value !== 'number') continue;
    const epochs = stop.value + offset - startValue;
    if (!(epochs > 0)) continue;
    // The diagnostic sits on the loop's bound; an edit changes where N is written (maybe an argparse default).
    r.out.epochs = { value: epochs, key: 'epochs', range: rangeOf(r.src, stopArg.from, stopArg.to), valueRange: rangeOf(r.src, stop.span.start, stop.span.end) };
    return;
  } while (cursor.next());
}

/** `clip_grad_norm_(params, max_norm)`, seeds, restoring the best weights by hand, and weight averaging (SWA / EMA models). */
export function readLoopExtras(r: Reading): void {
  for (const c of r.calls) {
    if (c.name === 'clip_grad_norm_' || c.name === 'clip_grad_value_' || c.name === 'clip_grad_norm') {
      const key = c.name === 'clip_grad_value_' ? 'clip_value' : 'max_norm';
      const ctx = keywordsOf(r, c, asKeyword(argument(c.args, key, 1), key));
      r.out.gradClip ??= num(ctx, key);
    } else if (/^(manual_seed|seed_everything|set_seed)$/.test(c.name) && c.path !== 'random.seed') {
      const ctx = keywordsOf(r, c, asKeyword(argument(c.args, 'seed', 0), 'seed'));
      r.out.seed ??= num(ctx, 'seed');
    } else if (c.name === 'load_state_dict' && /best/i.test(textOf(r.src, argument(c.args, 'state_dict', 0)?.value ?? c.node))) {
      // The loop keeps the best weights itself (`model.load_state_dict(best_model_wts)` after training,
      // as the PyTorch transfer-learning tutorial does): restore-best by hand.
      r.out.restoreBest ??= settingAt(r, 'load_state_dict', true, c.node);
    } else if (/^(AveragedModel|ModelEma|ModelEmaV2|ModelEmaV3|ExponentialMovingAverage|StochasticWeightAveraging|EMA)$/.test(c.name)) {
      r.out.ema ??= settingAt(r, c.name, true, c.node);
    }
  }
}
