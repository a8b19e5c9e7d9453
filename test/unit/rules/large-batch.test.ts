import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzePaths } from '../../../src/core/analyze';
import { readConfig } from '../../../src/core/config/read-config';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { effectiveBatch, largeBatchEarlyInstabilityRule, largeBatchLrScalingRule, largeBatchNoWarmupRule } from '../../../src/core/rules/large-batch';
import { EXAMPLES } from '../../helpers/paths';
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
  it('counts the framework\'s own warmup (detectron2 WARMUP_ITERS 1000 by default); a warmup written as 0 overrides it', () => {
    const d2 = cfg(1024, { style: 'detectron2', batchScope: 'total', builtIn: { warmup: { value: 1000, unit: 'steps' } } });
    assert.deepEqual(W.checkConfig!(d2, W.defaults), []);
    const off = { ...d2, warmup: setting(0, 'SOLVER.WARMUP_ITERS', 4) };
    assert.equal(W.checkConfig!(off, W.defaults).length, 1);
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

describe('large-batch-no-warmup against the log of the run', function () {
  this.timeout(60_000);
  const noWarmup = async (run: string) => (await analyzePaths([path.join(EXAMPLES, 'runs', run)])).findings.filter((f) => f.rule === 'large-batch-no-warmup');
  it('is quiet when the run\'s log starts calmly (examples/runs/large-batch: batch 1024, no warmup, loss 2.30 → 2.25 over epoch 0, no spike)', async () => {
    assert.deepEqual(await noWarmup('large-batch'), []);
  });
  it('still warns when the log shows the early spikes (examples/runs/large-batch-no-warmup: 6.22 vs ~2.1 at update 14)', async () => {
    const f = await noWarmup('large-batch-no-warmup');
    assert.equal(f.length, 1);
    assert.match(f[0].file, /args\.yaml$/);
  });
  it('in the editor\'s workspace, the warning goes once the run\'s calm log is read, and comes back when it is removed', async () => {
    const dir = path.join(EXAMPLES, 'runs', 'large-batch');
    const ws = new AnalysisWorkspace();
    const cfgFile = path.join(dir, 'args.yaml');
    ws.setConfigText(cfgFile, fs.readFileSync(cfgFile, 'utf8'));
    const warned = () => ws.findings().some((f) => f.rule === 'large-batch-no-warmup');
    assert.equal(warned(), true, 'the config alone predicts trouble');
    const log = path.join(dir, 'output.log');
    await ws.updateLog(log);
    assert.equal(warned(), false, 'the log shows a calm start');
    ws.removeLog(log);
    assert.equal(warned(), true);
  });
  it('a config alone (no run read) still gets the warning', () => {
    assert.equal(W.checkConfig!(cfg(2048), W.defaults, []).length, 1);
  });
});

describe('large-batch-lr-scaling', () => {
  const ref = (lr: number, batch: number, scaling?: 'linear' | 'sqrt') => ({ lrReference: { lr: setting(lr, 'lr_base', 7), batch, ...(scaling ? { scaling } : {}) } });
  const sgd = (batch: number, lr: number, extra: Partial<TrainingConfig> = ref(0.1, 256)) =>
    S.checkConfig!(cfg(batch, { optimizer: setting('SGD', 'optimizer'), lr: setting(lr, 'lr', 5), ...extra }), S.defaults);
  it('SGD: the config\'s own reference scaled linearly; outside [0.5, 2]× → information with the scaled reference', () => {
    assert.deepEqual(sgd(1024, 0.4), []);
    assert.deepEqual(sgd(1024, 0.21), []);
    const low = sgd(1024, 0.19);
    assert.equal(low.length, 1);
    assert.equal(low[0].severity, 'information');
    assert.ok(Math.abs((low[0].evidence.suggestedLr as number) - 0.4) < 1e-12);
    assert.equal(low[0].evidence.referenceKey, 'lr_base');
    assert.equal(low[0].evidence.key, 'lr');
    assert.equal(low[0].line, 6);
    assert.deepEqual(sgd(1024, 0.79), []);
    assert.equal(sgd(1024, 0.81).length, 1);
  });
  it('the reference is the user\'s, not a universal one: 0.05 at 128 scales to 0.4 at 1024', () => {
    assert.deepEqual(sgd(1024, 0.4, ref(0.05, 128)), []);
    const f = sgd(1024, 0.1, ref(0.05, 128));
    assert.ok(Math.abs((f[0].evidence.suggestedLr as number) - 0.4) < 1e-12);
  });
  it('Adam-family: square-root scaling of the reference unless the config says linear', () => {
    const adam = (lr: number, scaling?: 'linear' | 'sqrt') =>
      S.checkConfig!(cfg(1024, { optimizer: setting('AdamW', 'optimizer'), lr: setting(lr, 'lr'), ...ref(1e-3, 256, scaling) }), S.defaults);
    assert.deepEqual(adam(1.01e-3), []);
    const f = adam(0.99e-3);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.scaling, 'sqrt');
    assert.ok(Math.abs((f[0].evidence.suggestedLr as number) - 2e-3) < 1e-12);
    assert.equal(adam(1.01e-3, 'linear')[0].evidence.scaling, 'linear');
  });
  it('proposes no LR without a reference in the config (issue 10: a BERT run at 2e-5, accumulated batch 512, was offered 1.41e-3)', () => {
    const bert = cfg(32, { style: 'hf-training-args', gradAccumulation: setting(16, 'gradient_accumulation_steps'), lr: setting(2e-5, 'learning_rate') });
    assert.deepEqual(S.checkConfig!(bert, S.defaults), []);
    assert.deepEqual(sgd(1024, 0.075, {}), []);
  });
  it('is quiet under batch 512, for pretrained models and when the framework ignores the LR', () => {
    assert.deepEqual(sgd(511, 0.01), []);
    assert.equal(sgd(512, 0.01).length, 1);
    assert.deepEqual(sgd(1024, 0.01, { ...ref(0.1, 256), pretrained: setting(true, 'pretrained') }), []);
    // Ultralytics `optimizer: auto` picks its own LR and ignores lr0.
    assert.deepEqual(sgd(1024, 0.01, { ...ref(0.1, 256), lrIgnored: true }), []);
  });
  it('timm args.yaml of the large-batch example: lr 0.075 at 1024 against its lr_base 0.1 at lr_base_size 256', () => {
    const file = path.join(EXAMPLES, 'runs', 'large-batch', 'args.yaml');
    const c = readConfig(file, fs.readFileSync(file, 'utf8'));
    assert.ok(c);
    const f = S.checkConfig!(c, S.defaults);
    assert.equal(f.length, 1);
    assert.ok(Math.abs((f[0].evidence.suggestedLr as number) - 0.4) < 1e-12);
    assert.equal(f[0].evidence.referenceKey, 'lr_base');
  });
});

describe('effective batch as the framework computes it', () => {
  it('a total batch (Ultralytics `batch`, detectron2 IMS_PER_BATCH) is not multiplied by devices', () => {
    const b = effectiveBatch(cfg(64, { devices: setting(8, 'device'), batchScope: 'total' }));
    assert.equal(b?.effective, 64);
    assert.equal(effectiveBatch(cfg(64, { devices: setting(8, 'devices') }))?.effective, 512);
  });
  it('accumulates to the framework\'s nominal batch (Ultralytics nbs 64: batch 16 → 4 steps)', () => {
    const b = effectiveBatch(cfg(16, { batchScope: 'total', builtIn: { nominalBatch: 64 } }));
    assert.equal(b?.accumulation, 4);
    assert.equal(b?.effective, 64);
    assert.equal(effectiveBatch(cfg(256, { batchScope: 'total', builtIn: { nominalBatch: 64 } }))?.effective, 256);
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
