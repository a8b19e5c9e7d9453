/**
 * Following a growing log file by byte offset.
 *
 * `TailFollower` yields the bytes appended since the last poll, in bounded chunks, and detects that
 * the file was truncated, rotated or rewritten (size < offset, inode change, or changed bytes at the
 * start of the file or just before the offset), answering `reset: true` and re-reading from 0.
 * `LineSplitter` turns those bytes into complete lines (`\n` or `\r\n`), holding a partial last line
 * back and decoding UTF-8 only across whole lines, so a multi-byte character split between two reads
 * is decoded correctly; invalid bytes become U+FFFD. `LineTail` is the two together.
 *
 * Invariant (tested against an oracle): after a poll that reports `more: false`, the lines delivered
 * since the last `reset` are exactly the complete lines of the file as it is now: none lost, none
 * doubled. (Bytes appended to a file *after* it was renamed away are not read: it is no longer at the
 * path. The file is opened per poll, so a watcher of thousands of files holds no descriptors.)
 */
import * as fs from 'fs';

export interface TailResult {
  /** The file was truncated/rotated/rewritten: forget what was read before; `chunk` starts at byte 0. */
  reset: boolean;
  /** Bytes appended since the last poll (possibly ending mid-line or mid-character). */
  chunk: Buffer;
  /** The file does not exist (deleted, or not yet created); when it reappears the next poll resets. */
  missing: boolean;
  /** More bytes are available than one chunk: poll again. */
  more: boolean;
}

export interface TailOptions {
  /** Largest read per poll (default DEFAULT_CHUNK). */
  chunkSize?: number;
}

/**
 * 1 MiB per read. 8 MiB (fewer polls, each a stat, an open, two fingerprint reads and a close on
 * libuv's pool besides its read) was measured slower: the same CPU time, but a cold 256 MB CSV took
 * about 1.5× the wall time on a loaded 2-core machine (6 alternated pairs), probably because a chunk
 * that no longer fits the cache is read back from memory by the parser.
 */
export const DEFAULT_CHUNK = 1 << 20;

/** Bytes compared at the start of the file and just before the offset on every poll. */
const HEAD_FP = 256;
const TAIL_FP = 64;
const EMPTY = Buffer.alloc(0);

export class TailFollower {
  private offset = 0;
  private ino: number | undefined;
  private headFp: Buffer = EMPTY;
  private tailFp: Buffer = EMPTY;
  /** Bytes were delivered since the last reset, so the next reset must be reported. */
  private delivered = false;
  /** A reset happened (possibly while the file was missing) and was not reported yet. */
  private mustReport = false;
  private readonly chunkSize: number;

  constructor(
    readonly path: string,
    opts: TailOptions = {},
  ) {
    this.chunkSize = Math.max(16, opts.chunkSize ?? DEFAULT_CHUNK);
  }

  /** Byte offset of the next read. */
  get position(): number {
    return this.offset;
  }

  /** What was appended since the last poll: one chunk (see `stream` for several from one open). */
  async poll(): Promise<TailResult> {
    for await (const r of this.stream(1)) return r;
    return { reset: false, chunk: EMPTY, missing: true, more: false }; // not reached: a stream yields at least once
  }

