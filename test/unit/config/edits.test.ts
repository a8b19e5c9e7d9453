import * as assert from 'node:assert/strict';
import { parse as parseJsonc } from 'jsonc-parser';
import type { ParseError } from 'jsonc-parser';
import { parseDocument } from 'yaml';
import { readConfig } from '../../../src/core/config/read-config';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { addKey, appendListItem, applyEdits, setNumber, yamlNumber } from '../../../src/core/config/edits';
import {
  addEarlyStopping, addGradClip, addWarmup, enableEma, freezeBackbone, replaceScheduler, setSweepRandom,
} from '../../../src/core/fixes/builders';
import type { TextEdit } from '../../../src/core/config/edits';
import { editProblems } from '../../../src/core/fixes/validate-edit';
import { checkAllRanges, fixture, readFixture } from './helpers';

/** The document as plain data; fails on any syntax error. */
function data(text: string, format: 'yaml' | 'json'): Record<string, unknown> {
  if (format === 'json') {
    const errors: ParseError[] = [];
    const v = parseJsonc(text, errors, { allowTrailingComma: true });
    assert.deepEqual(errors, [], 'JSON still parses');
    return v;
  }
  const doc = parseDocument(text);
  assert.deepEqual(doc.errors.map((e) => e.message), [], 'YAML still parses');
  return doc.toJS() as Record<string, unknown>;
}

/** Removes the given dotted paths from a copy (both sides), so that the rest can be compared. */
function without(v: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
  for (const p of paths) {
    const segs = p.split('.');
    let o: Record<string, unknown> | undefined = copy;
    for (const s of segs.slice(0, -1)) o = o && (o[s] as Record<string, unknown> | undefined);
    if (o && typeof o === 'object') delete o[segs[segs.length - 1]];
  }
  return copy;
}

interface Edited {
  before: TrainingConfig;
  after: TrainingConfig;
  text: string;
  original: string;
  edits: TextEdit[];
}

/**
 * Applies a quick fix to a fixture, checks the result still parses, re-reads it, and checks that
 * nothing but `changed` (dotted paths of the data) differs.
 */
function edit(rel: string, fix: (cfg: TrainingConfig, text: string) => TextEdit[], changed: string[]): Edited {
  const { cfg, text } = readFixture(rel);
  const edits = fix(cfg, text);
  assert.ok(edits.length > 0, 'the fix produces edits');
  const out = applyEdits(text, edits);
  const after = readConfig(fixture(rel).file, out);
  assert.ok(after, 'still a training config');
  assert.equal(after.style, cfg.style, 'same style');
  checkAllRanges(after, out);
  assert.deepEqual(without(data(out, cfg.format as 'yaml' | 'json'), changed), without(data(text, cfg.format as 'yaml' | 'json'), changed), 'the rest is intact');
  return { before: cfg, after, text: out, original: text, edits };
}

