import type { MetricEvent } from '../types';
import { ColumnCache } from '../points/column-cache';
import type { PointColumn, PointSink } from './format';

/**
 * Builds a MetricEvent with every property present (step/epoch possibly undefined) so that all events
 * share one hidden class: the hot loops of the parsers stay monomorphic.
 */
export function ev(
  name: string,
  rawName: string,
  value: number,
  step: number | undefined,
  epoch: number | undefined,
  line: number,
): MetricEvent {
  return { name, rawName, value, step, epoch, line };
}

/**
 * A sink that turns points back into MetricEvents, appended to `out` (which the caller may swap
 * between calls). Columns are cached by name, so a parser's per-column writers stay valid.
 */
export class EventSink implements PointSink {
  private readonly cols = new ColumnCache((name, rawName) => new EventColumn(this, name, rawName));
  constructor(public out: MetricEvent[] = []) {}

  column(name: string, rawName: string): PointColumn {
    return this.cols.get(name, rawName);
  }

  /** Points written to MetricEvents do not depend on earlier ones: nothing to forget. */
  reset(): void {}
}

class EventColumn implements PointColumn {
  constructor(
    private readonly sink: EventSink,
    private readonly name: string,
    private readonly rawName: string,
  ) {}

  push(value: number, step: number | undefined, epoch: number | undefined, line: number): void {
    this.sink.out.push(ev(this.name, this.rawName, value, step, epoch, line));
  }
}

/** Writes MetricEvents into a sink (for parsers without a batch path: documents, binary records). */
export function eventsToSink(events: readonly MetricEvent[], sink: PointSink): void {
  let lastName = '';
  let lastRaw = '';
  let col: PointColumn | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!col || e.name !== lastName || e.rawName !== lastRaw) {
      col = sink.column(e.name, e.rawName);
      lastName = e.name;
      lastRaw = e.rawName;
    }
    col.push(e.value, e.step, e.epoch, e.line);
  }
}

/** Something a parser can say about skipped input; LogFile collects it (duck-typed). */
export interface MessageSource {
  drainMessages(): string[];
}

/** A bounded message buffer: a garbage file must not grow memory with one message per line. */
export class Messages implements MessageSource {
  private list: string[] = [];
  private dropped = 0;
  constructor(private readonly limit = 20) {}

  add(msg: string): void {
    if (this.list.length < this.limit) this.list.push(msg);
    else this.dropped++;
  }

  drainMessages(): string[] {
    const out = this.list;
    if (this.dropped > 0) out.push(`(${this.dropped} more similar messages)`);
    this.list = [];
    this.dropped = 0;
    return out;
  }
}

export function hasMessages(x: object): x is MessageSource {
  return typeof (x as Partial<MessageSource>).drainMessages === 'function';
}

/** Lower-cased base name of a path (either separator). */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1).toLowerCase();
}

/** Path split into its components (either separator). */
export function pathParts(path: string): string[] {
  return path.split(/[\\/]+/);
}

/** The first line of `head` without BOM and trailing `\r`. */
export function firstLine(head: string): string {
  let s = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const nl = s.indexOf('\n');
  if (nl >= 0) s = s.slice(0, nl);
  if (s.endsWith('\r')) s = s.slice(0, -1);
  return s;
}

/** Up to `n` complete-or-not lines of `head`, `\r` stripped. */
export function headLines(head: string, n: number): string[] {
  const s = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const out: string[] = [];
  let a = 0;
  while (out.length < n && a < s.length) {
    let b = s.indexOf('\n', a);
    if (b < 0) b = s.length;
    let l = s.slice(a, b);
    if (l.endsWith('\r')) l = l.slice(0, -1);
    out.push(l);
    a = b + 1;
  }
  return out;
}
