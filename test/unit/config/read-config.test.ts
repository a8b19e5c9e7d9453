import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../../helpers/paths';
import { readConfig } from '../../../src/core/config/read-config';
import { expectSetting, fixture, readFixture, slice } from './helpers';

describe('config/readConfig: Lightning CLI', () => {
  it('reads a --print_config config.yaml (SGD + MultiStepLR + EarlyStopping)', () => {
    const { cfg, text } = readFixture('lightning-cli/config.yaml', 'lightning-cli');
    assert.equal(cfg.format, 'yaml');
    expectSetting(text, cfg.lr, 0.4, 'optimizer.init_args.lr', '0.4');
    expectSetting(text, cfg.optimizer, 'torch.optim.SGD', 'optimizer.class_path', 'torch.optim.SGD');
    expectSetting(text, cfg.scheduler, 'torch.optim.lr_scheduler.MultiStepLR', 'lr_scheduler.class_path');
    expectSetting(text, cfg.schedulerSteps, [30, 60, 80], 'lr_scheduler.init_args.milestones', '- 30\n    - 60\n    - 80');
    expectSetting(text, cfg.batchSize, 256, 'data.init_args.batch_size', '256');
    expectSetting(text, cfg.devices, 4, 'trainer.devices', '4');
    expectSetting(text, cfg.gradAccumulation, 2, 'trainer.accumulate_grad_batches', '2');
    expectSetting(text, cfg.gradClip, 0, 'trainer.gradient_clip_val', 'null');
    expectSetting(text, cfg.epochs, 90, 'trainer.max_epochs', '90');
    expectSetting(text, cfg.earlyStopping, 10, 'trainer.callbacks[1].init_args.patience', '10');
    expectSetting(text, cfg.seed, 42, 'seed_everything', '42');
    expectSetting(text, cfg.pretrained, false, 'model.init_args.pretrained', 'false');
    assert.equal(cfg.maxSteps, undefined, 'max_steps: -1 means no step limit');
    // 0-based line/char: `  max_epochs: 90` is line 30 (1-based) of the file.
    assert.deepEqual(cfg.epochs!.range, { startLine: 29, startChar: 2, endLine: 29, endChar: 16 });
    assert.deepEqual(cfg.epochs!.valueRange, { startLine: 29, startChar: 14, endLine: 29, endChar: 16 });
  });

  it('reads null optimizer/scheduler/callbacks and a model-side learning rate', () => {
    const { cfg, text } = readFixture('lightning-cli/config_no_scheduler.yaml', 'lightning-cli');
    expectSetting(text, cfg.lr, 0.001, 'model.init_args.learning_rate', '0.001');
    expectSetting(text, cfg.scheduler, 'none', 'lr_scheduler', 'null');
    assert.equal(cfg.optimizer, undefined);
    assert.equal(cfg.devices, undefined, 'devices: auto gives no count');
    assert.equal(cfg.earlyStopping, undefined);
    expectSetting(text, cfg.pretrained, 'bert-base-uncased', 'model.init_args.model_name_or_path');
    expectSetting(text, cfg.freeze, false, 'model.init_args.freeze_backbone');
  });

  it('reads an optimizer and OneCycleLR injected into the model, a device list and an SWA callback', () => {
    const { cfg, text } = readFixture('lightning-cli/config_onecycle.yaml', 'lightning-cli');
    expectSetting(text, cfg.optimizer, 'torch.optim.AdamW', 'model.init_args.optimizer.class_path');
    expectSetting(text, cfg.lr, 0.002, 'model.init_args.optimizer.init_args.lr', '0.002');
    expectSetting(text, cfg.scheduler, 'torch.optim.lr_scheduler.OneCycleLR', 'model.init_args.scheduler.class_path');
    expectSetting(text, cfg.warmup, 0.25, 'model.init_args.scheduler.init_args.pct_start');
    assert.equal(cfg.warmupUnit, 'ratio');
    expectSetting(text, cfg.devices, 2, 'trainer.devices', '- 0\n  - 1');
    expectSetting(text, cfg.ema, true, 'trainer.callbacks.class_path');
    expectSetting(text, cfg.gradClip, 0.5, 'trainer.gradient_clip_val', '0.5');
    expectSetting(text, cfg.batchSize, 512, 'data.batch_size');
    assert.equal(cfg.seed, undefined, 'seed_everything: true picks a random seed');
  });
});

