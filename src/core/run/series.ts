/**
 * A metric series in fixed-size chunks of typed arrays: no per-point object, no doubling slack and no
 * copy of what is already stored as the series grows (a chunk is filled, then the next one starts).
 *
 * Per point, the value is kept as a Float64 (8 B). Step, epoch, line and file change little from point
 * to point, so each of them is stored per chunk in the narrowest encoding that holds every point of
 * the chunk exactly (`PackedColumn`): one number for a constant (the file, an absent epoch), a start
 * and a stride for an arithmetic run (a step every 10 iterations, a CSV row per point), else 1, 2 or 4
 * byte offsets from a chunk base (lines, epochs, irregular steps), else raw Float64. A chunk's
 * encoding only ever widens, at most five times, so a push stays O(1) amortised. A typical training
 * series costs 10–13 B per point instead of 30 B plus up to 2× growth slack.
 *
 * Decoding is exact: an encoding is used only when `base + offset` (or `base + j·stride`) gives back
 * the very double that was pushed, NaN included (a reserved offset) and −0 excluded (stored raw).
 */

/** Points per full chunk (2^SHIFT). */
const SHIFT = 12;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
/** Capacity of a series' first chunk; it doubles up to CHUNK, so small series stay small. */
const FIRST = 16;

const M_CONST = 0;
const M_ARITH = 1;
const M_I8 = 2;
const M_I16 = 3;
const M_I32 = 4;
const M_F64 = 5;

/** Largest |offset| per encoding; the most negative value of each integer type stands for NaN. */
const LIMIT = [0, 0, 127, 32767, 2147483647, 0];
const NAN8 = -128;
const NAN16 = -32768;
const NAN32 = -2147483648;

type Offsets = Int8Array | Int16Array | Int32Array | Float64Array;

function negZero(x: number): boolean {
  return x === 0 && 1 / x < 0;
}

function same(a: number, b: number): boolean {
  // Exact identity of doubles: NaN equals NaN, 0 differs from −0.
  return a === b ? a !== 0 || 1 / a === 1 / b : a !== a && b !== b;
}

/**
 * One numeric attribute of every point of a series, encoded per chunk (see the file comment).
 * Chunk `c` holds entries [c·CHUNK, c·CHUNK + its count).
 */
export class PackedColumn {
  private readonly mode: number[] = [];
  private readonly base: number[] = [];
  private readonly stride: number[] = [];
  private readonly data: (Offsets | null)[] = [];
  /** The last chunk's mode, base, stride and offsets, for `put`. */
  private tm = -1;
  private tb = 0;
  private ts = 0;
  private t8: Int8Array | null = null;
  private t16: Int16Array | null = null;

  get(i: number): number {
    const c = i >>> SHIFT;
    switch (this.mode[c]) {
      case M_CONST:
        return this.base[c];
      case M_ARITH:
        return this.base[c] + (i & MASK) * this.stride[c];
      case M_I8: {
        const o = (this.data[c] as Int8Array)[i & MASK];
        return o === NAN8 ? NaN : this.base[c] + o;
      }
      case M_I16: {
        const o = (this.data[c] as Int16Array)[i & MASK];
        return o === NAN16 ? NaN : this.base[c] + o;
      }
      case M_I32: {
        const o = (this.data[c] as Int32Array)[i & MASK];
        return o === NAN32 ? NaN : this.base[c] + o;
      }
      default:
        return (this.data[c] as Float64Array)[i & MASK];
    }
  }

  /** Decodes entries [a, b) into `out` from index 0, one tight loop per chunk encoding. */
  decode(a: number, b: number, out: Float64Array): void {
    let i = a;
    let o = 0;
    while (i < b) {
      const c = i >>> SHIFT;
      const j0 = i & MASK;
      const n = Math.min(b - i, CHUNK - j0);
      const base = this.base[c];
      switch (this.mode[c]) {
        case M_CONST:
          out.fill(base, o, o + n);
          break;
        case M_ARITH: {
          const st = this.stride[c];
          for (let k = 0; k < n; k++) out[o + k] = base + (j0 + k) * st;
          break;
        }
        case M_I8: {
          const d = this.data[c] as Int8Array;
          for (let k = 0; k < n; k++) {
            const x = d[j0 + k];
            out[o + k] = x === NAN8 ? NaN : base + x;
          }
          break;
        }
        case M_I16: {
          const d = this.data[c] as Int16Array;
          for (let k = 0; k < n; k++) {
            const x = d[j0 + k];
            out[o + k] = x === NAN16 ? NaN : base + x;
          }
          break;
        }
        case M_I32: {
          const d = this.data[c] as Int32Array;
          for (let k = 0; k < n; k++) {
            const x = d[j0 + k];
            out[o + k] = x === NAN32 ? NaN : base + x;
          }
          break;
        }
        default:
          out.set((this.data[c] as Float64Array).subarray(j0, j0 + n), o);
      }
      i += n;
      o += n;
    }
  }

