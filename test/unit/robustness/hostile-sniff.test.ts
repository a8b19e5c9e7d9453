/**
 * Issue 13, degraded: the plain-log sniff ran regular expressions that were quadratic (PAIR_HINT on a
 * long word) and cubic (the epoch hint on a run of blanks) in a line's length, on every file's head.
 * The rewrites must find exactly what the old expressions found, in linear time.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { maskedCrc32c } from '../../../src/core/formats/crc32c';
import { EPOCH_HINT, hasPairHint, plain } from '../../../src/core/formats/plain';
import { TensorBoardParser } from '../../../src/core/formats/tensorboard';
import { LogFile } from '../../../src/core/logfile';
import { fcParams } from '../../helpers/fc';

/** The expressions as they were (the specification of what the sniff looks for). */
const OLD_PAIR_HINT = /[A-Za-z_][\w/@.-]*\s*[:=]\s*[-+]?(?:\d|nan\b|inf\b)/i;
const OLD_EPOCH_HINT = /\b(?:epoch|ep|iter|step)\b\s*[:=[]?\s*\[?\s*\d/i;

const pieces = fc.constantFrom('a', 'Z', '_', '1', '9', '/', '@', '.', '-', ' ', '\t', ':', '=', '[', '+', 'nan', 'inf', 'NaN', 'epoch', 'ep', 'iter', 'step', 'x', ',', '|');
const lines = fc.array(pieces, { maxLength: 30 }).map((a) => a.join(''));

describe('plain sniff in linear time (issue 13)', () => {
  it('hasPairHint and EPOCH_HINT find what the old expressions found', () => {
    fc.assert(
      fc.property(lines, (l) => {
        assert.equal(hasPairHint(l), OLD_PAIR_HINT.test(l), JSON.stringify(l));
        assert.equal(EPOCH_HINT.test(l), OLD_EPOCH_HINT.test(l), JSON.stringify(l));
      }),
      fcParams(5000),
    );
  });

  it('a 64 KB head of long words or of blanks after `epoch` sniffs in milliseconds', () => {
    const heads = [`${'a'.repeat(4000)}\n`.repeat(16), `epoch${' '.repeat(4000)}x\n`.repeat(16), `${'a.'.repeat(2000)}\n`.repeat(16)];
    for (const head of heads) {
      const t0 = Date.now();
      plain.sniff('train.log', head);
      const ms = Date.now() - t0;
      // Before: 0.2 s for the first, minutes for the second.
      assert.ok(ms < 200, `${ms} ms`);
    }
  });
});

/** A TFRecord header (length and its masked CRC-32C) announcing `len` bytes of data. */
function tfrecordHeader(len: number): Uint8Array {
  const h = new Uint8Array(12);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, len >>> 0, true);
  dv.setUint32(4, Math.floor(len / 2 ** 32), true);
  dv.setUint32(8, maskedCrc32c(h, 0, 8), true);
  return h;
}

/** LOG_FORMATS.md section 4's simple_value record: tag `loss`, step 10, value 0.5. */
const SIMPLE = Uint8Array.from(
  '1a 00 00 00 00 00 00 00 12 9b d8 2d 09 00 00 60 40 fc 54 d9 41 10 0a 2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 00 3f 44 b8 88 95'.split(' ').map((h) => parseInt(h, 16)),
);

describe('bounded reads of what is not a log (issue 13)', function () {
  this.timeout(60_000);

  it('a file of no known format is not read to its end', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-hostile-unknown-'));
    const file = path.join(dir, 'train.log');
    // 64 MB of binary named like a log (a core dump, a checkpoint; STRESS: 1 GB): no format claims
    // it, and reading it all is what must not happen.
    const size = process.env.STRESS === '1' ? 1 << 30 : 64 << 20;
    const fd = fs.openSync(file, 'w');
    const block = Buffer.from('\0\x01binary\n'.repeat(100_000));
    for (let n = 0; n < size; n += block.length) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const reader = new LogFile(file);
    const t0 = Date.now();
    const up = await reader.poll();
    assert.equal(up.more, false);
    assert.ok(up.messages.some((m) => m.includes('not a known log format')));
    assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a tfevents record claiming 256 MiB is passed over without being held, and the next record is read', () => {
    const parser = new TensorBoardParser('/r/events.out.tfevents.1.host');
    const huge = 200 * 1024 * 1024;
    const header = tfrecordHeader(huge);
    const before = process.memoryUsage().arrayBuffers;
    parser.push(header);
    const chunk = new Uint8Array(1 << 20);
    for (let n = 0; n < huge + 4; n += chunk.length) parser.push(chunk.subarray(0, Math.min(chunk.length, huge + 4 - n)));
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 << 20, 'the record was not buffered');
    const events = parser.push(SIMPLE);
    assert.deepEqual(
      events.map((e) => [e.rawName, e.step, e.value]),
      [['loss', 10, 0.5]],
    );
    assert.ok(parser.drainMessages().some((m) => m.includes('too large for a scalar event')));
  });
});
