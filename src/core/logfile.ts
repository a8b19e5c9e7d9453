/**
 * One log file on disk: the tail (new bytes only) + the format chosen once by sniffing the first
 * bytes (again after a reset) + that format's parser → MetricEvents.
 *
 * - Line formats get complete lines; binary (chunk) formats get raw bytes.
 * - Document formats (HF trainer_state.json, rewritten whole by its writer) are re-read whole when
 *   their size, mtime or inode changes; each re-read answers `reset: true` (replace the file's points).
 * - Each poll reads at most `budget` bytes (default 8 MiB) and says `more: true` when it stopped
 *   early, so a 1 GB file is consumed in steps and no poll holds more than a budget's worth of events.
 * - Nothing keeps the file's lines: only the partial last line and the parser's small state.
 * - Bad input never throws: garbage yields no events, NUL bytes and invalid UTF-8 are just text,
 *   lines over 1 MiB are skipped with a message, a parser exception skips its line with a message.
 */
import * as fs from 'fs';
import * as os from 'os';
import type { MetricEvent } from './types';
import type { ByteLineParser, ChunkParser, DocumentParser, FormatId, LineParser, LogFormat, PointSink } from './formats/format';
import { isByteParser, isSinkParser, isSplittableParser } from './formats/format';
import { detectFormat } from './formats/registry';
import { EventSink, eventsToSink, hasMessages } from './formats/event';
import { LineSplitter, TailFollower } from './tail/tail';
import { recovered } from './recovered';
import { readInParallel } from './parallel/parallel-read';
import { onMainThread } from './parallel/worker-pool';

export interface LogUpdate {
  /** The file was truncated/rotated/rewritten (or a document re-read): drop its earlier points. */
  reset: boolean;
  /** The points read, as MetricEvents (empty when the caller passed a sink to `poll`). */
  events: MetricEvent[];
  messages: string[];
  /** The file does not exist (now). */
  missing: boolean;
  /** The poll stopped at its byte budget: poll again soon. */
  more: boolean;
}

export interface LogFileOptions {
  /** Bytes read per poll at most (default 8 MiB). */
  budget?: number;
  /** Bytes per read (default 1 MiB). */
  chunkSize?: number;
  /** Longest line kept (default 1 MiB). */
  maxLine?: number;
  /** Largest document format file read whole (default 256 MiB). */
  maxDocument?: number;
  /**
   * A backlog of at least `minBytes` in a format that can be read in ranges (CSV) is read by `threads`
   * worker threads in chunks of `chunkBytes` (core/parallel), when points go to a sink. Default: one
   * thread per core up to 4, from 32 MiB, 8 MiB chunks; `false` or `threads` < 2 reads on this thread.
   */
  parallel?: false | ParallelOptions;
  /** Bytes the format is decided on (default 64 KiB; tests lower it to reach the parallel read on small files). */
  sniffBytes?: number;
}

export interface ParallelOptions {
  threads: number;
  minBytes: number;
  chunkBytes: number;
}

/**
 * From 4 cores, one worker per core but one (this thread replays), at most 4: the replay here is the
 * limit beyond. Below 4 cores, none: on 2 cores the workers and the replay share two cores and a cold
 * 256 MB CSV check took 1.12–1.19 s against 1.22–1.27 s on one thread, for 265–286 MB of memory
 * against 183–185 MB. None inside a worker thread either: the CLI's analysis workers
 * (src/cli/parallel.ts) already keep every core busy. `TRAINDX_READ_THREADS=n` overrides (0 or 1:
 * read on this thread).
 */
export function defaultParallel(env: NodeJS.ProcessEnv = process.env): ParallelOptions {
  // Once per process for its own environment (a watcher makes a LogFile for each of thousands of files).
  if (env === process.env) return (processDefault ??= parallelFor(env));
  return parallelFor(env);
}

let processDefault: ParallelOptions | undefined;