  /** Stores `v` as entry `j` of chunk `c`, whose entries [0, j) are set and whose capacity is `cap`. */
  put(c: number, j: number, v: number, cap: number): void {
    // Hot path: the last chunk keeps its encoding (the common cases, mirrored in the tail fields).
    if (j !== 0) {
      const m = this.tm;
      if (m === M_CONST) {
        const b = this.tb;
        if (v === b ? v !== 0 || 1 / v === 1 / b : v !== v && b !== b) return;
      } else if (v === 0) {
        // ±0 in an offset or arithmetic encoding: the slow path tells them apart
      } else if (m === M_ARITH) {
        if (this.tb + j * this.ts === v) return;
      } else if (m === M_I16) {
        const o = v - this.tb;
        if (o >= -32767 && o <= 32767 && (o | 0) === o && this.tb + o === v) {
          (this.t16 as Int16Array)[j] = o;
          return;
        }
      } else if (m === M_I8) {
        const o = v - this.tb;
        if (o >= -127 && o <= 127 && (o | 0) === o && this.tb + o === v) {
          (this.t8 as Int8Array)[j] = o;
          return;
        }
      }
    }
    this.putSlow(c, j, v, cap);
    this.tm = this.mode[c];
    this.tb = this.base[c];
    this.ts = this.stride[c];
    const d = this.data[c];
    this.t8 = d instanceof Int8Array ? d : null;
    this.t16 = d instanceof Int16Array ? d : null;
  }

  private putSlow(c: number, j: number, v: number, cap: number): void {
    if (j === 0) {
      this.mode[c] = M_CONST;
      this.base[c] = v;
      this.stride[c] = 0;
      this.data[c] = null;
      return;
    }
    const b = this.base[c];
    switch (this.mode[c]) {
      case M_CONST:
        if (same(v, b)) return;
        if (j === 1 && v === v && b === b && !negZero(v) && !negZero(b)) {
          const s = v - b;
          if (b + s === v) {
            this.mode[c] = M_ARITH;
            this.stride[c] = s;
            return;
          }
        }
        break;
      case M_ARITH:
        if (b + j * this.stride[c] === v && !negZero(v)) return;
        break;
      case M_I8: {
        if (v !== v) {
          (this.data[c] as Int8Array)[j] = NAN8;
          return;
        }
        const o = v - b;
        if (o >= -127 && o <= 127 && b + o === v && (o | 0) === o && !negZero(v)) {
          (this.data[c] as Int8Array)[j] = o;
          return;
        }
        break;
      }
      case M_I16: {
        if (v !== v) {
          (this.data[c] as Int16Array)[j] = NAN16;
          return;
        }
        const o = v - b;
        if (o >= -32767 && o <= 32767 && b + o === v && (o | 0) === o && !negZero(v)) {
          (this.data[c] as Int16Array)[j] = o;
          return;
        }
        break;
      }
      case M_I32: {
        if (v !== v) {
          (this.data[c] as Int32Array)[j] = NAN32;
          return;
        }
        const o = v - b;
        if (o >= -2147483647 && o <= 2147483647 && b + o === v && (o | 0) === o && !negZero(v)) {
          (this.data[c] as Int32Array)[j] = o;
          return;
        }
        break;
      }
      default:
        (this.data[c] as Float64Array)[j] = v;
        return;
    }
    this.widen(c, j, v, cap);
  }

