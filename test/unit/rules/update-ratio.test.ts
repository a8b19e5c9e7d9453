import * as assert from 'node:assert/strict';
import { updateRatioRule } from '../../../src/core/rules/update-ratio';
import { config, ctxOf, noise, setting, type Row } from './helpers';

const R = updateRatioRule;

function rows(n: number, ratio: (s: number) => number, loss: (s: number) => number = () => 2, lr?: (s: number) => number): Row[] {
  const out: Row[] = [];
  for (let s = 1; s <= n; s++) out.push({ step: s * 10, update_ratio: ratio(s), train_loss: loss(s), lr: lr ? lr(s) : undefined });
  return out;
}
const check = (r: Row[], cfg?: Parameters<typeof ctxOf>[1]) => R.checkRun!(ctxOf(r, cfg), R.defaults);

describe('update-ratio', () => {
  const sgd = config({ lr: setting(0.1, 'lr'), optimizer: setting('sgd', 'optimizer') });
  it('SGD: warns when a window median is ≥ 1e-2 (inclusive) and suggests the LR factor to 1e-3', () => {
    assert.equal(check(rows(60, () => 0.01), sgd)[0].severity, 'warning');
    const f = check(rows(60, () => 0.011), sgd);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.kind, 'high');
    assert.ok(Math.abs((f[0].evidence.suggestedLrFactor as number) - 1e-3 / 0.011) < 1e-12);
    assert.ok(Math.abs((f[0].evidence.suggestedLr as number) - (0.1 * 1e-3) / 0.011) < 1e-12);
    assert.equal(f[0].line, 2);
  });
  it('is quiet at 9e-3 and around 1e-3', () => {
    assert.deepEqual(check(rows(60, () => 0.009)), []);
    assert.deepEqual(check(rows(60, (s) => 1e-3 * (1 + 0.3 * noise(s)))), []);
  });
  it('is an error when ≥ 3 windows have a median ≥ 1e-1, or any r > 10', () => {
    assert.equal(check(rows(60, () => 0.11))[0].severity, 'error');
    assert.equal(check(rows(60, (s) => (s > 20 ? 0.11 : 0.02)), sgd)[0].severity, 'warning', 'only 2 of 3 windows ≥ 1e-1');
    const spike = check(rows(60, (s) => (s === 30 ? 11 : 1e-3)));
    assert.equal(spike[0].severity, 'error');
    assert.equal(spike[0].line, 31);
  });
  it('low ratio with a flat loss: warning at ≤ 1e-4, error at ≤ 1e-5; quiet when the loss falls or at 1.1e-4', () => {
    const low = check(rows(60, () => 9e-5));
    assert.equal(low.length, 1);
    assert.equal(low[0].severity, 'warning');
    assert.equal(low[0].evidence.kind, 'low');
    assert.equal(check(rows(60, () => 9e-6))[0].severity, 'error');
    assert.deepEqual(check(rows(60, () => 9e-5, (s) => 2 - s * 0.02)), []);
    assert.deepEqual(check(rows(60, () => 1.1e-4)), []);
  });
  it('AdamW with weight decay: 1.1e-2 is the equilibrium √(2ηλ) at η = 6e-4, λ = 0.1 (Kosson et al. 2024), not "lower ~11×"', () => {
    const adamw = config({ lr: setting(6e-4, 'lr'), optimizer: setting('AdamW', 'optimizer'), weightDecay: setting(0.1, 'weight_decay') });
    assert.deepEqual(check(rows(60, () => 0.011), adamw), []);
    // Ten times the equilibrium is still too high, said without an LR factor.
    const f = check(rows(60, () => 0.12), adamw);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.targetBasis, 'equilibrium');
    assert.ok(Math.abs((f[0].evidence.target as number) - Math.sqrt(2 * 6e-4 * 0.1)) < 1e-12);
    assert.equal(f[0].evidence.suggestedLrFactor, null);
    assert.doesNotMatch(f[0].message, /lower it ~/);
    // The same AdamW run without any weight decay is judged like SGD.
    const noDecay = config({ lr: setting(6e-4, 'lr'), optimizer: setting('AdamW', 'optimizer'), weightDecay: setting(0, 'weight_decay') });
    assert.equal(check(rows(60, () => 0.011), noDecay)[0].severity, 'warning');
  });
  it('unknown optimizer (no config, or AdamW with no weight decay written): says less — information, no factor', () => {
    for (const f of [check(rows(60, () => 0.011)), check(rows(60, () => 0.011), config({ lr: setting(6e-4, 'lr'), optimizer: setting('AdamW', 'optimizer') }))]) {
      assert.equal(f.length, 1);
      assert.equal(f[0].severity, 'information');
      assert.equal(f[0].evidence.suggestedLrFactor, null);
      assert.equal(f[0].evidence.suggestedLr, null);
      assert.doesNotMatch(f[0].message, /lower it ~/);
    }
  });
  it('derives the ratio from update_norm / weight_norm', () => {
    const r: Row[] = [];
    for (let s = 1; s <= 40; s++) r.push({ step: s, update_norm: 0.5, weight_norm: 40 });
    const f = check(r);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.metric, 'update_norm/weight_norm');
    assert.ok(Math.abs((f[0].evidence.median as number) - 0.0125) < 1e-9);
  });
  it('ignores the decayed part of the schedule (LR < 10 % of its peak)', () => {
    // ratio tiny only where the LR has decayed to 1 % of its peak
    const r = rows(100, (s) => (s > 50 ? 5e-6 : 1e-3), () => 2, (s) => (s > 50 ? 0.001 : 0.1));
    assert.deepEqual(check(r), []);
  });
});
