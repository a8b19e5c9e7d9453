/**
 * The update-ratio band's edges are inclusive (src/core/rules/update-ratio.ts: the course calls 1e-2
 * "too high", hence ≥; DeepDiagnosis' bounds 1e-1 and 1e-5 likewise): a ratio logged exactly on an
 * edge is on the flagged side, and the largest double below it is not. Every point logs the same
 * ratio, so each window's median is that exact double. The run's config names plain SGD: the fixed
 * band applies to it (AdamW with weight decay is judged against its own equilibrium, and a run whose
 * optimizer is unknown is only told, at information).
 */
import * as assert from 'node:assert/strict';
import { updateRatioRule } from '../../../src/core/rules/update-ratio';
import type { Finding } from '../../../src/core/types';
import { config, ctxOf, setting, type Row } from './helpers';

/** 60 points (3 windows of 20) of one constant ratio, with a flat train loss. */
function constant(ratio: number): Finding[] {
  const rows: Row[] = [];
  for (let s = 1; s <= 60; s++) rows.push({ step: s * 10, update_ratio: ratio, train_loss: 2 });
  const sgd = config({ optimizer: setting('SGD', 'optimizer'), lr: setting(0.1, 'lr', 1) });
  return updateRatioRule.checkRun!(ctxOf(rows, sgd), updateRatioRule.defaults);
}

/** The neighbouring double of `x` towards 0 (x > 0). */
function below(x: number): number {
  const b = new Float64Array([x]);
  new BigInt64Array(b.buffer)[0] -= 1n;
  return b[0];
}

/** The neighbouring double of `x` away from 0 (x > 0). */
function above(x: number): number {
  const b = new Float64Array([x]);
  new BigInt64Array(b.buffer)[0] += 1n;
  return b[0];
}

const summary = (f: Finding[]) => f.map((x) => `${x.severity}:${String(x.evidence.kind)}`);

describe('update-ratio band edges (inclusive)', () => {
  it('below() and above() step to the adjacent doubles', () => {
    assert.ok(below(1e-2) < 1e-2 && above(1e-2) > 1e-2);
    assert.equal(below(1e-2), 0.009999999999999998);
    assert.equal(above(1e-2), 0.010000000000000002);
  });

  it('a median of exactly 1e-2 is a "too high" warning; the double below it is quiet', () => {
    assert.deepEqual(summary(constant(1e-2)), ['warning:high']);
    assert.equal(constant(1e-2)[0].evidence.threshold, 1e-2);
    assert.deepEqual(constant(below(1e-2)), []);
  });

  it('a median of exactly 1e-1 in every window is an error; the double below it only a warning', () => {
    assert.deepEqual(summary(constant(1e-1)), ['error:high']);
    assert.deepEqual(summary(constant(below(1e-1))), ['warning:high']);
  });

  it('with a flat loss, exactly 1e-4 is a "too low" warning and the double above it is quiet', () => {
    assert.deepEqual(summary(constant(1e-4)), ['warning:low']);
    assert.deepEqual(constant(above(1e-4)), []);
  });

  it('with a flat loss, exactly 1e-5 is a "too low" error and the double above it a warning', () => {
    assert.deepEqual(summary(constant(1e-5)), ['error:low']);
    assert.deepEqual(summary(constant(above(1e-5))), ['warning:low']);
  });
});
