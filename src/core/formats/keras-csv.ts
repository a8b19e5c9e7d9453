/**
 * Keras CSVLogger (any file name, often `training.log`): header `epoch,<sorted keys>`, one row per
 * epoch, `NA` for missing values, `epoch` 0-based as written.
 */
import type { LineFormat } from './format';
import { CsvParser, headerColumns } from './csv-core';
import { firstLine } from './event';

const KERAS_KEYS = ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'acc', 'val_acc', 'lr', 'learning_rate'];

export const kerasCsv: LineFormat = {
  id: 'keras-csv',
  kind: 'lines',
  sniff(_path, head) {
    const cols = headerColumns(firstLine(head));
    if (cols.length < 2 || cols[0] !== 'epoch' || cols.includes('step')) return 0;
    // Keras writes bare `loss` (Keras ≥ 2) and no `train_` prefix.
    if (!cols.includes('loss')) return 0;
    const known = cols.filter((c) => KERAS_KEYS.includes(c)).length;
    let s = known >= 2 ? 0.85 : 0.6;
    if (/\bNA\b/.test(head)) s += 0.05;
    return s;
  },
  createParser() {
    return new CsvParser({ epochColumns: ['epoch'], stepColumns: [], skipColumns: [], epochOffset: () => 0 });
  },
};
