import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { blocksOf, MAX_BLOCKS } from '../../../src/core/rules/loss-blocks';
import { Series } from '../../../src/core/run/series';
import { fcParams } from '../../helpers/fc';

function seriesOf(values: readonly number[]): Series {
  const s = new Series('train_loss');
  values.forEach((v, i) => s.push(v, i, NaN, i + 1, 0));
  return s;
}

/** The mean of the finite values in [first, last], computed directly. */
function directMean(values: readonly number[], first: number, last: number): number {
  const xs = values.slice(first, last + 1).filter(Number.isFinite);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

describe('loss blocks (compact summary of a long loss series)', () => {
  it('covers the series with equal consecutive blocks whose means are the means of their points, whatever the appends', () => {
    const value = fc.oneof({ weight: 20, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity) });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 1500 }), fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 8 }), (values, cuts) => {
        // Appended in chunks (the state advances over new points only) …
        const s = new Series('train_loss');
        let at = 0;
        for (const c of [...cuts, values.length]) {
          const end = Math.min(values.length, at + c);
          for (; at < end; at++) s.push(values[at], at, NaN, at + 1, 0);
          blocksOf(s);
        }
        const chunked = blocksOf(s);
        // … gives the blocks of the whole series read at once.
        assert.deepEqual(chunked, blocksOf(seriesOf(values)));
        assert.ok(chunked.length < MAX_BLOCKS);
        const size = chunked.length ? chunked[0].last - chunked[0].first + 1 : 1;
        chunked.forEach((b, k) => {
          assert.equal(b.first, k * size);
          assert.equal(b.last, (k + 1) * size - 1);
          const m = directMean(values, b.first, b.last);
          assert.ok(Number.isNaN(m) ? Number.isNaN(b.mean) : Math.abs(b.mean - m) <= 1e-9 * (1 + Math.abs(m)), `block ${k}`);
          assert.equal(b.nonFinite, values.slice(b.first, b.last + 1).filter((v) => !Number.isFinite(v)).length);
        });
        // Only the trailing partial block is left out.
        assert.ok(values.length - chunked.length * size < size);
      }),
      fcParams(60),
    );
  });
});
