/**
 * Tab-separated tables (bearpaw/pytorch-classification `Logger` log.txt): the two real logs of
 * ../shared/real-logs against their INDEX.md labels (entries 28, 29), and generated Logger files read
 * through LogFile in arbitrary chunks.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { fcParams } from '../../helpers/fc';
import { parseLogText } from '../../../src/core/logfile';
import { detectFormat } from '../../../src/core/formats/registry';
import type { MetricEvent } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { same, viaFile } from './byte-path-helpers';

const of = (evs: readonly MetricEvent[], name: string): MetricEvent[] => evs.filter((e) => e.name === name);

/** Epochs where the LR first shows a value at most `r` times the previous one. */
function drops(lr: readonly MetricEvent[], r: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < lr.length; i++) if (lr[i].value / lr[i - 1].value <= r) out.push(lr[i].epoch ?? -1);
  return out;
}

describe('tsv: bearpaw Logger log.txt (real logs)', function () {
  this.timeout(60_000);
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('ABN ResNet-50 ImageNet: 90 epochs from row 0, ×0.1 at rows 31 and 61, train loss above val loss', async () => {
    const { format, events } = await viaFile(realLog('bearpaw_abn_resnet50_imagenet', 'log.txt'));
    assert.equal(format, 'tsv');
    for (const n of ['lr', 'train_loss', 'val_loss', 'train_acc', 'val_acc']) assert.equal(of(events, n).length, 90, n);
    const lr = of(events, 'lr');
    assert.deepEqual(lr.map((e) => e.epoch), [...Array(90).keys()]);
    assert.deepEqual(drops(lr, 0.5), [31, 61]);
    assert.equal(lr[0].rawName, 'Learning Rate');
    assert.equal(of(events, 'val_acc')[0].rawName, 'Valid Acc.');
    // Row 0 is the file's line 2 (after the header).
    assert.equal(lr[0].line, 2);
    const vl = of(events, 'val_loss');
    const best = vl.reduce((m, e) => (e.value < m.value ? e : m));
    assert.equal(best.epoch, 86);
    assert.equal(best.value, 0.93141);
    assert.equal(of(events, 'train_loss')[0].value, 10.366303);
    assert.equal(of(events, 'val_acc')[0].value, 21.41);
  });

  it('BSQ ResNet-20 CIFAR-10: 350 epochs, ×0.1 at 150, 250, 325, val loss min at 152', async () => {
    const { format, events } = await viaFile(realLog('bearpaw_bsq_resnet20_cifar10_stepdecay', 'log.txt'));
    assert.equal(format, 'tsv');
    const lr = of(events, 'lr');
    assert.equal(lr.length, 350);
    assert.deepEqual(drops(lr, 0.5), [150, 250, 325]);
    const vl = of(events, 'val_loss');
    const best = vl.reduce((m, e) => (e.value < m.value ? e : m));
    assert.equal(best.epoch, 152);
    assert.equal(best.value, 0.263884);
    assert.equal(vl[vl.length - 1].epoch, 349);
    assert.equal(vl[vl.length - 1].value, 0.345597);
  });
});

describe('tsv: generated Logger files', function () {
  this.timeout(120_000);

  /** What bearpaw's Logger writes: names then `{:.6f}` values, each followed by a tab. */
  function loggerText(names: readonly string[], rows: readonly number[][]): string {
    let s = names.map((n) => `${n}\t`).join('') + '\n';
    for (const r of rows) s += r.map((v) => `${v.toFixed(6)}\t`).join('') + '\n';
    return s;
  }

  const names = fc.constantFrom(
    ['Learning Rate', 'Train Loss', 'Valid Loss', 'Train Acc.', 'Valid Acc.'],
    ['Learning Rate', 'Train Loss', 'Valid Loss', 'Valid Acc.'],
    ['Learning Rate', 'Train Loss', 'Valid Loss', 'Train Acc.', 'Valid Acc.', 'Valid Top5.'],
  );
  const table = names.chain((ns) =>
    fc.tuple(fc.constant(ns), fc.array(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: ns.length, maxLength: ns.length }), { maxLength: 60 })),
  );

  it('every cell is a point at epoch = row index, whatever the read chunk size', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-tsv-'));
    await fc.assert(
      fc.asyncProperty(table, fc.integer({ min: 16, max: 4096 }), async ([ns, rows], chunk) => {
        const f = path.join(dir, 'log.txt');
        const text = loggerText(ns, rows);
        fs.writeFileSync(f, text);
        const r = await viaFile(f, chunk);
        assert.equal(r.format, 'tsv');
        assert.equal(r.events.length, rows.length * ns.length);
        r.events.forEach((e, i) => {
          const row = Math.floor(i / ns.length);
          assert.equal(e.epoch, row);
          assert.equal(e.line, row + 2);
          assert.equal(e.rawName, ns[i % ns.length]);
          assert.equal(e.value, Number(rows[row][i % ns.length].toFixed(6)));
        });
        same(r.events, parseLogText(f, text).events, 'LogFile vs editor text');
      }),
      fcParams(150),
    );
  });

  it('a header written again starts a new table whose rows count from 0', () => {
    const ns = ['Learning Rate', 'Train Loss', 'Valid Loss'];
    const text = loggerText(ns, [[0.1, 2, 2.5], [0.1, 1.5, 2]]) + loggerText(ns, [[0.05, 3, 3]]);
    const { format, events } = parseLogText('/x/log.txt', text);
    assert.equal(format, 'tsv');
    assert.deepEqual(of(events, 'lr').map((e) => [e.epoch, e.value, e.line]), [[0, 0.1, 2], [1, 0.1, 3], [0, 0.05, 5]]);
  });

  it('an epoch column is used as written', () => {
    const { events } = parseLogText('/x/metrics.tsv', 'epoch\tloss\tval_loss\n1\t0.9\t1.0\n2\t0.7\t0.8\n');
    assert.deepEqual(of(events, 'train_loss').map((e) => [e.epoch, e.value]), [[1, 0.9], [2, 0.7]]);
    assert.equal(of(events, 'epoch').length, 0);
  });

  it('is not taken for prose, CSV or a table whose rows disagree with its header', () => {
    assert.notEqual(detectFormat('/x/log.txt', 'Epoch 1\tloss 0.5\nEpoch 2\tloss 0.4\n')?.id, 'tsv');
    assert.notEqual(detectFormat('/x/log.csv', 'epoch,loss\n1,0.5\n')?.id, 'tsv');
    assert.notEqual(detectFormat('/x/notes.tsv', 'name\tvalue\nfoo\tbar\n')?.id, 'tsv');
    assert.notEqual(detectFormat('/x/a.tsv', 'a\tb\tc\n1\t2\n')?.id, 'tsv');
  });
});
