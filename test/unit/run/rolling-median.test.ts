/**
 * RollingMedian (the relapse scan's smoothing window) gives exactly `median` of the last k values
 * after every push, and its below/above counts agree with that median: ties, signed zeros, a window
 * longer than the input, even and odd k, k = 1.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { fcParams } from '../../helpers/fc';
import { RollingMedian } from '../../../src/core/run/rolling-median';
import { median } from '../../../src/core/run/stats';

describe('RollingMedian', () => {
  const value = fc.oneof(
    { weight: 4, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
    { weight: 2, arbitrary: fc.constantFrom(0, 1, 1, 2, 0.1, 0.2, 0.3) },
  );

  it('equals the median of the last k values after every push, and tells below/above as it does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(value, { maxLength: 200 }), value, (k, vals, probe) => {
        const w = new RollingMedian(k);
        vals.forEach((v, i) => {
          w.push(v);
          const last = vals.slice(Math.max(0, i + 1 - k), i + 1);
          assert.equal(w.size, last.length);
          const m = median(last);
          assert.ok(Object.is(w.median(), m), `after ${i + 1} pushes, k=${k}`);
          // Probes at the median itself (ties), beside it and elsewhere.
          for (const x of [m, probe, v, m + 1e-9, m - 1e-9, Infinity, -Infinity]) {
            assert.equal(w.medianBelow(x), m < x, `median ${m} < ${x}, k=${k}`);
            assert.equal(w.medianAbove(x), m > x, `median ${m} > ${x}, k=${k}`);
          }
        });
      }),
      fcParams(500),
    );
  });

  it('is NaN when empty and refuses a window of no values', () => {
    assert.ok(Number.isNaN(new RollingMedian(3).median()));
    assert.equal(new RollingMedian(3).medianBelow(Infinity), false);
    assert.throws(() => new RollingMedian(0), RangeError);
  });
});
