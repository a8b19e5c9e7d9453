/**
 * Ultralytics console captures: the real capture of INDEX.md entry 32 (three trainings appended in a
 * .md file) against its labels, and rows of other real captures quoted with their source: YOLOv5 v6.0
 * (`gpu_mem box obj cls labels img_size`, `mAP@.5:.95`) and Ultralytics 8.4 (`━━━` bars, Box + Mask).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { parseLogText } from '../../../src/core/logfile';
import { detectFormat } from '../../../src/core/formats/registry';
import type { MetricEvent } from '../../../src/core/types';
import { analyzePaths } from '../../../src/core/analyze';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { viaFile } from './byte-path-helpers';

const of = (evs: readonly MetricEvent[], name: string): MetricEvent[] => evs.filter((e) => e.name === name);
const DETECT = [
  'train/box_loss', 'train/cls_loss', 'train/dfl_loss',
  'metrics/precision(B)', 'metrics/recall(B)', 'metrics/mAP50(B)', 'metrics/mAP50-95(B)',
];
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_x, i) => a + i);

describe('ultralytics-console: real capture (INDEX entry 32)', function () {
  this.timeout(60_000);
  before(function () {
    skipWithoutRealLogs(this);
  });
  const file = (): string => realLog('ultralytics_console_yolo11l_3phase', 'yolol-phase1.md');

  it('58 epochs of three appended trainings, counters as printed, only losses and val metrics', async () => {
    const { format, events } = await viaFile(file());
    assert.equal(format, 'ultralytics-console');
    assert.deepEqual([...new Set(events.map((e) => e.name))], DETECT);
    for (const n of DETECT) assert.equal(of(events, n).length, 58, n);
    // Phase 1 20 epochs, phase 2 30, phase 3 stopped by EarlyStopping after 8 of 10.
    assert.deepEqual(of(events, 'train/box_loss').map((e) => e.epoch), [...range(1, 20), ...range(1, 30), ...range(1, 8)]);
  });

  it('train losses are the rows of the finished bars; close-mosaic jumps at phase-1 epoch 11 and phase-2 epoch 21', async () => {
    const { events } = await viaFile(file());
    const box = of(events, 'train/box_loss');
    assert.deepEqual([box[0].value, box[0].line], [0.7283, 75]);
    assert.deepEqual([box[9].value, box[10].value, box[10].epoch], [0.4773, 0.5867, 11]);
    assert.deepEqual([box[39].value, box[40].value, box[40].epoch], [0.3954, 0.5015, 21]);
    // Phase 3 closes mosaic at its start: box loss rises over its first four epochs (INDEX label).
    assert.deepEqual(box.slice(50, 54).map((e) => e.value), [0.4667, 0.496, 0.5165, 0.5231]);
  });

  it('val mAP50-95 per epoch: the best.pt validations after each phase are not epochs', async () => {
    const { events } = await viaFile(file());
    const map = of(events, 'metrics/mAP50-95(B)');
    assert.deepEqual([map[0].value, map[19].value], [0.513, 0.719]);
    assert.equal(map[20].value, 0.71); // phase 2 epoch 1, not best.pt's 0.718 printed at line 183
    assert.deepEqual(map.slice(50).map((e) => e.value), [0.707, 0.703, 0.725, 0.696, 0.705, 0.703, 0.681, 0.693]);
    assert.ok(map.every((e) => e.line !== 183 && e.line !== 419 && e.line !== 547));
    // Each val point carries the epoch of the train row it followed.
    assert.deepEqual(map.map((e) => e.epoch), of(events, 'train/box_loss').map((e) => e.epoch));
  });

  it('the CLI reads the .md named explicitly and finds nothing to warn about (no LR, no val loss)', async () => {
    const r = await analyzePaths([file()]);
    assert.deepEqual(r.files.map((f) => [f.kind, f.format, f.points]), [['log', 'ultralytics-console', 58 * 7]]);
    assert.deepEqual(r.findings.filter((f) => f.severity === 'warning' || f.severity === 'error'), []);
  });

  it('the directory walk stays by extension: the .md in its folder is not walked', async () => {
    const r = await analyzePaths([path.dirname(file())]);
    assert.deepEqual(r.files, []);
  });
});

describe('ultralytics-console: other writers and versions', () => {
  // ultralytics/yolov5 v6.0 console, peshmerge/ml_2_project yolov5/runs/terminal_output_300_epochs.md
  // @8600b5262d03daed6232ac9e7c87228349e4956b (rows of epochs 4 and 5, bars shortened).
  const YOLOV5 = [
    '     Epoch   gpu_mem       box       obj       cls    labels  img_size',
    '     4/299     4.89G   0.03861    0.0288         0         1      1280: 100%|██████████| 213/213 [06:11<00:00,  1.74s/it]',
    '               Class     Images     Labels          P          R     mAP@.5 mAP@.5:.95: 100%|██████████| 17/17 [00:24<00:00,  1.46s/it]',
    '                 all        677       2449      0.362      0.258      0.222     0.0791',
    '',
    '     Epoch   gpu_mem       box       obj       cls    labels  img_size',
    '     5/299     4.89G   0.03721   0.02712         0         1      1280: 100%|██████████| 213/213 [06:11<00:00,  1.74s/it]',
    '               Class     Images     Labels          P          R     mAP@.5 mAP@.5:.95: 100%|██████████| 17/17 [00:23<00:00,  1.40s/it]',
    '                 all        677       2449      0.532       0.24      0.253     0.0833',
  ].join('\n');
  // Ultralytics 8.4.14 segmentation output quoted in a public project's notes (search index file
  // 40730565315): `━━━` bars, Box and Mask groups, then the final validation of best.pt.
  const V84 = [
    '      Epoch    GPU_mem   box_loss   seg_loss   cls_loss   dfl_loss   sem_loss  Instances       Size',
    '     99/100      10.3G      2.548      1.089      1.283      0.918          0          2       1024: 100% ━━━━━━━━━━━━ 4/4 1.6s/it 6.3s',
    '                 Class     Images  Instances      Box(P          R      mAP50  mAP50-95)     Mask(P          R      mAP50  mAP50-95): 100% ━━━━━━━━━━━━ 1/1 7.1it/s 0.1s',
    '                   all         12         24      0.791      0.731      0.841      0.339       0.63       0.75      0.806      0.469',
    '',
    'Validating /home/u/runs/segment/weights/best.pt',
    '                 Class     Images  Instances      Box(P          R      mAP50  mAP50-95)     Mask(P          R      mAP50  mAP50-95): 100% ━━━━━━━━━━━━ 1/1 7.7it/s 0.1s',
    '                   all         12         24      0.589      0.792      0.702      0.302      0.862       0.88      0.946      0.607',
    '          divider_left         12         12      0.627       0.75       0.68      0.227       0.91      0.844      0.924      0.538',
  ].join('\n');

  it('YOLOv5 v6.0: bare box/obj/cls columns and mAP@.5 headers take the names of YOLOv5 results.csv', () => {
    const { format, events } = parseLogText('/x/terminal_output.md', YOLOV5);
    assert.equal(format, 'ultralytics-console');
    assert.deepEqual(of(events, 'train/obj_loss').map((e) => [e.epoch, e.value]), [[4, 0.0288], [5, 0.02712]]);
    assert.deepEqual(of(events, 'metrics/mAP_0.5:0.95').map((e) => [e.epoch, e.value]), [[4, 0.0791], [5, 0.0833]]);
    assert.equal(new Set(events.map((e) => e.name)).size, 7);
  });

  it('Ultralytics 8.4: five losses, Box and Mask metrics apart, the best.pt validation and per-class rows skipped', () => {
    const { events } = parseLogText('/x/capture.txt', V84);
    assert.deepEqual(of(events, 'train/seg_loss').map((e) => [e.epoch, e.value]), [[99, 1.089]]);
    assert.deepEqual(of(events, 'train/sem_loss').map((e) => e.value), [0]);
    assert.deepEqual(of(events, 'metrics/mAP50-95(B)').map((e) => e.value), [0.339]);
    assert.deepEqual(of(events, 'metrics/mAP50-95(M)').map((e) => e.value), [0.469]);
    assert.equal(events.length, 5 + 8);
  });

  it('a row whose bar has not finished is not an epoch value (a capture of bar states on separate lines)', () => {
    const text = [
      '      Epoch    GPU_mem   box_loss   cls_loss   dfl_loss  Instances       Size',
      '       1/20      5.66G     0.9120      1.901      1.402         12        640:  50%|█████     | 801/1603 [01:52<01:52,  7.12it/s]',
      '       1/20      5.66G     0.7283      1.357      1.213          6        640: 100%|██████████| 1603/1603 [03:45<00:00,  7.12it/s]',
      '       2/20      5.81G     0.7011      1.201      1.180          9        640:  10%|█         | 160/1603 [00:22<03:20,  7.20it/s]',
    ].join('\n');
    const { events } = parseLogText('/x/run.log', text);
    assert.deepEqual(of(events, 'train/box_loss').map((e) => [e.epoch, e.value, e.line]), [[1, 0.7283, 3]]);
  });

  it('carriage-return redraws: the last state of the line counts', () => {
    const header = '      Epoch    GPU_mem   box_loss   cls_loss   dfl_loss  Instances       Size\n';
    const redrawn =
      '       1/20      5.66G     0.9120      1.901      1.402         12        640:  50%|█████     | 801/1603 [01:52<01:52]\r' +
      '       1/20      5.66G     0.7283      1.357      1.213          6        640: 100%|██████████| 1603/1603 [03:45<00:00]\n';
    const { events } = parseLogText('/x/run.log', header + redrawn);
    assert.deepEqual(of(events, 'train/cls_loss').map((e) => e.value), [1.357]);
  });

  it('sniffing: the table or the banner + trainer line; a README quoting one row in prose is not enough', () => {
    const banner = 'Ultralytics 8.3.74 🚀 Python-3.10.12 torch-2.5.1+cu124 CUDA:0\nengine/trainer: task=detect, mode=train, epochs=20, lr0=0.001\n';
    assert.equal(detectFormat('/x/out.md', banner)?.id, 'ultralytics-console');
    assert.notEqual(detectFormat('/x/README.md', 'Ultralytics 8.3.74 is installed.\nloss: 0.3 epoch 3\n')?.id, 'ultralytics-console');
    assert.notEqual(detectFormat('/x/notes.md', 'The Epoch column counts epochs; GPU_mem is memory.\n')?.id, 'ultralytics-console');
  });
});
