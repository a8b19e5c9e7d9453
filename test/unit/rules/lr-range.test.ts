/**
 * Scenario `lr-range`: `loss-not-decreasing` and `warmup-loss-rise`, on a public Keras run stuck at
 * ln 10 and its healthy siblings (../shared/real-outputs, read in place; cited in their labels.json under test/eval/real-outputs), on real logs, and
 * on both sides of every threshold.
 */
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { analyzePaths } from '../../../src/core/analyze';
import { lossNotDecreasingRule } from '../../../src/core/rules/loss-not-decreasing';
import { warmupLossRiseRule } from '../../../src/core/rules/warmup-loss-rise';
import { finetuneForgettingRule } from '../../../src/core/rules/fine-tuning';
import type { Finding } from '../../../src/core/types';
import { REAL_OUTPUTS, realLog, skipWithoutRealLogs, skipWithoutRealOutputs } from '../../helpers/paths';
import { config, ctxOf, epochs, noise, setting, type Row } from './helpers';

const N = lossNotDecreasingRule;
const W = warmupLossRiseRule;
const OUTPUTS = REAL_OUTPUTS;

const lrRange = (f: Finding[]) => f.filter((x) => x.scenario === 'lr-range');

/** `n` epochs: the loss is `start` for the first three, then `end` (with a little noise around both). */
function plateau(n: number, start: number, end: number, extra: (e: number) => Row = () => ({})): Row[] {
  return epochs(n, (e) => ({ train_loss: (e < 3 ? start : end) * (1 + 1e-4 * noise(e)), ...extra(e) }));
}