describe('config/edits: setNumber', () => {
  it('replaces the Lightning optimizer lr in place', () => {
    const r = edit('lightning-cli/config.yaml', (c, t) => setNumber(c, t, c.lr!, 0.1), ['optimizer.init_args.lr']);
    assert.equal(r.after.lr!.value, 0.1);
    assert.equal(r.edits.length, 1);
    assert.deepEqual(r.edits[0].range, r.before.lr!.valueRange);
    assert.ok(r.text.includes('    lr: 0.1\n'));
  });

  it('writes small floats so PyYAML (YAML 1.1) also reads a float', () => {
    const r = edit('lightning-cli/config.yaml', (c, t) => setNumber(c, t, c.lr!, 1e-7), ['optimizer.init_args.lr']);
    assert.ok(r.text.includes('lr: 1.0e-7\n'), 'mantissa with a dot, signed exponent');
    assert.equal(r.after.lr!.value, 1e-7);
    assert.equal(yamlNumber(2e-7), '2.0e-7');
    assert.equal(yamlNumber(2e-5), '0.00002');
    assert.equal(yamlNumber(1.5e21), '1.5e+21');
    assert.equal(yamlNumber(10, true), '10.0');
  });

  it('replaces a null with a number (Lightning gradient_clip_val: null)', () => {
    const r = edit('lightning-cli/config.yaml', (c, t) => setNumber(c, t, c.gradClip!, 1.0), ['trainer.gradient_clip_val']);
    assert.equal(r.after.gradClip!.value, 1);
    assert.ok(r.text.includes('  gradient_clip_val: 1\n') || r.text.includes('  gradient_clip_val: 1.0\n'));
  });

  it('replaces a JSON number and keeps it a float when it was one', () => {
    const r = edit('hf/training_args.json', (c, t) => setNumber(c, t, c.epochs!, 3), ['num_train_epochs']);
    assert.ok(r.text.includes('"num_train_epochs": 3.0,'));
    const r2 = edit('hf/training_args.json', (c, t) => setNumber(c, t, c.lr!, 5e-5), ['learning_rate']);
    assert.equal(r2.after.lr!.value, 5e-5);
  });

  it('replaces a value written as a block list with a scalar (YOLOv5 freeze: [0] style)', () => {
    const text = 'lr: 0.01\nepochs: 10\nfreeze:\n- 0\nbatch_size: 4\n';
    const cfg = readConfig('opt.yaml', text)!;
    const out = applyEdits(text, setNumber(cfg, text, cfg.freeze!, 10));
    assert.equal(out, 'lr: 0.01\nepochs: 10\nfreeze: 10\nbatch_size: 4\n');
  });
});

