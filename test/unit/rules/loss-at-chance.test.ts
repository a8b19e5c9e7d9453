/**
 * Scenario `lr-range`, rule `loss-at-chance`: a loss at ln C with C stated by the config. Real runs are
 * read in place (../shared/real-outputs, cited in test/eval/real-outputs/<run>/labels.json); the scripts
 * beside them are written here and state only what the published code states (the Keras post converts
 * its labels with `to_categorical(…, num_classes=10)`, Adrian-Ball/adrian-ball.github.io
 * _posts/general/2018-11-11-keras_basic_mnist_notebook.md @ 63d2ac51e0cf2b1e988fd1328a04fb3b65ca72df).
 */
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { analyzePaths } from '../../../src/core/analyze';
import { readConfig } from '../../../src/core/config/read-config';
import { chanceStretch, LOSS_AT_CHANCE_DEFAULTS, lossAtChanceRule } from '../../../src/core/rules/loss-at-chance';
import { lossNotDecreasingRule } from '../../../src/core/rules/loss-not-decreasing';
import type { Finding } from '../../../src/core/types';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { EXAMPLES, REAL_OUTPUTS, skipWithoutRealOutputs } from '../../helpers/paths';
import { config, ctxOf, epochs, noise, setting } from './helpers';

const R = lossAtChanceRule;
const LN10 = Math.log(10);

/** A Keras script of the post's shape: labels one-hot over `classes`, Adam, 20 epochs of batch 100. */
function kerasScript(classes: number): string {
  return [
    'import keras',
    'from keras.models import Sequential',
    'from keras.layers import Dense',
    `y_train = keras.utils.to_categorical(y_train, num_classes=${classes})`,
    'model = Sequential()',
    'model.add(Dense(256, activation="relu"))',
    "model.compile(loss='categorical_crossentropy', optimizer='Adam', metrics=['accuracy'])",
    'model.fit(x_train, y_train, epochs=20, batch_size=100)',
    '',
  ].join('\n');
}

/** Findings of a real log read in place, with a config text placed beside it (never written to disk). */
async function withConfig(logDir: string, logName: string, configName: string, configText: string): Promise<Finding[]> {
  const ws = new AnalysisWorkspace();
  assert.ok(ws.setConfigText(path.join(logDir, configName), configText), 'the config is a training config');
  await ws.updateLog(path.join(logDir, logName));
  return ws.findings();
}

const ofRule = (f: Finding[], rule: string) => f.filter((x) => x.rule === rule);

/** `n` epochs of a loss at `start` for the first `k`, then `end`. */
function curve(n: number, k: number, start: number, end: number): ReturnType<typeof epochs> {
  return epochs(n, (e) => ({ train_loss: (e < k ? start : end) * (1 + 1e-4 * noise(e)) }));
}
const tenClasses = config({ numClasses: setting(10, 'num_classes') });

