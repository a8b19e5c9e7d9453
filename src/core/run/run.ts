import type { MetricEvent } from '../types';
import { ColumnCache } from '../points/column-cache';
import type { PointColumn, PointSink } from '../points/point-sink';
import { normalizeName, variantRank } from './names';
import { Series } from './series';

/**
 * Most distinct metric names one run keeps. An empty series costs ~5 KB; a crafted log with 70 000 new
 * names per line took the CLI past 4 GB. Real runs log tens to a few thousand names (per-layer stats).
 */
export const MAX_SERIES_PER_RUN = 10_000;

/** One series per canonical name and raw spelling (see `Run.variants`): the unit the series cap counts. */
function variantKey(name: string, rawName: string): string {
  return `${name}\u0000${normalizeName(rawName)}`;
}

/** A column whose points are dropped: its name came after the run's series cap. */
const DROPPED: PointColumn = { push: () => undefined };

/**
 * The metrics of one training run: every series by canonical name, each point remembering the file
 * and line it came from. A run usually has one log file, but TensorBoard (train/ + validation/) and
 * MLflow (one file per metric) spread a run over several.
 */
export class Run {
  readonly files: string[] = [];
  /** Index of each file in `files` (an MLflow run may have tens of thousands: no linear search). */
  private readonly fileIndexes = new Map<string, number>();
  /** Points ever pushed: tells a reader whether a poll added anything without counting every series. */
  private pushes = 0;
  /** Series by the name rules ask for: the preferred variant of a canonical name under it, others by raw name. */
  private readonly byName = new Map<string, Series>();
  /**
   * Each raw name is its own series, even when several map to one canonical name: a log that writes a
   * per-batch `loss` and a per-epoch `train_loss` holds two series, and averaging them into one gave
   * wrong trends and false loss jumps (issue 10). The best-ranked variant (names.ts `variantRank`) is
   * exposed under the canonical name, the others under their raw names.
   */
  private readonly variants = new Map<string, Series[]>();
  private readonly byVariant = new Map<string, Series>();
  private readonly sinks = new Map<string, RunSink>();
  /** Names given a series or a column so far (at most MAX_SERIES_PER_RUN). */
  private readonly admitted = new Set<string>();
  /** Files that brought names past the cap and have not been told yet (see takeOverflow). */
  private readonly overflowed = new Set<string>();
  private toldOnce = false;

  constructor(
    readonly id: string,
    private readonly maxSeries = MAX_SERIES_PER_RUN,
  ) {}

  /** Whether series `key` may exist; a key past the cap is refused and `file` remembered. */
  admit(key: string, file: string): boolean {
    if (this.admitted.has(key)) return true;
    if (this.admitted.size < this.maxSeries) {
      this.admitted.add(key);
      return true;
    }
    if (!this.toldOnce) this.overflowed.add(file);
    return false;
  }

  /**
   * The message for the first file that brought names past the cap, once per run: an MLflow run writes
   * one file per metric, and 90 000 files past the cap gave 90 000 copies of one note. The points of the
   * names kept are all there, the others were not read.
   */
  takeOverflow(file: string): string | undefined {
    if (this.toldOnce || !this.overflowed.has(file)) return undefined;
    this.toldOnce = true;
    this.overflowed.clear();
    return `more than ${this.maxSeries} metric names in this run: the first ${this.maxSeries} are kept, the points of later names are not read`;
  }

  fileIndex(file: string): number {
    let i = this.fileIndexes.get(file);
    if (i === undefined) {
      i = this.files.length;
      this.files.push(file);
      this.fileIndexes.set(file, i);
    }
    return i;
  }

  /** Index of `file` in `files`, -1 when it brought no point yet. */
  indexOfFile(file: string): number {
    return this.fileIndexes.get(file) ?? -1;
  }

  /** Points pushed since the run was made (never decreases; a reset does not undo it). */
  get pushCount(): number {
    return this.pushes;
  }

  /** @internal for RunColumn. */
  notePush(): void {
    this.pushes++;
  }

  /** Points of each file, by file index, in one pass over the series. */
  pointsByFile(): number[] {
    const counts = new Array<number>(this.files.length).fill(0);
    for (const s of this.byName.values()) for (let i = 0; i < s.length; i++) counts[s.fileIndex(i)]++;
    return counts;
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

  /**
   * The series of raw name `rawName` (canonical name `name`), created (empty) when missing; undefined
   * when the run's series cap refuses it (`file` is the file that brought it, to be told once).
   */
  seriesOrNew(name: string, rawName: string = name, file = ''): Series | undefined {
    const key = variantKey(name, rawName);
    let s = this.byVariant.get(key);
    if (s) return s;
    if (!this.admit(key, file)) return undefined;
    s = new Series(name);
    s.rawNames.add(rawName);
    this.byVariant.set(key, s);
    const list = this.variants.get(name) ?? [];
    list.push(s);
    this.variants.set(name, list);
    if (list.length === 1) this.byName.set(name, s);
    else this.rankVariants(name, list);
    return s;
  }

  /** Re-exposes the variants of `name` after a new one arrived: the best under `name`, the rest by raw name. */
  private rankVariants(name: string, list: Series[]): void {
    const rawOf = (s: Series): string => s.rawNames.values().next().value ?? name;
    const order = list.map((s, k) => ({ s, k, r: variantRank(rawOf(s), name) })).sort((a, b) => a.r - b.r || a.k - b.k);
    for (const { s } of order) if (this.byName.get(s.name) === s) this.byName.delete(s.name);
    order.forEach(({ s }, k) => {
      let exposed = k === 0 ? name : rawOf(s);
      for (let n = 2; k > 0 && this.byName.has(exposed); n++) exposed = `${rawOf(s)}#${n}`;
      s.name = exposed;
      this.byName.set(exposed, s);
    });
  }

  append(file: string, events: readonly MetricEvent[]): void {
    const fi = this.fileIndex(file);
    for (const e of events) {
      const s = this.seriesOrNew(e.name, e.rawName, file);
      if (!s) continue;
      s.rawNames.add(e.rawName);
      this.pushes++;
      s.push(e.value, e.step ?? NaN, e.epoch ?? NaN, e.line, fi);
    }
  }

  /** Forget what was read from `file` (it was truncated, rotated or rewritten and is re-read). */
  resetFile(file: string): void {
    const fi = this.indexOfFile(file);
    if (fi < 0) return;
    for (const s of this.byName.values()) s.removeFile(fi);
  }

  series(name: string): Series | undefined {
    const s = this.byName.get(name);
    return s && s.length > 0 ? s : undefined;
  }

  /**
   * Every series of the canonical metric `name`, the one exposed under `name` first (a per-epoch
   * `train_loss` and the per-batch `loss` of the same log). Empty when `name` is not canonical here.
   */
  variantsOf(name: string): Series[] {
    const list = (this.variants.get(name) ?? []).filter((s) => s.length > 0);
    return list.sort((a, b) => (a.name === name ? -1 : b.name === name ? 1 : 0));
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
    // Refused names get no cached column: the cache would grow with every new name otherwise.
    if (!this.run.admit(variantKey(name, rawName), this.file)) return DROPPED;
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
      s = this.run.seriesOrNew(this.name, this.rawName);
      // Admitted when this column was made, so never refused here.
      if (s === undefined) return;
      s.rawNames.add(this.rawName);
      this.series = s;
    }
    this.run.notePush();
    s.push(value, step === undefined ? NaN : step, epoch === undefined ? NaN : epoch, line, this.fi);
  }
}