describe('config/edits: replaceScheduler(cosine) in each style', () => {
  it('Lightning: MultiStepLR → CosineAnnealingLR with T_max = max_epochs', () => {
    const r = edit('lightning-cli/config.yaml', (c, t) => replaceScheduler(c, t, 'cosine'), ['lr_scheduler']);
    assert.equal(r.after.scheduler!.value, 'torch.optim.lr_scheduler.CosineAnnealingLR');
    assert.equal(r.after.schedulerSteps, undefined);
    const js = data(r.text, 'yaml') as { lr_scheduler: unknown };
    assert.deepEqual(js.lr_scheduler, { class_path: 'torch.optim.lr_scheduler.CosineAnnealingLR', init_args: { T_max: 90 } });
  });

  it('Lightning: lr_scheduler: null → a block mapping', () => {
    const r = edit('lightning-cli/config_no_scheduler.yaml', (c, t) => replaceScheduler(c, t, 'cosine'), ['lr_scheduler']);
    assert.ok(r.text.includes('lr_scheduler:\n  class_path: torch.optim.lr_scheduler.CosineAnnealingLR\n  init_args:\n    T_max: 30\nckpt_path: null'));
    assert.equal(r.after.scheduler!.value, 'torch.optim.lr_scheduler.CosineAnnealingLR');
  });

  it('Lightning: a scheduler injected into the model', () => {
    const r = edit('lightning-cli/config_onecycle.yaml', (c, t) => replaceScheduler(c, t, 'cosine'), ['model.init_args.scheduler']);
    assert.equal(r.after.scheduler!.key, 'model.init_args.scheduler.class_path');
    assert.equal(r.after.scheduler!.value, 'torch.optim.lr_scheduler.CosineAnnealingLR');
  });

  it('Hydra: a _target_ object keeps _partial_', () => {
    const r = edit('hydra/multirun.yaml', (c, t) => replaceScheduler(c, t, 'cosine'), ['model.scheduler']);
    const js = data(r.text, 'yaml') as { model: { scheduler: unknown } };
    assert.deepEqual(js.model.scheduler, { _target_: 'torch.optim.lr_scheduler.CosineAnnealingLR', _partial_: true, T_max: 40 });
  });

  it('HF JSON and YAML: lr_scheduler_type: cosine', () => {
    const r = edit('hf/training_args.json', (c, t) => replaceScheduler(c, t, 'cosine'), ['lr_scheduler_type']);
    assert.ok(r.text.includes('"lr_scheduler_type": "cosine",'));
    const r2 = edit('hf/axolotl_lora.yml', (c, t) => replaceScheduler(c, t, 'cosine'), ['lr_scheduler']);
    assert.equal(r2.after.scheduler!.value, 'cosine');
  });

  it('timm: sched: cosine', () => {
    const r = edit('timm/args.yaml', (c, t) => replaceScheduler(c, t, 'cosine'), ['sched']);
    assert.ok(r.text.includes('\nsched: cosine\n'));
  });

  it('detectron2: SOLVER.LR_SCHEDULER_NAME: WarmupCosineLR, added or replaced', () => {
    const r = edit('detectron2/mask_rcnn_R_50_FPN_3x.yaml', (c, t) => replaceScheduler(c, t, 'cosine'), ['SOLVER.LR_SCHEDULER_NAME']);
    assert.ok(r.text.includes('  MAX_ITER: 270000\n  LR_SCHEDULER_NAME: WarmupCosineLR\n'));
    assert.equal(r.after.scheduler!.value, 'WarmupCosineLR');
    const r2 = edit('detectron2/config.yaml', (c, t) => replaceScheduler(c, t, 'cosine'), ['SOLVER.LR_SCHEDULER_NAME']);
    assert.equal(r2.after.scheduler!.value, 'WarmupCosineLR');
  });

  it('Ultralytics: cos_lr: true', () => {
    const r = edit('ultralytics/args.yaml', (c, t) => replaceScheduler(c, t, 'cosine'), ['cos_lr']);
    assert.equal(r.after.scheduler!.value, 'cosine');
  });

  it('plain YAML, JSONC and a W&B run config: scheduler: cosine', () => {
    assert.equal(edit('plain/config.yaml', (c, t) => replaceScheduler(c, t, 'cosine'), ['train.scheduler']).after.scheduler!.value, 'cosine');
    const j = edit('plain/config.jsonc', (c, t) => replaceScheduler(c, t, 'cosine'), ['scheduler']);
    assert.ok(j.text.includes('// Fine-tuning recipe'), 'comments kept');
    const w = edit('wandb/run_config.yaml', (c, t) => replaceScheduler(c, t, 'cosine'), ['scheduler.value']);
    assert.ok(w.text.includes('scheduler:\n  desc: null\n  value: cosine\n'));
  });
});

