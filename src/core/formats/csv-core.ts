/**
 * The one CSV engine behind every CSV format (Lightning, Keras, timm, Ultralytics, fastai, generic).
 * Formats differ only in which columns carry the epoch/step, which to skip, and how epochs are
 * numbered, so each format is a `CsvOptions` value.
 *
 * Hot path: the header is analysed once into per-column arrays; a data row is split with indexOf
 * and each cell parsed with a fast numeric path. No regex runs per row.
 */
import type { MetricEvent } from '../types';
import type { ByteLineParser, PointColumn, PointSink } from './format';
import { canonicalName } from '../run/names';
import { latin1, longDigits, parseNumber, POW10_EXACT as POW10, utf8 } from './numbers';
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

export class CsvParser extends Messages implements ByteLineParser {
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
   * quotes, spaces, `nan`, numbers beyond the exact fast conversion) sends that row or cell to the
   * string path, so the points are exactly those of `parseLineTo`.
   */
  parseBytes(buf: Uint8Array, start: number, end: number, firstLineNo: number, sink: PointSink): number {
    let lineNo = firstLineNo;
    let a = start;
    let lines = 0;
    while (a < end) {
      // Find the end of the line while reading it: `e` ends up at its `\n` (or `end`).
      const e = this.header === undefined ? lineEnd(buf, a, end) : this.dataRow(buf, a, end, lineNo, sink);
      if (e < 0) {
        // Not a plain data row: the string path, on the line as LineSplitter would deliver it.
        const le = lineEnd(buf, a, end);
        this.slowLine(buf, a, le, lineNo, sink);
        a = le + 1;
      } else {
        if (this.header === undefined) this.slowLine(buf, a, e, lineNo, sink);
        a = e + 1;
      }
      lines++;
      lineNo++;
    }
    return lines;
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
   * Reads one data row at `a`; returns the index of its `\n` (or `end`), or -1 when the row must go
   * the string path (not data-like, a quote, a cell the fast conversion does not take exactly).
   */
  private dataRow(buf: Uint8Array, a: number, end: number, lineNo: number, sink: PointSink): number {
    const c0 = a < end ? buf[a] : 10;
    // Same test as the string path: a digit, `-`, `.` or an empty first cell means data.
    if (c0 === 10) return a; // an empty line: skipped, as in the string path
    if (!((c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 46 || c0 === 44)) return -1;
    const kinds = this.kinds;
    const ncols = kinds.length;
    let rowCols = this.rowCols;
    let rowVals = this.rowVals;
    if (rowCols.length < ncols) {
      rowCols = this.rowCols = new Int32Array(ncols);
      rowVals = this.rowVals = new Float64Array(ncols);
    }
    let nset = 0;
    let epoch: number | undefined;
    let step: number | undefined;
    let p = a;
    let col = 0;
    for (;;) {
      // p is at the start of cell `col`.
      let c = p < end ? buf[p] : 10;
      if (c === 44 || c === 10) {
        // empty cell
      } else if (c === 13 && (p + 1 >= end || buf[p + 1] === 10)) {
        // empty last cell before `\r\n`
        p++;
        c = 10;
      } else {
        // A number: [+-]? digits [. digits] [(e|E) [+-] digits], exactly converted when the
        // significand fits 2^53 and the power of ten is within 10^±22 (one correctly rounded
        // operation on two exact doubles, the same result as the engine's conversion).
        const cellStart = p;
        let neg = false;
        if (c === 45 || c === 43) {
          neg = c === 45;
          p++;
          c = p < end ? buf[p] : 10;
        }
        let mant = 0;
        let nd = 0;
        let frac = 0;
        while (c >= 48 && c <= 57) {
          mant = mant * 10 + (c - 48);
          nd++;
          p++;
          c = p < end ? buf[p] : 10;
        }
        if (c === 46) {
          p++;
          c = p < end ? buf[p] : 10;
          while (c >= 48 && c <= 57) {
            mant = mant * 10 + (c - 48);
            nd++;
            frac++;
            p++;
            c = p < end ? buf[p] : 10;
          }
        }
        let exp = 0;
        // Well formed: digits, then an exponent with 1–6 digits if any.
        let ok = nd > 0;
        if (ok && (c === 101 || c === 69)) {
          p++;
          c = p < end ? buf[p] : 10;
          let eneg = false;
          if (c === 45 || c === 43) {
            eneg = c === 45;
            p++;
            c = p < end ? buf[p] : 10;
          }
          let ed = 0;
          while (c >= 48 && c <= 57) {
            if (ed < 6) exp = exp * 10 + (c - 48);
            ed++;
            p++;
            c = p < end ? buf[p] : 10;
          }
          if (ed === 0 || ed > 6) ok = false;
          if (eneg) exp = -exp;
        }
        if (c === 13 && (p + 1 >= end || buf[p + 1] === 10)) {
          p++;
          c = 10;
        }
        if (c !== 44 && c !== 10) ok = false;
        let v = 0;
        if (ok) {
          const e10 = exp - frac;
          if (mant <= 9007199254740991 && e10 >= -22 && e10 <= 22) {
            if (mant === 0) v = 0;
            else if (e10 === 0) v = mant;
            else if (e10 < 0) v = mant / POW10[-e10];
            else v = mant * POW10[e10];
          } else {
            // More digits than 2^53 holds (a float32's 17-digit repr) or a power of ten beyond
            // 10^±22: the exact double-double conversion, else the engine's on the ASCII text
            // (which `parseNumber` would also use: no spaces, hex or words here).
            v = nd <= 27 && e10 >= -22 && e10 <= 22 ? longDigits(buf, cellStart, nd, e10) : NaN;
            if (v !== v) {
              let ce = p;
              if (c === 10 && ce > cellStart && buf[ce - 1] === 13) ce--;
              v = Math.abs(+latin1(buf, cellStart, ce));
            }
          }
          if (neg) v = -v;
        }
        if (!ok) {
          // Another token: to the end of the cell, then the engine's conversion on its text.
          while (c !== 44 && c !== 10) {
            if (c === 34) return -1; // quoted cells: the string path splits them
            p++;
            c = p < end ? buf[p] : 10;
          }
          let ce = p;
          if (c === 10 && ce > cellStart && buf[ce - 1] === 13) ce--;
          const cv = col < ncols ? parseNumber(utf8(buf, cellStart, ce)) : undefined;
          if (cv === undefined) {
            // Not a number (`NA`, `None`, text): no point, no epoch/step.
            if (c === 10) break;
            p++;
            col++;
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
      }
      if (c === 10) break;
      p++;
      col++;
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

/** Index of the `\n` ending the line at `a` (or `end`). */
function lineEnd(buf: Uint8Array, a: number, end: number): number {
  const i = buf.indexOf(10, a);
  return i < 0 || i > end ? end : i;
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
