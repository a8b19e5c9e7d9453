/**
 * The one CSV engine behind every CSV format (Lightning, Keras, timm, Ultralytics, fastai, generic).
 * Formats differ only in which columns carry the epoch/step, which to skip, and how epochs are
 * numbered, so each format is a `CsvOptions` value.
 *
 * Hot path: the header is analysed once into per-column arrays; a data row is split with indexOf
 * and each cell parsed with a fast numeric path. No regex runs per row.
 */
import type { MetricEvent } from '../types';
import type { LineParser } from './format';
import { canonicalName } from '../run/names';
import { parseNumber } from './numbers';
import { ev, Messages } from './event';

export interface CsvOptions {
  /** Column names (trimmed, case-insensitive) holding the epoch; the first present wins. */
  epochColumns: readonly string[];
  /** Column names holding the global step / iteration. */
  stepColumns: readonly string[];
  /** Columns that are never metrics (wall time, …). */
  skipColumns: readonly string[];
  /**
   * What to subtract from the written epoch to make it 0-based, decided once per table from the
   * header and the first data row's epoch (undefined when that row has none).
   */
  epochOffset(header: readonly string[], firstEpoch: number | undefined): number;
  /** Renames a column before canonical mapping (e.g. Ultralytics padding is already trimmed). */
  rename?(name: string): string;
}

const KIND_METRIC = 0;
const KIND_EPOCH = 1;
const KIND_STEP = 2;
const KIND_SKIP = 3;

export class CsvParser extends Messages implements LineParser {
  private header: string[] | undefined;
  private kinds: Uint8Array = new Uint8Array(0);
  private names: string[] = [];
  private epochCol = -1;
  private stepCol = -1;
  private offset: number | undefined;
  /** Scratch array of cells, reused for every row. */
  private cells: string[] = [];

  constructor(private readonly opts: CsvOptions) {
    super();
  }

  reset(): void {
    this.header = undefined;
    this.offset = undefined;
  }

  parseLine(line: string, lineNo: number): MetricEvent[] {
    const out: MetricEvent[] = [];
    this.parseLineInto(line, lineNo, out);
    return out;
  }

