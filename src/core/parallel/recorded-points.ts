/**
 * Points a worker read from its range of a file, in the order the parser pushed them, as typed arrays
 * that move to the main thread without a copy; `replayPoints` pushes them into the real sink there.
 *
 * The order is kept push by push (not column by column): a run may merge two raw names into one series,
 * and creates its series in the order of their first points, so only the same sequence of pushes gives
 * the same run as reading the file on one thread.
 */
import type { PointColumn, PointSink } from '../points/point-sink';

/** The recorded pushes of one range; line numbers count from 1 at the range's first line. */
export interface RecordedPoints {
  /** Column of each push: an index into `names`. */
  column: Int32Array;
  value: Float64Array;
  /** NaN where the parser gave no step / epoch. */
  step: Float64Array;
  epoch: Float64Array;
  line: Int32Array;
  /** Pushes recorded (the arrays may be longer). */
  count: number;
  /** Canonical and raw name of each column, in the order the parser asked for them. */
  names: { name: string; rawName: string }[];
}

export class RecordingSink implements PointSink {
  private readonly byKey = new Map<string, PointColumn>();
  private readonly names: { name: string; rawName: string }[] = [];
  private column_: Int32Array;
  private value: Float64Array;
  private step: Float64Array;
  private epoch: Float64Array;
  private line: Int32Array;
  private count = 0;

  /**
   * `expected`: pushes to make room for at once (growing by copies cost a third of the recording).
   * `reuse`: the arrays of an earlier recording, already replayed, taken when large enough (new ones
   * would be zero-filled, and wait for a collection to be freed).
   */
  constructor(expected = 1024, reuse?: RecordedPoints) {
    const n = Math.max(16, Math.ceil(expected));
    if (reuse && reuse.value.length >= n && reuse.column.length === reuse.value.length) {
      this.column_ = reuse.column;
      this.value = reuse.value;
      this.step = reuse.step;
      this.epoch = reuse.epoch;
      this.line = reuse.line;
      return;
    }
    this.column_ = new Int32Array(n);
    this.value = new Float64Array(n);
    this.step = new Float64Array(n);
    this.epoch = new Float64Array(n);
    this.line = new Int32Array(n);
  }

  column(name: string, rawName: string): PointColumn {
    const key = `${name}\u0000${rawName}`;
    let c = this.byKey.get(key);
    if (c === undefined) {
      const k = this.names.length;
      this.names.push({ name, rawName });
      c = new RecordingColumn(this, k);
      this.byKey.set(key, c);
    }
    return c;
  }

  /** One push of column `k` (RecordingColumn's; a class, so the parser's push call site stays monomorphic). */
  record(k: number, v: number, step: number | undefined, epoch: number | undefined, line: number): void {
    const i = this.count;
    if (i === this.value.length) this.grow();
    this.column_[i] = k;
    this.value[i] = v;
    this.step[i] = step === undefined ? NaN : step;
    this.epoch[i] = epoch === undefined ? NaN : epoch;
    this.line[i] = line;
    this.count = i + 1;
  }

  private grow(): void {
    const n = this.value.length * 2;
    const widen = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.column_ = widen(this.column_, (m) => new Int32Array(m));
    this.value = widen(this.value, (m) => new Float64Array(m));
    this.step = widen(this.step, (m) => new Float64Array(m));
    this.epoch = widen(this.epoch, (m) => new Float64Array(m));
    this.line = widen(this.line, (m) => new Int32Array(m));
  }

  /** What was recorded (the arrays are handed over: record nothing more). */
  take(): RecordedPoints {
    return {
      column: this.column_,
      value: this.value,
      step: this.step,
      epoch: this.epoch,
      line: this.line,
      count: this.count,
      names: this.names,
    };
  }
}

class RecordingColumn implements PointColumn {
  constructor(
    private readonly sink: RecordingSink,
    private readonly k: number,
  ) {}

  push(value: number, step: number | undefined, epoch: number | undefined, line: number): void {
    this.sink.record(this.k, value, step, epoch, line);
  }
}

/** The buffers to transfer (not copy) when posting `p` to another thread. */
export function transferList(p: RecordedPoints): ArrayBuffer[] {
  return [p.column.buffer, p.value.buffer, p.step.buffer, p.epoch.buffer, p.line.buffer] as ArrayBuffer[];
}

/**
 * Replays recorded points into `sink`, line numbers shifted by `lineBase` (the lines before the
 * range). `columns` caches the sink's writers by name across ranges of one file, so each is asked
 * for once, at its first point, as the parser itself does. A NaN step or epoch is pushed as
 * undefined: what a run stores for either.
 */
export function replayPoints(p: RecordedPoints, lineBase: number, sink: PointSink, columns: Map<string, PointColumn>): void {
  const local: (PointColumn | undefined)[] = new Array<PointColumn | undefined>(p.names.length);
  const { column, value, step, epoch, line } = p;
  for (let i = 0; i < p.count; i++) {
    const k = column[i];
    let c = local[k];
    if (c === undefined) {
      const { name, rawName } = p.names[k];
      const key = `${name}\u0000${rawName}`;
      c = columns.get(key);
      if (c === undefined) {
        c = sink.column(name, rawName);
        columns.set(key, c);
      }
      local[k] = c;
    }
    const s = step[i];
    const e = epoch[i];
    c.push(value[i], s === s ? s : undefined, e === e ? e : undefined, line[i] + lineBase);
  }
}
