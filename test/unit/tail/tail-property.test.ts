/**
 * Property: random sequences of appends (split at any byte, including inside a UTF-8 character or
 * between `\r` and `\n`), truncations, rotations (rename + new file), rewrites and in-place edits of
 * the bytes just before the read offset, polled at random points. The oracle knows the content now at
 * the path; after polling until `more: false`:
 * - the lines seen since the last reported reset equal the oracle's complete lines (nothing lost,
 *   nothing doubled), through both splitter paths: `push` (strings, LineTail) and `pushBytes` (byte
 *   ranges, the path of the byte parsers in logfile.ts);
 * - a file that only grew since the last poll is not reported as reset (a spurious reset re-reads the
 *   whole file and would hide an offset bug from the first check).
 *
 * Files grow past the 256-byte head fingerprint (bulk appends), so the check of the 64 bytes before
 * the offset is what must notice an edit there; `examples` pin one case of each detection path so that
 * they run whatever the seed.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { LineSplitter, LineTail, TailFollower, type TailResult } from '../../../src/core/tail/tail';
import { fcParams } from '../../helpers/fc';

type Op =
  | { kind: 'append'; bytes: number[] }
  | { kind: 'truncate'; keep: number }
  | { kind: 'rotate'; bytes: number[] }
  | { kind: 'rewrite'; bytes: number[] }
  /** Changes the byte `back` bytes before the offset of the last poll (the file keeps its length). */
  | { kind: 'edit'; back: number }
  | { kind: 'poll' };

// Bytes biased towards line structure, CR, multi-byte UTF-8 and invalid bytes.
const byte = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x61, max: 0x66 }) },
  { weight: 2, arbitrary: fc.constant(0x0a) },
  { weight: 1, arbitrary: fc.constant(0x0d) },
  { weight: 1, arbitrary: fc.constantFrom(0xe2, 0x80, 0x96, 0xf0, 0x9f, 0x98, 0x80, 0xff) },
);
const bytes = fc.array(byte, { maxLength: 40 });
const bulk = fc.array(byte, { minLength: 100, maxLength: 400 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: bytes.map((b) => ({ kind: 'append' as const, bytes: b })) },
  { weight: 2, arbitrary: bulk.map((b) => ({ kind: 'append' as const, bytes: b })) },
  { weight: 5, arbitrary: fc.constant({ kind: 'poll' as const }) },
  { weight: 1, arbitrary: fc.nat({ max: 600 }).map((k) => ({ kind: 'truncate' as const, keep: k })) },
  { weight: 1, arbitrary: bytes.map((b) => ({ kind: 'rotate' as const, bytes: b })) },
  { weight: 1, arbitrary: bytes.map((b) => ({ kind: 'rewrite' as const, bytes: b })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 64 }).map((back) => ({ kind: 'edit' as const, back })) },
);

// Reads end on chunk boundaries; small chunks (the follower's least is 16 bytes) put more of them in a file.
const chunkSizes = fc.oneof(fc.integer({ min: 16, max: 24 }), fc.integer({ min: 16, max: 96 }));

/** Complete lines of `content` as the tail must deliver them. */
function oracleLines(content: Buffer): string[] {
  const last = content.lastIndexOf(10);
  if (last < 0) return [];
  return content
    .subarray(0, last)
    .toString('utf8')
    .split('\n')
    .map(stripCr);
}

function stripCr(l: string): string {
  return l.endsWith('\r') ? l.slice(0, -1) : l;
}

/** `n` bytes of lines `line 0\n`, `line 1\n`, … (plain ASCII, so an edit is visible in the text). */
function lines(n: number): number[] {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `line ${i}\n`;
  return [...Buffer.from(s.slice(0, n))];
}

/** The byte path: pushBytes hands whole-line ranges; decode them as a byte parser would. */
class BytePathReader {
  private readonly follower: TailFollower;
  private readonly splitter = new LineSplitter();
  seen: string[] = [];

  /** `streamBytes`: read through `stream(streamBytes)` (LogFile's way) instead of one `poll()` per chunk. */
  constructor(
    file: string,
    chunkSize: number,
    private readonly streamBytes?: number,
  ) {
    this.follower = new TailFollower(file, { chunkSize });
  }

  private async *results(): AsyncGenerator<TailResult> {
    for (;;) {
      if (this.streamBytes === undefined) yield await this.follower.poll();
      else yield* this.follower.stream(this.streamBytes);
    }
  }

  /** Polls until `more: false`, which must mean the whole file was read; returns whether a reset was reported. */
  async pollAll(size: number): Promise<boolean> {
    let reset = false;
    for await (const r of this.results()) {
      if (r.reset || r.missing) {
        this.splitter.reset();
        this.seen = [];
        reset ||= r.reset;
      }
      this.splitter.pushBytes(
        r.chunk,
        (buf, start, end, firstLineNo) => {
          assert.equal(firstLineNo, this.seen.length + 1, 'pushBytes: line numbers continue');
          let n = 0;
          for (let a = start; a < end; ) {
            let b = buf.indexOf(10, a);
            if (b < 0 || b >= end) b = end;
            this.seen.push(stripCr(buf.toString('utf8', a, b)));
            n++;
            a = b + 1;
          }
          return n;
        },
        [],
      );
      if (!r.more) {
        assert.equal(this.follower.position, size, '`more: false` before the end of the file');
        return reset;
      }
    }
    throw new Error('unreachable');
  }
}

