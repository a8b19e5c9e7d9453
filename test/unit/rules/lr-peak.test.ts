import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { warmupRise } from '../../../src/core/rules/fine-tuning';
import { peakOf } from '../../../src/core/rules/lr-peak';
import { Run } from '../../../src/core/run/run';
import { Series } from '../../../src/core/run/series';
import type { MetricEvent } from '../../../src/core/types';
import { fcParams } from '../../helpers/fc';
import { LOG } from './helpers';

/** The first index of the highest value, by the plain loop the incremental scan replaces. */
function firstPeak(values: readonly number[]): number {
  let p = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[p]) p = i;
  return p;
}

describe('LR peak and warmup rise, kept incrementally', () => {
  it('peakOf after appends in chunks is the first highest value of the whole series', () => {
    const v = fc.oneof({ weight: 20, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(NaN) });
    fc.assert(
      fc.property(fc.array(v, { minLength: 1, maxLength: 300 }), fc.array(fc.integer({ min: 1, max: 80 }), { maxLength: 6 }), (values, cuts) => {
        const s = new Series('lr');
        let at = 0;
        for (const c of [...cuts, values.length]) {
          const end = Math.min(values.length, at + c);
          for (; at < end; at++) s.push(values[at], at, NaN, at + 1, 0);
          peakOf(s);
        }
        assert.equal(peakOf(s), firstPeak(values));
      }),
      fcParams(100),
    );
  });

  it('warmupRise grown one chunk at a time answers as on the whole run', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 60 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
        (warm, rise, cuts) => {
          const events: MetricEvent[] = [];
          for (let s = 1; s <= warm * 3; s++) {
            events.push({ name: 'lr', rawName: 'lr', value: 1e-3 * Math.min(1, s / warm), step: s, line: s });
            events.push({ name: 'train_loss', rawName: 'loss', value: s <= warm ? 1 + rise * (s / warm) : 2 - s / (warm * 4), step: s, line: s });
          }
          const t = { warmupRise: 0.25, minWarmupPoints: 6 };
          const live = new Run('live');
          let at = 0;
          for (const c of [...cuts, events.length]) {
            live.append(LOG, events.slice(at, at + c * 2));
            at += c * 2;
            warmupRise({ run: live, logFile: LOG }, t);
          }
          if (at < events.length) live.append(LOG, events.slice(at));
          const fresh = new Run('fresh');
          fresh.append(LOG, events);
          const a = warmupRise({ run: live, logFile: LOG }, t);
          const b = warmupRise({ run: fresh, logFile: LOG }, t);
          assert.deepEqual(a && { head: a.head, ratio: a.ratio, worst: a.worst }, b && { head: b.head, ratio: b.ratio, worst: b.worst });
        },
      ),
      fcParams(60),
    );
  });
});
