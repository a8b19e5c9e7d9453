import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readConfig } from '../../../src/core/config/read-config';
import { EXAMPLES } from '../../helpers/paths';

/** A results summary (one record per run with the same fields) is not a training config. */
describe('record tables are not configs', () => {
  it('examples/runs/summary.json (one record per example run) gives no config', () => {
    const file = path.join(EXAMPLES, 'runs', 'summary.json');
    assert.equal(readConfig(file, fs.readFileSync(file, 'utf8')), undefined);
  });

  it('a leaderboard of runs with lr/epochs fields gives no config', () => {
    const text = JSON.stringify({ a: { lr: 0.1, epochs: 90, acc: 0.76 }, b: { lr: 0.01, epochs: 90, acc: 0.74 }, c: { lr: 0.001, epochs: 90, acc: 0.7 } }, null, 2);
    assert.equal(readConfig('results.json', text), undefined);
  });

  it('a Hydra config whose groups all carry _target_ is still a config', () => {
    const text = [
      'model:',
      '  _target_: src.models.Classifier',
      '  optimizer:',
      '    _target_: torch.optim.Adam',
      '    lr: 0.001',
      'data:',
      '  _target_: src.data.DigitsDataModule',
      '  batch_size: 64',
      'trainer:',
      '  _target_: lightning.Trainer',
      '  max_epochs: 30',
      '',
    ].join('\n');
    const cfg = readConfig('configs/train.yaml', text);
    assert.ok(cfg, 'read as a training config');
    assert.equal(cfg.lr?.value, 0.001);
    assert.equal(cfg.epochs?.value, 30);
  });

  it('two training stages side by side stay a config', () => {
    const text = 'pretrain:\n  lr: 0.1\n  epochs: 90\nfinetune:\n  lr: 0.001\n  epochs: 10\n';
    assert.ok(readConfig('stages.yaml', text));
  });
});