  /**
   * What `poll()` answers, repeatedly, from one open of the file: up to `maxBytes` in chunks, the next
   * chunk read while the caller handles the current one (each `poll()` is six round trips to libuv's
   * pool — stat, open, fstat, two fingerprint reads, close — besides its read: a fifth of a cold
   * 256 MB read was spent waiting on them). Stops after a chunk that says `more: false`, or once
   * `maxBytes` are yielded (that chunk says `more: true`); a caller may stop early (the prefetched read
   * is dropped, the offset is that of what was yielded).
   */
  async *stream(maxBytes: number): AsyncGenerator<TailResult, void, undefined> {
    let fh: fs.promises.FileHandle;
    try {
      // Stat before opening: opening a FIFO (or a device) named like a log blocks until a writer
      // comes, holding one of libuv's few pool threads. Only regular files are followed.
      if (!(await fs.promises.stat(this.path)).isFile()) {
        yield this.missingResult();
        return;
      }
      fh = await fs.promises.open(this.path, 'r');
    } catch {
      yield this.missingResult(); // no such file, or not one we may open: missing, as the caller expects
      return;
    }
    let pending: Promise<{ buf: Buffer; n: number }> | undefined;
    try {
      const st = await fh.stat();
      if (!st.isFile()) {
        yield this.missingResult();
        return;
      }
      let reset = false;
      if (this.ino !== undefined && st.ino !== 0 && st.ino !== this.ino) reset = true;
      else if (st.size < this.offset) reset = true;
      else if (this.offset > 0 && !(await this.fingerprintsMatch(fh))) reset = true;
      this.ino = st.ino;
      if (reset) this.restart();
      const size = st.size;
      const file = fh;
      const readAt = (pos: number): Promise<{ buf: Buffer; n: number }> => {
        const buf = Buffer.allocUnsafe(Math.min(this.chunkSize, size - pos));
        return file.read(buf, 0, buf.length, pos).then((r) => ({ buf, n: r.bytesRead }));
      };
      if (size - this.offset <= 0) {
        yield { reset: this.takeReport(), chunk: EMPTY, missing: false, more: false };
        return;
      }
      let yielded = 0;
      let next = readAt(this.offset);
      pending = next;
      for (;;) {
        let r: { buf: Buffer; n: number };
        try {
          r = await next;
        } catch {
          pending = undefined;
          yield this.missingResult(); // the file went away mid-read (rotation): the next poll starts over
          return;
        }
        pending = undefined;
        const chunk = r.n === r.buf.length ? r.buf : r.buf.subarray(0, r.n);
        const report = this.takeReport();
        this.advance(chunk);
        yielded += chunk.length;
        const more = r.n === r.buf.length && this.offset < size;
        const goOn = more && yielded < maxBytes;
        if (goOn) {
          next = readAt(this.offset);
          pending = next;
        }
        yield { reset: report, chunk, missing: false, more };
        if (!goOn) return;
      }
    } finally {
      // Never close the file under a read still in flight.
      if (pending) await pending.catch(() => undefined);
      await fh.close().catch(() => undefined);
    }
  }

  /**
   * Continues after bytes read by someone else (a parallel read of the backlog): the next poll reads
   * from `offset`, with the fingerprints of the bytes before it, as if this follower had read them.
   */
  async resumeAt(offset: number): Promise<void> {
    this.offset = offset;
    this.delivered = true;
    this.headFp = EMPTY;
    this.tailFp = EMPTY;
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(this.path, 'r');
    } catch {
      return; // gone: the next poll says missing and starts over
    }
    try {
      const headLen = Math.min(HEAD_FP, offset);
      const head = Buffer.alloc(headLen);
      const tailLen = Math.min(TAIL_FP, offset);
      const tail = Buffer.alloc(tailLen);
      const h = await fh.read(head, 0, headLen, 0);
      const t = await fh.read(tail, 0, tailLen, offset - tailLen);
      // Short reads: the file shrank meanwhile; the next poll sees its size below the offset and resets.
      if (h.bytesRead === headLen && t.bytesRead === tailLen) {
        this.headFp = head;
        this.tailFp = tail;
      }
    } catch {
      // unreadable now: as above, the next poll decides
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  private takeReport(): boolean {
    const r = this.mustReport;
    this.mustReport = false;
    return r;
  }

  private missingResult(): TailResult {
    // Forget the position: whatever appears at the path next is a new file.
    if (this.offset > 0 || this.ino !== undefined) this.restart();
    this.ino = undefined;
    return { reset: false, chunk: EMPTY, missing: true, more: false };
  }

  private restart(): void {
    if (this.delivered) this.mustReport = true;
    this.delivered = false;
    this.offset = 0;
    this.headFp = EMPTY;
    this.tailFp = EMPTY;
  }

  private advance(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.headFp.length < HEAD_FP && this.offset < HEAD_FP) {
      const add = chunk.subarray(0, HEAD_FP - this.offset);
      this.headFp = Buffer.concat([this.headFp, add]);
    }
    if (chunk.length >= TAIL_FP) this.tailFp = Buffer.from(chunk.subarray(chunk.length - TAIL_FP));
    else {
      const both = Buffer.concat([this.tailFp, chunk]);
      this.tailFp = both.subarray(Math.max(0, both.length - TAIL_FP));
    }
    this.offset += chunk.length;
    this.delivered = true;
  }

