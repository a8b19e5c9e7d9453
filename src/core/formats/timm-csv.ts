/**
 * timm `train.py` `summary.csv`: `epoch` (0-based), `train_<k>`, `eval_<k>` (`eval_top1` in percent),
 * `lr` (mean over parameter groups). A resumed run may append a second header mid-file.
 */
import type { LineFormat } from './format';
import { CsvParser, headerColumns } from './csv-core';
import { baseName, firstLine } from './event';

export const timmCsv: LineFormat = {
  id: 'timm-csv',
  kind: 'lines',
  sniff(path, head) {
    const cols = headerColumns(firstLine(head));
    if (cols[0] !== 'epoch' || !cols.includes('train_loss')) return 0;
    const evalCols = cols.some((c) => c.startsWith('eval_'));
    if (!evalCols && !cols.includes('lr')) return 0;
    return baseName(path) === 'summary.csv' ? 0.95 : evalCols ? 0.8 : 0.5;
  },
  createParser() {
    return new CsvParser({ epochColumns: ['epoch'], stepColumns: [], skipColumns: [], epochOffset: () => 0 });
  },
};
