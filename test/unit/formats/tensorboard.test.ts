/** TensorBoard framing and decoding against the test vectors of LOG_FORMATS.md section 4. */
import { strict as assert } from 'node:assert';
import { crc32c, maskedCrc32c } from '../../../src/core/formats/crc32c';
import { TensorBoardParser } from '../../../src/core/formats/tensorboard';

const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/).map((h) => parseInt(h, 16)));

const FILE_VERSION = hex(
  '18 00 00 00 00 00 00 00 a3 7f 4b 22 09 00 00 00 40 fc 54 d9 41 1a 0d 62 72 61 69 6e 2e 45 76 65 6e 74 3a 32 ec ed 8f 9d',
);
const SIMPLE = hex(
  '1a 00 00 00 00 00 00 00 12 9b d8 2d 09 00 00 60 40 fc 54 d9 41 10 0a 2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 00 3f 44 b8 88 95',
);
const TF2 = hex(
  `34 00 00 00 00 00 00 00 5e 33 17 5c 09 00 00 80 40 fc 54 d9 41 10 03 2a 27 0a 25 0a 0a 65 70 6f 63 68 5f 6c 6f 73 73
   42 0a 08 01 12 00 22 04 00 00 80 3e 4a 0b 0a 09 0a 07 73 63 61 6c 61 72 73 a0 ec c1 99`,
);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('tensorboard', () => {
  it('crc32c check value and masked CRCs of the vectors', () => {
    assert.equal(crc32c(new TextEncoder().encode('123456789')), 0xe3069283);
    assert.equal(FILE_VERSION.length, 40);
    assert.equal(SIMPLE.length, 42);
    assert.equal(TF2.length, 68);
    for (const r of [FILE_VERSION, SIMPLE, TF2]) {
      const dv = new DataView(r.buffer);
      assert.equal(maskedCrc32c(r, 0, 8), dv.getUint32(8, true));
      assert.equal(maskedCrc32c(r, 12, r.length - 4), dv.getUint32(r.length - 4, true));
    }
  });

  it('decodes the three records byte-exact: file_version (no event), simple_value, TF2 tensor', () => {
    const p = new TensorBoardParser('/x/events.out.tfevents.1.host');
    const evs = p.push(concat(FILE_VERSION, SIMPLE, TF2));
    assert.deepEqual(p.drainMessages(), []);
    assert.equal(evs.length, 2);
    assert.deepEqual(
      evs.map((e) => [e.name, e.rawName, e.value, e.step, e.epoch, e.line]),
      [
        ['train_loss', 'loss', 0.5, 10, undefined, 2],
        ['train_loss', 'epoch_loss', 0.25, 3, 3, 3],
      ],
    );
  });

  it('in a validation/ directory epoch_loss is val_loss', () => {
    const p = new TensorBoardParser('/run/validation/events.out.tfevents.1.host.v2');
    const evs = p.push(TF2);
    assert.equal(evs[0].name, 'val_loss');
  });

  it('bytes split at every position give the same events (short records wait)', () => {
    const all = concat(FILE_VERSION, SIMPLE, TF2);
    for (let cut = 0; cut <= all.length; cut++) {
      const p = new TensorBoardParser('events.out.tfevents.x');
      const a = p.push(all.subarray(0, cut));
      const b = p.push(all.subarray(cut));
      assert.deepEqual([...a, ...b].map((e) => e.value), [0.5, 0.25], `cut at ${cut}`);
    }
  });

  it('a record with a bad data CRC is skipped with a message; the next one is read', () => {
    const bad = SIMPLE.slice();
    bad[bad.length - 6] ^= 0xff; // inside the data
    const p = new TensorBoardParser('events.out.tfevents.x');
    const evs = p.push(concat(FILE_VERSION, bad, TF2));
    assert.deepEqual(evs.map((e) => e.value), [0.25]);
    assert.match(p.drainMessages().join('\n'), /bad data checksum/);
  });

  it('a record with a bad length CRC is resynchronised past', () => {
    const bad = SIMPLE.slice();
    bad[9] ^= 0x01;
    const p = new TensorBoardParser('events.out.tfevents.x');
    const evs = p.push(concat(FILE_VERSION, bad, TF2));
    assert.deepEqual(evs.map((e) => e.value), [0.25]);
    const msgs = p.drainMessages().join('\n');
    assert.match(msgs, /bad length checksum/);
    assert.match(msgs, /resynchronised/);
  });

  it('skips non-scalar tensor plugins and remembers a tag plugin across values', () => {
    // Same TF2 record with plugin name "histograms" instead of "scalars" would need new CRCs, so
    // build records here with our own CRC.
    const rec = (data: Uint8Array): Uint8Array => {
      const out = new Uint8Array(16 + data.length);
      const dv = new DataView(out.buffer);
      dv.setUint32(0, data.length, true);
      dv.setUint32(8, maskedCrc32c(out, 0, 8), true);
      out.set(data, 12);
      dv.setUint32(12 + data.length, maskedCrc32c(data), true);
      return out;
    };
    const str = (s: string): number[] => [s.length, ...new TextEncoder().encode(s)];
    const tensor = [0x42, 0x0a, 0x08, 0x01, 0x12, 0x00, 0x22, 0x04, 0x00, 0x00, 0x80, 0x3e];
    const meta = (plugin: string): number[] => {
      const pd = [0x0a, ...str(plugin)];
      const md = [0x0a, pd.length, ...pd];
      return [0x4a, md.length, ...md];
    };
    const event = (tag: string, withMeta: string | undefined, step: number): Uint8Array => {
      const value = [0x0a, ...str(tag), ...tensor, ...(withMeta ? meta(withMeta) : [])];
      const summary = [0x0a, value.length, ...value];
      return Uint8Array.from([0x10, step, 0x2a, summary.length, ...summary]);
    };
    const p = new TensorBoardParser('events.out.tfevents.x');
    const evs = p.push(
      concat(rec(event('h', 'histograms', 1)), rec(event('s', 'scalars', 2)), rec(event('s', undefined, 3)), rec(event('h', undefined, 4))),
    );
    assert.deepEqual(evs.map((e) => [e.rawName, e.step]), [
      ['s', 2],
      ['s', 3],
    ]);
  });
});