describe('loss-at-chance (lr-range)', function () {
  this.timeout(60_000);

  it('warns on the public Keras MNIST run at ln 10 for 20 epochs once a script beside it says 10 classes, in place of loss-not-decreasing', async function () {
    skipWithoutRealOutputs(this);
    const dir = path.join(REAL_OUTPUTS, 'keras-mnist-unscaled-stuck');
    const findings = await withConfig(dir, 'output.log', 'train.py', kerasScript(10));
    const f = ofRule(findings, 'loss-at-chance');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].line, 40, 'the last epoch line');
    assert.equal(f[0].evidence.classes, 10);
    assert.equal(f[0].evidence.key, 'num_classes');
    assert.equal(f[0].evidence.points, 20);
    assert.equal(f[0].evidence.total, 20);
    assert.equal(f[0].evidence.atEnd, true);
    assert.equal(f[0].evidence.atChance, 2.3026);
    assert.match(f[0].message, /^train_loss 2\.30 ≈ ln 10 = 2\.30 over epochs 1–20 \(20 of 20 values, the whole run\): the model predicts no better than a uniform guess over the 10 classes \(`num_classes` in train\.py/);
    assert.match(f[0].message, /LR range test \(Smith 2017\)/);
    assert.match(f[0].message, /labels still match their inputs, that the inputs are scaled/);
    assert.deepEqual(ofRule(findings, 'loss-not-decreasing'), [], 'one finding for one curve');
  });

  it('never guesses C: without a config the same run is loss-not-decreasing’s only', async function () {
    skipWithoutRealOutputs(this);
    const { findings } = await analyzePaths([path.join(REAL_OUTPUTS, 'keras-mnist-unscaled-stuck')]);
    assert.deepEqual(ofRule(findings, 'loss-at-chance'), []);
    assert.equal(ofRule(findings, 'loss-not-decreasing').length, 1);
  });

  it('reads the 4-way QuALITY run at ln 4 when the config says 4, and stays quiet when it says 2 (a loss at 1.39 is not a 2-way cross-entropy)', async function () {
    skipWithoutRealOutputs(this);
    const dir = path.join(REAL_OUTPUTS, 'hf-quality-multichoice-stuck-ln4');
    const script = (n: number) =>
      [
        'from transformers import AutoModelForSequenceClassification, TrainingArguments, Trainer',
        `model = AutoModelForSequenceClassification.from_pretrained("roberta-base", num_labels=${n})`,
        'args = TrainingArguments(output_dir="out", learning_rate=5e-5, num_train_epochs=20)',
        'trainer = Trainer(model=model, args=args)',
        'trainer.train()',
        '',
      ].join('\n');
    const four = await withConfig(dir, 'trainer_state.json', 'train.py', script(4));
    const f = ofRule(four, 'loss-at-chance');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.classes, 4);
    assert.ok(Math.abs((f[0].evidence.level as number) - 1.3863) < 1e-4);
    assert.match(f[0].message, /≈ ln 4 = 1\.39/);
    assert.match(f[0].message, /from 4\.94e-6 to 4\.94e-4/, 'the sweep around the peak logged LR');
    assert.deepEqual(ofRule(four, 'loss-not-decreasing'), []);
    const two = await withConfig(dir, 'trainer_state.json', 'train.py', script(2));
    assert.deepEqual(ofRule(two, 'loss-at-chance'), []);
    assert.equal(ofRule(two, 'loss-not-decreasing').length, 1, 'the flat curve is still reported, without a level');
  });

  it('is quiet on the runs of the same post that learn, with 10 classes stated (3.46 → 0.084; 0.239 → 0.0109)', async function () {
    skipWithoutRealOutputs(this);
    for (const name of ['keras-mnist-unscaled-32-units', 'keras-mnist-fixed']) {
      const findings = await withConfig(path.join(REAL_OUTPUTS, name), 'output.log', 'train.py', kerasScript(10));
      assert.deepEqual(ofRule(findings, 'loss-at-chance'), [], name);
    }
  });

  it('is quiet on every example run, whose configs state 10 classes and whose loss starts at ln 10 and falls', async function () {
    const { findings } = await analyzePaths([path.join(EXAMPLES, 'runs')]);
    assert.deepEqual(ofRule(findings, 'loss-at-chance'), []);
  });

  it('on real example runs, passes the start test (a 10-way cross-entropy from ln 10) and fails the stretch test (chance for 3–12 % of the run, under a third)', async () => {
    const fs = await import('node:fs/promises');
    // Values at chance from the start, of all values, read off the runs' per-step timm logs (output.log).
    const expected: Record<string, [number, number]> = { ema: [5, 200], 'large-batch': [19, 160], 'large-batch-healthy': [16, 160] };
    for (const [name, [atChance, total]] of Object.entries(expected)) {
      const dir = path.join(EXAMPLES, 'runs', name);
      const ws = new AnalysisWorkspace();
      const cfgFile = path.join(dir, 'args.yaml');
      assert.ok(ws.setConfigText(cfgFile, await fs.readFile(cfgFile, 'utf8')));
      const log = path.join(dir, 'output.log');
      await ws.updateLog(log);
      await ws.updateLog(path.join(dir, 'summary.csv'));
      const key = ws.runKeyOfFile(log);
      const run = key ? ws.run(key) : undefined;
      assert.ok(run, name);
      const ctx = { run, logFile: log, config: ws.configForLog(log) };
      assert.equal(ctx.config?.numClasses?.value, 10, name);
      assert.equal(chanceStretch(ctx), undefined, name);
      assert.deepEqual(ofRule(ws.findings(), 'loss-at-chance'), [], name);
      // With no minimum share the stretch from the start is found: the start test passed.
      const any = chanceStretch(ctx, { ...LOSS_AT_CHANCE_DEFAULTS, share: 0 });
      assert.ok(any, name);
      assert.equal(any.atEnd, false, name);
      assert.deepEqual([any.points, any.total], [atChance, total], name);
      assert.ok(atChance < total / 3);
      assert.ok(Math.abs(any.head / LN10 - 1) <= 0.1, `${name}: ${any.head}`);
    }
  });

  it('needs the start within ±10 % of ln C', () => {
    assert.equal(R.checkRun!(ctxOf(curve(30, 3, LN10 * 1.09, LN10 * 1.09), tenClasses), R.defaults).length, 1);
    assert.deepEqual(R.checkRun!(ctxOf(curve(30, 3, LN10 * 1.11, LN10 * 1.11), tenClasses), R.defaults), []);
    assert.equal(R.checkRun!(ctxOf(curve(30, 3, LN10 * 0.91, LN10 * 0.99), tenClasses), R.defaults).length, 1);
    assert.deepEqual(R.checkRun!(ctxOf(curve(30, 3, LN10 * 0.89, LN10 * 0.99), tenClasses), R.defaults), []);
  });

  it('counts a level within 3 % below ln C (or above) as chance', () => {
    assert.equal(R.checkRun!(ctxOf(curve(30, 3, LN10, LN10 * 0.975), tenClasses), R.defaults).length, 1);
    assert.deepEqual(R.checkRun!(ctxOf(curve(30, 3, LN10, LN10 * 0.965), tenClasses), R.defaults), []);
  });

  it('informs of a stretch at chance from the start of a third of the run or more that the loss left later; says nothing under a third', () => {
    const slow = R.checkRun!(ctxOf(curve(30, 11, LN10, 0.5), tenClasses), R.defaults);
    assert.equal(slow.length, 1);
    assert.equal(slow[0].severity, 'information');
    assert.equal(slow[0].evidence.atEnd, false);
    assert.equal(slow[0].evidence.points, 11);
    assert.match(slow[0].message, /from the start/);
    assert.match(slow[0].message, /It left that level later/);
    assert.deepEqual(R.checkRun!(ctxOf(curve(30, 9, LN10, 0.5), tenClasses), R.defaults), []);
  });

  it('warns when the loss comes back to chance for the last third of the run', () => {
    const rows = epochs(30, (e) => ({ train_loss: e < 3 ? LN10 : e < 19 ? 0.4 : LN10 * 1.01 }));
    const f = R.checkRun!(ctxOf(rows, tenClasses), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.points, 11);
    assert.match(f[0].message, /up to the end of the run/);
    const shorter = epochs(30, (e) => ({ train_loss: e < 3 ? LN10 : e < 21 ? 0.4 : LN10 * 1.01 }));
    assert.deepEqual(R.checkRun!(ctxOf(shorter, tenClasses), R.defaults), []);
  });

  it('reads ln V for a language model when only the vocabulary is known', () => {
    const lnV = Math.log(50257);
    const f = R.checkRun!(ctxOf(curve(30, 3, lnV * 1.02, lnV * 0.99), config({ vocabSize: setting(50257, 'vocab_size') })), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.kind, 'vocabulary');
    assert.match(f[0].message, /≈ ln 50257 = 10\.8 .* a vocabulary of 50257 tokens/);
  });

  it('reads the validation loss when no training loss is logged, and only then', () => {
    const valOnly = epochs(30, (e) => ({ val_loss: LN10 * (1 + 1e-4 * noise(e)) }));
    const f = R.checkRun!(ctxOf(valOnly, tenClasses), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.metric, 'val_loss');
    const both = epochs(30, (e) => ({ train_loss: e < 2 ? LN10 : 0.3, val_loss: LN10 }));
    assert.deepEqual(R.checkRun!(ctxOf(both, tenClasses), R.defaults), [], 'a training loss that left chance decides');
  });

  it('needs C ≥ 2, 20 values, and a loss meant to fall', () => {
    assert.deepEqual(R.checkRun!(ctxOf(curve(30, 3, 0.01, 0.01), config({ numClasses: setting(1, 'num_labels') })), R.defaults), []);
    assert.deepEqual(R.checkRun!(ctxOf(curve(19, 3, LN10, LN10), tenClasses), R.defaults), []);
    assert.equal(R.checkRun!(ctxOf(curve(20, 3, LN10, LN10), tenClasses), R.defaults).length, 1);
    assert.deepEqual(R.checkRun!(ctxOf(curve(30, 3, LN10, LN10)), R.defaults), [], 'no config, no C');
  });

  it('leaves loss-not-decreasing the curves it does not own (C unknown, or the level is not ln C)', () => {
    const flat = curve(30, 3, 2, 2);
    assert.equal(lossNotDecreasingRule.checkRun!(ctxOf(flat, tenClasses), lossNotDecreasingRule.defaults).length, 1);
    assert.deepEqual(lossNotDecreasingRule.checkRun!(ctxOf(curve(30, 3, LN10, LN10), tenClasses), lossNotDecreasingRule.defaults), []);
  });
});

