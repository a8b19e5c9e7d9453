import * as assert from 'node:assert/strict';
import { alignKey, epochBucket, meanInInterval, perEpochMean, perEval, segmentStarts, stepsPerEpoch } from '../../../src/core/run/aggregate';
import { SortedWindow } from '../run/sorted-window';
import { runRules } from '../../../src/core/rules/registry';
import { Run } from '../../../src/core/run/run';
import type { MetricEvent } from '../../../src/core/types';
import { noise, runOf, type Row } from './helpers';

describe('run aggregates', () => {
  it('perEval keeps one point per evaluation, merging a re-logged one', () => {
    const run = runOf([
      { step: 100, epoch: 0, val_loss: 1 },
      { step: 100, epoch: 0, val_loss: 0.9 },
      { step: 200, epoch: 1, val_loss: 0.8 },
    ]);
    const e = perEval(run, 'val_loss');
    assert.deepEqual(
      e.map((p) => [p.value, p.line]),
      [
        [0.9, 3],
        [0.8, 4],
      ],
    );
  });

  it('perEval keeps points without step or epoch apart', () => {
    const run = runOf([{ val_loss: 1 }, { val_loss: 1 }]);
    assert.equal(perEval(run, 'val_loss').length, 2);
  });

  it('perEpochMean groups HF fractional epochs (0.2 … 1.0 is epoch 0)', () => {
    const rows: Row[] = [];
    for (let i = 1; i <= 10; i++) rows.push({ step: i * 10, epoch: i / 5, train_loss: i });
    const m = perEpochMean(runOf(rows), 'train_loss');
    assert.deepEqual(
      m.map((p) => [p.epoch, p.value, p.count, p.step]),
      [
        [0, 3, 5, 50],
        [1, 8, 5, 100],
      ],
    );
    assert.equal(m[1].line, 11);
    assert.equal(epochBucket(3, false), 3);
    assert.equal(epochBucket(3, true), 2);
    assert.equal(epochBucket(0, true), 0);
  });

  it('perEpochMean uses integer epochs as they are (Keras, Lightning)', () => {
    const rows: Row[] = [
      { epoch: 0, train_loss: 2 },
      { epoch: 0, train_loss: 4 },
      { epoch: 1, train_loss: 1 },
    ];
    assert.deepEqual(
      perEpochMean(runOf(rows), 'train_loss').map((p) => [p.epoch, p.value]),
      [
        [0, 3],
        [1, 1],
      ],
    );
  });

  it('aligns train points to the interval since the previous evaluation', () => {
    const rows: Row[] = [];
    for (let s = 10; s <= 100; s += 10) rows.push({ step: s, train_loss: s });
    rows.push({ step: 50, val_loss: 1 });
    const run = runOf(rows);
    const t = run.series('train_loss')!;
    assert.equal(alignKey(run.series('val_loss')!, t), 'step');
    assert.equal(meanInInterval(t, 'step', 50, 100), 80);
    assert.equal(meanInInterval(t, 'step', -Infinity, 50), 30);
    assert.equal(meanInInterval(t, 'step', 100, 120), 100, 'empty interval: the last value before');
  });

  it('finds appended launches by step resets and estimates steps per epoch', () => {
    const rows: Row[] = [
      { step: 10, epoch: 0.1, train_loss: 1 },
      { step: 20, epoch: 0.2, train_loss: 1 },
      { step: 10, epoch: 0.1, train_loss: 1 },
      { step: 110, epoch: 1.1, train_loss: 1 },
    ];
    const run = runOf(rows);
    assert.deepEqual(segmentStarts(run.series('train_loss')!), [0, 2]);
    assert.equal(stepsPerEpoch(run), 100);
  });

  it('SortedWindow keeps the trailing median', () => {
    const w = new SortedWindow(5);
    const got: number[] = [];
    for (const x of [5, 1, 4, 2, 3, 10, 9, 8]) {
      w.push(x);
      got.push(w.median());
    }
    // The last ≤ 5 values, sorted, by hand: [5] [1 5] [1 4 5] [1 2 4 5] [1 2 3 4 5] [1 2 3 4 10]
    // [2 3 4 9 10] [2 3 8 9 10].
    assert.deepEqual(got, [5, 3, 4, 3, 3, 3, 4, 8]);
  });

  it('rules give the same findings after appends as on a fresh run, and start over after a file reset', () => {
    const events: MetricEvent[] = [];
    for (let i = 0; i < 3000; i++) {
      const step = i * 10;
      const loss = i === 1500 || i === 2600 ? 9 : 2 / (1 + i / 500) + 0.02 * noise(i);
      events.push({ name: 'train_loss', rawName: 'loss', value: loss, step, line: i + 1 });
      events.push({ name: 'lr', rawName: 'lr', value: i < 1000 ? 0.1 : i < 2000 ? 0.01 : 0.001, step, line: i + 1 });
      events.push({ name: 'grad_norm', rawName: 'gn', value: i === 700 ? NaN : 1, step, line: i + 1 });
    }
    const live = new Run('live');
    for (let a = 0; a < events.length; a += 777) {
      live.append('x.log', events.slice(a, a + 777));
      runRules({ run: live, logFile: 'x.log' });
    }
    const fresh = new Run('fresh');
    fresh.append('x.log', events);
    const got = runRules({ run: live, logFile: 'x.log' }).findings;
    assert.deepEqual(got, runRules({ run: fresh, logFile: 'x.log' }).findings);
    assert.ok(got.some((f) => f.rule === 'loss-spike') && got.some((f) => f.rule === 'lr-step-drop') && got.some((f) => f.rule === 'nonfinite'));
    // The file is rewritten with a healthy run (a falling loss: a flat one is lr-range's "not decreasing"):
    // nothing of the old scan may survive.
    live.resetFile('x.log');
    live.append(
      'x.log',
      events.filter((e) => e.name === 'train_loss').map((e, i) => ({ ...e, value: 1 - i / 6000 + 0.01 * noise(i) })),
    );
    assert.deepEqual(runRules({ run: live, logFile: 'x.log' }).findings, []);
  });
});
