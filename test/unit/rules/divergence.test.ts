import * as assert from 'node:assert/strict';
import { lossExplosionRule, lossSpikeRule, nonfiniteRule } from '../../../src/core/rules/divergence';
import { ctxOf, noise, type Row } from './helpers';

function steps(n: number, loss: (s: number) => number, extra: (s: number) => Row = () => ({})): Row[] {
  const out: Row[] = [];
  for (let s = 1; s <= n; s++) out.push({ step: s * 10, train_loss: loss(s), ...extra(s) });
  return out;
}

describe('nonfinite', () => {
  const R = nonfiniteRule;
  it('is an error at the first NaN loss, counting them', () => {
    const f = R.checkRun!(ctxOf(steps(50, (s) => (s >= 30 ? NaN : 2 - s * 0.01))), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.equal(f[0].rule, 'nonfinite');
    assert.equal(f[0].line, 31);
    assert.equal(f[0].evidence.count, 21);
    assert.equal(f[0].evidence.kind, 'NaN');
    assert.match(f[0].message, /train_loss is NaN at step 300; 21 non-finite/);
  });
  it('Inf in val_loss too', () => {
    const f = R.checkRun!(ctxOf(steps(10, () => 1, (s) => ({ val_loss: s === 5 ? Infinity : 1 }))), R.defaults);
    assert.equal(f[0].evidence.metric, 'val_loss');
    assert.equal(f[0].evidence.kind, 'Inf');
  });
  it('isolated NaN grad norms with a finite loss are information (AMP skipped steps)', () => {
    const f = R.checkRun!(ctxOf(steps(100, () => 1, (s) => ({ grad_norm: s % 20 === 0 && s < 100 ? NaN : 1 }))), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'information');
    assert.equal(f[0].evidence.count, 4);
    assert.equal(f[0].evidence.ampSkip, true);
    assert.match(f[0].message, /4 NaN\/Inf grad norms .*mixed-precision overflow/);
  });
  it('NaN grad norms 3 in a row, or at the end, are an error', () => {
    const run3 = R.checkRun!(ctxOf(steps(100, () => 1, (s) => ({ grad_norm: s >= 40 && s < 43 ? NaN : 1 }))), R.defaults);
    assert.equal(run3[0].severity, 'error');
    const run2 = R.checkRun!(ctxOf(steps(100, () => 1, (s) => ({ grad_norm: s >= 40 && s < 42 ? NaN : 1 }))), R.defaults);
    assert.equal(run2[0].severity, 'information');
    const atEnd = R.checkRun!(ctxOf(steps(100, () => 1, (s) => ({ grad_norm: s === 100 ? NaN : 1 }))), R.defaults);
    assert.equal(atEnd[0].severity, 'error');
  });
  it('is quiet on finite values', () => {
    assert.deepEqual(R.checkRun!(ctxOf(steps(100, () => 1, () => ({ grad_norm: 1 }))), R.defaults), []);
  });
  it('NaN in train_loss and val_loss is one divergence: one finding at the first, naming the other', () => {
    const f = R.checkRun!(ctxOf(steps(20, (s) => (s >= 10 ? NaN : 1), (s) => ({ val_loss: s >= 11 ? NaN : 1 }))), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.metric, 'train_loss');
    assert.deepEqual(f[0].evidence.alsoNonfinite, ['val_loss']);
  });
  it('a NaN loss while accuracy keeps rising is a broken loss value, not a diverged run (warning, no "lower the LR")', () => {
    // wandb_reclor_roberta_nan_loss: loss NaN at every report, dev acc 0.286, 0.27, 0.272, 0.324, 0.364.
    const acc = [0.286, 0.27, 0.272, 0.324, 0.364];
    const f = R.checkRun!(ctxOf(acc.map((a, i) => ({ step: (i + 1) * 200, val_loss: NaN, val_acc: a }))), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.stillLearning, 'val_acc');
    assert.match(f[0].message, /val_acc kept improving after it \(0\.286 → 0\.364\)/);
    assert.doesNotMatch(f[0].message, /lower the LR/);
    // Accuracy at chance after the NaN: diverged.
    const dead = R.checkRun!(ctxOf([0.3, 0.1, 0.1, 0.1, 0.1].map((a, i) => ({ step: (i + 1) * 200, val_loss: i >= 1 ? NaN : 1, val_acc: a }))), R.defaults);
    assert.equal(dead[0].severity, 'error');
  });
});

describe('loss-explosion', () => {
  const R = lossExplosionRule;
  it('flags a loss ≥ 1e3 after it was lower', () => {
    const f = R.checkRun!(ctxOf(steps(100, (s) => (s === 60 ? 1000 : 2))), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.equal(f[0].line, 61);
    assert.equal(f[0].evidence.kind, 'absolute');
    assert.deepEqual(R.checkRun!(ctxOf(steps(100, (s) => (s === 60 ? 999 : 900))), R.defaults), []);
  });
  it('does not flag an opening transient that starts above 1e3 and falls (HDRUNet l_pix 2.9e5 → 0.03)', () => {
    const f = R.checkRun!(ctxOf(steps(200, (s) => (s <= 10 ? 3e5 / s ** 3 : 0.03 + 0.01 * noise(s)))), R.defaults);
    assert.deepEqual(f, []);
  });
  it('flags a smoothed loss that ends > 1.5× its start; quiet at 1.49×', () => {
    const f = R.checkRun!(ctxOf(steps(100, (s) => (s <= 20 ? 2 : 3.02))), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.kind, 'rising');
    assert.equal(f[0].line, 24, 'where the median of 5 crossed 1.5× and stayed above');
    assert.deepEqual(R.checkRun!(ctxOf(steps(100, (s) => (s <= 20 ? 2 : 2.98))), R.defaults), []);
  });
  it('reads the last launch of an appended log only', () => {
    const rows = [...steps(30, () => 1), ...steps(30, () => 5)];
    assert.deepEqual(R.checkRun!(ctxOf(rows), R.defaults), []);
  });
});

describe('loss-spike', () => {
  const R = lossSpikeRule;
  const base = (s: number) => 1 + 0.02 * noise(s);
  it('warns on a spike with robust z > 6 and > 1.5× the trailing median', () => {
    const f = R.checkRun!(ctxOf(steps(300, (s) => (s === 150 ? 1.6 : base(s)))), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].rule, 'loss-spike');
    assert.equal(f[0].line, 151);
    assert.equal(f[0].evidence.count, 1);
  });
  it('is quiet at 1.45× the median', () => {
    assert.deepEqual(R.checkRun!(ctxOf(steps(300, (s) => (s === 150 ? 1.45 : base(s)))), R.defaults), []);
  });
  it('is quiet when 1.5× is within the noise (z ≤ 6)', () => {
    const noisy = (s: number) => 1 + 0.6 * noise(s);
    const f = R.checkRun!(ctxOf(steps(300, (s) => (s === 150 ? 1.7 : noisy(s)))), R.defaults);
    assert.deepEqual(f, []);
  });
  it('is an error when the loss does not come back within 500 steps', () => {
    const f = R.checkRun!(ctxOf(steps(300, (s) => (s >= 150 ? 3 : base(s)))), R.defaults);
    assert.equal(f[0].severity, 'error');
    assert.equal(f[0].evidence.unrecovered, 1);
  });
  it('never treats the opening transient as a spike', () => {
    assert.deepEqual(R.checkRun!(ctxOf(steps(300, (s) => (s <= 5 ? 1e5 / s : base(s)))), R.defaults), []);
  });
  it('frequent spikes that all recover are noise: information above 5 % of points, warning at or below', () => {
    // 300 points, 10 tested-before; spikes every 15 points → 19 spikes ≈ 6.6 % of 290
    const many = R.checkRun!(ctxOf(steps(300, (s) => (s % 15 === 0 && s > 10 ? 1.8 : base(s)))), R.defaults);
    assert.equal(many[0].severity, 'information');
    assert.equal(many[0].evidence.noisy, true);
    assert.match(many[0].message, /spiky rather than spiking/);
    // spikes every 25 points → 11 spikes ≈ 3.8 %
    const few = R.checkRun!(ctxOf(steps(300, (s) => (s % 25 === 0 ? 1.8 : base(s)))), R.defaults);
    assert.equal(few[0].severity, 'warning');
  });
  it('reads summed YOLO-style train loss components', () => {
    const rows = steps(300, () => 0).map((r, i) => ({ step: r.step, 'train/box_loss': i === 150 ? 1 : 0.05 + 0.001 * noise(i), 'train/cls_loss': 0.02 }));
    const f = R.checkRun!(ctxOf(rows), R.defaults);
    assert.equal(f.length, 1);
    assert.match(f[0].evidence.metric as string, /train\/box_loss \+ train\/cls_loss/);
  });
  it('reports grad_norm spikes as information', () => {
    const f = R.checkRun!(ctxOf(steps(300, base, (s) => ({ grad_norm: s === 200 ? 100 : 0.5 + 0.05 * noise(s) }))), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.metric, 'grad_norm');
    assert.equal(f[0].severity, 'information');
  });
});
