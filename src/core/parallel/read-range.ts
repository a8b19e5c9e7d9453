/**
 * One range of a large line-format file, read the way LogFile reads it but in a worker: the lines
 * that *start* in [start, end) (the first partial line belongs to the range before; the last line may
 * run past `end`), none past `limit` (the file's size when the read began: a line still being written
 * has no `\n` yet and is left to the tail), parsed by a fresh parser of the format restored to the
 * checkpoint, into a RecordingSink.
 *
 * A range is `ok` only when reading it on one thread would have given exactly its points with line
 * numbers shifted: no line over `maxLine` (LogFile skips those with a message), no parser message
 * (messages carry line numbers), and the parser's state unchanged at the end (no second CSV header).
 * Otherwise the caller reads on from the range's start itself.
 */
import * as fs from 'fs';
import type { FormatId, ParserCheckpoint, SplittableParser } from '../formats/format';
import { isSplittableParser } from '../formats/format';
import { FORMATS } from '../formats/registry';
import { hasMessages } from '../formats/event';
import { RecordingSink, type RecordedPoints } from './recorded-points';

export interface RangeTask {
  file: string;
  format: FormatId;
  checkpoint: ParserCheckpoint;
  start: number;
  end: number;
  limit: number;
  maxLine: number;
}

export type RangeResult =
  | {
      ok: true;
      /** First byte of the range's first line, and the byte after its last line's `\n`. */
      begin: number;
      after: number;
      /** Lines read (`\n`s in [begin, after)). */
      lines: number;
      points: RecordedPoints;
    }
  | { ok: false; why: string };

/** Bytes read per system call while looking for a range's first or last `\n`. */
const PROBE = 64 * 1024;

/** The worker's read buffer, kept for its next range. */
let readBuf: Buffer = Buffer.alloc(0);

/** `recycled`: arrays of an earlier range's points, replayed and sent back, to record into again. */
export function readRange(task: RangeTask, recycled?: RecordedPoints): RangeResult {
  const parser = createSplittable(task.format);
  if (!parser) return { ok: false, why: `${task.format} cannot be read in ranges` };
  parser.restore(task.checkpoint);
  const fd = fs.openSync(task.file, 'r');
  try {
    const begin = task.start === 0 ? 0 : lineStartAtOrAfter(fd, task.start, task.limit);
    if (begin < 0 || begin >= task.end) return emptyRange(begin < 0 ? task.limit : begin);
    // The bytes of [begin, end), then on to the `\n` of the line that crosses `end`.
    const lastNl = newlineAtOrAfter(fd, Math.max(begin, task.end - 1), task.limit);
    const stop = lastNl < 0 ? lastNewlineBefore(fd, begin, Math.min(task.end, task.limit)) : lastNl + 1;
    if (stop <= begin) return emptyRange(begin);
    if (readBuf.length < stop - begin) readBuf = Buffer.allocUnsafe(Math.max(stop - begin, readBuf.length * 2));
    const buf = readBuf.subarray(0, stop - begin);
    readFully(fd, buf, begin);
    // Room for a point per 16 bytes: a Lightning row of ~50 bytes holds 2, a printed step line 2–4.
    const sink = new RecordingSink(buf.length / 16, recycled);
    let lines = 0;
    // In windows of at most maxLine bytes ended by a `\n`, as LogFile hands whole lines to the parser;
    // a window without one holds a line LogFile would skip.
    for (let a = 0; a < buf.length; ) {
      const nl = buf.lastIndexOf(10, Math.min(buf.length - 1, a + task.maxLine));
      if (nl < a) return { ok: false, why: `a line longer than ${task.maxLine} bytes` };
      lines += parser.parseBytes(buf, a, nl + 1, lines + 1, sink);
      a = nl + 1;
    }
    if (hasMessages(parser) && parser.drainMessages().length > 0) return { ok: false, why: 'the parser had something to say' };
    if (!sameCheckpoint(parser.checkpoint(), task.checkpoint)) return { ok: false, why: 'the parser state changed (a new header)' };
    return { ok: true, begin, after: stop, lines, points: sink.take() };
  } finally {
    fs.closeSync(fd);
  }
}

function emptyRange(at: number): RangeResult {
  return { ok: true, begin: at, after: at, lines: 0, points: new RecordingSink().take() };
}

export function createSplittable(format: FormatId): SplittableParser | undefined {
  const f = FORMATS.find((x) => x.id === format);
  if (!f || f.kind !== 'lines') return undefined;
  const p = f.createParser('');
  return isSplittableParser(p) ? p : undefined;
}

export function sameCheckpoint(a: ParserCheckpoint | undefined, b: ParserCheckpoint | undefined): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** The first byte after a `\n` at or after `pos − 1`, below `limit`; −1 when there is none. */
function lineStartAtOrAfter(fd: number, pos: number, limit: number): number {
  const nl = newlineAtOrAfter(fd, pos - 1, limit);
  return nl < 0 ? -1 : nl + 1;
}

/** Index of the first `\n` at or after `pos` and below `limit`, or −1. */
function newlineAtOrAfter(fd: number, pos: number, limit: number): number {
  const buf = Buffer.allocUnsafe(PROBE);
  for (let p = pos; p < limit; ) {
    const n = fs.readSync(fd, buf, 0, Math.min(PROBE, limit - p), p);
    if (n <= 0) return -1;
    const i = buf.subarray(0, n).indexOf(10);
    if (i >= 0) return p + i;
    p += n;
  }
  return -1;
}

/** The byte after the last `\n` in [from, limit), or `from` when there is none. */
function lastNewlineBefore(fd: number, from: number, limit: number): number {
  const buf = Buffer.allocUnsafe(PROBE);
  for (let e = limit; e > from; ) {
    const a = Math.max(from, e - PROBE);
    const n = fs.readSync(fd, buf, 0, e - a, a);
    const i = buf.subarray(0, n).lastIndexOf(10);
    if (i >= 0) return a + i + 1;
    e = a;
  }
  return from;
}

function readFully(fd: number, buf: Buffer, pos: number): void {
  for (let off = 0; off < buf.length; ) {
    const n = fs.readSync(fd, buf, off, buf.length - off, pos + off);
    if (n <= 0) throw new Error('the file shrank while it was read');
    off += n;
  }
}
