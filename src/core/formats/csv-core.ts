/**
 * The one CSV engine behind every CSV format (Lightning, Keras, timm, Ultralytics, fastai, generic).
 * Formats differ only in which columns carry the epoch/step, which to skip, and how epochs are
 * numbered, so each format is a `CsvOptions` value.
 *
 * Hot path: the header is analysed once into per-column arrays; a data row is split with indexOf
 * and each cell parsed with a fast numeric path. No regex runs per row.
 */
import type { MetricEvent } from '../types';
import type { ParserCheckpoint, PointColumn, PointSink, SplittableParser } from './format';
import { canonicalName } from '../run/names';
import { CellNumber, parseNumber, utf8 } from './numbers';
import { EventSink, Messages } from './event';

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

export class CsvParser extends Messages implements SplittableParser {
  private header: string[] | undefined;
  private kinds: Uint8Array = new Uint8Array(0);
  private names: string[] = [];
  private epochCol = -1;
  private stepCol = -1;
  private offset: number | undefined;
  /** Scratch array of cells, reused for every row. */
  private cells: string[] = [];
  /** The sink the column writers below belong to; writers resolved once per header column. */
  private colSink: PointSink | undefined;
  private cols: (PointColumn | undefined)[] = [];
  /** Scratch for the byte path: the metric cells of the current row. */
  private rowCols = new Int32Array(64);
  private rowVals = new Float64Array(64);
  private readonly events = new EventSink();
  private readonly num = new CellNumber();

  constructor(private readonly opts: CsvOptions) {
    super();
  }

  reset(): void {
    this.header = undefined;
    this.offset = undefined;
  }

  /** The table's header and epoch offset, once a data row has decided the offset. */
  checkpoint(): ParserCheckpoint | undefined {
    if (this.header === undefined || this.offset === undefined) return undefined;
    return { header: [...this.header], offset: this.offset };
  }

  restore(state: ParserCheckpoint): void {
    const header = state.header;
    const offset = state.offset;
    if (!Array.isArray(header) || !header.every((h) => typeof h === 'string') || typeof offset !== 'number') {
      throw new TypeError('not a CSV parser checkpoint');
    }
    this.setHeader(header as string[], header.length);
    this.offset = offset;
  }

  parseLine(line: string, lineNo: number): MetricEvent[] {
    const out: MetricEvent[] = [];
    this.parseLineInto(line, lineNo, out);
    return out;
  }

  /** parseLine appending to the caller's array. */
  parseLineInto(line: string, lineNo: number, out: MetricEvent[]): void {
    this.events.out = out;
    this.parseLineTo(line, lineNo, this.events);
  }

  private column(i: number, sink: PointSink): PointColumn {
    if (this.colSink !== sink) {
      this.colSink = sink;
      this.cols = [];
    }
    let c = this.cols[i];
    if (c === undefined) {
      c = sink.column(this.names[i], (this.header as string[])[i]);
      this.cols[i] = c;
    }
    return c;
  }

  parseLineTo(line: string, lineNo: number, sink: PointSink): void {
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
    const m = n < kinds.length ? n : kinds.length;
    for (let i = 0; i < m; i++) {
      if (kinds[i] !== KIND_METRIC) continue;
      const c = cells[i];
      if (c.length === 0) continue; // Lightning's sparse rows: most cells are empty
      const v = parseNumber(c);
      if (v === undefined) continue; // `NA` (Keras), `None` (fastai), text
      this.column(i, sink).push(v, step, epoch, lineNo);
    }
  }

