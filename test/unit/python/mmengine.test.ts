/**
 * mmengine `config.py` modules read as configs: the same settings as the YAML form of the same config
 * (test/fixtures/recipes/mmpretrain-resnet50-8xb32-in1k, merged from the same files), each ranged
 * where the `.py` writes it; files of the `_base_` tree that set no optimizer are not configs.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readConfig } from '../../../src/core/config/read-config';
import { LineIndex } from '../../../src/core/config/tree';
import { REPO_ROOT } from '../../helpers/paths';
import { findingsOf, readScript } from './helpers';

/** open-mmlab/mmpretrain configs/_base_/schedules/imagenet_bs256.py @ 24bcf069f8386d1191531210bd82ba9f9d626b5d (its values, as written there). */
const MMPRETRAIN_SCHEDULE = [
  'optim_wrapper = dict(',
  "    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0001))",
  "param_scheduler = dict(type='MultiStepLR', by_epoch=True, milestones=[30, 60, 90], gamma=0.1)",
  'train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)',
  'val_cfg = dict()',
  '',
].join('\n');

/** open-mmlab/mmdetection configs/_base_/schedules/schedule_1x.py @ 178134968e460a4c16a21c6681d03c70d6357e1c (its values). */
const MMDET_SCHEDULE_1X = [
  "train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=1)",
  'param_scheduler = [',
  "    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),",
  "    dict(type='MultiStepLR', begin=0, end=12, by_epoch=True, milestones=[8, 11], gamma=0.1)",
  ']',
  'optim_wrapper = dict(',
  "    type='OptimWrapper',",
  "    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001))",
  '',
].join('\n');

function textAt(text: string, r: { startLine: number; startChar: number; endLine: number; endChar: number }): string {
  const l = new LineIndex(text);
  return text.slice(l.offset(r.startLine, r.startChar), l.offset(r.endLine, r.endChar));
}

describe('python: mmengine config.py modules', () => {
  it('mmpretrain imagenet_bs256.py: the settings its YAML form gives, ranged at the .py keywords', () => {
    const py = readScript('imagenet_bs256.py', MMPRETRAIN_SCHEDULE);
    const yamlFile = path.join(REPO_ROOT, 'test', 'fixtures', 'recipes', 'mmpretrain-resnet50-8xb32-in1k', 'resnet50_8xb32_in1k.yaml');
    const yaml = readConfig(yamlFile, fs.readFileSync(yamlFile, 'utf8'));
    assert.ok(yaml);
    for (const k of ['lr', 'optimizer', 'epochs', 'weightDecay', 'schedulerSteps'] as const) {
      assert.deepEqual(py[k]?.value, yaml[k]?.value, k);
      assert.equal(py[k]?.key, yaml[k]?.key, k);
    }
    assert.ok(py.lr && py.epochs);
    assert.equal(textAt(MMPRETRAIN_SCHEDULE, py.lr.range), 'lr=0.1');
    assert.equal(textAt(MMPRETRAIN_SCHEDULE, py.epochs.range), 'max_epochs=100');
    // A schedule piece of the config tree: its hooks (where early stopping would be) are in another
    // file, so nothing is said about early stopping; written whole (data and hooks in the same module),
    // the config gets the hint its YAML form gets.
    assert.equal(py.fragment, true);
    assert.deepEqual(findingsOf('imagenet_bs256.py', MMPRETRAIN_SCHEDULE), []);
    const whole = `${MMPRETRAIN_SCHEDULE}train_dataloader = dict(batch_size=32, num_workers=5)\ndefault_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1))\n`;
    assert.equal(readScript('whole.py', whole).fragment, undefined);
    assert.deepEqual(findingsOf('whole.py', whole).map((f) => f.rule), ['no-early-stopping']);
  });

  it('mmdetection schedule_1x.py: SGD 0.02, 12 epochs, a param_scheduler list; quiet', () => {
    const cfg = readScript('schedule_1x.py', MMDET_SCHEDULE_1X);
    assert.equal(cfg.lr?.value, 0.02);
    assert.equal(cfg.epochs?.value, 12);
    assert.equal(cfg.optimizer?.value, 'SGD');
    assert.deepEqual(findingsOf('schedule_1x.py', MMDET_SCHEDULE_1X), []);
  });

  it('a model or dataset file of the _base_ tree, or a module that inherits (_base_), is not read as a config', () => {
    // The comment names the optimizer, so the cheap text test passes and the module is parsed.
    const model = "# the optimizer is set in schedules/\nmodel = dict(type='ImageClassifier', backbone=dict(type='ResNet', depth=50))\n";
    assert.equal(readConfig('resnet50.py', model), undefined);
    const child = "_base_ = ['../_base_/models/resnet50.py', '../_base_/schedules/imagenet_bs256.py']  # optim_wrapper there\n";
    assert.equal(readConfig('resnet50_8xb32_in1k.py', child), undefined);
    // Overrides on top of a base: a missing warmup may be in the base (mae linear probing's batch 2048).
    const override = `${child}train_dataloader = dict(batch_size=2048)\n${MMPRETRAIN_SCHEDULE}`;
    assert.equal(readConfig('vit-linear.py', override), undefined);
  });
});