describe('config/readConfig: Hugging Face TrainingArguments', () => {
  it('reads training_args.json as to_json_string() writes it', () => {
    const { cfg, text } = readFixture('hf/training_args.json', 'hf-training-args');
    assert.equal(cfg.format, 'json');
    expectSetting(text, cfg.lr, 2e-5, 'learning_rate', '2e-05');
    expectSetting(text, cfg.batchSize, 16, 'per_device_train_batch_size', '16');
    expectSetting(text, cfg.gradAccumulation, 2, 'gradient_accumulation_steps', '2');
    expectSetting(text, cfg.scheduler, 'linear', 'lr_scheduler_type', '"linear"');
    expectSetting(text, cfg.optimizer, 'adamw_torch', 'optim', '"adamw_torch"');
    expectSetting(text, cfg.epochs, 10, 'num_train_epochs', '10.0');
    expectSetting(text, cfg.gradClip, 1, 'max_grad_norm', '1.0');
    expectSetting(text, cfg.seed, 42, 'seed', '42');
    expectSetting(text, cfg.restoreBest, false, 'load_best_model_at_end', 'false');
    expectSetting(text, cfg.warmup, 0, 'warmup_ratio', '0.0');
    assert.equal(cfg.warmupUnit, 'ratio');
    assert.equal(cfg.maxSteps, undefined);
    assert.equal(slice(text, cfg.lr!.range), '"learning_rate": 2e-05');
  });

  it('reads a LLaMA-Factory LoRA SFT YAML', () => {
    const { cfg, text } = readFixture('hf/llama3_lora_sft.yaml', 'hf-training-args');
    expectSetting(text, cfg.lr, 1e-4, 'learning_rate', '1.0e-4');
    expectSetting(text, cfg.warmup, 0.1, 'warmup_ratio', '0.1');
    expectSetting(text, cfg.scheduler, 'cosine', 'lr_scheduler_type', 'cosine');
    expectSetting(text, cfg.pretrained, 'meta-llama/Meta-Llama-3-8B-Instruct', 'model_name_or_path');
    expectSetting(text, cfg.freeze, 'lora', 'finetuning_type', 'lora');
    expectSetting(text, cfg.batchSize, 1, 'per_device_train_batch_size');
    expectSetting(text, cfg.gradAccumulation, 8, 'gradient_accumulation_steps');
  });

  it('reads an axolotl YAML (micro_batch_size, num_epochs, empty early_stopping_patience)', () => {
    const { cfg, text } = readFixture('hf/axolotl_lora.yml', 'hf-training-args');
    expectSetting(text, cfg.lr, 0.0002, 'learning_rate');
    expectSetting(text, cfg.batchSize, 2, 'micro_batch_size');
    expectSetting(text, cfg.epochs, 1, 'num_epochs');
    expectSetting(text, cfg.scheduler, 'cosine', 'lr_scheduler');
    expectSetting(text, cfg.optimizer, 'adamw_8bit', 'optimizer');
    expectSetting(text, cfg.warmup, 10, 'warmup_steps');
    assert.equal(cfg.warmupUnit, 'steps');
    expectSetting(text, cfg.earlyStopping, false, 'early_stopping_patience', '');
    expectSetting(text, cfg.freeze, 'lora', 'adapter');
    expectSetting(text, cfg.pretrained, 'NousResearch/Llama-3.2-1B', 'base_model');
  });
});

