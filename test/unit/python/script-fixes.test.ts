/**
 * Quick fixes that edit Python, through the fix policy as the server offers them: each is applied,
 * the edited script parsed again (no error nodes) and analysed again (the finding is gone, the
 * setting reads as the fix meant), on real public scripts (test/fixtures/python, each citing its
 * source) and on the frameworks' own keyword lists (frameworks/python/schema.ts).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyEdits } from '../../../src/core/config/edits';
import { fixesFor } from '../../../src/core/fixes/policy';
import { editProblems } from '../../../src/core/fixes/validate-edit';
import { parsePython } from '../../../src/core/python/syntax';
import type { RuleId } from '../../../src/core/types';
import { skipBecause } from '../../helpers/paths';
import { edit, findingsOf, readScript, script } from './helpers';

function hasErrorNodes(text: string): boolean {
  let errors = false;
  parsePython(text).top.cursor().iterate((n) => {
    if (n.type.isError) errors = true;
  });
  return errors;
}

/** The fixes of a finding on `text`, each applied: its title and the edited text, which must parse. */
function applied(file: string, text: string, rule: RuleId, evidence: Record<string, unknown> = {}) {
  const cfg = readScript(file, text);
  return fixesFor(rule, evidence as never, cfg, text).map((f) => {
    const after = applyEdits(text, f.edits);
    assert.ok(!hasErrorNodes(after), `${f.title}: the edited script has syntax errors:\n${after}`);
    return { title: f.title, after, reread: readScript(file, after) };
  });
}

