/**
 * fastai `CSVLogger` `history.csv`: `epoch,train_loss,valid_loss,<metrics>,time`, `None` for a
 * missing value, `time` as `mm:ss` (skipped), epoch 0-based; `fine_tune` writes a second table whose
 * header repeats and whose epochs restart at 0.
 */
import type { LineFormat } from './format';
import { CsvParser, headerColumns } from './csv-core';
import { baseName, firstLine } from './event';

export const fastaiCsv: LineFormat = {
  id: 'fastai-csv',
  kind: 'lines',
  sniff(path, head) {
    const cols = headerColumns(firstLine(head));
    if (cols[0] !== 'epoch' || !cols.includes('train_loss') || !cols.includes('valid_loss')) return 0;
    return cols[cols.length - 1] === 'time' || baseName(path) === 'history.csv' ? 0.9 : 0.75;
  },
  createParser() {
    return new CsvParser({ epochColumns: ['epoch'], stepColumns: [], skipColumns: ['time'], epochOffset: () => 0 });
  },
};
