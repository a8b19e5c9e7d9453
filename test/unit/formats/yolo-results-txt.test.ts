/**
 * YOLOv5 ≤ v5.0 / YOLOv7 `results.txt` (no header): the real logs of INDEX.md entries 26 and 27 against
 * their labels, and rows written as the writer's format string writes them, read in random chunks.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { fcParams } from '../../helpers/fc';
import { parseLogText } from '../../../src/core/logfile';
import { detectFormat, isLogCandidate } from '../../../src/core/formats/registry';
import type { MetricEvent } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { same, viaFile } from './byte-path-helpers';

const of = (evs: readonly MetricEvent[], name: string): MetricEvent[] => evs.filter((e) => e.name === name);
const argmin = (evs: readonly MetricEvent[]): MetricEvent => evs.reduce((m, e) => (e.value < m.value ? e : m));
const argmax = (evs: readonly MetricEvent[]): MetricEvent => evs.reduce((m, e) => (e.value > m.value ? e : m));
const METRICS = [
  'train/box_loss', 'train/obj_loss', 'train/cls_loss', 'metrics/precision', 'metrics/recall', 'metrics/mAP_0.5',
  'metrics/mAP_0.5:0.95', 'val/box_loss', 'val/obj_loss', 'val/cls_loss',
];

/** Summed val loss (box + obj + cls) per epoch. */
function valSum(evs: readonly MetricEvent[]): MetricEvent[] {
  const box = of(evs, 'val/box_loss');
  const obj = of(evs, 'val/obj_loss');
  const cls = of(evs, 'val/cls_loss');
  return box.map((b, i) => ({ ...b, value: b.value + obj[i].value + cls[i].value }));
}

describe('yolo-results-txt: real logs', function () {
  this.timeout(60_000);
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('YOLOv7 tomato: 300 epochs 0-based, val obj loss min at 3 then ×2.7, mAP@.5:.95 max at 213', async () => {
    const { format, events } = await viaFile(realLog('yolov7_results_txt_tomato_valobj', 'results.txt'));
    assert.equal(format, 'yolo-results-txt');
    assert.deepEqual([...new Set(events.map((e) => e.name))], METRICS);
    for (const n of METRICS) assert.equal(of(events, n).length, 300, n);
    assert.deepEqual(of(events, 'val/obj_loss').map((e) => e.epoch), [...Array(300).keys()]);
    const obj = of(events, 'val/obj_loss');
    assert.deepEqual([argmin(obj).epoch, argmin(obj).value], [3, 0.02511]);
    assert.equal(obj[299].value, 0.06796);
    const map = of(events, 'metrics/mAP_0.5:0.95');
    assert.deepEqual([argmax(map).epoch, argmax(map).value], [213, 0.6712]);
    assert.equal(map[0].value, 2.607e-5);
    const sum = valSum(events);
    assert.equal(argmin(sum).epoch, 23);
    assert.ok(Math.abs(argmin(sum).value - 0.08856) < 1e-5);
    assert.equal(of(events, 'train/obj_loss')[0].value, 0.6624);
  });

  it('YOLOv5 PV: 200 epochs, summed val loss min at 125, mAP@.5:.95 0.0437 → 0.2106', async () => {
    const { format, events } = await viaFile(realLog('yolov5_results_txt_pv_plateau', 'results.txt'));
    assert.equal(format, 'yolo-results-txt');
    const map = of(events, 'metrics/mAP_0.5:0.95');
    assert.equal(map.length, 200);
    assert.deepEqual([map[0].value, map[199].value, map[199].epoch], [0.0437, 0.2106, 199]);
    assert.deepEqual([argmax(map).epoch, argmax(map).value], [194, 0.2112]);
    const sum = valSum(events);
    assert.equal(argmin(sum).epoch, 125);
    assert.ok(Math.abs(argmin(sum).value - 0.11579) < 1e-5);
    assert.equal(argmax(of(events, 'metrics/mAP_0.5')).epoch, 168);
  });

  it('results.txt is a log candidate; other .txt names are as before', () => {
    assert.ok(isLogCandidate('/r/runs/train/exp/results.txt'));
    assert.ok(!isLogCandidate('/r/requirements.txt'));
    assert.ok(!isLogCandidate('/r/classes.txt'));
  });
});

describe('yolo-results-txt: generated rows', function () {
  this.timeout(120_000);

  /** Python's `'%10.4g' % v` for the values YOLO writes (finite, ≥ 0). */
  function g4(v: number): string {
    if (v === 0) return '0'.padStart(10);
    const e = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(4)))));
    const s = e < -4 || e >= 4 ? v.toExponential(3).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2') : String(Number(v.toPrecision(4)));
    return s.padStart(10);
  }

  it('every metric column of every row at its epoch, as printed; LogFile in any chunk size = editor text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-yolo-txt-'));
    const value = fc.oneof(fc.double({ min: 1e-6, max: 10, noNaN: true }), fc.constant(0));
    const rowsArb = fc.tuple(fc.integer({ min: 1, max: 400 }), fc.array(fc.array(value, { minLength: 13, maxLength: 13 }), { minLength: 1, maxLength: 50 }));
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.integer({ min: 16, max: 4096 }), async ([epochs, rows], chunk) => {
        const n = Math.max(epochs, rows.length);
        const text = rows
          .map((r, e) => `${`${e}/${n - 1}`.padStart(10)}${'7.37G'.padStart(10)}${r.map(g4).join('')}`)
          .join('\n');
        const f = path.join(dir, 'results.txt');
        fs.writeFileSync(f, `${text}\n`);
        const got = await viaFile(f, chunk);
        assert.equal(got.format, 'yolo-results-txt');
        assert.equal(got.events.length, rows.length * METRICS.length);
        const cols = [0, 1, 2, 6, 7, 8, 9, 10, 11, 12]; // the 13 numeric fields minus total, labels, img_size
        rows.forEach((r, e) => {
          cols.forEach((c, k) => {
            const ev = got.events[e * METRICS.length + k];
            assert.deepEqual([ev.rawName, ev.value, ev.epoch, ev.line], [METRICS[k], Number(g4(r[c])), e, e + 1]);
          });
        });
        same(got.events, parseLogText(f, text).events, 'LogFile vs editor text');
      }),
      fcParams(150),
    );
  });

  it('is not taken for other space-separated text', () => {
    assert.notEqual(detectFormat('/x/results.txt', 'precision 0.5 recall 0.4\n')?.id, 'yolo-results-txt');
    assert.notEqual(detectFormat('/x/results.txt', '0/99 7.37G 0.1 0.2 0.3\n')?.id, 'yolo-results-txt');
    // 16 fields (a fork that appends a column): not this layout, not guessed.
    const sixteen = '     0/299     7.37G' + '    0.0681'.repeat(13) + '     0.01\n';
    assert.notEqual(detectFormat('/x/results.txt', sixteen)?.id, 'yolo-results-txt');
  });
});