describe('config/readConfig: timm, Ultralytics, detectron2', () => {
  it('reads timm args.yaml (sorted safe_dump)', () => {
    const { cfg, text } = readFixture('timm/args.yaml', 'timm');
    expectSetting(text, cfg.lr, 0.5, 'lr', '0.5');
    expectSetting(text, cfg.batchSize, 1024, 'batch_size');
    expectSetting(text, cfg.scheduler, 'step', 'sched', 'step');
    expectSetting(text, cfg.schedulerSteps, 90, 'decay_epochs', '90');
    expectSetting(text, cfg.warmup, 0, 'warmup_epochs');
    expectSetting(text, cfg.epochs, 300, 'epochs');
    expectSetting(text, cfg.pretrained, false, 'pretrained');
    expectSetting(text, cfg.ema, false, 'model_ema');
    expectSetting(text, cfg.gradClip, 0, 'clip_grad', 'null');
    expectSetting(text, cfg.optimizer, 'sgd', 'opt');
    expectSetting(text, cfg.seed, 42, 'seed');
  });

  it('reads an Ultralytics detect args.yaml (scratch model, device list, built-in EMA)', () => {
    const { cfg, text } = readFixture('ultralytics/args.yaml', 'ultralytics');
    expectSetting(text, cfg.lr, 0.08, 'lr0', '0.08');
    expectSetting(text, cfg.batchSize, 64, 'batch');
    expectSetting(text, cfg.earlyStopping, 50, 'patience');
    expectSetting(text, cfg.warmup, 0, 'warmup_epochs', '0.0');
    expectSetting(text, cfg.pretrained, false, 'pretrained');
    expectSetting(text, cfg.freeze, false, 'freeze', 'null');
    expectSetting(text, cfg.scheduler, 'linear', 'cos_lr', 'false');
    expectSetting(text, cfg.devices, 2, 'device', '0,1');
    assert.deepEqual(cfg.builtIn, { ema: true, gradClip: 10, restoreBest: true, nominalBatch: 64, monitor: 'fitness', recipeLr: { sgd: 0.01, adam: 0.001, source: "Ultralytics' own lr0" } });
  });

  it('reads a hand-written detectron2 config with a tuple STEPS string', () => {
    const { cfg, text } = readFixture('detectron2/mask_rcnn_R_50_FPN_3x.yaml', 'detectron2');
    expectSetting(text, cfg.lr, 0.02, 'SOLVER.BASE_LR', '0.02');
    expectSetting(text, cfg.batchSize, 16, 'SOLVER.IMS_PER_BATCH');
    expectSetting(text, cfg.schedulerSteps, [210000, 250000], 'SOLVER.STEPS', '(210000, 250000)');
    expectSetting(text, cfg.maxSteps, 270000, 'SOLVER.MAX_ITER');
    expectSetting(text, cfg.pretrained, 'detectron2://ImageNetPretrained/MSRA/R-50.pkl', 'MODEL.WEIGHTS', '"detectron2://ImageNetPretrained/MSRA/R-50.pkl"');
  });

  it('reads a dumped detectron2 config.yaml', () => {
    const { cfg, text } = readFixture('detectron2/config.yaml', 'detectron2');
    expectSetting(text, cfg.lr, 0.00025, 'SOLVER.BASE_LR');
    expectSetting(text, cfg.scheduler, 'WarmupMultiStepLR', 'SOLVER.LR_SCHEDULER_NAME');
    expectSetting(text, cfg.warmup, 1000, 'SOLVER.WARMUP_ITERS');
    expectSetting(text, cfg.gradClip, 0, 'SOLVER.CLIP_GRADIENTS.ENABLED', 'false');
    expectSetting(text, cfg.freeze, 2, 'MODEL.BACKBONE.FREEZE_AT');
    expectSetting(text, cfg.schedulerSteps, [], 'SOLVER.STEPS', '[]');
    assert.equal(cfg.seed, undefined, 'SEED: -1 is a random seed');
  });
});