function parallelFor(env: NodeJS.ProcessEnv): ParallelOptions {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const forced = Number(env.TRAINDX_READ_THREADS?.trim() || NaN);
  const threads = Number.isInteger(forced) ? Math.max(0, forced) : onMainThread() && cores >= 4 ? Math.min(4, cores - 1) : 1;
  return { threads, minBytes: 32 << 20, chunkBytes: 8 << 20 };
}

const SNIFF_BYTES = 64 * 1024;
const MAX_LINE = 1 << 20;
const NEWLINE = Buffer.from('\n');

type Mode =
  | { kind: 'unsniffed' }
  | { kind: 'unknown' }
  | { kind: 'lines'; parser: LineParser }
  | { kind: 'chunks'; parser: ChunkParser }
  | { kind: 'document'; parser: DocumentParser; sig: string };

export class LogFile {
  format?: FormatId;
  private mode: Mode = { kind: 'unsniffed' };
  private readonly tail: TailFollower;
  private readonly splitter: LineSplitter;
  /** Bytes received before the format could be decided (at most SNIFF_BYTES + one chunk). */
  private preSniff: Buffer[] = [];
  private preSniffLen = 0;
  private readonly budget: number;
  private readonly maxDocument: number;
  private readonly maxLine: number;
  private readonly sniffBytes: number;
  /** Bytes read on worker threads since this reader was made (the bench and tests report it). */
  private parallelRead = 0;
  private readonly parallel: ParallelOptions | undefined;
  /** Why a parallel read stopped early (a second header…): read on this thread until the file is reset. */
  private parallelStopped: string | undefined;
  private docParsedOnce = false;
  /** Where this poll's points go. */
  private sink: PointSink;
  private readonly eventSink = new EventSink();

  constructor(
    readonly path: string,
    opts: LogFileOptions = {},
  ) {
    this.tail = new TailFollower(path, { chunkSize: opts.chunkSize });
    this.maxLine = opts.maxLine ?? MAX_LINE;
    this.sniffBytes = opts.sniffBytes ?? SNIFF_BYTES;
    this.splitter = new LineSplitter(this.maxLine);
    this.budget = opts.budget ?? 8 << 20;
    const par = opts.parallel === undefined ? defaultParallel() : opts.parallel;
    this.parallel = par && par.threads >= 2 ? par : undefined;
    this.maxDocument = opts.maxDocument ?? 256 << 20;
    this.sink = this.eventSink;
  }

