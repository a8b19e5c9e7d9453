/**
 * madOfSorted (the spike scan's O(n) trailing MAD) returns exactly `mad` — the sort-based definition —
 * on sorted windows, around their median or any other center, with ties, zeros of both signs and
 * wide magnitudes.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { fcParams } from '../../helpers/fc';
import { mad, madOfSorted, median } from '../../../src/core/run/stats';

describe('madOfSorted', () => {
  const value = fc.oneof(
    { weight: 4, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
    { weight: 2, arbitrary: fc.constantFrom(0, -0, 1, 1, 2, 0.1, 0.2, 0.3) },
    { weight: 1, arbitrary: fc.double({ min: 0.9, max: 1.1, noNaN: true }) },
  );

  it('equals mad around the median and around an arbitrary center', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (vals, other) => {
        const sorted = Float64Array.from(vals).sort();
        for (const c of [median(sorted), other, sorted[0], sorted[sorted.length - 1]]) {
          assert.ok(Object.is(madOfSorted(sorted, sorted.length, c), mad(sorted, c)), `center ${c}`);
        }
      }),
      fcParams(500),
    );
  });

  it('reads only the first n values and is NaN on none', () => {
    const a = Float64Array.from([1, 2, 3, 100, -50]);
    assert.equal(madOfSorted(a, 3, 2), 1);
    assert.ok(Number.isNaN(madOfSorted(a, 0, 2)));
  });
});
