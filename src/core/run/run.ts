import type { MetricEvent } from '../types';
import { ColumnCache } from '../points/column-cache';
import type { PointColumn, PointSink } from '../points/point-sink';
import { Series } from './series';

/**
 * The metrics of one training run: every series by canonical name, each point remembering the file
 * and line it came from. A run usually has one log file, but TensorBoard (train/ + validation/) and
 * MLflow (one file per metric) spread a run over several.
 */
export class Run {
  readonly files: string[] = [];
  private readonly byName = new Map<string, Series>();
  private readonly sinks = new Map<string, RunSink>();

  constructor(readonly id: string) {}

  fileIndex(file: string): number {
    let i = this.files.indexOf(file);
    if (i < 0) {
      i = this.files.length;
      this.files.push(file);
    }
    return i;
  }

  /** The parsers' batch path into this run for `file` (one per file, kept). */
  sinkFor(file: string): PointSink {
    let s = this.sinks.get(file);
    if (!s) {
      s = new RunSink(this, file, this.fileIndex(file));
      this.sinks.set(file, s);
    }
    return s;
  }

  /** The series `name`, created (empty) when missing. */
  seriesOrNew(name: string): Series {
    let s = this.byName.get(name);
    if (!s) {
      s = new Series(name);
      this.byName.set(name, s);
    }
    return s;
  }

  append(file: string, events: readonly MetricEvent[]): void {
    const fi = this.fileIndex(file);
    for (const e of events) {
      let s = this.byName.get(e.name);
      if (!s) {
        s = new Series(e.name);
        this.byName.set(e.name, s);
      }
      s.rawNames.add(e.rawName);
      s.push(e.value, e.step ?? NaN, e.epoch ?? NaN, e.line, fi);
    }
  }

  /** Forget what was read from `file` (it was truncated, rotated or rewritten and is re-read). */
  resetFile(file: string): void {
    const fi = this.files.indexOf(file);
    if (fi < 0) return;
    for (const s of this.byName.values()) s.removeFile(fi);
  }

  series(name: string): Series | undefined {
    const s = this.byName.get(name);
    return s && s.length > 0 ? s : undefined;
  }

  names(): string[] {
    return [...this.byName.keys()].filter((n) => (this.byName.get(n)?.length ?? 0) > 0);
  }

  pointCount(): number {
    let n = 0;
    for (const s of this.byName.values()) n += s.length;
    return n;
  }

  byteSize(): number {
    let n = 0;
    for (const s of this.byName.values()) n += s.byteSize();
    return n;
  }
}

/**
 * Points of one file straight into the run's series: a parser resolves each column once, then every
 * point is a push into typed arrays. The series is created on the first point (so the order of
 * `names()` is the order of first points, as with `append`).
 */
class RunSink implements PointSink {
  private readonly cols: ColumnCache<RunColumn>;
  constructor(
    private readonly run: Run,
    private readonly file: string,
    fi: number,
  ) {
    this.cols = new ColumnCache((name, rawName) => new RunColumn(run, name, rawName, fi));
  }

  column(name: string, rawName: string): PointColumn {
    return this.cols.get(name, rawName);
  }

  reset(): void {
    this.run.resetFile(this.file);
  }
}

class RunColumn implements PointColumn {
  private series: Series | undefined;
  constructor(
    private readonly run: Run,
    private readonly name: string,
    private readonly rawName: string,
    private readonly fi: number,
  ) {}

  push(value: number, step: number | undefined, epoch: number | undefined, line: number): void {
    let s = this.series;
    if (s === undefined) {
      s = this.run.seriesOrNew(this.name);
      s.rawNames.add(this.rawName);
      this.series = s;
    }
    s.push(value, step === undefined ? NaN : step, epoch === undefined ? NaN : epoch, line, this.fi);
  }
}
