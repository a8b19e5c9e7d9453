/**
 * The rules of issue 11 that keep per-series state (lr-floor-early's floor scan, loss-explosion's relapse
 * and unbounded scans) find on a log grown one append at a time exactly what they find on it read at once.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { lossExplosionRule } from '../../../src/core/rules/divergence';
import { lrFloorEarlyRule } from '../../../src/core/rules/lr-floor';
import type { Rule } from '../../../src/core/rules/rule';
import { Run } from '../../../src/core/run/run';
import type { Finding, MetricEvent } from '../../../src/core/types';
import { fcParams } from '../../helpers/fc';
import { LOG } from './helpers';

/** Shapes that reach each rule's branches: decays to a floor that hold or climb, relapses, runaways. */
const point = fc.record({
  lr: fc.oneof(fc.double({ min: 0, max: 0.1, noNaN: true }), fc.constant(0)),
  loss: fc.oneof(fc.double({ min: -1e6, max: 10, noNaN: true }), fc.double({ min: 0.01, max: 3, noNaN: true })),
});
const shaped = fc.tuple(fc.integer({ min: 20, max: 120 }), fc.integer({ min: 1, max: 119 }), fc.constantFrom('hold', 'rise', 'relapse', 'runaway')).map(([n, k, kind]) => {
  const cut = Math.min(k, n - 1);
  return Array.from({ length: n }, (_, i) => {
    const t = Math.min(i, cut) / cut;
    const lr = kind === 'rise' ? 0.05 * (1 + Math.cos((Math.PI * i) / cut)) : 0.05 * (1 + Math.cos(Math.PI * t));
    const loss = kind === 'runaway' ? -10 * 2 ** (i / 4) : kind === 'relapse' && i > cut ? 1.8 : 0.2 + 2 * Math.exp(-i / 8);
    return { lr, loss };
  });
});

function eventsOf(rows: readonly { lr: number; loss: number }[]): MetricEvent[][] {
  return rows.map((r, i) => [
    { name: 'lr', rawName: 'lr', value: r.lr, step: i, line: i + 2 },
    { name: 'train_loss', rawName: 'train_loss', value: r.loss, step: i, line: i + 2 },
  ]);
}

function findings(rule: Rule, run: Run): Finding[] {
  return rule.checkRun!({ run, logFile: LOG }, rule.defaults);
}

describe('issue 11 rules: incremental equals cold', () => {
  for (const rule of [lrFloorEarlyRule, lossExplosionRule]) {
    it(`${rule.id}: the same findings after every append as on the whole log read once`, () => {
      fc.assert(
        fc.property(fc.oneof(shaped, fc.array(point, { minLength: 1, maxLength: 80 })), fc.integer({ min: 1, max: 7 }), (rows, chunk) => {
          const events = eventsOf(rows);
          const grown = new Run('grown');
          for (let i = 0; i < events.length; i += chunk) {
            grown.append(LOG, events.slice(i, i + chunk).flat());
            const cold = new Run('cold');
            cold.append(LOG, events.slice(0, i + chunk).flat());
            assert.deepEqual(findings(rule, grown), findings(rule, cold));
          }
        }),
        fcParams(60),
      );
    });
  }

  it('the shaped generator reaches the rules (a property that never fires proves nothing)', () => {
    const hold = Array.from({ length: 100 }, (_, i) => ({ lr: 0.05 * (1 + Math.cos(Math.PI * Math.min(i / 40, 1))), loss: 0.2 + 2 * Math.exp(-i / 8) }));
    const run = new Run('r');
    run.append(LOG, eventsOf(hold).flat());
    assert.equal(findings(lrFloorEarlyRule, run).length, 1);
    const away = Array.from({ length: 60 }, (_, i) => ({ lr: 0.01, loss: -10 * 2 ** (i / 4) }));
    const run2 = new Run('r2');
    run2.append(LOG, eventsOf(away).flat());
    assert.equal(findings(lossExplosionRule, run2)[0]?.evidence.kind, 'unbounded');
  });
});