  /**
   * The byte path (ByteLineParser): a data row is read from the bytes — cells found and numbers
   * converted in one pass, no string per row or cell. Anything unusual about a row (header or text,
   * quotes, `nan`, words) sends that row or cell to the string path, so the points are exactly those
   * of `parseLineTo`.
   */
  parseBytes(buf: Uint8Array, start: number, end: number, firstLineNo: number, sink: PointSink): number {
    // The row reader stops on the `\n` that ends every line, so it tests no bounds; a range whose
    // last line has no `\n` (not one LineSplitter gives) reads that line on the string path.
    let stop = end;
    if (end > start && buf[end - 1] !== 10) {
      const nl = buf.lastIndexOf(10, end - 1);
      stop = nl < start ? start : nl + 1;
    }
    let lineNo = firstLineNo;
    let a = start;
    while (a < stop) {
      const e = this.header === undefined ? -1 : this.dataRow(buf, a, lineNo, sink);
      if (e < 0) {
        const le = buf.indexOf(10, a);
        this.slowLine(buf, a, le, lineNo, sink);
        a = le + 1;
      } else a = e + 1;
      lineNo++;
    }
    if (stop < end) {
      this.slowLine(buf, stop, end, lineNo, sink);
      lineNo++;
    }
    return lineNo - firstLineNo;
  }

  private slowLine(buf: Uint8Array, a: number, e: number, lineNo: number, sink: PointSink): void {
    let b = e;
    if (b > a && buf[b - 1] === 13) b--;
    if (b <= a) return;
    const line = utf8(buf, a, b);
    try {
      this.parseLineTo(line, lineNo, sink);
    } catch (err) {
      this.add(`line ${lineNo}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * Reads the data row at `a`, which a `\n` ends; returns the index of that `\n`, or -1 having pushed
   * nothing when the row must go the string path (not data-like, a quoted cell).
   */
  private dataRow(buf: Uint8Array, a: number, lineNo: number, sink: PointSink): number {
    let c = buf[a];
    if (c === 10) return a; // an empty line: skipped, as in the string path
    // Same test as the string path: a digit, `-`, `.` or an empty first cell means data.
    if (!((c >= 48 && c <= 57) || c === 45 || c === 46 || c === 44)) return -1;
    const kinds = this.kinds;
    const ncols = kinds.length;
    if (this.rowCols.length < ncols) {
      this.rowCols = new Int32Array(ncols);
      this.rowVals = new Float64Array(ncols);
    }
    const rowCols = this.rowCols;
    const rowVals = this.rowVals;
    const num = this.num;
    let nset = 0;
    let epoch: number | undefined;
    let step: number | undefined;
    let p = a;
    let col = 0;
    for (;; col++, c = buf[++p]) {
      // p is at the start of cell `col`, c = buf[p].
      if (c === 44) continue; // an empty cell (Lightning rows are mostly empty cells)
      if (c === 10) break;
      if (c === 13 && buf[p + 1] === 10) {
        p++; // an empty last cell before a CRLF (Python's csv module ends rows with `\r\n`)
        break;
      }
      const q = num.read(buf, p);
      let v = num.value;
      const t = q >= 0 ? buf[q] : 0;
      if (t === 44 || t === 10) {
        p = q;
        c = t;
      } else if (t === 13 && buf[q + 1] === 10) {
        p = q + 1;
        c = 10;
      } else {
        // Not a plain number (`nan`, `NA`, spaces, `\r` alone…): the string path's conversion of
        // the cell's text, ended by `,` or the line's end (without a CRLF's `\r`).
        const cellStart = p;
        while (c !== 44 && c !== 10) {
          if (c === 34) return -1; // quoted cells: the string path splits them
          c = buf[++p];
        }
        let ce = p;
        if (c === 10 && buf[ce - 1] === 13 && ce > cellStart) ce--;
        const cv = col < ncols ? parseNumber(utf8(buf, cellStart, ce)) : undefined;
        // Not a number (`NA`, `None`, text): no point, no epoch/step.
        if (cv === undefined) {
          if (c === 10) break;
          continue;
        }
        v = cv;
      }
      if (col < ncols) {
        const k = kinds[col];
        if (k === KIND_METRIC) {
          rowCols[nset] = col;
          rowVals[nset++] = v;
        } else if (k === KIND_EPOCH) epoch = v;
        else if (k === KIND_STEP) step = v;
      }
      if (c === 10) break;
    }
    if (this.offset === undefined) this.offset = this.opts.epochOffset(this.header as string[], epoch);
    if (epoch !== undefined) epoch -= this.offset;
    for (let i = 0; i < nset; i++) this.column(rowCols[i], sink).push(rowVals[i], step, epoch, lineNo);
    return p;
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
    this.cols = [];
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