describe('tail property (oracle)', function () {
  this.timeout(600_000);

  it('never loses or doubles a line, through push and pushBytes, and never resets a file that only grew', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-tailprop-'));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), chunkSizes, fc.integer({ min: 1, max: 300 }), async (ops, chunkSize, streamBytes) => {
        const f = path.join(root, `r${run++}.log`);
        let content: Buffer = Buffer.alloc(0);
        let gen = 0;
        /** Length of the file at the last poll: the readers' offset. */
        let offset = 0;
        /** Something other than an append happened since the last poll: a reset is allowed. */
        let mayReset = false;
        fs.writeFileSync(f, content);
        const tail = new LineTail(f, { chunkSize });
        const byteReader = new BytePathReader(f, chunkSize);
        const streamReader = new BytePathReader(f, chunkSize, streamBytes);
        let seen: string[] = [];
        const pollAll = async (): Promise<void> => {
          for (;;) {
            const r = await tail.poll();
            if (r.reset) seen = [];
            assert.ok(!r.reset || mayReset, 'push path: reset reported for a file that only grew');
            assert.equal(r.firstLineNo, seen.length + 1);
            seen.push(...r.lines);
            if (!r.more) break;
          }
          assert.deepEqual(seen, oracleLines(content), 'push path');
          const byteReset = await byteReader.pollAll(content.length);
          assert.ok(!byteReset || mayReset, 'pushBytes path: reset reported for a file that only grew');
          assert.deepEqual(byteReader.seen, oracleLines(content), 'pushBytes path');
          const streamReset = await streamReader.pollAll(content.length);
          assert.ok(!streamReset || mayReset, 'stream: reset reported for a file that only grew');
          assert.deepEqual(streamReader.seen, oracleLines(content), 'stream (several chunks per open)');
          offset = content.length;
          mayReset = false;
        };
        const fresh = (b: number[]): Buffer => Buffer.concat([Buffer.from(`gen ${++gen}\n`), Buffer.from(b)]);
        for (const o of [...ops, { kind: 'poll' as const }]) {
          switch (o.kind) {
            case 'append':
              fs.appendFileSync(f, Buffer.from(o.bytes));
              content = Buffer.concat([content, Buffer.from(o.bytes)]);
              break;
            case 'truncate':
              if (o.keep < content.length) mayReset = true;
              content = content.subarray(0, Math.min(o.keep, content.length));
              fs.truncateSync(f, content.length);
              break;
            case 'rotate':
              mayReset = true;
              fs.renameSync(f, `${f}.old`);
              content = fresh(o.bytes);
              fs.writeFileSync(f, content);
              break;
            case 'rewrite':
              mayReset = true;
              content = fresh(o.bytes);
              fs.writeFileSync(f, content);
              break;
            case 'edit': {
              const at = offset - o.back;
              if (at < 0 || at >= content.length) break;
              mayReset = true;
              // A letter unlike the old byte, so the edited line reads differently whatever it held.
              const old = content[at];
              content = Buffer.from(content);
              content[at] = old === 0x7a ? 0x79 : 0x7a;
              fs.writeFileSync(f, content);
              break;
            }
            case 'poll':
              await pollAll();
              break;
          }
        }
      }),
      {
        ...fcParams<[Op[], number, number]>(200, { fuzz: true }),
        examples: [
          // Past the head fingerprint, an edit 1 and 64 bytes before the offset: only the tail check sees it.
          [[{ kind: 'append', bytes: lines(400) }, { kind: 'poll' }, { kind: 'edit', back: 1 }, { kind: 'poll' }], 16, 50],
          [[{ kind: 'append', bytes: lines(700) }, { kind: 'poll' }, { kind: 'edit', back: 64 }, { kind: 'append', bytes: lines(10) }], 96, 50],
          // Appends between polls at every chunk size: no reset, each line once.
          [[{ kind: 'append', bytes: lines(300) }, { kind: 'poll' }, { kind: 'append', bytes: lines(33) }, { kind: 'poll' }, { kind: 'append', bytes: [0x61] }], 17, 50],
          // The last read stops one byte short of the end, and that byte ends a line: 33 bytes in chunks of 16.
          [[{ kind: 'append', bytes: [...lines(32), 0x0a] }], 16, 50],
          // Truncated below the offset then grown past it again: seen only through size < offset at the poll in between.
          [[{ kind: 'append', bytes: lines(300) }, { kind: 'poll' }, { kind: 'truncate', keep: 299 }, { kind: 'poll' }, { kind: 'append', bytes: lines(20) }], 64, 50],
        ],
      },
    );
  });
});