describe('python scripts: early stopping written into the script', () => {
  it('Lightning: EarlyStopping on the val_loss the module logs, in Trainer(callbacks=[…]), with the run’s patience', () => {
    const s = script('lightning-early-stopping.py');
    // The example without its callback: what a user who has not added one yet has.
    const text = edit(s.text, '    callbacks=[EarlyStopping(monitor="val_loss", mode="min", patience=3)],\n', '');
    assert.ok(findingsOf(s.file, text).some((f) => f.rule === 'no-early-stopping'), 'max_epochs=50 without early stopping is hinted');
    const [fix, ...rest] = applied(s.file, text, 'overfitting-plateau', { suggestedPatience: 4 });
    assert.equal(rest.length, 0);
    assert.equal(fix.title, 'Add an EarlyStopping callback on val_loss (patience 4) to the Trainer');
    assert.ok(fix.after.includes('    default_root_dir="experiments/",\n    callbacks=[EarlyStopping(monitor="val_loss", mode="min", patience=4)],\n)'), fix.after);
    assert.equal(fix.after.match(/import EarlyStopping/g)?.length, 1, 'the existing import is reused');
    assert.equal(fix.reread.earlyStopping?.value, 4);
    assert.ok(!findingsOf(s.file, fix.after).some((f) => f.rule === 'no-early-stopping'));
  });

  it('Lightning: no patience from the run or the schedule, no fix (never a constant of ours)', () => {
    const s = script('lightning-early-stopping.py');
    const text = edit(s.text, '    callbacks=[EarlyStopping(monitor="val_loss", mode="min", patience=3)],\n', '');
    assert.deepEqual(applied(s.file, text, 'no-early-stopping', { suggestedPatience: null }), []);
    // A ReduceLROnPlateau(patience=5) in the module: the LR cut gets as many evaluations again to act.
    const plateau = edit(text, 'return torch.optim.Adam(self.parameters(), lr=self.learning_rate)', 'opt = torch.optim.Adam(self.parameters(), lr=self.learning_rate)\n        return [opt], [torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=5)]');
    const [fix] = applied(s.file, plateau, 'no-early-stopping', { suggestedPatience: null });
    assert.equal(fix.reread.earlyStopping?.value, 10);
  });

  it('Lightning: a module that logs no validation metric gets no EarlyStopping (nothing to monitor)', () => {
    const s = script('lightning-early-stopping.py');
    let text = edit(s.text, '    callbacks=[EarlyStopping(monitor="val_loss", mode="min", patience=3)],\n', '');
    text = edit(text, 'self.log("val_loss", ', 'print(');
    assert.deepEqual(applied(s.file, text, 'overfitting-plateau', { suggestedPatience: 4 }), []);
  });

  it('HF (sagemaker train.py): load_best_model_at_end, metric, save strategy matching evaluation_strategy, EarlyStoppingCallback imported', () => {
    const s = script('hf-sagemaker-train.py');
    const [fix] = applied(s.file, s.text, 'overfitting-plateau', { suggestedPatience: 2 });
    assert.equal(fix.title, 'Add EarlyStoppingCallback (patience 2 evaluations) and load_best_model_at_end=True, save_strategy="epoch"');
    assert.ok(fix.after.includes('        learning_rate=float(args.learning_rate),\n        load_best_model_at_end=True,\n        metric_for_best_model="eval_loss",\n        save_strategy="epoch",\n    )'), fix.after);
    assert.ok(fix.after.includes('        tokenizer=tokenizer,\n        callbacks=[EarlyStoppingCallback(early_stopping_patience=2)],\n    )'), fix.after);
    assert.ok(fix.after.includes('from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments\nfrom transformers import EarlyStoppingCallback\n'));
    assert.equal(fix.reread.restoreBest?.value, true);
    assert.equal(fix.reread.earlyStopping?.value, 2);
  });

  it('HF without a patience keeps the best checkpoint only; a mismatched save strategy written by hand is refused by the validator', () => {
    const s = script('hf-sagemaker-train.py');
    const [fix] = applied(s.file, s.text, 'no-early-stopping', { suggestedPatience: null });
    assert.equal(fix.title, 'Keep the best checkpoint: load_best_model_at_end=True, save_strategy="epoch"');
    assert.ok(!fix.after.includes('EarlyStoppingCallback'));
    const cfg = readScript(s.file, s.text);
    const wrong = edit(s.text, '        evaluation_strategy="epoch",\n', '        evaluation_strategy="epoch",\n        load_best_model_at_end=True,\n        save_strategy="steps",\n');
    assert.deepEqual(editProblems(cfg, s.text, wrong), ['load_best_model_at_end needs save_strategy = eval strategy (steps ≠ epoch)']);
  });

  it('Keras (keras-io mnist_convnet): EarlyStopping(restore_best_weights=True) in fit, named through tensorflow.keras', () => {
    const s = script('keras-mnist-convnet.py');
    const [fix] = applied(s.file, s.text, 'overfitting-plateau', { suggestedPatience: 3 });
    assert.equal(fix.title, 'Add EarlyStopping on val_loss (patience 3, restore_best_weights=True) to fit');
    assert.ok(fix.after.includes('validation_split=0.1, callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)])'), fix.after);
    assert.equal(fix.reread.restoreBest?.value, true);
    // No validation in fit: there is no val_loss to monitor.
    const noVal = edit(s.text, ', validation_split=0.1', '');
    assert.deepEqual(applied(s.file, noVal, 'overfitting-plateau', { suggestedPatience: 3 }), []);
  });

  it('a plain loop (pytorch/examples imagenet) gets no early-stopping edit', () => {
    const s = script('pytorch-examples-imagenet.py');
    assert.deepEqual(applied(s.file, s.text, 'overfitting-plateau', { suggestedPatience: 3 }), []);
  });
});