  /**
   * Reads what is new. Points go to `sink` when given (the batch path: no MetricEvent per value; the
   * sink's `reset()` is called before any point of a re-read file), else into `events`.
   */
  async poll(sink?: PointSink): Promise<LogUpdate> {
    const up = this.startUpdate(sink);
    try {
      if (this.mode.kind === 'document') {
        await this.pollDocument(this.mode, up);
        return up;
      }
      let read = 0;
      // One stream per poll (a new one after a parallel read moved the tail on).
      for (let again = true; again; ) {
        again = false;
        // A stream reads the file as it was when it began: once its backlog is too small for workers, it
        // stays so to the stream's end (no stat per chunk).
        let weighed = false;
        for await (const r of this.tail.stream(Math.max(1, this.budget - read))) {
          if (r.missing) {
            up.missing = true;
            this.forget();
            return up;
          }
          if (r.reset) {
            up.reset = true;
            this.forget();
            this.sink.reset?.();
          }
          read += r.chunk.length;
          await this.consume(r.chunk, r.more, up);
          if (this.modeKind() === 'document') return up;
          // A file of no known format is not read on to its end (20 GB took 64 s): one chunk per poll
          // keeps noticing a truncation or rotation, after which it is sniffed again.
          if (this.modeKind() === 'unknown') break;
          if (r.more && !weighed) {
            const parallel = await this.readBacklogInParallel();
            if (parallel === 'read') {
              again = true;
              break;
            }
            weighed = parallel === 'too small';
          }
          if (!r.more) break;
          if (read >= this.budget) {
            up.more = true;
            break;
          }
        }
      }
    } catch (e) {
      up.messages.push(`${this.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return up;
  }

  /** Bytes of this file read on worker threads so far. */
  get bytesReadInParallel(): number {
    return this.parallelRead;
  }

  /** Why the last parallel read stopped before the end of the backlog (it then read on on this thread). */
  get parallelStoppedBecause(): string | undefined {
    return this.parallelStopped;
  }

  /**
   * For a file read once to its end (the CLI): the last line, held back for want of a final newline
   * (real-logs #33 ends with `test accuracy 0.536` and no newline), is parsed as complete. Never for a
   * followed file: an append would continue that line, and it would be read twice.
   */
  finishLastLine(sink?: PointSink): LogUpdate {
    const up = this.startUpdate(sink);
    if (this.mode.kind === 'lines' && this.splitter.pendingBytes > 0) this.feed(NEWLINE, up);
    return up;
  }

  /** An empty update, with this read's points going to `sink` when given, else into its `events`. */
  private startUpdate(sink: PointSink | undefined): LogUpdate {
    const up: LogUpdate = { reset: false, events: [], messages: [], missing: false, more: false };
    if (sink) this.sink = sink;
    else {
      this.eventSink.out = up.events;
      this.sink = this.eventSink;
    }
    return up;
  }

  /** The current mode's kind (a method, so TypeScript does not keep a stale narrowing). */
  private modeKind(): Mode['kind'] {
    return this.mode.kind;
  }

  /**
   * Reads the rest of the file on worker threads when it is large and its format can be read in ranges:
   * 'read' when it read something (the tail and the line count then continue after it), 'too small'
   * when the backlog is below `minBytes`, 'not now' otherwise (not sniffed yet, no checkpoint yet…).
   */
  private async readBacklogInParallel(): Promise<'read' | 'not now' | 'too small'> {
    const par = this.parallel;
    const m = this.mode;
    if (!par || this.parallelStopped !== undefined || m.kind !== 'lines' || !this.format || this.sink === this.eventSink) return 'not now';
    const parser = m.parser;
    if (!isSplittableParser(parser) || this.splitter.isSkipping) return 'not now';
    const checkpoint = parser.checkpoint();
    if (!checkpoint) return 'not now';
    const begin = this.tail.position - this.splitter.pendingBytes;
    let size: number;
    try {
      size = (await fs.promises.stat(this.path)).size;
    } catch {
      return 'not now';
    }
    if (size - begin < par.minBytes) return 'too small';
    const lineBase = this.splitter.linesDone;
    const out = await readInParallel({
      file: this.path,
      format: this.format,
      checkpoint,
      begin,
      limit: size,
      lineBase,
      sink: this.sink,
      threads: par.threads,
      chunkBytes: par.chunkBytes,
      maxLine: this.maxLine,
    });
    if (out.stopped !== undefined) this.parallelStopped = out.stopped;
    if (out.lines === 0) return 'not now';
    this.parallelRead += out.pos - begin;
    this.splitter.continueAt(lineBase + out.lines);
    await this.tail.resumeAt(out.pos);
    return 'read';
  }

  /** Back to the state before the first byte (truncation, rotation, deletion). */
  private forget(): void {
    this.parallelStopped = undefined;
    this.mode = { kind: 'unsniffed' };
    this.format = undefined;
    this.splitter.reset();
    this.preSniff = [];
    this.preSniffLen = 0;
  }

  private async consume(chunk: Buffer, more: boolean, up: LogUpdate): Promise<void> {
    if (this.mode.kind === 'unsniffed') {
      if (chunk.length > 0) {
        this.preSniff.push(chunk);
        this.preSniffLen += chunk.length;
      }
      const head = Buffer.concat(this.preSniff);
      // Sniff the same head whatever the read chunk size: the first SNIFF_BYTES, or all there is now
      // (with at least one whole line), never the first chunk that happens to hold a newline.
      const decidable =
        head.length >= this.sniffBytes || (!more && head.indexOf(10) >= 0) || (head.length >= 12 && !more && isTfeventsName(this.path));
      if (!decidable && (more || head.length === 0)) return;
      const fmt = detectFormat(this.path, head.subarray(0, this.sniffBytes).toString('utf8'));
      // No whole line yet: only a whole-document format may take the file (a one-line JSON history
      // written without a final newline); a line format waits for its first line to end.
      if (!decidable && fmt?.kind !== 'document') return;
      this.preSniff = [];
      this.preSniffLen = 0;
      if (!fmt) {
        // A header alone may not be enough: wait for more lines (up to SNIFF_BYTES or 20 lines).
        if (head.length < this.sniffBytes && countNewlines(head, 20) < 20) {
          this.preSniff = [head];
          this.preSniffLen = head.length;
          return;
        }
        this.mode = { kind: 'unknown' };
        up.messages.push(`${this.path}: not a known log format`);
        return;
      }
      this.setFormat(fmt);
      const m = this.mode as Mode;
      if (m.kind === 'document') {
        await this.pollDocument(m, up);
        return;
      }
      this.feed(head, up);
      return;
    }
    this.feed(chunk, up);
  }

  private setFormat(fmt: LogFormat): void {
    this.format = fmt.id;
    if (fmt.kind === 'lines') this.mode = { kind: 'lines', parser: fmt.createParser(this.path) };
    else if (fmt.kind === 'chunks') this.mode = { kind: 'chunks', parser: fmt.createParser(this.path) };
    else this.mode = { kind: 'document', parser: fmt.createParser(this.path), sig: '' };
  }

  private feed(bytes: Buffer, up: LogUpdate): void {
    const m = this.mode;
    if (m.kind === 'lines') {
      const p = m.parser;
      const sink = this.sink;
      if (isByteParser(p)) {
        const msgs: string[] = [];
        const path = this.path;
        this.splitter.pushBytes(
          bytes,
          (buf, a, b, lineNo) => parseByteLines(p, buf, a, b, lineNo, sink, up.messages, path),
          msgs,
        );
        for (const msg of msgs) up.messages.push(`${this.path}: ${msg}`);
      } else {
        const b = this.splitter.push(bytes);
        for (const msg of b.messages) up.messages.push(`${this.path}: ${msg}`);
        parseLines(p, b.lines, b.firstLineNo, sink, up.messages, this.path);
      }
      drain(p, up.messages, this.path);
    } else if (m.kind === 'chunks') {
      try {
        eventsToSink(m.parser.push(bytes), this.sink);
      } catch (e) {
        up.messages.push(`${this.path}: ${e instanceof Error ? e.message : String(e)}`);
      }
      for (const msg of m.parser.drainMessages()) up.messages.push(`${this.path}: ${msg}`);
    }
  }

  private async pollDocument(m: Extract<Mode, { kind: 'document' }>, up: LogUpdate): Promise<void> {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(this.path);
    } catch {
      // Gone (deleted, rotated away) or unreadable: reported as missing, its points forgotten.
      up.missing = true;
      this.forget();
      this.docParsedOnce = false;
      return;
    }
    const sig = `${st.size}:${st.mtimeMs}:${st.ino}`;
    if (sig === m.sig) return;
    if (st.size > this.maxDocument) {
      m.sig = sig;
      up.messages.push(`${this.path}: ${st.size} bytes is too large to re-read as a document, skipped`);
      return;
    }
    let text: string;
    try {
      text = await fs.promises.readFile(this.path, 'utf8');
    } catch {
      up.missing = true; // gone between the stat and the read: reported as missing
      return;
    }
    m.sig = sig;
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let events: MetricEvent[] = [];
    try {
      events = m.parser.parseDocument(text);
    } catch (e) {
      up.messages.push(`${this.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    drain(m.parser, up.messages, this.path);
    if (this.docParsedOnce) {
      up.reset = true;
      // The document replaces the file's points: earlier ones of this poll go too.
      up.events.length = 0;
      this.sink.reset?.();
    }
    this.docParsedOnce = true;
    eventsToSink(events, this.sink);
  }
}

function countNewlines(b: Buffer, limit: number): number {
  let n = 0;
  let i = b.indexOf(10);
  while (i >= 0 && n < limit) {
    n++;
    i = b.indexOf(10, i + 1);
  }
  return n;
}

function isTfeventsName(path: string): boolean {
  return /tfevents/i.test(path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1));
}

function parseLines(
  parser: LineParser,
  lines: readonly string[],
  firstLineNo: number,
  sink: PointSink,
  messages: string[],
  path: string,
): void {
  const direct = isSinkParser(parser) ? parser : undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length === 0) continue;
    try {
      if (direct) direct.parseLineTo(line, firstLineNo + i, sink);
      else eventsToSink(parser.parseLine(line, firstLineNo + i), sink);
    } catch (e) {
      if (messages.length < 50) messages.push(`${path}:${firstLineNo + i}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/**
 * The byte path: the parser reads `buf[a, b)` (whole lines) itself. It does not throw on bad input; if
 * it does anyway, the range's lines are skipped with a message and the numbering stays right.
 */
function parseByteLines(
  parser: ByteLineParser,
  buf: Buffer,
  a: number,
  b: number,
  firstLineNo: number,
  sink: PointSink,
  messages: string[],
  path: string,
): number {
  try {
    return parser.parseBytes(buf, a, b, firstLineNo, sink);
  } catch (e) {
    if (messages.length < 50) messages.push(`${path}:${firstLineNo}: ${e instanceof Error ? e.message : String(e)}`);
    let n = 0;
    for (let i = buf.indexOf(10, a); i >= 0 && i < b; i = buf.indexOf(10, i + 1)) n++;
    return n;
  }
}

function drain(parser: object, messages: string[], path: string): void {
  if (hasMessages(parser)) for (const m of parser.drainMessages()) messages.push(`${path}: ${m}`);
}

/**
 * Parses the text of an open editor buffer (the whole text; the last line needs no newline).
 * Binary formats cannot be read from editor text and yield a message.
 */
export function parseLogText(path: string, text: string): { format?: FormatId; events: MetricEvent[]; messages: string[] } {
  const messages: string[] = [];
  const events: MetricEvent[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let fmt: LogFormat | undefined;
  try {
    fmt = detectFormat(path, body.slice(0, SNIFF_BYTES));
  } catch (err) {
    recovered('detectFormat', err);
    fmt = undefined;
  }
  if (!fmt) return { events, messages: [`${path}: not a known log format`] };
  try {
    if (fmt.kind === 'document') {
      const p = fmt.createParser(path);
      for (const e of p.parseDocument(body)) events.push(e);
      drain(p, messages, path);
    } else if (fmt.kind === 'chunks') {
      messages.push(`${path}: ${fmt.id} is a binary format; it is read from disk, not from the editor`);
    } else {
      const p = fmt.createParser(path);
      const sink = new EventSink(events);
      let a = 0;
      let lineNo = 0;
      const batch: string[] = [''];
      while (a <= body.length) {
        let b = body.indexOf('\n', a);
        if (b < 0) b = body.length;
        lineNo++;
        if (b - a > MAX_LINE) messages.push(`${path}:${lineNo}: longer than ${MAX_LINE} characters, skipped`);
        else if (b > a) {
          batch[0] = body.charCodeAt(b - 1) === 13 ? body.slice(a, b - 1) : body.slice(a, b);
          parseLines(p, batch, lineNo, sink, messages, path);
        }
        a = b + 1;
      }
      drain(p, messages, path);
    }
  } catch (e) {
    messages.push(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { format: fmt.id, events, messages };
}
