/**
 * Tab-separated tables with a header row, above all the `Logger` of bearpaw/pytorch-classification
 * (`log.txt`), which many research forks kept. Its writer (utils/logger.py @24f1c456): `set_names`
 * writes each name followed by `\t`, then `\n`; `append` writes `"{0:.6f}".format(num)` + `\t` per
 * column, so every line ends with a tab (an empty last cell, ignored here). Its scripts call `append`
 * once per epoch (cifar.py: `for epoch in range(start_epoch, args.epochs): … logger.append([state['lr'],
 * train_loss, test_loss, train_acc, test_acc])`), and a resumed run appends rows to the same table; so
 * a row's index in its table is its 0-based epoch. A table with an `epoch` column uses that column, as
 * written, instead. A header line later in the file starts a new table (a run appended after another).
 *
 * Names: `Learning Rate` → lr, `Train Loss` → train_loss, `Valid Loss` → val_loss through the usual
 * aliases; the trailing `.` of `Train Acc.` / `Valid Acc.` is dropped before the lookup (the raw name
 * keeps it).
 */
import type { MetricEvent } from '../types';
import type { LineFormat, LineParser } from './format';
import { canonicalName } from '../run/names';
import { parseNumber } from './numbers';
import { baseName, ev, headLines } from './event';

const EPOCH_COLUMNS = new Set(['epoch', 'ep', 'epochs']);
const STEP_COLUMNS = new Set(['step', 'global_step', 'iteration', 'iter', 'steps']);
const SKIP_COLUMNS = new Set(['time', 'timestamp', 'wall_time', 'elapsed', 'date', 'data_time']);
/** The header names bearpaw's scripts pass to `set_names` (cifar.py, imagenet.py). */
const LOGGER_NAMES = new Set(['learning rate', 'train loss', 'valid loss', 'train acc.', 'valid acc.']);

/** The cells of a tab-separated line, without the empty cell after a trailing tab. */
function cells(line: string): string[] {
  const out = line.split('\t');
  if (out.length > 1 && out[out.length - 1].trim() === '') out.pop();
  return out;
}

/** A header: two or more cells, each a name (a letter somewhere, not a number). */
function isHeader(cs: readonly string[]): boolean {
  if (cs.length < 2) return false;
  for (const c of cs) {
    const t = c.trim();
    if (t.length === 0 || t.length > 100 || parseNumber(t) !== undefined || !/[A-Za-z]/.test(t)) return false;
  }
  return true;
}

/** The values of a data row for a header of `n` columns (n cells, each a number or empty), else undefined. */
function rowValues(cs: readonly string[], n: number): Array<number | undefined> | undefined {
  if (cs.length !== n) return undefined;
  const out: Array<number | undefined> = [];
  let numbers = 0;
  for (const c of cs) {
    const t = c.trim();
    if (t.length === 0) {
      out.push(undefined);
      continue;
    }
    const v = parseNumber(t);
    if (v === undefined) return undefined;
    out.push(v);
    numbers++;
  }
  return numbers > 0 ? out : undefined;
}

function isRow(cs: readonly string[], n: number): boolean {
  return rowValues(cs, n) !== undefined;
}

interface Column {
  name: string;
  raw: string;
  kind: 'metric' | 'epoch' | 'step' | 'skip';
}

class TsvParser implements LineParser {
  private columns: Column[] | undefined;
  private row = 0;

  reset(): void {
    this.columns = undefined;
    this.row = 0;
  }

  parseLine(line: string, lineNo: number): MetricEvent[] {
    const s = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (s.indexOf('\t') < 0) return [];
    const cs = cells(s);
    if (isHeader(cs)) {
      this.columns = cs.map(column);
      this.row = 0;
      return [];
    }
    const cols = this.columns;
    const values = cols ? rowValues(cs, cols.length) : undefined;
    if (!cols || !values) return [];
    let epoch: number | undefined = this.row;
    let step: number | undefined;
    for (let i = 0; i < cols.length; i++) {
      if (cols[i].kind === 'epoch') epoch = values[i];
      else if (cols[i].kind === 'step') step = values[i];
    }
    this.row++;
    const out: MetricEvent[] = [];
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      const v = values[i];
      if (c.kind === 'metric' && v !== undefined) out.push(ev(c.name, c.raw, v, step, epoch, lineNo));
    }
    return out;
  }
}

function column(cell: string): Column {
  const raw = cell.trim();
  const key = raw.toLowerCase();
  if (EPOCH_COLUMNS.has(key)) return { name: 'epoch', raw, kind: 'epoch' };
  if (STEP_COLUMNS.has(key)) return { name: 'step', raw, kind: 'step' };
  if (SKIP_COLUMNS.has(key)) return { name: raw, raw, kind: 'skip' };
  const canonical = canonicalName(raw.replace(/\.+$/, ''));
  return { name: canonical === raw.replace(/\.+$/, '') ? raw : canonical, raw, kind: 'metric' };
}

export const tsvTable: LineFormat = {
  id: 'tsv',
  kind: 'lines',
  sniff(path, head) {
    const all = headLines(head, 21);
    // The last line of the head may be cut short (a line being written, or the end of the sniffed
    // bytes): judge only complete lines.
    if (all.length > 1 && (all.length === 21 || !head.endsWith('\n'))) all.pop();
    const lines = all.filter((l) => l.length > 0);
    if (lines.length === 0 || lines[0].indexOf('\t') < 0) return 0;
    let header = cells(lines[0]);
    if (!isHeader(header)) return 0;
    const logger = header.filter((c) => LOGGER_NAMES.has(c.trim().toLowerCase())).length >= 2;
    // Every other line is a row of the current table or the header of the next one.
    let rows = 0;
    for (let i = 1; i < lines.length; i++) {
      const cs = cells(lines[i]);
      if (isRow(cs, header.length)) rows++;
      else if (lines[i].indexOf('\t') >= 0 && isHeader(cs)) header = cs;
      else return 0;
    }
    // A header alone (a run that has not finished its first epoch yet) is enough for the Logger's
    // own names; any other table needs rows.
    if (logger) return 0.8;
    if (rows === 0) return 0;
    return baseName(path).endsWith('.tsv') ? 0.5 : 0.3;
  },
  createParser() {
    return new TsvParser();
  },
};
