/**
 * The incremental forms of lr-schedule's tail check and early-stopping's evaluation scan against the
 * whole-series computations they replace, on random series grown one append at a time.
 */
import * as assert from 'node:assert/strict';
import { analysePlateau } from '../../../src/core/rules/early-stopping';
import { classifyDrops } from '../../../src/core/rules/lr-schedule';
import { valOscillationRule } from '../../../src/core/rules/weight-averaging';
import { lossSeries, perEvalOf, segmentStarts, stepsPerEpoch } from '../../../src/core/run/aggregate';
import { Run } from '../../../src/core/run/run';
import type { Series } from '../../../src/core/run/series';
import type { MetricEvent } from '../../../src/core/types';
import { LOG } from './helpers';

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Reference for analysePlateau's evaluations: perEvalOf's groups (same step and epoch), each valued at the mean of its finite values. */
function meanPerEval(s: Series): ReturnType<typeof perEvalOf> {
  const out: ReturnType<typeof perEvalOf> = [];
  let sum = 0;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const same = i > 0 && Object.is(s.step(i), s.step(i - 1)) && Object.is(s.epoch(i), s.epoch(i - 1)) && (Number.isFinite(s.step(i)) || Number.isFinite(s.epoch(i)));
    if (!same) {
      sum = 0;
      n = 0;
    } else if (n > 0) out.pop();
    if (Number.isFinite(s.value(i))) {
      sum += s.value(i);
      n++;
    }
    if (n > 0) out.push({ index: i, value: sum / n, step: s.step(i), epoch: s.epoch(i), line: s.line(i), fileIndex: s.fileIndex(i) });
  }
  return out;
}

const usable = (v: number) => Number.isFinite(v) && v >= 0;
const pos = (s: Series, i: number) => (Number.isFinite(s.step(i)) ? s.step(i) : i);
function prevUsable(s: Series, i: number, lo: number): number {
  for (let j = i - 1; j >= lo; j--) if (usable(s.value(j))) return j;
  return -1;
}

/** Indices of the drops whose verdict is `tail` only through the walk over the last tailShare of the span (the former loop). */
function walkTail(s: Series, i: number, tailShare: number, dropRatio: number): boolean {
  const segs = segmentStarts(s);
  let si = 0;
  while (si + 1 < segs.length && segs[si + 1] <= i) si++;
  const a = segs[si];
  const b = si + 1 < segs.length ? segs[si + 1] : s.length;
  let f0 = -1;
  for (let j = a; j < b; j++) if (usable(s.value(j))) { f0 = j; break; }
  const l0 = prevUsable(s, b, a);
  const span = pos(s, l0) - pos(s, f0);
  if (!(span > 0 && pos(s, i) - pos(s, f0) >= (1 - tailShare) * span)) return false;
  const from = pos(s, i) - tailShare * span;
  let dec = 0;
  let inc = 0;
  let q = prevUsable(s, i, a);
  for (let r = prevUsable(s, q, a); r >= 0 && pos(s, q) >= from; q = r, r = prevUsable(s, q, a)) {
    const ratio = s.value(q) / s.value(r);
    if (ratio > 1.01) inc++;
    else if (ratio < 0.999 && ratio > dropRatio) dec++;
  }
  return dec >= 2 && inc === 0;
}

function lrEvents(n: number, r: () => number, steps: 'all' | 'none' | 'mixed', line0: number, step0: number): MetricEvent[] {
  const out: MetricEvent[] = [];
  let lr = 1e-3;
  for (let k = 0; k < n; k++) {
    const u = r();
    if (u < 0.08) lr *= 0.1 + 0.4 * r(); // a drop
    else if (u < 0.13) lr *= 1.5; // a rise
    else if (u < 0.6) lr *= 0.9 + 0.09 * r(); // gentle decay
    const value = r() < 0.03 ? NaN : lr;
    const hasStep = steps === 'all' || (steps === 'mixed' && r() < 0.7);
    out.push({ name: 'lr', rawName: 'lr', value, step: hasStep ? step0 + k * 10 : undefined, line: line0 + k });
  }
  return out;
}

