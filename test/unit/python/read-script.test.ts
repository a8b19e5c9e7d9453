import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES, hasRealLogs, realLog, skipBecause } from '../../helpers/paths';
import { readConfig } from '../../../src/core/config/read-config';
import { slice } from '../config/helpers';
import { configRules } from '../../../src/core/rules/registry';
import { readScript, script } from './helpers';

/** The value a setting holds and the source text its value range covers (cut independently). */
function expectAt(text: string, s: { value: unknown; valueRange: Parameters<typeof slice>[1]; range: Parameters<typeof slice>[1] } | undefined, value: unknown, valueText: string, rangeText?: string): void {
  assert.ok(s, `missing setting for ${valueText}`);
  assert.deepEqual(s.value, value);
  assert.equal(slice(text, s.valueRange), valueText);
  if (rangeText !== undefined) assert.equal(slice(text, s.range), rangeText);
}

describe('python scripts: reading', () => {
  it('pytorch/examples imagenet: argparse defaults through args.*, positional lr, StepLR, the epoch loop, dead pretrained branch', () => {
    const { file, text } = script('pytorch-examples-imagenet.py');
    const cfg = readScript(file, text);
    expectAt(text, cfg.lr, 0.1, '0.1', 'args.lr'); // SGD(params, args.lr): positional; the edit target is the default
    expectAt(text, cfg.optimizer, 'SGD', 'torch.optim.SGD');
    expectAt(text, cfg.weightDecay, 1e-4, '1e-4', 'weight_decay=args.weight_decay');
    expectAt(text, cfg.scheduler, 'StepLR', 'StepLR', 'StepLR(optimizer, step_size=30, gamma=0.1)');
    expectAt(text, cfg.schedulerSteps, 30, '30', 'step_size=30');
    expectAt(text, cfg.batchSize, 256, '256', 'batch_size=args.batch_size');
    expectAt(text, cfg.epochs, 90, '90', 'args.epochs'); // range(args.start_epoch, args.epochs), start 0
    // `--pretrained` is a store_true flag: `pretrained=True` sits in a branch the defaults never take.
    assert.equal(cfg.pretrained, undefined);
  });

  it('pytorch/examples mnist: Adadelta via `import torch.optim as optim`, **train_kwargs, range(1, epochs + 1)', () => {
    const { file, text } = script('pytorch-examples-mnist.py');
    const cfg = readScript(file, text);
    expectAt(text, cfg.optimizer, 'Adadelta', 'optim.Adadelta');
    expectAt(text, cfg.lr, 1.0, '1.0', 'lr=args.lr');
    expectAt(text, cfg.schedulerSteps, 1, '1', 'step_size=1');
    expectAt(text, cfg.batchSize, 64, '64', "'batch_size': args.batch_size");
    expectAt(text, cfg.epochs, 14, '14', 'args.epochs + 1');
    expectAt(text, cfg.seed, 1, '1');
  });

  it('HF SageMaker train.py: TrainingArguments from argparse (float(str default)), from_pretrained, defaults of TrainingArguments', () => {
    const { file, text } = script('hf-sagemaker-train.py');
    const cfg = readScript(file, text);
    expectAt(text, cfg.lr, 5e-5, '5e-5', 'learning_rate=float(args.learning_rate)');
    expectAt(text, cfg.epochs, 3, '3', 'num_train_epochs=args.epochs');
    expectAt(text, cfg.batchSize, 32, '32');
    expectAt(text, cfg.warmup, 500, '500');
    assert.equal(cfg.warmupUnit, 'steps');
    // The model name is a flag without default: pretrained, name unknown. The tokenizer is not weights.
    assert.equal(cfg.pretrained?.value, true);
    assert.match(slice(text, cfg.pretrained.range), /^AutoModelForSequenceClassification\.from_pretrained/);
    // TrainingArguments' own defaults (transformers training_args.py): AdamW, clipping at 1.0.
    assert.equal(cfg.optimizer?.value, 'adamw_torch');
    assert.deepEqual(cfg.builtIn, { gradClip: 1, monitor: 'eval_loss', optimizer: 'adamw_torch' }, 'TrainingArguments defaults (transformers training_args.py)');
  });

  it('PEFT fp4 OPT: pretrained, frozen base, LoRA adapter, TrainingArguments nested in Trainer(...)', () => {
    const { file, text } = script('peft-lora-opt.py');
    const cfg = readScript(file, text);
    expectAt(text, cfg.pretrained, 'facebook/opt-350m', '"facebook/opt-350m"');
    expectAt(text, cfg.adapter, 'lora', 'LoraConfig');
    expectAt(text, cfg.freeze, true, 'False', 'param.requires_grad = False');
    expectAt(text, cfg.lr, 3e-4, '3e-4', 'learning_rate=3e-4');
    expectAt(text, cfg.maxSteps, 20, '20');
    expectAt(text, cfg.gradAccumulation, 4, '4');
  });

  it('transfer-learning tutorial: pretrained=True, frozen, head-only SGD, epochs from a function default', () => {
    const { file, text } = script('tutorial-frozen-backbone.py');
    const cfg = readScript(file, text);
    expectAt(text, cfg.pretrained, true, 'True', 'pretrained=True');
    expectAt(text, cfg.freeze, true, 'False');
    expectAt(text, cfg.lr, 0.01, '0.01', 'lr=0.01');
    expectAt(text, cfg.scheduler, 'StepLR', 'lr_scheduler.StepLR');
    expectAt(text, cfg.epochs, 25, '25', 'num_epochs'); // def train_model(..., num_epochs=25)
    expectAt(text, cfg.restoreBest, true, 'model.load_state_dict(best_model_wts)');
  });

  it('Lightning: Trainer(max_epochs, callbacks=[EarlyStopping(monitor, patience)]), Adam in configure_optimizers', () => {
    const { file, text } = script('lightning-early-stopping.py');
    const cfg = readScript(file, text);
    expectAt(text, cfg.epochs, 50, '50', 'max_epochs=50');
    expectAt(text, cfg.earlyStopping, 3, '3', 'patience=3');
    expectAt(text, cfg.monitor, 'val_loss', 'val_loss'.replace(/^/, '"') + '"');
    assert.equal(cfg.optimizer?.value, 'Adam');
    assert.equal(cfg.lr, undefined, 'lr=self.learning_rate is not resolved (an attribute)');
  });

  it('param groups: one LR when all groups share it, none when they differ (discriminative LRs)', () => {
    const head = 'import torch\nif __name__ == "__main__":\n    ';
    const same = readScript('g.py', `${head}opt = torch.optim.SGD([{'params': a.parameters()}, {'params': b.parameters(), 'lr': 0.1}], lr=0.1)\n`);
    assert.equal(same.lr?.value, 0.1);
    const differ = readScript('g.py', `${head}opt = torch.optim.SGD([{'params': a.parameters(), 'lr': 1e-3}, {'params': b.parameters()}], lr=0.1)\n`);
    assert.equal(differ.lr, undefined);
  });

  it('names assigned twice, loop variables and unknown calls stay unknown', () => {
    const cfg = readScript('n.py', 'import torch\nLR = 0.1\nLR = 0.2\nfor wd in [0, 1e-4]:\n    pass\nopt = torch.optim.SGD(m.parameters(), lr=LR, weight_decay=wd, momentum=get())\n');
    assert.equal(cfg.optimizer?.value, 'SGD');
    assert.equal(cfg.lr, undefined);
    assert.equal(cfg.weightDecay, undefined);
  });

  it('Keras: compile(optimizer=Adam(learning_rate)), fit(epochs, batch_size, callbacks=[EarlyStopping(restore_best_weights)])', () => {
    const text = [
      'from tensorflow import keras',
      'base = keras.applications.Xception(include_top=False)',
      'base.trainable = False',
      'model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")',
      'model.fit(x, y, epochs=40, batch_size=16, callbacks=[keras.callbacks.EarlyStopping(patience=4, restore_best_weights=True)])',
      '',
    ].join('\n');
    const cfg = readScript('k.py', text);
    expectAt(text, cfg.lr, 1e-3, '1e-3');
    expectAt(text, cfg.epochs, 40, '40', 'epochs=40');
    expectAt(text, cfg.batchSize, 16, '16');
    expectAt(text, cfg.earlyStopping, 4, '4');
    assert.equal(cfg.restoreBest?.value, true);
    assert.equal(cfg.pretrained?.value, 'imagenet'); // keras.applications' default weights
    expectAt(text, cfg.freeze, true, 'False', 'base.trainable = False');
  });

  it('a library module whose training code is all inside functions is not a script (examples/lib)', () => {
    for (const name of ['run_schedule.py', 'run_plain.py', 'run_overfit.py']) {
      const file = path.join(EXAMPLES, 'lib', name);
      const text = fs.readFileSync(file, 'utf8');
      assert.match(text, /torch\.optim\.\w+\(/, `${name} does build an optimizer`);
      assert.equal(readConfig(file, text), undefined, name);
    }
  });

  it('Python files that do not train give undefined: helpers, the examples driver', function () {
    const files = [path.join(EXAMPLES, 'lib', 'common.py'), path.join(EXAMPLES, 'lib', 'writers.py'), path.join(EXAMPLES, 'train.py')];
    for (const f of files) assert.equal(readConfig(f, fs.readFileSync(f, 'utf8')), undefined, f);
    assert.equal(readConfig('x.py', 'def f(:\n  return ((('), undefined, 'broken syntax');
    assert.equal(readConfig('x.py', ''), undefined);
  });
});

describe('python scripts: W&B sweep dicts', () => {
  // The sweep of the W&B quickstart ("Tune hyperparameters with sweeps", docs.wandb.ai/guides/sweeps/walkthrough):
  // a dict literal handed to wandb.sweep, then wandb.agent runs the training function.
  const sweepScript = (method: string, lr: string) =>
    [
      'import wandb',
      '',
      'sweep_configuration = {',
      `    "method": "${method}",`,
      '    "metric": {"goal": "minimize", "name": "val_loss"},',
      '    "parameters": {',
      '        "batch_size": {"values": [16, 32, 64]},',
      '        "epochs": {"values": [5, 10, 15]},',
      `        "lr": ${lr},`,
      '    },',
      '}',
      'sweep_id = wandb.sweep(sweep=sweep_configuration, project="my-first-sweep")',
      'wandb.agent(sweep_id, function=main, count=10)',
      '',
    ].join('\n');

  it('reads the method and the swept parameters with their ranges', () => {
    const text = sweepScript('random', '{"max": 0.1, "min": 0.0001}');
    const cfg = readScript('sweep.py', text);
    assert.equal(cfg.sweep?.method, 'random');
    assert.equal(slice(text, cfg.sweep.methodSetting!.valueRange), '"random"');
    assert.deepEqual(cfg.sweep.parameters.map((p) => [p.key, p.count]), [['batch_size', 3], ['epochs', 3], ['lr', undefined]]);
  });

  it('a grid of 3 × 3 × 12 = 108 runs is flagged; a 36-run grid over 3 keys and the random sweep are not', () => {
    const grid = sweepScript('grid', '{"values": [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2]}');
    const flagged = configRules(readScript('sweep.py', grid)).findings.filter((f) => f.scenario === 'search-strategy');
    assert.equal(flagged.length, 1);
    assert.equal(flagged[0].evidence.combinations, 108);
    const small = sweepScript('grid', '{"values": [1e-4, 1e-3, 1e-2, 1e-1]}');
    assert.deepEqual(configRules(readScript('sweep.py', small)).findings.filter((f) => f.scenario === 'search-strategy'), []);
    assert.equal(grid.split('\n')[flagged[0].line - 1].trim(), '"method": "grid",');
    const random = sweepScript('random', '{"max": 0.1, "min": 0.0001}');
    assert.deepEqual(configRules(readScript('sweep.py', random)).findings.filter((f) => f.scenario === 'search-strategy'), []);
  });
});

describe('python scripts: an mmengine config.py dumped beside its run', () => {
  it('real-logs mmengine_mmdet_balloon_warmup_cosine vis_data/config.py: AdamW 3e-4, batch 8, 50 epochs, load_from, 10-epoch LinearLR warmup', function () {
    if (!hasRealLogs()) skipBecause(this, 'the shared real logs are absent');
    const f = realLog('mmengine_mmdet_balloon_warmup_cosine', 'vis_data', 'config.py');
    const cfg = readConfig(f, fs.readFileSync(f, 'utf8'));
    assert.ok(cfg);
    assert.equal(cfg.optimizer?.value, 'AdamW');
    assert.equal(cfg.lr?.value, 0.0003);
    assert.equal(cfg.batchSize?.value, 8);
    assert.equal(cfg.epochs?.value, 50);
    assert.equal(cfg.epochs?.key, 'train_cfg.max_epochs');
    assert.match(String(cfg.pretrained?.value), /rtmdet_tiny/);
    assert.equal(cfg.warmup?.value, 10);
    assert.equal(cfg.warmupUnit, 'epochs');
    assert.equal(cfg.fragment, undefined, 'a whole dumped config (data and hooks in it)');
  });
});