describe('class counts read from configs (TrainingConfig.numClasses / vocabSize)', () => {
  const py = (lines: string[]) => readConfig('train.py', [...lines, 'model.fit(x, y, epochs=20, batch_size=32)', ''].join('\n'));

  it('reads a num_classes= / num_labels= keyword with its range', () => {
    const c = py(['import timm', 'model = timm.create_model("resnet18", num_classes=37)', "model.compile(optimizer='adam')"]);
    assert.equal(c?.numClasses?.value, 37);
    assert.equal(c?.numClasses?.key, 'num_classes');
    assert.equal(c?.numClasses?.valueRange.startLine, 1);
  });

  it('refuses a multi-label or regression head, and a count under 2', () => {
    assert.equal(py(['m = AutoModelForSequenceClassification.from_pretrained("b", num_labels=5, problem_type="multi_label_classification")', "model.compile(optimizer='adam')"])?.numClasses, undefined);
    assert.equal(py(['m = AutoModelForSequenceClassification.from_pretrained("b", num_labels=1)', "model.compile(optimizer='adam')"])?.numClasses, undefined);
    assert.equal(py(['m = AutoModelForSequenceClassification.from_pretrained("b", num_labels=3, problem_type="single_label_classification")', "model.compile(optimizer='adam')"])?.numClasses?.value, 3);
  });

  it('reads the units of the last softmax Dense layer, not a sigmoid one', () => {
    const soft = py(['from keras.layers import Dense', 'model.add(Dense(64, activation="softmax"))', 'model.add(Dense(units=12, activation="softmax"))', "model.compile(optimizer='adam')"]);
    assert.equal(soft?.numClasses?.value, 12);
    assert.equal(py(['from keras.layers import Dense', 'model.add(Dense(10, activation="sigmoid"))', "model.compile(optimizer='adam')"])?.numClasses, undefined);
  });

  it('reads nothing from a detection script (its class count feeds a sum of box and class terms)', () => {
    const c = py(['import torchvision', 'model = torchvision.models.detection.fasterrcnn_resnet50_fpn(num_classes=3)', 'opt = torch.optim.SGD(model.parameters(), lr=0.005)']);
    assert.ok(c, 'still a training script');
    assert.equal(c.numClasses, undefined);
  });

  it('reads a language model vocabulary', () => {
    const c = py(['from transformers import GPT2Config', 'cfg = GPT2Config(vocab_size=32000, n_layer=6)', 'opt = torch.optim.AdamW(model.parameters(), lr=3e-4)']);
    assert.equal(c?.vocabSize?.value, 32000);
  });

  it('reads timm num_classes unless the run trains with binary cross-entropy', () => {
    const base = 'sched: cosine\nopt: sgd\ndecay_epochs: 30\nwarmup_lr: 1.0e-5\nlr: 0.1\nnum_classes: 100\n';
    assert.equal(readConfig('args.yaml', base)?.numClasses?.value, 100);
    assert.equal(readConfig('args.yaml', base + 'bce_loss: false\n')?.numClasses?.value, 100);
    assert.equal(readConfig('args.yaml', base + 'bce_loss: true\n')?.numClasses, undefined);
  });

  it('reads a Lightning CLI model’s num_classes', async () => {
    const fs = await import('node:fs/promises');
    const file = path.join(EXAMPLES, 'runs', 'step-decay', 'config.yaml');
    const c = readConfig(file, await fs.readFile(file, 'utf8'));
    assert.equal(c?.numClasses?.value, 10);
    assert.equal(c?.numClasses?.key, 'model.init_args.num_classes');
  });
});
