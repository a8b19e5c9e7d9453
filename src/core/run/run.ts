import type { MetricEvent } from '../types';
import { Series } from './series';

/**
 * The metrics of one training run: every series by canonical name, each point remembering the file
 * and line it came from. A run usually has one log file, but TensorBoard (train/ + validation/) and
 * MLflow (one file per metric) spread a run over several.
 */
export class Run {
  readonly files: string[] = [];
  private readonly byName = new Map<string, Series>();

  constructor(readonly id: string) {}

  fileIndex(file: string): number {
    let i = this.files.indexOf(file);
    if (i < 0) {
      i = this.files.length;
      this.files.push(file);
    }
    return i;
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
