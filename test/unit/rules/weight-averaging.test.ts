import * as assert from 'node:assert/strict';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { valOscillationRule, worseningSwings } from '../../../src/core/rules/weight-averaging';
import { config, ctxOf, epochs, setting, type Row } from './helpers';

const R = valOscillationRule;

/** val_acc that rises for the first 30 % then zigzags by `amp` every other eval. */
function zigzag(n: number, amp: number): Row[] {
  const start = Math.floor(0.3 * n);
  return epochs(n, (e) => ({ val_acc: (e < start ? 0.5 + e * 0.02 : 0.8 + (e % 2 === 0 ? amp : 0)), step: (e + 1) * 100 }));
}
const check = (r: Row[], c?: TrainingConfig) => R.checkRun!(ctxOf(r, c), R.defaults);

describe('val-oscillation', () => {
  it('counts worsening swings between local extrema', () => {
    assert.deepEqual(
      worseningSwings([1, 3, 2, 4, 1], true).map((s) => [s.from, s.to]),
      [
        [1, 2],
        [3, 4],
      ],
    );
    assert.equal(worseningSwings([1, 2, 3, 4], true).length, 0);
    assert.equal(worseningSwings([3, 1, 2, 1], false).length, 1, 'for loss, a rise is the worsening swing');
  });

  it('suggests EMA when swings of ≥ 0.03 number ≥ 0.2·E', () => {
    const f = check(zigzag(21, 0.031));
    assert.equal(f.length, 1);
    assert.equal(f[0].scenario, 'weight-averaging');
    assert.equal(f[0].severity, 'information');
    assert.equal(f[0].evidence.metric, 'val_acc');
    assert.ok((f[0].evidence.count as number) >= 4);
    assert.equal(f[0].evidence.suggestedEmaDecay, 0.99, 'horizon: one epoch of 100 steps');
    assert.match(f[0].message, /EMA/);
  });

  it('is quiet for swings of 0.029', () => {
    assert.deepEqual(check(zigzag(20, 0.029)), []);
  });

  it('needs the count ≥ 0.2·E', () => {
    // 20 evals → needs 4 swings; make only 3 of the zigzags large.
    const rows = zigzag(20, 0.01);
    let big = 0;
    for (let e = 7; e < 20 && big < 3; e++) {
      if (e % 2 === 0) {
        rows[e].val_acc = 0.85;
        big++;
      }
    }
    assert.deepEqual(check(rows), []);
    rows[16].val_acc = 0.85;
    assert.equal(check(rows).length, 1);
  });

  it('needs at least 8 evaluations', () => {
    assert.equal(check(zigzag(8, 0.05)).length, 1);
    assert.deepEqual(check(zigzag(7, 0.05)), []);
  });

  it('reads accuracy in percent (3 points)', () => {
    const rows = epochs(20, (e) => ({ val_acc: e < 6 ? 50 + e * 2 : 80 + (e % 2 === 0 ? 3.1 : 0) }));
    assert.equal(check(rows).length, 1);
    const calm = epochs(20, (e) => ({ val_acc: e < 6 ? 50 + e * 2 : 80 + (e % 2 === 0 ? 2.9 : 0) }));
    assert.deepEqual(check(calm), []);
  });

  it('warns when the final accuracy is > 1 pp under the best', () => {
    const rows = zigzag(20, 0.04);
    rows[19].val_acc = 0.7;
    assert.equal(check(rows)[0].severity, 'warning');
  });

  it('is quiet when the config already keeps an EMA', () => {
    assert.deepEqual(check(zigzag(20, 0.05), config({ ema: setting(true, 'model_ema') })), []);
    const c = config() as TrainingConfig & { builtIn?: { ema?: boolean } };
    c.builtIn = { ema: true };
    assert.deepEqual(check(zigzag(20, 0.05), c), []);
  });

  it('falls back to val_loss with a relative amplitude of 3 %', () => {
    const rows = epochs(20, (e) => ({ val_loss: e < 6 ? 2 - e * 0.1 : 1 * (e % 2 === 0 ? 1.031 : 1) }));
    assert.equal(check(rows).length, 1);
    const calm = epochs(20, (e) => ({ val_loss: e < 6 ? 2 - e * 0.1 : 1 * (e % 2 === 0 ? 1.029 : 1) }));
    assert.deepEqual(check(calm), []);
  });
});
