/** Which consecutive points of a series are one evaluation (run/aggregate.ts `sameEvaluation`). */
import * as assert from 'node:assert/strict';
import { sameEvaluation, type Point } from '../../../src/core/run/aggregate';

function pt(line: number, epoch: number, step = NaN, fileIndex = 0): Point {
  return { index: 0, value: 0.5, step, epoch, line, fileIndex };
}

describe('sameEvaluation', () => {
  it('an evaluation printed batch by batch on consecutive lines (Swin `Test: [i/N]`) is one evaluation', () => {
    assert.equal(sameEvaluation(pt(976, 0), pt(977, 0)), true);
    assert.equal(sameEvaluation(pt(976, 0), pt(996, 0)), true, '20 lines apart');
  });

  it('the same epoch far apart in one file is two evaluations (a lost epoch header)', () => {
    assert.equal(sameEvaluation(pt(463, 2), pt(617, 2)), false);
    assert.equal(sameEvaluation(pt(976, 0), pt(997, 0)), false, '21 lines apart');
  });

  it('the same step in two files (metrics.csv and output.log) is one evaluation wherever its lines are', () => {
    assert.equal(sameEvaluation(pt(10, NaN, 500, 0), pt(900, NaN, 500, 1)), true);
  });

  it('different steps or epochs, or no step and no epoch at all, are never merged', () => {
    assert.equal(sameEvaluation(pt(10, 1), pt(11, 2)), false);
    assert.equal(sameEvaluation(pt(10, NaN, 100), pt(11, NaN, 200)), false);
    assert.equal(sameEvaluation(pt(10, NaN), pt(11, NaN)), false);
  });
});
