/**
 * YOLOv5 (v1.0–v5.0) and YOLOv7 `results.txt`: one row per epoch, 15 whitespace-padded fields and no
 * header. The writer (ultralytics/yolov5 train.py @v5.0 f5b8f7d5, lines 325 and 369; the same code in
 * WongKinYiu/yolov7 train.py @a207844b, lines 386 and 431):
 *   s = ('%10s' * 2 + '%10.4g' * 6) % ('%g/%g' % (epoch, epochs - 1), mem, *mloss, targets.shape[0], imgs.shape[-1])
 *   f.write(s + '%10.4g' * 7 % results + '\n')  # results = P, R, mAP@.5, mAP@.5-.95, val_loss(box, obj, cls)
 * with mloss = mean train (box, obj, cls, total) over the epoch. Column order as `plot_results` reads it
 * (utils/plots.py @v5.0: usecols=[2, 3, 4, 8, 9, 12, 13, 14, 10, 11] → Box, Objectness,
 * Classification, Precision, Recall, val Box, val Objectness, val Classification, mAP@0.5,
 * mAP@0.5:0.95). v1.0 named the box loss GIoU; the column is the same.
 *
 * Names are those of the results.csv that replaced this file in YOLOv5 v6 (`train/box_loss`,
 * `metrics/mAP_0.5`, `val/obj_loss`, …), so both read alike. Skipped: the GPU memory, the total train
 * loss (the sum of the three components, which results.csv does not have either), the label count
 * and the image size of the last batch. The epoch is the `k` of `k/N`, 0-based as written. No LR is
 * logged in this file.
 */
import type { MetricEvent } from '../types';
import type { LineFormat, LineParser } from './format';
import { canonicalName } from '../run/names';
import { parseNumber } from './numbers';
import { ev, headLines } from './event';

/** Column index → name (undefined: not a metric). */
const COLUMNS: ReadonlyArray<string | undefined> = [
  undefined, // epoch `k/N`
  undefined, // GPU memory `7.37G`
  'train/box_loss',
  'train/obj_loss',
  'train/cls_loss',
  undefined, // total = box + obj + cls
  undefined, // labels in the last batch
  undefined, // image size
  'metrics/precision',
  'metrics/recall',
  'metrics/mAP_0.5',
  'metrics/mAP_0.5:0.95',
  'val/box_loss',
  'val/obj_loss',
  'val/cls_loss',
];

/** The fields of a results.txt row, or undefined when the line is not one. */
function row(line: string): { epoch: number; values: number[] } | undefined {
  const f = line.trim().split(/\s+/);
  if (f.length !== COLUMNS.length) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(f[0]);
  if (!m || Number(m[1]) > Number(m[2])) return undefined;
  if (!/^\d+(?:\.\d+)?[KMG]?$/.test(f[1])) return undefined;
  const values: number[] = [];
  for (let i = 2; i < f.length; i++) {
    const v = parseNumber(f[i]);
    if (v === undefined) return undefined;
    values.push(v);
  }
  return { epoch: Number(m[1]), values };
}

class YoloResultsTxtParser implements LineParser {
  private readonly names = COLUMNS.map((c) => (c === undefined ? undefined : canonicalName(c)));

  parseLine(line: string, lineNo: number): MetricEvent[] {
    const r = row(line);
    if (!r) return [];
    const out: MetricEvent[] = [];
    for (let i = 2; i < COLUMNS.length; i++) {
      const raw = COLUMNS[i];
      const name = this.names[i];
      if (raw !== undefined && name !== undefined) out.push(ev(name, raw, r.values[i - 2], undefined, r.epoch, lineNo));
    }
    return out;
  }
}

export const yoloResultsTxt: LineFormat = {
  id: 'yolo-results-txt',
  kind: 'lines',
  sniff(_path, head) {
    const lines = headLines(head, 21);
    // Judge complete lines only: the head may end inside one.
    if (lines.length > 1 && (lines.length === 21 || !head.endsWith('\n'))) lines.pop();
    const rows = lines.filter((l) => l.trim().length > 0);
    if (rows.length === 0) return 0;
    return rows.every((l) => row(l) !== undefined) ? 0.9 : 0;
  },
  createParser() {
    return new YoloResultsTxtParser();
  },
};
