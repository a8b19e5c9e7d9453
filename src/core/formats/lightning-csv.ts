/**
 * PyTorch Lightning CSVLogger `metrics.csv`: sparse rows (train-step, val-epoch and train-epoch rows
 * are separate lines), empty cells, `lr-<Optimizer>` columns whose rows have an empty `epoch`, and a
 * header rewritten mid-run when a new key appears (the tail sees the rewrite as a reset). `epoch` is
 * Lightning's `current_epoch`, already 0-based; `step` is the global step.
 */
import type { LineFormat } from './format';
import { CsvParser, headerColumns } from './csv-core';
import { baseName, firstLine } from './event';

export const lightningCsv: LineFormat = {
  id: 'lightning-csv',
  kind: 'lines',
  sniff(path, head) {
    const cols = headerColumns(firstLine(head));
    if (cols.length < 2) return 0;
    const hasStep = cols.includes('step');
    const hasEpoch = cols.includes('epoch');
    const isMetricsCsv = baseName(path) === 'metrics.csv';
    if (cols.some((c) => c.startsWith('lr-')) && hasStep) return 0.95;
    if (hasStep && hasEpoch) return isMetricsCsv ? 0.9 : 0.7;
    if (hasStep && isMetricsCsv) return 0.6;
    return 0;
  },
  createParser() {
    return new CsvParser({
      epochColumns: ['epoch'],
      stepColumns: ['step'],
      skipColumns: [],
      epochOffset: () => 0,
    });
  },
};