describe('config/edits: addKey', () => {
  it('adds a key to a nested YAML map at its indentation', () => {
    const r = edit('lightning-cli/config.yaml', (c, t) => addKey(c, t, 'optimizer.init_args.lr_note', 'peak'), ['optimizer.init_args.lr_note']);
    assert.ok(r.text.includes('    fused: null\n    lr_note: peak\nlr_scheduler:'));
  });

  it('creates missing parent maps', () => {
    const r = edit('detectron2/mask_rcnn_R_50_FPN_3x.yaml', (c, t) => addKey(c, t, 'SOLVER.CLIP_GRADIENTS', { ENABLED: true, CLIP_VALUE: 1.0 }), ['SOLVER.CLIP_GRADIENTS']);
    assert.ok(r.text.endsWith('  MAX_ITER: 270000\n  CLIP_GRADIENTS:\n    ENABLED: true\n    CLIP_VALUE: 1\n'));
    assert.equal(r.after.gradClip!.value, 1);
  });

  it('merges an object into an existing map key by key', () => {
    const r = edit('detectron2/config.yaml', (c, t) => addGradClip(c, t, 0.5), ['SOLVER.CLIP_GRADIENTS.ENABLED', 'SOLVER.CLIP_GRADIENTS.CLIP_TYPE', 'SOLVER.CLIP_GRADIENTS.CLIP_VALUE']);
    assert.equal(r.after.gradClip!.value, 0.5);
    assert.ok(r.text.includes('    NORM_TYPE: 2.0\n'), 'untouched sibling kept');
    assert.equal(r.edits.length, 1);
  });

  it('adds a top-level JSON key with the file\'s commas and indentation', () => {
    const r = edit('hf/training_args.json', (c, t) => addKey(c, t, 'early_stopping_patience', 3), ['early_stopping_patience']);
    assert.ok(r.text.endsWith('"eval_use_gather_object": false,\n  "early_stopping_patience": 3\n}\n'), r.text.slice(-120));
    assert.equal(r.after.earlyStopping!.value, 3);
  });

  it('adds into a JSONC nested object, keeping comments', () => {
    const r = edit('plain/config.jsonc', (c, t) => addKey(c, t, 'optim.clip_grad_norm', 1.0), ['optim.clip_grad_norm']);
    assert.equal(r.after.gradClip!.value, 1);
    assert.ok(r.text.includes('/* about 2 epochs */'));
  });

  it('adds to a YAML flow mapping', () => {
    const text = 'train: {lr: 0.1, epochs: 3, batch_size: 8}\n';
    const cfg = readConfig('c.yaml', text)!;
    const out = applyEdits(text, addKey(cfg, text, 'train.warmup_epochs', 2));
    assert.equal(out, 'train: {lr: 0.1, epochs: 3, batch_size: 8, warmup_epochs: 2}\n');
  });

  it('keeps CRLF line ends', () => {
    const text = 'model:\r\n  lr: 0.1\r\n  epochs: 3\r\nseed: 1\r\n';
    const cfg = readConfig('c.yaml', text)!;
    const out = applyEdits(text, addKey(cfg, text, 'model.warmup_epochs', 5));
    assert.equal(out, 'model:\r\n  lr: 0.1\r\n  epochs: 3\r\n  warmup_epochs: 5\r\nseed: 1\r\n');
    assert.equal(readConfig('c.yaml', out)!.warmup!.value, 5);
  });

  it('uses the file\'s indent unit (4 spaces)', () => {
    const text = 'train:\n    lr: 0.1\n    epochs: 3\n';
    const cfg = readConfig('c.yaml', text)!;
    const out = applyEdits(text, addKey(cfg, text, 'train.ema', { decay: 0.999 }));
    assert.equal(out, 'train:\n    lr: 0.1\n    epochs: 3\n    ema:\n        decay: 0.999\n');
  });

  it('appends to a PyYAML indentless block list and to a flow list', () => {
    const r = edit('lightning-cli/config.yaml', (c, t) => appendListItem(c, t, 'trainer.callbacks', { class_path: 'x.Y', init_args: { a: 1 } }), ['trainer.callbacks']);
    assert.ok(r.text.includes('      log_rank_zero_only: false\n  - class_path: x.Y\n    init_args:\n      a: 1\n  fast_dev_run: false'));
    const text = 'lr: 0.1\nepochs: 3\nmilestones: [1, 2]\n';
    const cfg = readConfig('c.yaml', text)!;
    assert.equal(applyEdits(text, appendListItem(cfg, text, 'milestones', 3)), 'lr: 0.1\nepochs: 3\nmilestones: [1, 2, 3]\n');
  });
});

/** A quick fix through `edit`, whose result the config's framework validator also accepts. */
function fix(rel: string, build: (cfg: TrainingConfig, text: string) => TextEdit[], changed: string[]): Edited {
  const r = edit(rel, build, changed);
  assert.deepEqual(editProblems(r.before, r.original, r.text), [], 'the framework accepts the edited config');
  return r;
}