describe('config/readConfig: sweeps', () => {
  it('reads a W&B grid sweep with nested parameters and a constant', () => {
    const { cfg, text } = readFixture('wandb/sweep.yaml', 'wandb-sweep');
    const sweep = cfg.sweep!;
    assert.equal(sweep.method, 'grid');
    expectSetting(text, sweep.methodSetting, 'grid', 'method', 'grid');
    assert.deepEqual(
      sweep.parameters.map((p) => [p.key, p.count]),
      [['learning_rate', 5], ['batch_size', 4], ['optimizer', 2], ['weight_decay', 3], ['dropout', undefined], ['model.depth', 3]],
    );
    assert.ok(slice(text, sweep.parameters[0].range).startsWith('learning_rate:'));
    expectSetting(text, cfg.epochs, 20, 'parameters.epochs.value', '20');
    assert.equal(sweep.trials, undefined);
  });

  it('reads a Hydra basic-sweeper multirun (comma lists, choice, range) and the config around it', () => {
    const { cfg, text } = readFixture('hydra/multirun.yaml', 'hydra-sweep');
    assert.equal(cfg.sweep!.method, 'grid');
    assert.deepEqual(
      cfg.sweep!.parameters.map((p) => [p.key, p.count]),
      [['model.optimizer.lr', 4], ['data.batch_size', 3], ['model.optimizer.weight_decay', 3], ['seed', 5]],
    );
    expectSetting(text, cfg.lr, 0.001, 'model.optimizer.lr');
    expectSetting(text, cfg.optimizer, 'torch.optim.Adam', 'model.optimizer._target_');
    expectSetting(text, cfg.scheduler, 'torch.optim.lr_scheduler.ReduceLROnPlateau', 'model.scheduler._target_');
    expectSetting(text, cfg.earlyStopping, 5, 'callbacks.early_stopping.patience', '5');
    expectSetting(text, cfg.epochs, 40, 'trainer.max_epochs');
  });

  it('reads a Hydra Optuna sweeper (TPE, n_trials, intervals)', () => {
    const { cfg, text } = readFixture('hydra/optuna_sweep.yaml', 'hydra-sweep');
    assert.equal(cfg.sweep!.method, 'bayes');
    expectSetting(text, cfg.sweep!.trials, 20, 'hydra.sweeper.n_trials', '20');
    assert.deepEqual(
      cfg.sweep!.parameters.map((p) => [p.key, p.count]),
      [['model.optimizer.lr', undefined], ['data.batch_size', 4], ['model.net.lin1_size', 3], ['model.net.lin2_size', undefined]],
    );
  });

  it('reads a Ray Tune grid_search space', () => {
    const { cfg, text } = readFixture('optuna-ray/tune.yaml', 'optuna-ray');
    assert.equal(cfg.sweep!.method, 'grid');
    assert.deepEqual(
      cfg.sweep!.parameters.map((p) => [p.key, p.count]),
      [['param_space.train_loop_config.lr', 5], ['param_space.train_loop_config.batch_size', 3], ['param_space.train_loop_config.momentum', 4]],
    );
    expectSetting(text, cfg.sweep!.trials, 3, 'num_samples');
    expectSetting(text, cfg.epochs, 30, 'param_space.train_loop_config.epochs');
  });

  it('reads an Optuna search space', () => {
    const { cfg, text } = readFixture('optuna-ray/optuna_search.yaml', 'optuna-ray');
    assert.equal(cfg.sweep!.method, 'bayes');
    expectSetting(text, cfg.sweep!.trials, 100, 'n_trials');
    assert.deepEqual(cfg.sweep!.parameters.map((p) => [p.key, p.count]), [['search_space.lr', undefined], ['search_space.weight_decay', undefined], ['search_space.batch_size', 3]]);
  });
});