  /** True when the bytes we remember (file start, and the bytes before the offset) are unchanged. */
  private async fingerprintsMatch(fh: fs.promises.FileHandle): Promise<boolean> {
    if (this.headFp.length > 0) {
      const b = Buffer.alloc(this.headFp.length);
      const { bytesRead } = await fh.read(b, 0, b.length, 0);
      if (bytesRead !== b.length || !b.equals(this.headFp)) return false;
    }
    if (this.tailFp.length > 0 && this.offset > this.headFp.length) {
      const b = Buffer.alloc(this.tailFp.length);
      const { bytesRead } = await fh.read(b, 0, b.length, this.offset - b.length);
      if (bytesRead !== b.length || !b.equals(this.tailFp)) return false;
    }
    return true;
  }
}

export interface LineBatch {
  /** Complete lines, without `\n`/`\r\n`; a skipped over-long line is delivered as `''`. */
  lines: string[];
  /** 1-based line number of `lines[0]`. */
  firstLineNo: number;
  messages: string[];
}

/**
 * Bytes → complete lines. Keeps the partial last line as bytes; a line longer than `maxLine` bytes is
 * skipped (delivered as an empty line, so numbering stays right) with a message.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private skipping = false;
  private lineNo = 0;

  constructor(private readonly maxLine = 1 << 20) {}

  reset(): void {
    this.pending = [];
    this.pendingLen = 0;
    this.skipping = false;
    this.lineNo = 0;
  }

  /** Bytes held back (the partial last line). */
  get pendingBytes(): number {
    return this.pendingLen;
  }

  /** Lines delivered (or skipped) so far. */
  get linesDone(): number {
    return this.lineNo;
  }

  /** Whether the splitter is skipping an over-long line (its rest must come through `push`). */
  get isSkipping(): boolean {
    return this.skipping;
  }

  /** Continues at line `lineNo` + 1 with nothing held back: the lines in between were read elsewhere. */
  continueAt(lineNo: number): void {
    this.pending = [];
    this.pendingLen = 0;
    this.skipping = false;
    this.lineNo = lineNo;
  }

  push(chunk: Buffer): LineBatch {
    if (chunk.length > this.maxLine) {
      // In pieces of maxLine bytes, so a line longer than maxLine always ends up held back and is
      // skipped, however large the read (see pushBytes).
      const all: LineBatch = { lines: [], firstLineNo: this.lineNo + 1, messages: [] };
      for (let a = 0; a < chunk.length; a += this.maxLine) {
        const b = this.push(chunk.subarray(a, Math.min(chunk.length, a + this.maxLine)));
        for (const line of b.lines) all.lines.push(line);
        for (const m of b.messages) all.messages.push(m);
      }
      return all;
    }
    const batch: LineBatch = { lines: [], firstLineNo: this.lineNo + 1, messages: [] };
    if (chunk.length === 0) return batch;
    const first = chunk.indexOf(10);
    if (first < 0) {
      this.hold(chunk, batch);
      return batch;
    }
    // The line that was pending, completed by the start of this chunk.
    if (this.skipping) {
      this.skipping = false;
      this.emit('', batch);
    } else if (this.pendingLen + first > this.maxLine) {
      this.tooLong(batch);
      this.emit('', batch);
    } else if (this.pendingLen > 0) {
      this.pending.push(chunk.subarray(0, first));
      this.emit(Buffer.concat(this.pending).toString('utf8'), batch);
    } else {
      this.emit(chunk.toString('utf8', 0, first), batch);
    }
    this.pending = [];
    this.pendingLen = 0;
    const last = chunk.lastIndexOf(10);
    if (last > first) {
      // One decode for the whole run of complete lines: cheaper than one per line, and `\n` bytes
      // can never be inside a multi-byte character, so the boundaries are safe.
      const text = chunk.toString('utf8', first + 1, last);
      let a = 0;
      for (;;) {
        const b = text.indexOf('\n', a);
        if (b < 0) {
          this.emit(text.slice(a), batch);
          break;
        }
        this.emit(text.slice(a, b), batch);
        a = b + 1;
      }
    }
    if (last + 1 < chunk.length) this.hold(chunk.subarray(last + 1), batch);
    return batch;
  }

  /**
   * The byte form of `push` (no string per line): hands `consume` ranges of whole lines, each ended by
   * `\n` — the pending line completed by this chunk (a small copy), then one range over the rest of
   * the chunk's complete lines, in place. `consume` returns how many lines it read (the number of
   * `\n` in the range). A line over `maxLine` is skipped with a message, as in `push`.
   */
  pushBytes(
    chunk: Buffer,
    consume: (buf: Buffer, start: number, end: number, firstLineNo: number) => number,
    messages: string[],
  ): void {
    if (chunk.length > this.maxLine) {
      // A line wholly inside one read is handed to the parser without a length check: reading in
      // pieces of maxLine bytes makes every longer line span pieces, held back and skipped.
      for (let a = 0; a < chunk.length; a += this.maxLine) this.pushBytes(chunk.subarray(a, Math.min(chunk.length, a + this.maxLine)), consume, messages);
      return;
    }
    if (chunk.length === 0) return;
    const first = chunk.indexOf(10);
    if (first < 0) {
      const batch: LineBatch = { lines: [], firstLineNo: this.lineNo + 1, messages };
      this.hold(chunk, batch);
      return;
    }
    if (this.skipping) {
      this.skipping = false;
      this.lineNo++;
    } else if (this.pendingLen + first > this.maxLine) {
      messages.push(`line ${this.lineNo + 1}: longer than ${this.maxLine} bytes, skipped`);
      this.lineNo++;
    } else if (this.pendingLen > 0) {
      this.pending.push(chunk.subarray(0, first + 1));
      const line = Buffer.concat(this.pending);
      consume(line, 0, line.length, this.lineNo + 1);
      this.lineNo++;
    } else {
      consume(chunk, 0, first + 1, this.lineNo + 1);
      this.lineNo++;
    }
    this.pending = [];
    this.pendingLen = 0;
    const last = chunk.lastIndexOf(10);
    if (last > first) this.lineNo += consume(chunk, first + 1, last + 1, this.lineNo + 1);
    if (last + 1 < chunk.length) {
      const batch: LineBatch = { lines: [], firstLineNo: this.lineNo + 1, messages };
      this.hold(chunk.subarray(last + 1), batch);
    }
  }

  private emit(line: string, batch: LineBatch): void {
    this.lineNo++;
    const n = line.length;
    batch.lines.push(n > 0 && line.charCodeAt(n - 1) === 13 ? line.slice(0, n - 1) : line);
  }

  private hold(bytes: Buffer, batch: LineBatch): void {
    if (this.skipping) return;
    if (this.pendingLen + bytes.length > this.maxLine) {
      this.tooLong(batch);
      this.pending = [];
      this.pendingLen = 0;
      this.skipping = true;
      return;
    }
    // Copy: the caller's buffer may be reused.
    this.pending.push(Buffer.from(bytes));
    this.pendingLen += bytes.length;
  }

  private tooLong(batch: LineBatch): void {
    batch.messages.push(`line ${this.lineNo + 1}: longer than ${this.maxLine} bytes, skipped`);
  }
}

export interface LinePoll extends LineBatch {
  reset: boolean;
  missing: boolean;
  more: boolean;
}

/** A TailFollower feeding a LineSplitter: complete lines of a growing file. */
export class LineTail {
  private readonly follower: TailFollower;
  private readonly splitter: LineSplitter;

  constructor(
    readonly path: string,
    opts: TailOptions & { maxLine?: number } = {},
  ) {
    this.follower = new TailFollower(path, opts);
    this.splitter = new LineSplitter(opts.maxLine);
  }

  async poll(): Promise<LinePoll> {
    const r = await this.follower.poll();
    if (r.reset || r.missing) this.splitter.reset();
    const b = this.splitter.push(r.chunk);
    return { ...b, reset: r.reset, missing: r.missing, more: r.more };
  }
}
