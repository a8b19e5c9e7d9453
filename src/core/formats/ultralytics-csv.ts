/**
 * Ultralytics `results.csv` (YOLOv8/11 and YOLOv5). Three layouts:
 * - current: `epoch,time,train/box_loss,…,lr/pg0,lr/pg1,lr/pg2`, `%.6g` values, epoch **1-based**;
 * - 8.0–8.2: the same names and values right-aligned in 23-character fields (padding trimmed), no
 *   `time` column, epoch 1-based except some early 8.0.x files that start at 0;
 * - YOLOv5: padded, `x/lr0..2`, `metrics/mAP_0.5`, epoch **0-based**.
 * Epochs are kept as the file writes them (1-based in YOLOv8+, 0-based in YOLOv5), so findings use
 * the numbers the user sees in results.csv.
 */
import type { LineFormat } from './format';
import { CsvParser, headerColumns } from './csv-core';
import { baseName, firstLine } from './event';

const MARKERS = ['train/box_loss', 'lr/pg0', 'x/lr0', 'metrics/accuracy_top1', 'metrics/map50(b)', 'metrics/map_0.5'];

export const ultralyticsCsv: LineFormat = {
  id: 'ultralytics-csv',
  kind: 'lines',
  sniff(path, head) {
    const cols = headerColumns(firstLine(head));
    if (cols[0] !== 'epoch') return 0;
    if (cols.some((c) => MARKERS.includes(c))) return 0.95;
    if (cols.includes('train/loss') && cols.includes('val/loss')) return baseName(path) === 'results.csv' ? 0.9 : 0.7;
    return 0;
  },
  createParser() {
    return new CsvParser({
      epochColumns: ['epoch'],
      stepColumns: [],
      skipColumns: ['time'],
      // Epochs as written (1-based in YOLOv8+, 0-based in YOLOv5): findings speak the file's numbering.
      epochOffset() {
        return 0;
      },
    });
  },
};