  /**
   * Re-encodes chunk `c` (entries [0, j) plus `v` at j) in the narrowest offset encoding wider than
   * the current one that holds them all (−0 and fractions only raw).
   */
  private widen(c: number, j: number, v: number, cap: number): void {
    const vals = new Float64Array(j + 1);
    const m0 = this.mode[c];
    if (m0 === M_CONST) vals.fill(this.base[c], 0, j);
    else if (m0 === M_ARITH) {
      const b0 = this.base[c];
      const st = this.stride[c];
      for (let k = 0; k < j; k++) vals[k] = b0 + k * st;
    } else for (let k = 0; k < j; k++) vals[k] = this.get((c << SHIFT) + k);
    vals[j] = v;
    let min = Infinity;
    let max = -Infinity;
    let ints = true;
    for (let k = 0; k <= j; k++) {
      const x = vals[k];
      if (x !== x) continue;
      if (!Number.isInteger(x) || negZero(x)) {
        ints = false;
        break;
      }
      if (x < min) min = x;
      if (x > max) max = x;
    }
    let m = M_F64;
    let base = 0;
    if (ints) {
      if (min > max) {
        // Only NaN (a NaN chunk base with one value that is not NaN cannot reach here).
        min = max = 0;
      }
      const span = max - min;
      // A chunk leaving a constant or arithmetic run at j is likely to keep spreading at that rate:
      // its encoding is chosen for the span projected over a full chunk when one holds it, so that
      // it is not widened again a few hundred points later.
      const projected = span * Math.max(1, CHUNK / (j + 1));
      const want = this.mode[c] < M_I8 && projected <= 2 * LIMIT[M_I32] ? projected : span;
      const from = this.mode[c] >= M_I8 ? this.mode[c] + 1 : M_I8;
      for (let mm = from; mm <= M_I32; mm++) {
        const lim = LIMIT[mm];
        if (want > 2 * lim) continue;
        // Ascending series (lines, steps) get the whole range above the chunk's minimum.
        const b = min + lim;
        if (b - lim !== min || !Number.isSafeInteger(b) || !Number.isSafeInteger(min - b) || !Number.isSafeInteger(max - b)) continue;
        m = mm;
        base = b;
        break;
      }
    }
    let data: Offsets;
    if (m === M_I8) data = new Int8Array(cap);
    else if (m === M_I16) data = new Int16Array(cap);
    else if (m === M_I32) data = new Int32Array(cap);
    else data = new Float64Array(cap);
    if (m === M_F64) data.set(vals);
    else {
      const nan = -LIMIT[m] - 1;
      for (let k = 0; k <= j; k++) {
        const x = vals[k];
        data[k] = x !== x ? nan : x - base;
      }
    }
    this.mode[c] = m;
    this.base[c] = base;
    this.stride[c] = 0;
    this.data[c] = data;
  }

  /** Gives chunk `c` the capacity `cap` (its first `n` entries kept). */
  grow(c: number, n: number, cap: number): void {
    const d = this.data[c];
    if (!d) return;
    let e: Offsets;
    if (d instanceof Int8Array) e = new Int8Array(cap);
    else if (d instanceof Int16Array) e = new Int16Array(cap);
    else if (d instanceof Int32Array) e = new Int32Array(cap);
    else e = new Float64Array(cap);
    e.set(d.subarray(0, n));
    this.data[c] = e;
    this.t8 = e instanceof Int8Array ? e : null;
    this.t16 = e instanceof Int16Array ? e : null;
  }

  byteSize(): number {
    let n = this.mode.length * 24;
    for (const d of this.data) if (d) n += d.byteLength;
    return n;
  }
}

const EMPTY = new Float64Array(0);

export class Series {
  /** Original names seen for this series (e.g. `eval_loss`), for display. */
  readonly rawNames = new Set<string>();
  private size = 0;
  /** Values by chunk (Float64, as pushed). */
  private vals: Float64Array[] = [];
  /** The last chunk of `vals`. */
  private tail: Float64Array = EMPTY;
  /** NaN where the log gave no step. */
  private stepCol = new PackedColumn();
  /** NaN where the log gave no epoch. */
  private epochCol = new PackedColumn();
  private lineCol = new PackedColumn();
  /** Index into Run.files of the file each point came from. */
  private fileCol = new PackedColumn();
  /** The epoch and the file of every point of the last chunk when each is one value (else NaN). */
  private tailEpoch = NaN;
  private tailFile = NaN;

  /**
   * Counts the changes that are not appends (points of a reset file removed): caches of results
   * computed from a series' points compare it, as a rewritten file may give back the same first and
   * last points with others in between.
   */
  private gen = 0;

  /** Mutable: a run renames a series to its raw name when a better-ranked variant takes the canonical name. */
  constructor(public name: string) {}

  get length(): number {
    return this.size;
  }

  /** Changes whenever points are removed (see `gen`); appends leave it. */
  get generation(): number {
    return this.gen;
  }

