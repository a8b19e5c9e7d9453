/**
 * Any other CSV with a header row. The epoch column (`epoch`, `ep`) is taken as 0-based as written;
 * a step column is any of `step`, `global_step`, `iteration`, `iter`, `steps`.
 */
import type { LineFormat } from './format';
import { CsvParser, looksLikeCsvHeader } from './csv-core';
import { baseName, firstLine } from './event';

export const genericCsv: LineFormat = {
  id: 'generic-csv',
  kind: 'lines',
  sniff(path, head) {
    if (!looksLikeCsvHeader(firstLine(head))) return 0;
    return baseName(path).endsWith('.csv') ? 0.4 : 0.25;
  },
  createParser() {
    return new CsvParser({
      epochColumns: ['epoch', 'ep', 'epochs'],
      stepColumns: ['step', 'global_step', 'iteration', 'iter', 'steps', '_step'],
      skipColumns: ['time', 'timestamp', 'wall_time', '_timestamp', '_runtime', 'elapsed', 'date'],
      epochOffset: () => 0,
    });
  },
};