describe('config/readConfig: plain configs', () => {
  it('reads a hand-written nested YAML config', () => {
    const { cfg, text } = readFixture('plain/config.yaml', 'plain');
    expectSetting(text, cfg.lr, 0.1, 'train.lr', '0.1');
    assert.equal(slice(text, cfg.lr!.range), 'lr: 0.1', 'the trailing comment is outside the range');
    expectSetting(text, cfg.scheduler, 'step', 'train.scheduler');
    expectSetting(text, cfg.schedulerSteps, 30, 'train.step_size');
    expectSetting(text, cfg.earlyStopping, 10, 'train.early_stopping.patience');
    expectSetting(text, cfg.gradClip, 0, 'train.clip_grad_norm', 'null');
    expectSetting(text, cfg.ema, false, 'train.ema');
    expectSetting(text, cfg.pretrained, true, 'model.pretrained');
    expectSetting(text, cfg.freeze, false, 'model.freeze_backbone');
    expectSetting(text, cfg.seed, 0, 'seed');
  });

  it('reads JSONC with comments and trailing commas', () => {
    const { cfg, text } = readFixture('plain/config.jsonc', 'plain');
    assert.equal(cfg.format, 'json');
    expectSetting(text, cfg.lr, 3e-3, 'optim.learning_rate', '3e-3');
    expectSetting(text, cfg.warmup, 500, 'warmup_steps', '500');
    expectSetting(text, cfg.scheduler, 'cosine', 'scheduler', '"cosine"');
  });

  it('unwraps a W&B run config.yaml ({desc, value} per key)', () => {
    const { cfg, text } = readFixture('wandb/run_config.yaml', 'plain');
    expectSetting(text, cfg.lr, 0.001, 'lr', '0.001');
    assert.ok(slice(text, cfg.lr!.range).startsWith('lr:\n  desc: null\n  value: 0.001'));
    expectSetting(text, cfg.schedulerSteps, 10, 'step_size');
    expectSetting(text, cfg.seed, 7, 'seed');
  });

  it('reads flat key=value configs of every plain spelling', () => {
    const text = 'learning_rate: 3.0e-4\nnum_epochs: 12\nbs: 32\nmilestones: [4, 8]\nwarmup_iters: 200\nmax_grad_norm: 0.5\nuse_ema: true\n';
    const cfg = readConfig('cfg.yaml', text)!;
    expectSetting(text, cfg.lr, 3e-4, 'learning_rate', '3.0e-4');
    expectSetting(text, cfg.schedulerSteps, [4, 8], 'milestones', '[4, 8]');
    expectSetting(text, cfg.warmup, 200, 'warmup_iters');
    assert.equal(cfg.warmupUnit, 'steps');
    expectSetting(text, cfg.ema, true, 'use_ema');
    expectSetting(text, cfg.gradClip, 0.5, 'max_grad_norm');
  });

  it('reads YAML 1.1 spellings as PyYAML writers leave them', () => {
    const text = "lr: '1e-3'\nbatch_size: 64\npretrained: yes\nfreeze: [layer1, layer2]\n";
    const cfg = readConfig('x.yml', text)!;
    expectSetting(text, cfg.lr, 1e-3, 'lr', "'1e-3'");
    expectSetting(text, cfg.pretrained, true, 'pretrained', 'yes');
    expectSetting(text, cfg.freeze, ['layer1', 'layer2'], 'freeze');
  });

  it('keeps 0-based positions right with CRLF line ends', () => {
    const text = 'epochs: 10\r\nlr: 0.01\r\noptimizer: adam\r\n';
    const cfg = readConfig('c.yaml', text)!;
    assert.deepEqual(cfg.lr!.valueRange, { startLine: 1, startChar: 4, endLine: 1, endChar: 8 });
    assert.equal(slice(text, cfg.optimizer!.valueRange), 'adam');
  });
});

describe('config/readConfig: files that are not training configs', () => {
  const notConfigs: [string, string][] = [
    ['package.json', '{\n  "name": "x",\n  "version": "1.0.0",\n  "scripts": {"train": "python train.py --lr 0.1 --epochs 3"},\n  "dependencies": {}\n}\n'],
    ['tsconfig.json', '{\n  // comment\n  "compilerOptions": {"target": "ES2022", "strict": true},\n  "include": ["src"]\n}\n'],
    ['data.yaml', 'path: ../datasets/coco128\ntrain: images/train2017\nval: images/train2017\nnames:\n  0: person\n  1: bicycle\n'],
    ['empty.yaml', ''],
    ['comment.yaml', '# nothing here\n'],
    ['list.json', '[{"lr": 0.1}, {"lr": 0.2}]'],
    ['scalar.yaml', 'just a string'],
    ['metrics.json', '{"iteration": 19, "lr": 0.0004, "total_loss": 2.1}\n{"iteration": 39, "lr": 0.0008, "total_loss": 1.9}\n'],
    ['only-seed.yaml', 'seed: 3\npretrained: true\n'],
  ];
  for (const [name, text] of notConfigs) {
    it(`returns undefined for ${name}`, () => assert.equal(readConfig(name, text), undefined));
  }
  for (const rel of ['not-config/docker-compose.yml', 'not-config/ci.yml', 'not-config/mkdocs.yml']) {
    it(`returns undefined for ${rel}`, () => {
      const { file, text } = fixture(rel);
      assert.equal(readConfig(file, text), undefined);
    });
  }
  it("returns undefined for the repository's own package.json and tsconfig.json", () => {
    for (const f of ['package.json', 'tsconfig.json']) {
      const file = path.join(REPO_ROOT, f);
      assert.equal(readConfig(file, fs.readFileSync(file, 'utf8')), undefined, f);
    }
  });
  it('reads through syntax errors without throwing', () => {
    assert.doesNotThrow(() => readConfig('bad.yaml', 'lr: [0.1\nepochs: : 3\n  - x'));
    const cfg = readConfig('bad.json', '{"learning_rate": 0.1, "per_device_train_batch_size": 8, "num_train_epochs": ');
    assert.equal(cfg?.lr?.value, 0.1, 'best effort on truncated JSON');
  });
});