  push(value: number, step: number, epoch: number, line: number, fileIndex: number): void {
    const i = this.size;
    const c = i >>> SHIFT;
    const j = i & MASK;
    let chunk = this.tail;
    if (j === 0) {
      chunk = this.tail = new Float64Array(c === 0 ? FIRST : CHUNK);
      this.vals.push(chunk);
    } else if (j === chunk.length) chunk = this.growChunk(c, j);
    chunk[j] = value;
    const cap = chunk.length;
    this.stepCol.put(c, j, step, cap);
    // The epoch and the file are most often one value for a whole chunk: then their put is skipped
    // (it would store nothing: see PackedColumn's constant encoding).
    const k = this.tailEpoch;
    if (j === 0 || !(epoch === k && (epoch !== 0 || 1 / epoch === 1 / k))) {
      this.epochCol.put(c, j, epoch, cap);
      this.tailEpoch = j === 0 ? epoch : NaN;
    }
    this.lineCol.put(c, j, line, cap);
    if (j === 0 || fileIndex !== this.tailFile) {
      this.fileCol.put(c, j, fileIndex, cap);
      this.tailFile = j === 0 ? fileIndex : NaN;
    }
    this.size = i + 1;
  }

  value(i: number): number {
    return this.vals[i >>> SHIFT][i & MASK];
  }
  step(i: number): number {
    return this.stepCol.get(i);
  }
  epoch(i: number): number {
    return this.epochCol.get(i);
  }
  line(i: number): number {
    return this.lineCol.get(i);
  }
  fileIndex(i: number): number {
    return this.fileCol.get(i);
  }

  /** A copy of every value (O(n): for plots and tests; scans use `value(i)` or `copyValues`). */
  values(): Float64Array {
    const out = new Float64Array(this.size);
    this.copyValues(0, this.size, out);
    return out;
  }
  /** A copy of every step (NaN where absent). */
  steps(): Float64Array {
    return this.copyOf(this.stepCol);
  }
  /** A copy of every epoch (NaN where absent). */
  epochs(): Float64Array {
    return this.copyOf(this.epochCol);
  }
  /** A copy of every line number. */
  lines(): Uint32Array {
    return Uint32Array.from(this.copyOf(this.lineCol));
  }

  private copyOf(col: PackedColumn): Float64Array {
    const out = new Float64Array(this.size);
    col.decode(0, this.size, out);
    return out;
  }

  /** Steps [from, to) into `out` from index 0 (bulk reads for scans; NaN where absent). */
  stepsInto(from: number, to: number, out: Float64Array): void {
    this.stepCol.decode(from, to, out);
  }
  /** Epochs [from, to) into `out` from index 0 (NaN where absent). */
  epochsInto(from: number, to: number, out: Float64Array): void {
    this.epochCol.decode(from, to, out);
  }

  /** Copies values [from, to) into `out` from `at` (bulk reads for scans). */
  copyValues(from: number, to: number, out: Float64Array, at = 0): void {
    let i = from;
    while (i < to) {
      const c = i >>> SHIFT;
      const j = i & MASK;
      const n = Math.min(to - i, CHUNK - j);
      out.set(this.vals[c].subarray(j, j + n), at);
      at += n;
      i += n;
    }
  }

  /** Drops every point that came from `fileIndex` (a rewritten or truncated file is re-read whole). */
  removeFile(fileIndex: number): void {
    let keep = 0;
    for (let i = 0; i < this.size; i++) if (this.fileIndex(i) !== fileIndex) keep++;
    if (keep === this.size) return;
    this.gen++;
    const old = { size: this.size, vals: this.vals, steps: this.stepCol, epochs: this.epochCol, lines: this.lineCol, files: this.fileCol };
    const get = (col: PackedColumn, i: number): number => col.get(i);
    this.size = 0;
    this.vals = [];
    this.tail = EMPTY;
    this.stepCol = new PackedColumn();
    this.epochCol = new PackedColumn();
    this.lineCol = new PackedColumn();
    this.fileCol = new PackedColumn();
    for (let i = 0; i < old.size; i++) {
      const f = get(old.files, i);
      if (f === fileIndex) continue;
      this.push(old.vals[i >>> SHIFT][i & MASK], get(old.steps, i), get(old.epochs, i), get(old.lines, i), f);
    }
  }

  /** Bytes held by the typed arrays (and per-chunk bookkeeping), for the memory benchmark. */
  byteSize(): number {
    let n = 0;
    for (const v of this.vals) n += v.byteLength;
    return n + this.stepCol.byteSize() + this.epochCol.byteSize() + this.lineCol.byteSize() + this.fileCol.byteSize();
  }

  private growChunk(c: number, n: number): Float64Array {
    const cap = Math.min(CHUNK, n * 2);
    const v = new Float64Array(cap);
    v.set(this.vals[c]);
    this.vals[c] = v;
    this.tail = v;
    this.stepCol.grow(c, n, cap);
    this.epochCol.grow(c, n, cap);
    this.lineCol.grow(c, n, cap);
    this.fileCol.grow(c, n, cap);
    return v;
  }
}
