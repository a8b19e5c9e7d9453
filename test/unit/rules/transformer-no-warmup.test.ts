import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readConfig } from '../../../src/core/config/read-config';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { transformerModel, transformerNoWarmupRule } from '../../../src/core/rules/transformer-no-warmup';
import { REPO_ROOT } from '../../helpers/paths';
import { config, ctxOf, noise, setting, type Row } from './helpers';

const R = transformerNoWarmupRule;

/** The canonical run_glue recipe (BERT, AdamW by default, warmup_steps 0 by default). */
function runGlue(edit: (o: Record<string, unknown>) => void = () => undefined): TrainingConfig {
  const file = path.join(REPO_ROOT, 'test', 'fixtures', 'recipes', 'hf-run-glue-mrpc-bert', 'run_glue_args.json');
  const o = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(o);
  const c = readConfig(file, JSON.stringify(o, null, 2));
  assert.ok(c);
  return c;
}

/** 200 logged steps of a fine-tune at a constant LR (or warming up), the loss falling with noise; `spikeAt` multiplies one point. */
function steps(opts: { spikeAt?: number; factor?: number; warmup?: boolean } = {}): Row[] {
  const rows: Row[] = [];
  for (let s = 1; s <= 200; s++) {
    const base = 0.7 * Math.exp(-s / 150) + 0.02 * noise(s);
    rows.push({ step: s, lr: opts.warmup ? 2e-5 * Math.min(1, s / 20) : 2e-5, train_loss: s === opts.spikeAt ? base * (opts.factor ?? 4) : base });
  }
  return rows;
}

describe('transformer-no-warmup (lr-range)', () => {
  it('stays quiet on the canonical run_glue recipe on its own: no warmup is its default and it trains well', () => {
    const c = runGlue();
    assert.equal(transformerModel(c), 'bert-base-cased');
    assert.deepEqual(R.checkConfig!(c, R.defaults), []);
    assert.deepEqual(R.checkConfig!(c, R.defaults, [ctxOf(steps())]), [], 'a calm logged start');
  });

  it('warns when a run of it logs a loss spike in its first 10 % at a constant LR', () => {
    const f = R.checkConfig!(runGlue(), R.defaults, [ctxOf(steps({ spikeAt: 15 }))]);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].scenario, 'lr-range');
    assert.equal(f[0].evidence.trouble, 'spike');
    assert.equal(f[0].evidence.logLine, 16);
    assert.match(f[0].message, /^bert-base-cased trained with adamw\w* and no LR warmup, and train_loss spiked ×[\d.]+ at step 15/);
    assert.match(f[0].message, /warmup_ratio=0\.06/);
  });

  it('is quiet past the first 10 %, when the logged LR warms up, or when the LR is not logged', () => {
    assert.deepEqual(R.checkConfig!(runGlue(), R.defaults, [ctxOf(steps({ spikeAt: 120 }))]), []);
    assert.deepEqual(R.checkConfig!(runGlue(), R.defaults, [ctxOf(steps({ spikeAt: 15, warmup: true }))]), []);
    const noLr = steps({ spikeAt: 15 }).map((r) => ({ ...r, lr: undefined }));
    assert.deepEqual(R.checkConfig!(runGlue(), R.defaults, [ctxOf(noLr)]), []);
  });

  it('is quiet with a warmup in the config, with SGD, and on a model that is not a transformer', () => {
    const spiky = [ctxOf(steps({ spikeAt: 15 }))];
    assert.deepEqual(R.checkConfig!(runGlue((o) => (o.warmup_ratio = 0.1)), R.defaults, spiky), []);
    assert.deepEqual(R.checkConfig!(runGlue((o) => (o.optim = 'sgd')), R.defaults, spiky), []);
    const mlp = config({ pretrained: setting('./checkpoints/mlp-3x512', 'model_name_or_path'), optimizer: setting('adamw', 'optim') });
    assert.deepEqual(R.checkConfig!(mlp, R.defaults, spiky), []);
  });

  it('leaves a large batch to large-batch-no-warmup', () => {
    const big = runGlue((o) => (o.per_device_train_batch_size = 2048));
    assert.deepEqual(R.checkConfig!(big, R.defaults, [ctxOf(steps({ spikeAt: 15 }))]), []);
  });

  it('reads transformer names, not look-alikes', () => {
    for (const n of ['bert-base-uncased', 'roberta-large', 'google/vit-base-patch16-224', 'meta-llama/Llama-2-7b-hf', 't5-small', 'openai/whisper-large-v2', 'microsoft/swin-tiny-patch4-window7-224', 'facebook/opt-1.3b', 'THUDM/chatglm-6b', 'Qwen/Qwen2-0.5B'])
      assert.equal(transformerModel(config({ pretrained: setting(n, 'model_name_or_path') })), n);
    for (const n of ['resnet50', 'yolov8n.pt', 'efficientnet_b2', 'convnext_tiny', 'mobilenetv3', 'optimus-cnn'])
      assert.equal(transformerModel(config({ pretrained: setting(n, 'model_name_or_path') })), undefined, n);
  });
});