describe('loss-not-decreasing (lr-range)', function () {
  this.timeout(60_000);

  it('flags the public Keras MNIST run stuck at ln 10 for 19 epochs (inputs left in 0–255)', async function () {
    skipWithoutRealOutputs(this);
    const { findings } = await analyzePaths([path.join(OUTPUTS, 'keras-mnist-unscaled-stuck')]);
    const f = findings.filter((x) => x.rule === 'loss-not-decreasing');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'information');
    assert.equal(f[0].line, 40, 'the last epoch line');
    assert.equal(f[0].evidence.points, 20);
    assert.equal(f[0].evidence.first, 2.3026, 'median of epochs 1–3: 2.3257, 2.3026, 2.3026');
    assert.equal(f[0].evidence.last, 2.3026);
    assert.match(f[0].message, /2\.3026 → 2\.3026/);
    // No LR in the log and no config: no numbers are proposed for the sweep.
    assert.equal(f[0].evidence.lr, null);
    assert.match(f[0].message, /LR range test \(Smith 2017\)/);
    assert.doesNotMatch(f[0].message, /from \d/);
  });

  it('flags a real Hugging Face run whose loss sits at ln 4 for 20 epochs, with a sweep around its own peak LR', async function () {
    skipWithoutRealOutputs(this);
    const { findings } = await analyzePaths([path.join(OUTPUTS, 'hf-quality-multichoice-stuck-ln4')]);
    const f = findings.filter((x) => x.rule === 'loss-not-decreasing');
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.points, 62);
    // The first three logs (1.387, 1.3879, 1.3895) against the last third (1.383–1.417 around 1.389).
    assert.equal(f[0].evidence.first, 1.3879);
    assert.ok(Math.abs((f[0].evidence.last as number) - 1.389) < 0.001, String(f[0].evidence.last));
    // The highest logged learning_rate is 4.9398e-5 (step 350), so the sweep runs 4.94e-6 … 4.94e-4.
    assert.ok(Math.abs((f[0].evidence.lr as number) - 4.939801699716714e-5) < 1e-12);
    assert.match(f[0].message, /from 4\.94e-6 to 4\.94e-4 \(×1\/10 … ×10 around the peak logged LR, 4\.94e-5\)/);
    assert.deepEqual(findings.filter((x) => x.scenario === 'lr-range' && x.rule !== 'loss-not-decreasing'), [], 'its warmup rise (1.387 → 1.4068) is under 25 %');
  });

  it('is quiet on the two runs of the same post that learn (3.46 → 0.084 after a slow start; 0.239 → 0.0109)', async function () {
    skipWithoutRealOutputs(this);
    for (const name of ['keras-mnist-unscaled-32-units', 'keras-mnist-fixed']) {
      const { findings } = await analyzePaths([path.join(OUTPUTS, name)]);
      assert.deepEqual(lrRange(findings), [], name);
    }
  });

  it('flags a loss that drops less than 2 % over the run, not one that drops more', () => {
    const flat = N.checkRun!(ctxOf(plateau(30, 2, 2 * 0.981)), N.defaults);
    assert.equal(flat.length, 1);
    assert.match(flat[0].message, /stays flat/);
    assert.deepEqual(N.checkRun!(ctxOf(plateau(30, 2, 2 * 0.979)), N.defaults), []);
  });

  it('on a pretrained model only flags a loss that ends at or above its start', () => {
    const pre = config({ pretrained: setting('bert-base-uncased', 'model_name_or_path') });
    assert.deepEqual(N.checkRun!(ctxOf(plateau(30, 2, 2 * 0.995), pre), N.defaults), []);
    const up = N.checkRun!(ctxOf(plateau(30, 2, 2.01), pre), N.defaults);
    assert.equal(up.length, 1);
    assert.match(up[0].message, /ends at or above where it started/);
    assert.doesNotMatch(up[0].message, /overfit one small batch/);
  });

  it('needs 20 values', () => {
    assert.deepEqual(N.checkRun!(ctxOf(plateau(19, 2, 2)), N.defaults), []);
    assert.equal(N.checkRun!(ctxOf(plateau(20, 2, 2)), N.defaults).length, 1);
  });

  it('leaves a run that learned and came back to the rules of overfitting and divergence', () => {
    const rows = epochs(30, (e) => ({ train_loss: e < 3 ? 2 : e < 15 ? 0.9 : 2.1 }));
    assert.deepEqual(N.checkRun!(ctxOf(rows), N.defaults), []);
    // Dipping to just above half of the start is not "learned": still flagged.
    const shallow = epochs(30, (e) => ({ train_loss: e < 3 ? 2 : e < 15 ? 1.01 : 2.1 }));
    assert.equal(N.checkRun!(ctxOf(shallow), N.defaults).length, 1);
  });

  it('says nothing when the tail holds NaN (divergence) or the loss can be negative', () => {
    const nan = plateau(30, 2, 2).map((r, i) => (i === 28 ? { ...r, train_loss: NaN } : r));
    assert.deepEqual(N.checkRun!(ctxOf(nan), N.defaults), []);
    assert.deepEqual(N.checkRun!(ctxOf(plateau(30, -2, -2)), N.defaults), []);
  });

  it('proposes a sweep from a tenth to ten times the peak logged LR', () => {
    const rows = plateau(30, 2, 2, (e) => ({ lr: e < 2 ? 0.05 : 0.5 }));
    const f = N.checkRun!(ctxOf(rows), N.defaults);
    assert.equal(f[0].evidence.lr, 0.5);
    assert.equal(f[0].evidence.sweepLow, 0.05);
    assert.equal(f[0].evidence.sweepHigh, 5);
    assert.match(f[0].message, /from 0\.05 to 5 \(×1\/10 … ×10 around the peak logged LR, 0\.5\)/);
  });

  it('takes the configured LR when none is logged, and none when the framework ignores it', () => {
    const c = config({ lr: setting(3e-4, 'lr') });
    const high = N.checkRun!(ctxOf(plateau(30, 2, 2), c), N.defaults)[0].evidence.sweepHigh as number;
    assert.ok(Math.abs(high - 3e-3) < 1e-12, String(high));
    const ignored = config({ lr: setting(3e-4, 'lr0'), lrIgnored: true });
    assert.equal(N.checkRun!(ctxOf(plateau(30, 2, 2), ignored), N.defaults)[0].evidence.lr, null);
  });

  it('reads a long per-step log through its block means (a flat noisy loss of 5000 steps)', () => {
    const rows: Row[] = [];
    for (let s = 0; s < 5000; s++) rows.push({ step: s, train_loss: 6.9 + 0.3 * noise(s) });
    const f = N.checkRun!(ctxOf(rows), N.defaults);
    assert.equal(f.length, 1);
    // 5000 points are 156 full blocks of 32 (the 256 blocks merge pairwise each time they are full: at 256, 512, 1024, 2048 and 4096 points):
    // the finding sits at the end of the last full block, point 4991, line 4993, and stays there until
    // the next block fills.
    assert.equal(f[0].line, 4993);
    const falling = rows.map((r, s) => ({ ...r, train_loss: 6.9 * Math.exp(-s / 2000) + 0.3 * noise(s) }));
    assert.deepEqual(N.checkRun!(ctxOf(falling), N.defaults), []);
  });

  describe('on real logs', function () {
    before(function () {
      skipWithoutRealLogs(this);
    });
    it('is quiet on the grokking run (train loss 4.7 → 1e-7, back to 1e-5 in slingshot spikes) and on a 130-epoch run that memorises', async () => {
      for (const run of ['json_list_grokking_slingshot', 'hf_chatglm_ptuning_noeval', 'text_paddle_hdrunet_initloss']) {
        const { findings } = await analyzePaths([realLog(run)]);
        assert.deepEqual(lrRange(findings), [], run);
      }
    });
  });
});