describe('incremental rule state (lr tail check, early-stopping evaluations)', () => {
  it('lr drop verdicts after each append match the whole-series walk (steps, no steps, mixed, restarts)', () => {
    const t = { dropRatio: 0.5, tailShare: 0.3 };
    let checked = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed);
      const steps = (['all', 'none', 'mixed'] as const)[seed % 3];
      const run = new Run('t');
      let line = 2;
      for (let chunk = 0; chunk < 8; chunk++) {
        const n = 1 + Math.floor(r() * 12);
        // Every third chunk restarts the steps (an appended launch).
        const ev = lrEvents(n, r, steps, line, chunk % 3 === 2 ? 0 : line * 10);
        line += n;
        run.append(LOG, ev);
        const s = run.series('lr')!;
        for (const { drop, verdict } of classifyDrops(s, t)) {
          if (verdict === 'step' || verdict === 'tail') {
            const walked = walkTail(s, drop.index, t.tailShare, t.dropRatio);
            if (walked) assert.equal(verdict, 'tail', `seed ${seed}, drop at ${drop.index}`);
            checked++;
          }
        }
        // A fresh run of the same events gives the same verdicts.
        const fresh = new Run('f');
        const all: MetricEvent[] = [];
        for (let i = 0; i < s.length; i++) all.push({ name: 'lr', rawName: 'lr', value: s.value(i), step: Number.isFinite(s.step(i)) ? s.step(i) : undefined, line: s.line(i) });
        fresh.append(LOG, all);
        assert.deepEqual(classifyDrops(fresh.series('lr')!, t), classifyDrops(s, t));
      }
    }
    assert.ok(checked > 100);
  });

  it('a step verdict is never a drop the walk would call tail', () => {
    const t = { dropRatio: 0.5, tailShare: 0.5 };
    for (let seed = 100; seed < 140; seed++) {
      const r = rng(seed);
      const run = new Run('t');
      run.append(LOG, lrEvents(80, r, (['all', 'none', 'mixed'] as const)[seed % 3], 2, 0));
      const s = run.series('lr')!;
      for (const { drop, verdict } of classifyDrops(s, t)) if (verdict === 'step') assert.equal(walkTail(s, drop.index, t.tailShare, t.dropRatio), false);
    }
  });

  it('early-stopping best and evaluations after each append match a fresh whole-series scan (re-logged evals, NaN, summed components)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const summedParts = seed % 2 === 0;
      const run = new Run('t');
      let line = 2;
      let epoch = 0;
      let v = 2;
      for (let chunk = 0; chunk < 10; chunk++) {
        const ev: MetricEvent[] = [];
        const n = 1 + Math.floor(r() * 4);
        for (let k = 0; k < n; k++) {
          if (r() < 0.7) epoch++; // else the same evaluation re-logged
          v = r() < 0.5 ? v * (0.9 + 0.05 * r()) : v * (1 + 0.05 * r());
          const value = r() < 0.1 ? NaN : v;
          if (summedParts) {
            for (const part of ['val/box_loss', 'val/cls_loss']) ev.push({ name: part, rawName: part, value: value / 2, epoch, line });
          } else ev.push({ name: 'val_loss', rawName: 'val_loss', value, epoch, line });
          ev.push({ name: 'train_loss', rawName: 'train_loss', value: 3 - epoch * 0.01, epoch, line });
          line++;
        }
        run.append(LOG, ev);
        for (const minDelta of [0, 0.01]) {
          const a = analysePlateau({ run, logFile: LOG }, minDelta);
          const evals = meanPerEval(lossSeries(run, 'val')!);
          if (evals.length < 2) {
            assert.equal(a, undefined);
            continue;
          }
          let best = 0;
          for (let i = 1; i < evals.length; i++) if (evals[i].value < evals[best].value - minDelta) best = i;
          assert.ok(a);
          assert.deepEqual(a.evals, evals, `seed ${seed} chunk ${chunk}`);
          assert.equal(a.best, best, `seed ${seed} chunk ${chunk}`);
        }
      }
    }
  });

  it('evaluations, steps per epoch and val-oscillation after each append match a fresh run (train-only and val appends, threshold changes)', () => {
    let fired = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed);
      const run = new Run('t');
      const all: MetricEvent[] = [];
      let line = 2;
      let step = 0;
      let epoch = seed % 2 ? 0 : 0.5;
      for (let chunk = 0; chunk < 25; chunk++) {
        const ev: MetricEvent[] = [];
        const n = 1 + Math.floor(r() * 6);
        for (let k = 0; k < n; k++, step++) ev.push({ name: 'train_loss', rawName: 'loss', value: 1 / (1 + step) + 0.1 * r(), step, epoch, line: line++ });
        if (r() < 0.6) {
          // An evaluation (sometimes re-logged with the same step and epoch, sometimes NaN).
          const acc = 0.5 + 0.3 * r();
          ev.push({ name: 'val_acc', rawName: 'val_acc', value: r() < 0.05 ? NaN : acc, step, epoch, line: line++ });
          if (r() < 0.2) ev.push({ name: 'val_acc', rawName: 'val_acc', value: acc + 0.01, step, epoch, line: line++ });
          ev.push({ name: 'val_loss', rawName: 'val_loss', value: 1 - acc + 0.1 * r(), step, epoch, line: line++ });
          epoch += seed % 2 ? 1 : 0.5;
        }
        run.append(LOG, ev);
        all.push(...ev);
        const fresh = new Run('f');
        fresh.append(LOG, all);
        for (const name of ['val_acc', 'val_loss', 'train_loss']) {
          const s = run.series(name);
          if (s) assert.deepEqual(perEvalOf(s), perEvalOf(fresh.series(name)!));
        }
        assert.deepEqual(stepsPerEpoch(run), stepsPerEpoch(fresh));
        for (const t of [valOscillationRule.defaults, { ...valOscillationRule.defaults, zeta: 0.01, eta: 0.1, minEvals: 4 }]) {
          const got = valOscillationRule.checkRun!({ run, logFile: LOG }, t);
          assert.deepEqual(got, valOscillationRule.checkRun!({ run: fresh, logFile: LOG }, t), `seed ${seed}, chunk ${chunk}`);
          fired += got.length;
        }
      }
    }
    assert.ok(fired > 20, `val-oscillation fired ${fired} times`);
  });
});