describe('python scripts: warmup, clipping, LR and sweep fixes', () => {
  it('HF: warmup_ratio and max_grad_norm are written as TrainingArguments keywords', () => {
    const s = script('peft-lora-opt.py');
    const cfg = readScript(s.file, s.text);
    // peft-lora-opt writes warmup_steps=10: no warmup is added on top of one.
    assert.ok((cfg.warmup?.value ?? 0) > 0);
    const text = edit(s.text, 'warmup_steps=10,', 'warmup_steps=0,');
    const [warm] = applied(s.file, text, 'large-batch-no-warmup', { suggestedWarmupRatio: 0.05, gradClip: true });
    assert.equal(warm.title, 'Add LR warmup: warmup_ratio=0.05 in TrainingArguments (5% of the steps)');
    assert.equal(warm.reread.warmup?.value, 0.05);
    const unclipped = edit(text, 'warmup_steps=0,', 'warmup_steps=0, max_grad_norm=0.0,');
    const clip = applied(s.file, unclipped, 'loss-spike');
    assert.deepEqual(clip.map((f) => f.title), ['Add gradient clipping: max_grad_norm max norm 1.0']);
    assert.ok(clip[0].after.includes('max_grad_norm=1.0'));
  });

  it('Lightning: gradient_clip_val in the Trainer call', () => {
    const s = script('lightning-early-stopping.py');
    const [fix] = applied(s.file, s.text, 'loss-spike');
    assert.equal(fix.title, 'Add gradient clipping: gradient_clip_val max norm 1.0');
    assert.ok(fix.after.includes('    callbacks=[EarlyStopping(monitor="val_loss", mode="min", patience=3)],\n    gradient_clip_val=1.0,\n)'), fix.after);
    assert.equal(fix.reread.gradClip?.value, 1);
  });

  it('a plain loop: clip_grad_norm_ over the optimizer’s parameters before each optimizer.step(); the edited loop runs', function () {
    this.timeout(120_000);
    const s = script('tiny-plain-loop.py');
    const [fix] = applied(s.file, s.text, 'loss-spike');
    assert.equal(fix.title, 'Add gradient clipping: clip_grad_norm_ before optimizer.step(), max norm 1.0');
    assert.ok(fix.after.includes('            loss.backward()\n            torch.nn.utils.clip_grad_norm_([p for g in optimizer.param_groups for p in g["params"]], max_norm=1.0)\n            optimizer.step()\n'), fix.after);
    assert.equal(fix.reread.gradClip?.value, 1);
    // Under AMP the gradients are scaled until unscale_: no clipping line is offered.
    const amp = 'import torch\nopt = torch.optim.SGD(m.parameters(), lr=0.1)\nfor x in data:\n    scaler.scale(loss).backward()\n    scaler.step(opt)\n    scaler.update()\n';
    assert.deepEqual(applied('amp.py', amp, 'loss-spike'), []);
    const python = ['python3', '/usr/bin/python3'].find((exe) => spawnSync(exe, ['-c', 'import torch'], { timeout: 60_000 }).status === 0);
    if (!python) skipBecause(this, 'no python3 with torch (Debian: apt-get install python3-torch)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-clip-'));
    try {
      fs.writeFileSync(path.join(dir, 'train.py'), fix.after);
      const run = spawnSync(python, [path.join(dir, 'train.py')], { encoding: 'utf8', timeout: 100_000 });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.match(/^epoch=\d+ loss=/gm)?.length, 3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an LR the rule computed is written where the script sets it (argparse default or keyword literal)', () => {
    const s = script('pytorch-examples-imagenet.py');
    const cfg = readScript(s.file, s.text);
    assert.equal(cfg.lr?.value, 0.1);
    const [fix] = applied(s.file, s.text, 'large-batch-lr-scaling', { suggestedLr: 0.4, effectiveBatch: 1024, scaling: 'linear', gradClip: true });
    assert.equal(fix.title, 'Set lr to 0.4 (linear scaling rule for effective batch 1024)');
    assert.equal(fix.reread.lr?.value, 0.4);
    assert.ok(fix.after.includes("default=0.4"), 'the argparse default is what changes');
    // An LR the script computes (its own scaling rule) is not overwritten with a constant.
    const computed = edit(s.text, 'optimizer = torch.optim.SGD(model.parameters(), args.lr,', 'optimizer = torch.optim.SGD(model.parameters(), args.lr * args.batch_size / 256,');
    assert.equal(readScript(s.file, computed).lr?.value, 0.1);
    assert.deepEqual(applied(s.file, computed, 'large-batch-lr-scaling', { suggestedLr: 0.4, effectiveBatch: 1024, scaling: 'linear', gradClip: true }), []);
  });

  it('a fine-tune LR above the range: the finding’s own suggestion written at the argparse default (HF train.py at 1e-3)', () => {
    const s = script('hf-sagemaker-train.py');
    const high = edit(s.text, 'default=5e-5', 'default=1e-3');
    const finding = findingsOf(s.file, high).find((f) => f.rule === 'finetune-lr-high');
    assert.ok(finding);
    const suggested = finding.evidence.suggestedLr;
    assert.equal(typeof suggested, 'number');
    const fixes = applied(s.file, high, 'finetune-lr-high', finding.evidence);
    const lr = fixes.find((f) => f.title.startsWith('Set learning_rate to'));
    assert.ok(lr, fixes.map((f) => f.title).join());
    assert.equal(lr.reread.lr?.value, suggested);
    assert.ok(!findingsOf(s.file, lr.after).some((f) => f.rule === 'finetune-lr-high'), 'the finding is gone');
  });

  it('a W&B sweep dict: grid → random with a run cap, float value lists become ranges', () => {
    const text = [
      'import wandb',
      '',
      'sweep_config = {',
      '    "method": "grid",',
      '    "metric": {"name": "val_loss", "goal": "minimize"},',
      '    "parameters": {',
      '        "learning_rate": {"values": [0.0001, 0.001, 0.01]},',
      '        "batch_size": {"values": [32, 64]},',
      '    },',
      '}',
      'sweep_id = wandb.sweep(sweep_config, project="demo")',
      'wandb.agent(sweep_id, function=train)',
      '',
    ].join('\n');
    const cfg = readScript('sweep.py', text);
    assert.equal(cfg.sweep?.method, 'grid');
    const finding = findingsOf('sweep.py', text).find((f) => f.rule === 'grid-search');
    const [fix] = applied('sweep.py', text, 'grid-search', finding?.evidence ?? { suggestedTrials: 60 });
    assert.match(fix.title, /^Switch the grid to random search with \d+ trials/);
    assert.ok(fix.after.includes('"method": "random", "run_cap": '), fix.after);
    assert.ok(fix.after.includes('"learning_rate": {"distribution": "log_uniform_values", "min": 0.0001, "max": 0.01}'), fix.after);
    assert.ok(fix.after.includes('"batch_size": {"values": [32, 64]}'), 'integer choices stay discrete');
    assert.equal(fix.reread.sweep?.method, 'random');
  });
});