  /** parseLine appending to the caller's array (LogFile's hot path: no array per line). */
  parseLineInto(line: string, lineNo: number, out: MetricEvent[]): void {
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    if (end === 0) return;
    const n = split(line, end, this.cells);
    const cells = this.cells;
    const header = this.header;
    const c0 = cells[0].charCodeAt(0);
    // Rows starting with a digit, sign, dot or an empty cell are data: skip the header test.
    const dataLike = (c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 46 || c0 !== c0;
    if (!header || (!dataLike && isHeaderRow(cells, n))) {
      if (isHeaderRow(cells, n)) this.setHeader(cells, n);
      else if (!header) this.add(`line ${lineNo}: data row before any CSV header, skipped`);
      return;
    }
    let epoch: number | undefined;
    let step: number | undefined;
    if (this.epochCol >= 0 && this.epochCol < n) epoch = parseNumber(cells[this.epochCol]);
    if (this.offset === undefined) this.offset = this.opts.epochOffset(header, epoch);
    if (epoch !== undefined) epoch -= this.offset;
    if (this.stepCol >= 0 && this.stepCol < n) step = parseNumber(cells[this.stepCol]);
    const kinds = this.kinds;
    const names = this.names;
    const m = n < kinds.length ? n : kinds.length;
    for (let i = 0; i < m; i++) {
      if (kinds[i] !== KIND_METRIC) continue;
      const c = cells[i];
      if (c.length === 0) continue; // Lightning's sparse rows: most cells are empty
      const v = parseNumber(c);
      if (v === undefined) continue; // `NA` (Keras), `None` (fastai), text
      out.push(ev(names[i], header[i], v, step, epoch, lineNo));
    }
  }

  private setHeader(cells: string[], n: number): void {
    const header: string[] = [];
    const kinds = new Uint8Array(n);
    const names: string[] = [];
    this.epochCol = -1;
    this.stepCol = -1;
    const lower: string[] = [];
    for (let i = 0; i < n; i++) {
      const h = cells[i].trim();
      header.push(h);
      lower.push(h.toLowerCase());
    }
    this.epochCol = firstIndex(lower, this.opts.epochColumns);
    this.stepCol = firstIndex(lower, this.opts.stepColumns);
    for (let i = 0; i < n; i++) {
      if (i === this.epochCol) kinds[i] = KIND_EPOCH;
      else if (i === this.stepCol) kinds[i] = KIND_STEP;
      else if (this.opts.skipColumns.includes(lower[i]) || header[i] === '') kinds[i] = KIND_SKIP;
      const renamed = this.opts.rename ? this.opts.rename(header[i]) : header[i];
      names.push(canonicalName(renamed));
    }
    this.header = header;
    this.kinds = kinds;
    this.names = names;
    this.offset = undefined;
  }
}

function firstIndex(lower: readonly string[], wanted: readonly string[]): number {
  for (const w of wanted) {
    const i = lower.indexOf(w);
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * A header row: every cell non-empty and none of them a number. (Data rows always carry at least
 * one number; Lightning rows always have `step`.) Repeated headers (fastai `fine_tune`, a resumed
 * timm run, Keras `append=True`) are detected the same way.
 */
function isHeaderRow(cells: readonly string[], n: number): boolean {
  if (n < 1) return false;
  let named = 0;
  for (let i = 0; i < n; i++) {
    const c = cells[i];
    if (c.length === 0) return false;
    const t = c.trim();
    if (t.length === 0) return false;
    if (parseNumber(t) !== undefined) return false;
    if (t === 'NA' || t === 'None' || t === '#na#') return false;
    named++;
  }
  return named >= 1 && (n >= 2 || /^[A-Za-z_]/.test(cells[0].trim()));
}

/** Splits `line[0:end]` on commas into `out`; handles `"…"` quoting (Keras writes `"[a, b]"`). */
export function split(line: string, end: number, out: string[]): number {
  let n = 0;
  if (line.indexOf('"') < 0) {
    let a = 0;
    for (;;) {
      let b = line.indexOf(',', a);
      if (b < 0 || b > end) b = end;
      out[n++] = line.slice(a, b);
      if (b >= end) break;
      a = b + 1;
    }
    if (out.length > n * 2 + 64) out.length = n;
    return n;
  }
  let cur = '';
  let q = false;
  let a = 0;
  for (let i = 0; i < end; i++) {
    const c = line.charCodeAt(i);
    if (q) {
      if (c === 34) {
        if (i + 1 < end && line.charCodeAt(i + 1) === 34) {
          cur += line.slice(a, i + 1);
          i++;
          a = i + 1;
        } else {
          cur += line.slice(a, i);
          q = false;
          a = i + 1;
        }
      }
    } else if (c === 34) {
      cur += line.slice(a, i);
      q = true;
      a = i + 1;
    } else if (c === 44) {
      out[n++] = cur + line.slice(a, i);
      cur = '';
      a = i + 1;
    }
  }
  out[n++] = cur + line.slice(a, end);
  return n;
}

/** Splits the first line of a sniffed head into trimmed, lower-cased column names. */
export function headerColumns(line: string): string[] {
  const cells: string[] = [];
  const n = split(line, line.length, cells);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(cells[i].trim().toLowerCase());
  return out;
}

/** True when `line` looks like a CSV header (≥ 2 named columns, no numbers). */
export function looksLikeCsvHeader(line: string): boolean {
  if (line.indexOf(',') < 0 || line.length > 100_000) return false;
  const cells: string[] = [];
  const n = split(line, line.length, cells);
  return n >= 2 && isHeaderRow(cells, n);
}
