/**
 * The early-start verdict (rules/early-start.ts) is cached per series and advanced over appended
 * points; after any sequence of appends (and file resets) it must equal the verdict computed from
 * scratch on the series as it is, by the definition in the rule's file comment.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Run } from '../../../src/core/run/run';
import type { Series } from '../../../src/core/run/series';
import { earlyStart, type EarlyStart } from '../../../src/core/rules/early-start';
import { largeBatchNoWarmupRule } from '../../../src/core/rules/large-batch';
import type { RunContext, Thresholds } from '../../../src/core/rules/rule';
import { fcParams } from '../../helpers/fc';

const LOG = 'runs/a/metrics.csv';

function sortedMedian(xs: readonly number[]): number {
  const a = xs.filter(Number.isFinite).sort((p, q) => p - q);
  if (a.length === 0) return NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/**
 * R13's spike test written plainly (ANALYZER_ANCHORS §5.6): over the trailing `window` finite points,
 * a point is a spike when at least `minWindow` of them precede it, it exceeds ratio × their median
 * (median > 0) and its robust z against their MAD (refreshed every window/10 points, floored at 1 %
 * of the median) exceeds `z`.
 */
function hasSpikeBefore(vals: readonly number[], n: number, t: Thresholds): boolean {
  const w: number[] = [];
  let mad = NaN;
  let madAge = 0;
  let pushes = 0;
  const every = Math.max(1, Math.floor(t.window / 10));
  for (let i = 0; i < n; i++) {
    const x = vals[i];
    if (!Number.isFinite(x)) continue;
    if (w.length >= t.minWindow) {
      const med = sortedMedian(w);
      if (med > 0 && x > t.ratio * med) {
        if (Number.isNaN(mad) || pushes - madAge >= every) {
          mad = sortedMedian(w.map((v) => Math.abs(v - med)));
          madAge = pushes;
        }
        // The MAD floored at 1 % of the median (and 1e-12), as R13's robust z does.
        const z = (x - med) / (1.4826 * Math.max(mad, Math.abs(med) * 0.01, 1e-12));
        if (z > t.z) return true;
      }
    }
    w.push(x);
    if (w.length > Math.max(2, t.window)) w.shift();
    pushes++;
  }
  return false;
}

/** The verdict from scratch: the definition in early-start.ts's file comment. */
function fromScratch(vals: readonly number[], t: Thresholds): EarlyStart {
  if (vals.length < t.minWindow + 2) return 'unknown';
  const n = Math.min(vals.length, Math.max(t.minWindow + 2, Math.ceil(t.earlyShare * vals.length)));
  const early = vals.slice(0, n);
  if (early.some((v) => !Number.isFinite(v))) return 'rough';
  if (hasSpikeBefore(vals, n, t)) return 'rough';
  const third = Math.max(1, Math.floor(n / 3));
  const head = sortedMedian(early.slice(0, third));
  const tail = sortedMedian(early.slice(n - third));
  if (head > 0 && early.some((v) => v > t.ratio * head)) return 'rough';
  return tail < head ? 'calm' : 'rough';
}

function valuesOf(s: Series | undefined): number[] {
  return s ? Array.from(s.values()) : [];
}

/** An append: a falling noisy loss, sometimes a spike or a NaN; or the file re-read from scratch. */
const batch = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('calm', 'calm', 'calm', 'calm', 'calm', 'calm', 'calm', 'calm', 'calm', 'spike', 'nan', 'up')), { minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant('reset' as const) },
);

describe('early-start verdict (cached, advanced over appends)', () => {
  const t = largeBatchNoWarmupRule.defaults;
  // A short window so that random runs of a few hundred points cross every branch.
  const small: Thresholds = { ...t, window: 20, minWindow: 10 };

  for (const [label, th] of [
    ['the rule defaults', t],
    ['a short spike window', small],
  ] as const) {
    it(`equals the from-scratch verdict after every append (${label})`, () => {
      const seen = new Set<EarlyStart>();
      fc.assert(
        fc.property(fc.array(batch, { minLength: 1, maxLength: 40 }), (batches) => {
          const run = new Run('test');
          const sink = run.sinkFor(LOG);
          const col = sink.column('train_loss', 'train_loss');
          const ctx: RunContext = { run, logFile: LOG };
          let line = 2;
          let step = 0;
          for (const b of batches) {
            if (b === 'reset') {
              sink.reset?.();
              line = 2;
              step = 0;
            } else {
              for (const [u, kind] of b) {
                const base = 2 * Math.exp(-step / 150) + 0.2 + 0.05 * u;
                const v = kind === 'spike' ? base * (4 + 10 * u) : kind === 'nan' && u < 0.05 ? NaN : kind === 'up' ? base * (1 + u) : base;
                col.push(v, step++, undefined, line++);
              }
            }
            const got = earlyStart(ctx, th);
            assert.equal(got, fromScratch(valuesOf(run.series('train_loss')), th));
            seen.add(got);
          }
        }),
        fcParams(150),
      );
      // The property must have met more than one verdict to mean anything.
      assert.ok(seen.size >= 2, `only ${[...seen].join(', ')} seen`);
    });
  }
});