describe('python scripts: the validator of edited scripts', () => {
  it('flags a keyword the call does not have, only when the edit brought it', () => {
    const s = script('lightning-early-stopping.py');
    const cfg = readScript(s.file, s.text);
    assert.deepEqual(editProblems(cfg, s.text, s.text), []);
    const typo = edit(s.text, 'max_epochs=50,', 'max_epochs=50, gradient_clip_norm=1.0,');
    assert.deepEqual(editProblems(cfg, s.text, typo), ['Lightning Trainer has no keyword gradient_clip_norm']);
    const keras = script('keras-mnist-convnet.py');
    const kcfg = readScript(keras.file, keras.text);
    const bad = edit(keras.text, 'validation_split=0.1)', 'validation_split=0.1, callbacks=[keras.callbacks.EarlyStopping(patience=3, restore_best=True)])');
    assert.deepEqual(editProblems(kcfg, keras.text, bad), ['Keras EarlyStopping has no keyword restore_best']);
  });

  it('an EarlyStoppingCallback without load_best_model_at_end is refused (HF asserts it at train start)', () => {
    const s = script('hf-sagemaker-train.py');
    const cfg = readScript(s.file, s.text);
    const bad = edit(edit(s.text, '        tokenizer=tokenizer,\n', '        tokenizer=tokenizer,\n        callbacks=[EarlyStoppingCallback(early_stopping_patience=2)],\n'), 'Trainer, TrainingArguments\n', 'Trainer, TrainingArguments, EarlyStoppingCallback\n');
    assert.deepEqual(editProblems(cfg, s.text, bad), ['EarlyStoppingCallback needs load_best_model_at_end=True and metric_for_best_model']);
  });
});
