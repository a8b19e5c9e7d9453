import * as assert from 'node:assert/strict';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { largeBatchEarlyInstabilityRule, largeBatchLrScalingRule, largeBatchNoWarmupRule } from '../../../src/core/rules/large-batch';
import { config, ctxOf, noise, setting, type Row } from './helpers';

const W = largeBatchNoWarmupRule;
const S = largeBatchLrScalingRule;
const I = largeBatchEarlyInstabilityRule;

function cfg(batch: number, fields: Partial<TrainingConfig> = {}): TrainingConfig {
  return config({ batchSize: setting(batch, 'batch_size', 2), ...fields });
}

describe('large-batch-no-warmup', () => {
  it('warns at effective batch 1024 (per-device × devices × accumulation) without warmup', () => {
    const c = cfg(64, { devices: setting(8, 'devices'), gradAccumulation: setting(2, 'accumulate_grad_batches') });
    const f = W.checkConfig!(c, W.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.effectiveBatch, 1024);
    assert.equal(f[0].evidence.gradClip, false);
    assert.equal(f[0].line, 3);
    assert.match(f[0].message, /effective batch 1024 \(64 × 8 devices × 2 accumulation steps\)/);
    assert.match(f[0].message, /clip gradients/);
  });
  it('is quiet at 1023', () => {
    assert.deepEqual(W.checkConfig!(cfg(1023), W.defaults), []);
  });
  it('is quiet with a warmup, and reports on a warmup key set to 0', () => {
    assert.deepEqual(W.checkConfig!(cfg(2048, { warmup: setting(500, 'warmup_steps') }), W.defaults), []);
    const f = W.checkConfig!(cfg(2048, { warmup: setting(0, 'warmup_steps', 9), gradClip: setting(1, 'max_grad_norm') }), W.defaults);
    assert.equal(f[0].line, 10);
    assert.equal(f[0].evidence.warmupKey, 'warmup_steps');
    assert.doesNotMatch(f[0].message, /clip/);
  });
  it('counts a framework built-in clipping as clipping', () => {
    const c = cfg(2048) as TrainingConfig & { builtIn?: { gradClip?: number } };
    c.builtIn = { gradClip: 10 };
    assert.equal(W.checkConfig!(c, W.defaults)[0].evidence.gradClip, true);
  });
  it('fires on an SGD LR ≥ 4× the 0.1 reference scaled for a batch above 256, not at the reference batch', () => {
    const c = cfg(512, { optimizer: setting('SGD', 'optimizer'), lr: setting(0.4, 'lr') });
    assert.equal(W.checkConfig!(c, W.defaults).length, 1);
    const d = cfg(512, { optimizer: setting('SGD', 'optimizer'), lr: setting(0.39, 'lr') });
    assert.deepEqual(W.checkConfig!(d, W.defaults), []);
    // A high LR at a small batch is a too-high LR (the diverged example: SGD 0.5 at batch 32), not large-batch.
    const small = cfg(256, { optimizer: setting('SGD', 'optimizer'), lr: setting(0.4, 'lr') });
    assert.deepEqual(W.checkConfig!(small, W.defaults), []);
  });
});

describe('large-batch-lr-scaling', () => {
  const sgd = (batch: number, lr: number, extra: Partial<TrainingConfig> = {}) =>
    S.checkConfig!(cfg(batch, { optimizer: setting('SGD', 'optimizer'), lr: setting(lr, 'lr', 5), ...extra }), S.defaults);
  it('SGD linear rule: 0.1·B/256; outside [0.5, 2]× → information with the suggested LR', () => {
    assert.deepEqual(sgd(1024, 0.4), []);
    assert.deepEqual(sgd(1024, 0.21), []);
    const low = sgd(1024, 0.19);
    assert.equal(low.length, 1);
    assert.equal(low[0].severity, 'information');
    assert.ok(Math.abs((low[0].evidence.suggestedLr as number) - 0.4) < 1e-12);
    assert.equal(low[0].evidence.key, 'lr');
    assert.equal(low[0].line, 6);
    assert.deepEqual(sgd(1024, 0.79), []);
    assert.equal(sgd(1024, 0.81).length, 1);
  });
  it('Adam-family square-root rule: 1e-3·√(B/256)', () => {
    const adam = (lr: number) => S.checkConfig!(cfg(1024, { optimizer: setting('AdamW', 'optimizer'), lr: setting(lr, 'lr') }), S.defaults);
    assert.deepEqual(adam(1.01e-3), []);
    const f = adam(0.99e-3);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.scaling, 'sqrt');
    assert.ok(Math.abs((f[0].evidence.suggestedLr as number) - 2e-3) < 1e-12);
  });
  it('is quiet under batch 512, for pretrained models and for unknown optimizers', () => {
    assert.deepEqual(sgd(511, 0.01), []);
    assert.equal(sgd(512, 0.01).length, 1);
    assert.deepEqual(sgd(1024, 0.01, { pretrained: setting(true, 'pretrained') }), []);
    assert.deepEqual(S.checkConfig!(cfg(1024, { optimizer: setting('Foo', 'optimizer'), lr: setting(0.001, 'lr') }), S.defaults), []);
  });
});

describe('large-batch-early-instability', () => {
  function steps(spikeAt: number): Row[] {
    const rows: Row[] = [];
    for (let s = 1; s <= 1000; s++) rows.push({ step: s, train_loss: s === spikeAt ? 8 : 2 + 0.05 * noise(s), lr: 0.8 });
    return rows;
  }
  const big = cfg(4096);
  it('warns on a train-loss spike in the first 10 % of steps when the config says large batch', () => {
    const f = I.checkRun!(ctxOf(steps(60), big), I.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].line, 61);
    assert.equal(f[0].evidence.noWarmupInLog, true);
    assert.equal(f[0].evidence.effectiveBatch, 4096);
  });
  it('is quiet for a spike after 10 %, without a config, or at a small batch', () => {
    assert.deepEqual(I.checkRun!(ctxOf(steps(500), big), I.defaults), []);
    assert.deepEqual(I.checkRun!(ctxOf(steps(60)), I.defaults), []);
    assert.deepEqual(I.checkRun!(ctxOf(steps(60), cfg(256)), I.defaults), []);
  });
});