describe('warmup-loss-rise (lr-range)', function () {
  this.timeout(60_000);

  /** 60 steps, LR warming up linearly to 1e-3 at step 30; the loss rises by `rise`× its start over the warmup, then falls. */
  const warm = (rise: number, dipAt?: number): Row[] => {
    const rows: Row[] = [];
    for (let s = 1; s <= 60; s++) {
      const during = 1 + rise * (s / 30) - (s === dipAt ? 0.5 : 0);
      rows.push({ step: s, lr: 1e-3 * Math.min(1, s / 30), train_loss: s <= 30 ? during : 1.4 - s / 200 });
    }
    return rows;
  };

  it('warns on a from-scratch run whose loss climbs with the warmup (last third ≥ 1.25× the first)', () => {
    const f = W.checkRun!(ctxOf(warm(0.43)), W.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].line, 31, 'the highest loss of the warmup (step 30)');
    assert.equal(f[0].evidence.peakLr, 1e-3);
    assert.deepEqual(W.checkRun!(ctxOf(warm(0.38)), W.defaults), [], 'ratio 1.23: below 1.25');
  });

  it('quotes the LR logged where the warmup loss was lowest as the peak to use', () => {
    const f = W.checkRun!(ctxOf(warm(1, 12)), W.defaults);
    assert.equal(f[0].evidence.lrAtBest, 4e-4, 'step 12 of a 30-step warmup to 1e-3');
    assert.match(f[0].message, /lowest \(0\.9 at step 12\) at lr ≈ 4e-4/);
    assert.match(f[0].message, /from 1e-4 to 0\.01/);
  });

  it('leaves a pretrained model to finetune-forgetting, which reports the same curve', () => {
    const pre = config({ pretrained: setting(true, 'pretrained') });
    assert.deepEqual(W.checkRun!(ctxOf(warm(1), pre), W.defaults), []);
    assert.equal(finetuneForgettingRule.checkRun!(ctxOf(warm(1), pre), finetuneForgettingRule.defaults).length, 1);
  });

  it('needs a logged warmup', () => {
    assert.deepEqual(W.checkRun!(ctxOf(warm(1).map((r) => ({ ...r, lr: 1e-3 }))), W.defaults), []);
  });

  it('is quiet on the real mmengine run whose loss moves 2.755 → 2.785 (+1 %) at a near-zero warmup LR', async function () {
    skipWithoutRealLogs(this);
    const { findings } = await analyzePaths([realLog('mmengine_mmdet_balloon_warmup_cosine')]);
    assert.deepEqual(lrRange(findings), []);
  });
});

describe('runs whose loss is not meant to fall (RL, GANs)', () => {
  const flat = (extra: Row): Row[] => plateau(30, 2, 2, () => extra);

  it('are left alone by loss-not-decreasing', () => {
    assert.deepEqual(N.checkRun!(ctxOf(flat({ 'rollout/ep_rew_mean': 10 })), N.defaults), [], 'Stable-Baselines3');
    assert.deepEqual(N.checkRun!(ctxOf(flat({ loss_D: 0.7 })), N.defaults).length, 1, 'a discriminator loss alone is not a GAN');
    assert.deepEqual(N.checkRun!(ctxOf(flat({ loss_D: 0.7, loss_G: 3 })), N.defaults), []);
    assert.deepEqual(N.checkRun!(ctxOf(flat({ d_loss: 0.7, g_loss: 3 })), N.defaults), []);
    // Look-alikes: a "return_code" or "dropout" series does not make a run RL or a GAN.
    assert.equal(N.checkRun!(ctxOf(flat({ returncode: 0, grad_loss: 1 })), N.defaults).length, 1);
  });
});
