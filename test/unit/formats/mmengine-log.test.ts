/**
 * OpenMMLab text logs (mmengine and mmcv 1.x): the real logs of INDEX.md entries 30 and 31 checked
 * against the JSON file the same run wrote next to them (mmengine `vis_data/scalars.json`, mmcv
 * `.log.json`) and against the INDEX labels; record lines of every shape the writers print; and
 * generated logs read through LogFile in random chunks.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { fcParams } from '../../helpers/fc';
import { parseLogText } from '../../../src/core/logfile';
import type { MetricEvent } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { same, viaFile } from './byte-path-helpers';

const of = (evs: readonly MetricEvent[], name: string): MetricEvent[] => evs.filter((e) => e.name === name);

/** The JSON records of a JSON-lines file that have key `k`. */
function records(file: string, k: string): Array<Record<string, unknown>> {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => k in r);
}

/** The text log's `y` is the JSON's `x` as printed, to within `tol` (both files round, differently). */
function printedAs(y: number, x: number, tol: number): void {
  assert.ok(Math.abs(x - y) <= tol, `${y} in the text log is not ${x} of the JSON file`);
}

describe('mmengine-log: real logs', function () {
  this.timeout(60_000);
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('mmengine (RTMDet balloon): 50 train lines, the step of scalars.json, 10 val lines, no dump values', async () => {
    const dir = realLog('mmengine_mmdet_balloon_warmup_cosine');
    const { format, events } = await viaFile(path.join(dir, '20230609_081929.log'));
    assert.equal(format, 'mmengine-log');
    const names = new Set(events.map((e) => e.name));
    assert.deepEqual(
      [...names].sort(),
      ['loss_bbox', 'loss_cls', 'lr', 'train_loss', ...['', '_50', '_75', '_l', '_m', '_s'].map((s) => `val_coco/bbox_mAP${s}`)].sort(),
    );
    const lr = of(events, 'lr');
    const json = records(path.join(dir, 'vis_data', 'scalars.json'), 'lr');
    assert.equal(lr.length, 50);
    assert.equal(json.length, 50);
    lr.forEach((e, i) => {
      assert.equal(e.step, json[i]['step']);
      assert.equal(e.epoch, json[i]['epoch']);
      const x = json[i]['lr'] as number;
      assert.equal(e.value, Number(x.toExponential(4))); // the text prints `.4e` of what the JSON keeps
    });
    // Linear warmup to 3e-4 at epoch 10, then cosine to 3.8366e-5 (INDEX entry 30).
    assert.equal(lr[0].value, 3e-8);
    const peak = lr.reduce((m, e) => (e.value > m.value ? e : m));
    assert.deepEqual([peak.epoch, peak.value], [10, 3e-4]);
    assert.equal(lr[49].value, 3.8366e-5);
    const loss = of(events, 'train_loss');
    assert.deepEqual(loss.slice(0, 5).map((e) => e.value), [2.755, 2.7585, 2.7748, 2.7847, 2.7851]);
    assert.deepEqual([loss[49].epoch, loss[49].value], [50, 0.4205]);
    const map = of(events, 'val_coco/bbox_mAP');
    assert.deepEqual(map.map((e) => e.value), [0.383, 0.616, 0.685, 0.722, 0.708, 0.726, 0.713, 0.731, 0.74, 0.747]);
    assert.deepEqual(map.map((e) => e.epoch), [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    // A validation point sits at the step that ended its epoch: 8 iterations per epoch.
    assert.deepEqual(map.map((e) => e.step), [40, 80, 120, 160, 200, 240, 280, 320, 360, 400]);
    assert.equal(map[0].rawName, 'coco/bbox_mAP');
  });

  it('mmcv 1.x (Mask R-CNN balloon): 30 train lines as in .log.json, warmup that never ends, 10 val lines', async () => {
    const dir = realLog('mmcv_maskrcnn_balloon_warmup_never_ends');
    const { format, events } = await viaFile(path.join(dir, '20230208_162410.log'));
    assert.equal(format, 'mmengine-log');
    const train = ['loss_rpn_cls', 'loss_rpn_bbox', 'loss_cls', 'train_acc', 'loss_bbox', 'loss_mask', 'train_loss', 'lr'];
    const val = ['bbox_mAP', 'bbox_mAP_50', 'bbox_mAP_75', 'bbox_mAP_s', 'bbox_mAP_m', 'bbox_mAP_l', 'segm_mAP', 'segm_mAP_50', 'segm_mAP_75', 'segm_mAP_s', 'segm_mAP_m', 'segm_mAP_l'];
    assert.deepEqual([...new Set(events.map((e) => e.name))].sort(), [...train, ...val.map((n) => `val_${n}`)].sort());
    for (const n of train) assert.equal(of(events, n).length, 30, n);
    for (const n of val) assert.equal(of(events, `val_${n}`).length, 10, n);
    const json = records(path.join(dir, '20230208_162410.log.json'), 'mode').filter((r) => r['mode'] === 'train');
    const loss = of(events, 'train_loss');
    assert.equal(json.length, 30);
    loss.forEach((e, i) => {
      assert.equal(e.epoch, json[i]['epoch']);
      assert.equal(e.step, ((json[i]['epoch'] as number) - 1) * 31 + (json[i]['iter'] as number));
      printedAs(e.value, json[i]['loss'] as number, 0.5e-4 + 0.5e-5); // `.4f` in the text, 5 decimals in the JSON
    });
    // The whole run is warmup: LR rises at every line, 4.746e-5 → 1.541e-3 (INDEX entry 31).
    const lr = of(events, 'lr');
    assert.ok(lr.every((e, i) => i === 0 || e.value > lr[i - 1].value));
    assert.deepEqual([lr[0].value, lr[29].value, lr[29].step, lr[29].epoch], [4.746e-5, 1.541e-3, 309, 10]);
    assert.equal(loss[0].value, 7.0255);
    const map = of(events, 'val_bbox_mAP');
    assert.deepEqual(map.map((e) => e.value), [0.0673, 0.5452, 0.5909, 0.7079, 0.7252, 0.7308, 0.7265, 0.7461, 0.7374, 0.7773]);
    assert.deepEqual(map.map((e) => [e.epoch, e.step]), [...Array(10).keys()].map((i) => [i + 1, (i + 1) * 31]));
  });
});

describe('mmengine-log: record lines', () => {
  const read = (text: string): MetricEvent[] => {
    const r = parseLogText('/w/20240101_000000.log', text);
    assert.equal(r.format, 'mmengine-log');
    return r.events;
  };
  const rows = (evs: readonly MetricEvent[]): unknown[] => evs.map((e) => [e.name, e.value, e.epoch ?? null, e.step ?? null]);

  it('iteration-based loops (mmengine and mmcv): the printed iteration is the step, val lines take the last one', () => {
    const mmengine = read(
      '2024/01/01 00:00:00 - mmengine - INFO - Iter(train) [  50/1000]  base_lr: 1.0000e-02 lr: 1.0000e-02  eta: 0:01:00  time: 0.5000  data_time: 0.0100  memory: 1000  grad_norm: 3.2500  loss: 1.5000  decode.loss_ce: 1.2000  decode.acc_seg: 60.0000\n' +
        '2024/01/01 00:01:00 - mmengine - INFO - Iter(val) [500/500]    aAcc: 90.0000  mIoU: 55.5000  data_time: 0.0100  time: 0.1000\n',
    );
    assert.deepEqual(rows(mmengine), [
      ['base_lr', 0.01, null, 50],
      ['lr', 0.01, null, 50],
      ['grad_norm', 3.25, null, 50],
      ['train_loss', 1.5, null, 50],
      ['decode.loss_ce', 1.2, null, 50],
      ['decode.acc_seg', 60, null, 50],
      ['val_aAcc', 90, null, 50],
      ['val_mIoU', 55.5, null, 50],
    ]);
    const mmcv = read(
      '2022-01-01 00:00:00,000 - mmseg - INFO - Iter [100/40000]\tlr: 9.997e-03, eta: 1 day, 2:00:00, time: 0.400, data_time: 0.010, memory: 3000, decode.loss_ce: 0.9000, decode.acc_seg: 70.0000, loss: 0.9000\n' +
        '2022-01-01 00:10:00,000 - mmseg - INFO - Iter(val) [500]\taAcc: 0.9000, mIoU: 0.5000, mAcc: 0.6000\n',
    );
    assert.deepEqual(rows(mmcv), [
      ['lr', 9.997e-3, null, 100],
      ['decode.loss_ce', 0.9, null, 100],
      ['decode.acc_seg', 70, null, 100],
      ['train_loss', 0.9, null, 100],
      ['val_aAcc', 0.9, null, 100],
      ['val_mIoU', 0.5, null, 100],
      ['val_mAcc', 0.6, null, 100],
    ]);
  });

  it('epoch-based: per-group LRs, val loss, accuracy/top1 as val_acc, test lines as test_, copypaste skipped', () => {
    const evs = read(
      '2024/01/01 00:00:00 - mmengine - INFO - Epoch(train)   [2][100/500]  lr: 1.0000e-01  eta: 0:10:00  time: 0.2000  data_time: 0.0100  memory: 2000  loss: 2.0000\n' +
        '2024/01/01 00:00:01 - mmengine - INFO - Exp name: resnet50_8xb32_in1k_20240101_000000\n' +
        '2024/01/01 00:00:02 - mmengine - INFO - Epoch(val) [2][50/50]    accuracy/top1: 60.5000  accuracy/top5: 85.0000  data_time: 0.0100  time: 0.0500\n' +
        '2024/01/01 00:00:03 - mmengine - INFO - Epoch(test) [50/50]    accuracy/top1: 61.0000  data_time: 0.0100  time: 0.0500\n' +
        '2022-01-01 00:00:00,000 - mmdet - INFO - Epoch [3][50/500]\tlr_backbone: 1.000e-03, lr_head: 1.000e-02, eta: 0:05:00, time: 0.300, data_time: 0.010, memory: 3000, loss: 1.0000\n' +
        '2022-01-01 00:00:01,000 - mmdet - INFO - Epoch(val) [3][13]\tloss: 1.2000, bbox_mAP: 0.5000, bbox_mAP_copypaste: 0.5000 0.7000 0.6000 0.1000 0.4000 0.6000\n',
    );
    assert.deepEqual(rows(evs), [
      ['lr', 0.1, 2, 600],
      ['train_loss', 2, 2, 600],
      ['val_acc', 60.5, 2, 1000],
      ['val_accuracy/top5', 85, 2, 1000],
      ['test_accuracy/top1', 61, null, 600],
      ['lr_backbone', 1e-3, 3, 1050],
      ['lr_head', 1e-2, 3, 1050],
      ['train_loss', 1, 3, 1050],
      ['val_loss', 1.2, 3, 1500],
      ['val_bbox_mAP', 0.5, 3, 1500],
    ]);
  });

  it('nan and inf as Python prints them are kept; an ANSI-coloured console line reads the same', () => {
    const evs = read(
      '\x1b[32m06/09 08:19:36\x1b[0m - mmengine - \x1b[4mINFO\x1b[0m - Epoch(train)  [1][8/8]  lr: 3.0000e-08  loss: nan  grad_norm: inf\n',
    );
    assert.deepEqual(rows(evs), [
      ['lr', 3e-8, 1, 8],
      ['train_loss', NaN, 1, 8],
      ['grad_norm', Infinity, 1, 8],
    ]);
  });
});

describe('mmengine-log: generated logs', function () {
  this.timeout(120_000);

  it('every train value at epoch e, step (e − 1)·N + i, as printed; LogFile in any chunk size = editor text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-mmlog-'));
    const line = fc.record({
      e: fc.integer({ min: 1, max: 300 }),
      i: fc.integer({ min: 1, max: 5000 }),
      n: fc.integer({ min: 1, max: 5000 }),
      lr: fc.double({ min: 1e-8, max: 1, noNaN: true }),
      loss: fc.double({ min: 0, max: 100, noNaN: true }),
      mmcv: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 40 }), fc.integer({ min: 16, max: 8192 }), async (ls, chunk) => {
        const text = ls
          .map(({ e, i, n, lr, loss, mmcv }) =>
            mmcv
              ? `2022-01-01 00:00:00,000 - mmdet - INFO - Epoch [${e}][${i}/${n}]\tlr: ${lr.toExponential(3)}, eta: 0:01:00, time: 0.300, data_time: 0.010, memory: 3000, loss: ${loss.toFixed(4)}`
              : `2024/01/01 00:00:00 - mmengine - INFO - Epoch(train)  [${String(e).padStart(3)}][${String(i).padStart(String(n).length)}/${n}]  lr: ${lr.toExponential(4)}  eta: 0:01:00  time: 0.3000  data_time: 0.0100  memory: 3000  loss: ${loss.toFixed(4)}`,
          )
          .join('\n');
        const f = path.join(dir, '20240101_000000.log');
        fs.writeFileSync(f, `${text}\n`);
        const r = await viaFile(f, chunk);
        assert.equal(r.format, 'mmengine-log');
        assert.equal(r.events.length, 2 * ls.length);
        ls.forEach(({ e, i, n, lr, loss, mmcv }, k) => {
          const [a, b] = [r.events[2 * k], r.events[2 * k + 1]];
          assert.deepEqual([a.name, a.value, a.epoch, a.step, a.line], ['lr', Number(lr.toExponential(mmcv ? 3 : 4)), e, (e - 1) * n + i, k + 1]);
          assert.deepEqual([b.name, b.value, b.epoch, b.step], ['train_loss', Number(loss.toFixed(4)), e, (e - 1) * n + i]);
        });
        same(r.events, parseLogText(f, text).events, 'LogFile vs editor text');
      }),
      fcParams(150),
    );
  });
});