describe('config/edits: quick fixes (each edit passes its framework\'s validator)', () => {
  it('addWarmup: HF ratio, LLaMA-Factory, timm/Ultralytics epochs, detectron2 iterations', () => {
    const hf = fix('hf/training_args.json', (c, t) => addWarmup(c, t), ['warmup_ratio']);
    assert.equal(hf.after.warmup!.value, 0.1);
    assert.equal(hf.after.warmupUnit, 'ratio');
    assert.equal(fix('timm/args.yaml', (c, t) => addWarmup(c, t), ['warmup_epochs']).after.warmup!.value, 5);
    assert.equal(fix('ultralytics/args.yaml', (c, t) => addWarmup(c, t, 3), ['warmup_epochs']).after.warmup!.value, 3);
    const d2 = fix('detectron2/mask_rcnn_R_50_FPN_3x.yaml', (c, t) => addWarmup(c, t), ['SOLVER.WARMUP_ITERS']);
    assert.equal(d2.after.warmup!.value, 1000);
  });

  it('addWarmup: Lightning CLI wraps lr_scheduler in SequentialLR([LinearLR, original]) or adds a LinearLR', () => {
    const l = fix('lightning-cli/config.yaml', (c, t) => addWarmup(c, t, 5), ['lr_scheduler']);
    assert.equal(l.before.warmup, undefined);
    assert.equal(l.after.warmup!.value, 5);
    assert.equal(l.after.scheduler!.value, 'torch.optim.lr_scheduler.SequentialLR');
    const before = data(l.original, 'yaml').lr_scheduler as Record<string, unknown>;
    const after = data(l.text, 'yaml').lr_scheduler as { class_path: string; init_args: { schedulers: unknown[]; milestones: number[] } };
    assert.deepEqual(after.init_args.milestones, [5]);
    assert.deepEqual(after.init_args.schedulers, [
      { class_path: 'torch.optim.lr_scheduler.LinearLR', init_args: { start_factor: 0.1, total_iters: 5 } },
      before,
    ]);
    assert.ok(l.text.endsWith('ckpt_path: null\n'), 'what follows lr_scheduler is kept');

    // No scheduler (lr_scheduler: null) but a top-level optimizer: a LinearLR warmup alone.
    const { cfg, text } = readFixture('lightning-cli/config.yaml');
    const noSched = text.replace(/^lr_scheduler:\n(?: {2}.*\n)+/m, 'lr_scheduler: null\n');
    const c0 = readConfig(cfg.file, noSched)!;
    assert.equal(c0.scheduler!.value, 'none');
    const out = applyEdits(noSched, addWarmup(c0, noSched, 3));
    assert.deepEqual(data(out, 'yaml').lr_scheduler, { class_path: 'torch.optim.lr_scheduler.LinearLR', init_args: { start_factor: 0.1, total_iters: 3 } });
    assert.equal(readConfig(cfg.file, out)!.warmup!.value, 3);
    assert.deepEqual(without(data(out, 'yaml'), ['lr_scheduler']), without(data(noSched, 'yaml'), ['lr_scheduler']));

    // Without a top-level optimizer LightningCLI ignores lr_scheduler: no edit.
    const none = readFixture('lightning-cli/config_no_scheduler.yaml');
    assert.deepEqual(addWarmup(none.cfg, none.text), []);
  });

  it('addGradClip: Lightning, HF, timm', () => {
    assert.equal(fix('lightning-cli/config_no_scheduler.yaml', (c, t) => addGradClip(c, t), ['trainer.gradient_clip_val']).after.gradClip!.value, 1);
    const t = fix('timm/args.yaml', (c, tx) => addGradClip(c, tx, 5), ['clip_grad']);
    assert.ok(t.text.includes('\nclip_grad: 5\n'));
    const u = readFixture('ultralytics/args.yaml');
    assert.deepEqual(addGradClip(u.cfg, u.text), [], 'Ultralytics always clips');
  });

  it('addEarlyStopping: Lightning callback into callbacks: null, HF load_best_model_at_end, axolotl patience', () => {
    const l = fix('lightning-cli/config_no_scheduler.yaml', (c, t) => addEarlyStopping(c, t, 4), ['trainer.callbacks']);
    assert.equal(l.after.earlyStopping!.value, 4);
    assert.ok(l.text.includes('  callbacks:\n    - class_path: lightning.pytorch.callbacks.EarlyStopping\n      init_args:\n        monitor: val_loss\n'));
    const l2 = fix('lightning-cli/config.yaml', (c, t) => addEarlyStopping(c, t, 4), ['trainer.callbacks']);
    assert.equal((data(l2.text, 'yaml') as { trainer: { callbacks: unknown[] } }).trainer.callbacks.length, 3);
    // eval_strategy and save_strategy are both "epoch" in the fixture: only load_best_model_at_end changes.
    const hf = fix('hf/training_args.json', (c, t) => addEarlyStopping(c, t), ['load_best_model_at_end']);
    assert.equal(hf.after.restoreBest!.value, true);
    // LLaMA-Factory evaluates every 500 steps and saves every 500: its own patience key and the best checkpoint.
    const lf = fix('hf/llama3_lora_sft.yaml', (c, t) => addEarlyStopping(c, t, 3), ['early_stopping_steps', 'load_best_model_at_end']);
    assert.equal(lf.after.restoreBest!.value, true);
    assert.ok(lf.text.includes('\nearly_stopping_steps: 3\nload_best_model_at_end: true\n'));
    // The axolotl config names no evaluation strategy: there may be no best model to keep, no edit.
    const ax = readFixture('hf/axolotl_lora.yml');
    assert.deepEqual(addEarlyStopping(ax.cfg, ax.text, 3), []);
  });

  it('addEarlyStopping on HF: save_strategy made to match the evaluation (TrainingArguments.__post_init__ raises otherwise)', () => {
    const { cfg, text } = readFixture('hf/training_args.json');
    const noSave = text.replace('"save_strategy": "epoch"', '"save_strategy": "no"');
    const c0 = readConfig(cfg.file, noSave)!;
    const out = applyEdits(noSave, addEarlyStopping(c0, noSave));
    assert.equal((data(out, 'json') as { save_strategy: string }).save_strategy, 'epoch');
    assert.deepEqual(editProblems(c0, noSave, out), []);
    // Steps: saving every 500 while evaluating every 200 cannot keep the best model; save_steps follows eval_steps.
    const steps = text.replace('"eval_strategy": "epoch"', '"eval_strategy": "steps"').replace('"eval_steps": null', '"eval_steps": 200');
    const c1 = readConfig(cfg.file, steps)!;
    const out1 = applyEdits(steps, addEarlyStopping(c1, steps));
    const d1 = data(out1, 'json') as { save_strategy: string; save_steps: number; load_best_model_at_end: boolean };
    assert.deepEqual([d1.save_strategy, d1.save_steps, d1.load_best_model_at_end], ['steps', 200, true]);
    assert.deepEqual(editProblems(c1, steps, out1), []);
    // No evaluation at all: no best model, no edit.
    const noEval = text.replace('"eval_strategy": "epoch"', '"eval_strategy": "no"');
    assert.deepEqual(addEarlyStopping(readConfig(cfg.file, noEval)!, noEval), []);
  });

  it('enableEma: timm model_ema, Lightning EMAWeightAveraging, plain ema', () => {
    const t = fix('timm/args.yaml', (c, tx) => enableEma(c, tx), ['model_ema', 'model_ema_decay']);
    assert.equal(t.after.ema!.value, true);
    assert.ok(t.text.includes('\nmodel_ema: true\nmodel_ema_decay: 0.9998\n'));
    const l = fix('lightning-cli/config.yaml', (c, tx) => enableEma(c, tx, 0.999), ['trainer.callbacks']);
    assert.equal(l.after.ema!.value, 0.999);
    assert.equal(fix('plain/config.yaml', (c, tx) => enableEma(c, tx), ['train.ema']).after.ema!.value, true);
  });

  it('setSweepRandom: W&B grid → random with run_cap', () => {
    const r = fix('wandb/sweep.yaml', (c, t) => setSweepRandom(c, t, 60), ['method', 'run_cap', 'parameters.learning_rate', 'parameters.weight_decay']);
    assert.equal(r.after.sweep!.method, 'random');
    assert.equal(r.after.sweep!.trials!.value, 60);
    // Float value lists become ranges (random draws from the grid's lists would repeat grid points);
    // integer and string lists stay: ResNet depth 18/34/50 has nothing in between.
    const params = (data(r.text, 'yaml') as { parameters: Record<string, unknown> }).parameters;
    assert.deepEqual(params.learning_rate, { distribution: 'log_uniform_values', min: 0.001, max: 0.1 });
    assert.deepEqual(params.weight_decay, { distribution: 'uniform', min: 0, max: 0.001 });
    assert.deepEqual(params.batch_size, { values: [32, 64, 128, 256] });
    assert.deepEqual((params.model as { parameters: { depth: unknown } }).parameters.depth, { values: [18, 34, 50] });
    const h = fix('hydra/optuna_sweep.yaml', (c, t) => setSweepRandom(c, t, 40), ['hydra.sweeper.sampler._target_', 'hydra.sweeper.n_trials']);
    assert.equal(h.after.sweep!.method, 'random');
  });

  it('freezeBackbone: Ultralytics freeze, detectron2 FREEZE_AT, Lightning BackboneFinetuning, plain flag', () => {
    assert.equal(fix('ultralytics/args.yaml', (c, t) => freezeBackbone(c, t), ['freeze']).after.freeze!.value, 10);
    // detectron2 already freezes the stem and res2 (FREEZE_AT 2) when the file says nothing: no edit;
    // a FREEZE_AT the file lowers to 0 is raised back to 2.
    const m = readFixture('detectron2/mask_rcnn_R_50_FPN_3x.yaml');
    assert.equal(m.cfg.builtIn?.freeze, 'stem + res2 (MODEL.BACKBONE.FREEZE_AT 2)');
    assert.deepEqual(freezeBackbone(m.cfg, m.text), []);
    const t0 = m.text.replace('    DEPTH: 50\n', '    DEPTH: 50\n  BACKBONE:\n    FREEZE_AT: 0\n');
    const m0 = readConfig(m.cfg.file, t0)!;
    const d = applyEdits(t0, freezeBackbone(m0, t0));
    assert.ok(d.includes('  RESNETS:\n    DEPTH: 50\n  BACKBONE:\n    FREEZE_AT: 2\nSOLVER:'));
    assert.deepEqual(editProblems(m0, t0, d), []);
    // BackboneFinetuning needs a `backbone` attribute on the model: given as a model argument here.
    const { cfg, text } = readFixture('lightning-cli/config.yaml');
    const withBackbone = text.replace(/^( {4})num_classes:/m, '$1backbone: resnet50\n$1num_classes:');
    assert.notEqual(withBackbone, text);
    const c0 = readConfig(cfg.file, withBackbone)!;
    const out = applyEdits(withBackbone, freezeBackbone(c0, withBackbone));
    assert.equal(readConfig(cfg.file, out)!.freeze!.value, 'lightning.pytorch.callbacks.BackboneFinetuning');
    assert.deepEqual(editProblems(c0, withBackbone, out), []);
    // Without one, the callback would raise at fit start: the validator refuses it.
    assert.deepEqual(editProblems(cfg, text, applyEdits(text, freezeBackbone(cfg, text))), ['BackboneFinetuning needs a model with a backbone attribute']);
    assert.equal(fix('plain/config.yaml', (c, t) => freezeBackbone(c, t), ['model.freeze_backbone']).after.freeze!.value, true);
  });
});
