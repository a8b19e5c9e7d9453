/**
 * detectSpikes with its lazy trailing window finds exactly the spikes of the straightforward scan
 * over SortedWindow (./sorted-window.ts, the definition), on calm, noisy, near-zero, signed and spiky series,
 * whether scanned at once or incrementally after appends.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { fcParams } from '../../helpers/fc';
import { Series } from '../../../src/core/run/series';
import { robustZ } from '../../../src/core/run/stats';
import { SortedWindow } from './sorted-window';
import { detectSpikes, type Spike, type SpikeOptions } from '../../../src/core/rules/spikes';

/** The scan as defined (R13), over SortedWindow: the reference. */
function reference(values: readonly number[], o: SpikeOptions): { index: number; value: number; median: number; length: number }[] {
  const w = new SortedWindow(Math.max(2, o.window));
  const out: { index: number; value: number; median: number; length: number }[] = [];
  let open: (typeof out)[number] | undefined;
  const from = o.from ?? 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) continue;
    let isSpike = false;
    if (i >= from && w.size >= o.minWindow) {
      const med = w.median();
      if (med > 0 && x > o.ratio * med) {
        const z = robustZ(x, med, w.recentMad(Math.max(1, Math.floor(o.window / 10))));
        if (z > o.z) {
          isSpike = true;
          if (open && open.index + open.length === i) {
            open.length++;
            if (x > open.value) open.value = x;
          } else {
            open = { index: i, value: x, median: med, length: 1 };
            out.push(open);
          }
        }
      }
    }
    if (!isSpike && open && open.index + open.length === i) open = undefined;
    w.push(x);
  }
  return out;
}

const OPTS: SpikeOptions = { window: 20, minWindow: 10, z: 6, ratio: 1.5, recoveryRel: 0.1, recoverySteps: 50 };

function series(values: readonly number[]): Series {
  const s = new Series('train_loss');
  values.forEach((v, i) => s.push(v, i, NaN, i + 1, 0));
  return s;
}

function brief(sp: readonly Spike[]): { index: number; value: number; median: number; length: number }[] {
  return sp.map((p) => ({ index: p.index, value: p.value, median: p.median, length: p.length }));
}

describe('spike window', () => {
  const value = fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: 0.9, max: 1.1, noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ min: 1.5, max: 50, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, NaN, Infinity, 1, 1e-9) },
    { weight: 1, arbitrary: fc.double({ min: -2, max: 2, noNaN: true }) },
  );

  it('same spikes as the SortedWindow scan, at once and after appends', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 200, maxLength: 3000 }), fc.integer({ min: 1, max: 500 }), (vals, cut) => {
        const want = reference(vals, OPTS);
        assert.deepEqual(brief(detectSpikes(series(vals), { ...OPTS, to: vals.length })), want);
        // Incremental: scan a prefix, append the rest, scan again.
        const s = series(vals.slice(0, cut));
        detectSpikes(s, OPTS);
        vals.slice(cut).forEach((v, k) => s.push(v, cut + k, NaN, cut + k + 1, 0));
        assert.deepEqual(brief(detectSpikes(s, OPTS)), want);
      }),
      fcParams(300),
    );
  });

  it('a long calm run with rare spikes and a noisy stretch', () => {
    let x = 1;
    const vals: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const noise = x / 2147483648;
      const noisy = i > 120_000 && i < 140_000;
      vals.push(i % 9973 === 5000 ? 8 : noisy ? noise * noise * 3 : 1 + 0.05 * noise);
    }
    assert.deepEqual(brief(detectSpikes(series(vals), { ...OPTS, window: 100, minWindow: 20, to: vals.length })), reference(vals, { ...OPTS, window: 100, minWindow: 20 }));
  });
});
