/**
 * Property: random sequences of appends (split at any byte, including inside a UTF-8 character or
 * between `\r` and `\n`), truncations, rotations (rename + new file) and rewrites, polled at random
 * points. The oracle knows the content now at the path; after polling until `more: false`, the
 * lines seen since the last reported reset must equal the oracle's complete lines: nothing lost,
 * nothing doubled.
 *
 * A rewrite/rotation changes the first line (a generation counter), as the spec's detection
 * assumes (size < offset, inode change, or changed first bytes). A rewrite that keeps every byte up
 * to the offset needs no reset, and the property still holds for it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { LineTail } from '../../../src/core/tail/tail';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

type Op =
  | { kind: 'append'; bytes: number[] }
  | { kind: 'truncate'; keep: number }
  | { kind: 'rotate'; bytes: number[] }
  | { kind: 'rewrite'; bytes: number[] }
  | { kind: 'poll' };

// Bytes biased towards line structure, CR, multi-byte UTF-8 and invalid bytes.
const byte = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x61, max: 0x66 }) },
  { weight: 2, arbitrary: fc.constant(0x0a) },
  { weight: 1, arbitrary: fc.constant(0x0d) },
  { weight: 1, arbitrary: fc.constantFrom(0xe2, 0x80, 0x96, 0xf0, 0x9f, 0x98, 0x80, 0xff) },
);
const bytes = fc.array(byte, { maxLength: 40 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: bytes.map((b) => ({ kind: 'append' as const, bytes: b })) },
  { weight: 4, arbitrary: fc.constant({ kind: 'poll' as const }) },
  { weight: 1, arbitrary: fc.nat({ max: 60 }).map((k) => ({ kind: 'truncate' as const, keep: k })) },
  { weight: 1, arbitrary: bytes.map((b) => ({ kind: 'rotate' as const, bytes: b })) },
  { weight: 1, arbitrary: bytes.map((b) => ({ kind: 'rewrite' as const, bytes: b })) },
);

/** Complete lines of `content` as the tail must deliver them. */
function oracleLines(content: Buffer): string[] {
  const last = content.lastIndexOf(10);
  if (last < 0) return [];
  return content
    .subarray(0, last)
    .toString('utf8')
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

describe('tail property (oracle)', function () {
  this.timeout(600_000);

  it(`never loses or doubles a line (${RUNS} runs)`, async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-tailprop-'));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), fc.integer({ min: 1, max: 64 }), async (ops, chunkSize) => {
        const f = path.join(root, `r${run++}.log`);
        let content: Buffer = Buffer.alloc(0);
        let gen = 0;
        fs.writeFileSync(f, content);
        const tail = new LineTail(f, { chunkSize });
        let seen: string[] = [];
        const pollAll = async (): Promise<void> => {
          for (;;) {
            const r = await tail.poll();
            if (r.reset) seen = [];
            assert.equal(r.firstLineNo, seen.length + 1);
            seen.push(...r.lines);
            if (!r.more) break;
          }
          assert.deepEqual(seen, oracleLines(content));
        };
        const fresh = (b: number[]): Buffer => Buffer.concat([Buffer.from(`gen ${++gen}\n`), Buffer.from(b)]);
        for (const o of [...ops, { kind: 'poll' as const }]) {
          switch (o.kind) {
            case 'append':
              fs.appendFileSync(f, Buffer.from(o.bytes));
              content = Buffer.concat([content, Buffer.from(o.bytes)]);
              break;
            case 'truncate':
              content = content.subarray(0, Math.min(o.keep, content.length));
              fs.truncateSync(f, content.length);
              break;
            case 'rotate':
              fs.renameSync(f, `${f}.old`);
              content = fresh(o.bytes);
              fs.writeFileSync(f, content);
              break;
            case 'rewrite':
              content = fresh(o.bytes);
              fs.writeFileSync(f, content);
              break;
            case 'poll':
              await pollAll();
              break;
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
