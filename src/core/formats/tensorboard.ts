/**
 * TensorBoard `events.out.tfevents.*`: TFRecord framing (LE uint64 length, masked CRC-32C of the
 * length, data, masked CRC-32C of the data), each record one `Event` protobuf, decoded by hand.
 *
 * - Scalars come as `simple_value` (PyTorch/tensorboardX/TF1) or as a TF2 tensor summary with the
 *   `scalars` plugin (`tensor_content`, `float_val` or `double_val`); other plugins (histograms,
 *   images, text, hparams) are skipped. A tag's plugin is remembered from its first value, because
 *   later values may omit the metadata.
 * - proto3 omits defaults: a missing `step` is 0.
 * - A record whose length CRC is wrong is unusable (its length cannot be trusted): the reader scans
 *   forward byte by byte for the next valid header and says so. A record whose data CRC is wrong is
 *   skipped by its (trusted) length. A short final record waits for more bytes.
 * - `line` of an event is the 1-based index of its record in the file.
 * - Keras writes `train/` and `validation/` subdirectories with the same tags (`epoch_loss`, …) and
 *   step = epoch (0-based): in a `validation` directory `epoch_x` is named as `val_x`, and `epoch_*`
 *   tags get epoch = step.
 */
import type { MetricEvent } from '../types';
import type { ChunkFormat, ChunkParser } from './format';
import { canonicalName } from '../run/names';
import { maskedCrc32c } from './crc32c';
import { PbReader } from './protobuf';
import { baseName, ev, Messages, pathParts } from './event';

const MAX_RECORD = 256 * 1024 * 1024;
/**
 * Largest record buffered and decoded. A scalar event is under 1 KB; records of MBs are images, audio
 * or a graph, which hold no scalar. They are passed over as they stream in, never held: a header that
 * claims 256 MiB once cost 842 MB and 17 s.
 */
const MAX_DECODED_RECORD = 16 * 1024 * 1024;
const VAL_DIRS = new Set(['validation', 'val', 'valid', 'eval', 'evaluation']);

const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_INT32 = 3;
const DT_INT64 = 9;
const DT_HALF = 19;

export class TensorBoardParser extends Messages implements ChunkParser {
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private record = 0;
  /** Plugin name per tag, from the first value that carried metadata. */
  private readonly plugins = new Map<string, string>();
  private readonly names = new Map<string, [string, boolean]>();
  private readonly validation: boolean;
  private resyncing = false;
  private corruptBytes = 0;
  /** Bytes of an oversized record (data and its checksum) still to pass over. */
  private skipping = 0;

  constructor(path: string) {
    super();
    const parts = pathParts(path);
    this.validation = parts.length >= 2 && VAL_DIRS.has(parts[parts.length - 2].toLowerCase());
  }

  push(bytes: Uint8Array): MetricEvent[] {
    this.append(bytes);
    const out: MetricEvent[] = [];
    const b = this.buf;
    for (;;) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, this.end - this.start);
        this.start += n;
        this.skipping -= n;
        if (this.skipping > 0) break;
      }
      const avail = this.end - this.start;
      if (avail < 12) break;
      const s = this.start;
      const lenLo = b[s] | (b[s + 1] << 8) | (b[s + 2] << 16) | (b[s + 3] << 24);
      const lenHi = b[s + 4] | (b[s + 5] << 8) | (b[s + 6] << 16) | (b[s + 7] << 24);
      const len = (lenLo >>> 0) + (lenHi >>> 0) * 4294967296;
      const lenCrc = readU32(b, s + 8);
      if (lenCrc !== maskedCrc32c(b, s, s + 8) || len > MAX_RECORD) {
        // Unusable header: resynchronise on the next byte.
        if (!this.resyncing) this.add(`record ${this.record + 1}: bad length checksum; scanning for the next record`);
        this.resyncing = true;
        this.corruptBytes++;
        this.start++;
        continue;
      }
      if (this.resyncing) {
        this.add(`resynchronised after skipping ${this.corruptBytes} corrupt bytes`);
        this.resyncing = false;
        this.corruptBytes = 0;
      }
      if (len > MAX_DECODED_RECORD) {
        this.record++;
        this.add(`record ${this.record}: ${len} bytes, too large for a scalar event; passed over`);
        this.start = s + 12;
        this.skipping = len + 4;
        continue;
      }
      if (avail < 12 + len + 4) break; // incomplete: wait for the writer
      const d0 = s + 12;
      const d1 = d0 + len;
      this.record++;
      this.start = d1 + 4;
      if (readU32(b, d1) !== maskedCrc32c(b, d0, d1)) {
        this.add(`record ${this.record}: bad data checksum, skipped`);
        continue;
      }
      this.decodeEvent(b, d0, d1, out);
    }
    this.compact();
    return out;
  }

  private append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.end + bytes.length > this.buf.length) {
      const live = this.end - this.start;
      const cap = Math.max(live + bytes.length, Math.min(this.buf.length * 2, live + bytes.length + (1 << 20)));
      const nb = new Uint8Array(cap);
      nb.set(this.buf.subarray(this.start, this.end));
      this.buf = nb;
      this.end = live;
      this.start = 0;
    }
    this.buf.set(bytes, this.end);
    this.end += bytes.length;
  }

  private compact(): void {
    if (this.start === this.end) {
      this.start = this.end = 0;
      if (this.buf.length > 1 << 20) this.buf = new Uint8Array(0);
    }
  }

  private decodeEvent(b: Uint8Array, a: number, z: number, out: MetricEvent[]): void {
    const r = new PbReader(b, a, z);
    let step = 0;
    let summary: [number, number] | undefined;
    while (r.more()) {
      const [f, w] = r.key();
      if (f === 2 && w === 0) step = r.varint();
      else if (f === 5 && w === 2) summary = r.bytes();
      else r.skip(w);
    }
    if (!r.ok) {
      this.add(`record ${this.record}: malformed Event, skipped`);
      return;
    }
    if (!summary) return;
    const s = new PbReader(b, summary[0], summary[1]);
    while (s.more()) {
      const [f, w] = s.key();
      if (f === 1 && w === 2) {
        const [va, vz] = s.bytes();
        this.decodeValue(b, va, vz, step, out);
      } else s.skip(w);
    }
  }

  private decodeValue(b: Uint8Array, a: number, z: number, step: number, out: MetricEvent[]): void {
    const r = new PbReader(b, a, z);
    let tag = '';
    let simple: number | undefined;
    let tensor: [number, number] | undefined;
    let plugin: string | undefined;
    let scalarClass = false;
    while (r.more()) {
      const [f, w] = r.key();
      if (f === 1 && w === 2) tag = r.string();
      else if (f === 2 && w === 5) simple = r.fixed32Float();
      else if (f === 8 && w === 2) tensor = r.bytes();
      else if (f === 9 && w === 2) {
        const [ma, mz] = r.bytes();
        const meta = readMetadata(b, ma, mz);
        plugin = meta.plugin;
        scalarClass = meta.scalarClass;
      } else r.skip(w);
    }
    if (!r.ok || tag === '') return;
    if (plugin !== undefined && !this.plugins.has(tag)) this.plugins.set(tag, scalarClass ? 'scalars' : plugin);
    let value = simple;
    if (value === undefined && tensor) {
      const p = plugin ?? this.plugins.get(tag);
      if (p !== 'scalars' && !scalarClass) return;
      value = readTensorScalar(b, tensor[0], tensor[1]);
    }
    if (value === undefined) return;
    const [name, epochTag] = this.nameOf(tag);
    out.push(ev(name, tag, value, step, epochTag ? step : undefined, this.record));
  }

  private nameOf(tag: string): [string, boolean] {
    let n = this.names.get(tag);
    if (!n) {
      const epochTag = tag.startsWith('epoch_');
      const qualified = this.validation && epochTag ? `val_${tag.slice(6)}` : tag;
      n = [canonicalName(qualified), epochTag];
      if (this.names.size < 10_000) this.names.set(tag, n);
    }
    return n;
  }
}

function readU32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

function readMetadata(b: Uint8Array, a: number, z: number): { plugin: string | undefined; scalarClass: boolean } {
  const r = new PbReader(b, a, z);
  let plugin: string | undefined;
  let scalarClass = false;
  while (r.more()) {
    const [f, w] = r.key();
    if (f === 1 && w === 2) {
      const [pa, pz] = r.bytes();
      const p = new PbReader(b, pa, pz);
      while (p.more()) {
        const [pf, pw] = p.key();
        if (pf === 1 && pw === 2) plugin = p.string();
        else p.skip(pw);
      }
    } else if (f === 4 && w === 0) scalarClass = r.varint() === 1;
    else r.skip(w);
  }
  return { plugin, scalarClass };
}

/** The first element of a TensorProto holding a float/double (or integer) scalar. */
function readTensorScalar(b: Uint8Array, a: number, z: number): number | undefined {
  const r = new PbReader(b, a, z);
  let dtype = 0;
  let content: [number, number] | undefined;
  let value: number | undefined;
  while (r.more()) {
    const [f, w] = r.key();
    if (f === 1 && w === 0) dtype = r.varint();
    else if (f === 4 && w === 2) content = r.bytes();
    else if (f === 5 && w === 2) {
      const [pa, pz] = r.bytes();
      if (value === undefined && pz - pa >= 4) value = new DataView(b.buffer, b.byteOffset + pa, 4).getFloat32(0, true);
    } else if (f === 5 && w === 5) {
      const v = r.fixed32Float();
      if (value === undefined) value = v;
    } else if (f === 6 && w === 2) {
      const [pa, pz] = r.bytes();
      if (value === undefined && pz - pa >= 8) value = new DataView(b.buffer, b.byteOffset + pa, 8).getFloat64(0, true);
    } else if (f === 6 && w === 1) {
      const v = r.fixed64Double();
      if (value === undefined) value = v;
    } else r.skip(w);
  }
  if (!r.ok) return undefined;
  if (value !== undefined) return value;
  if (!content) return undefined;
  const [ca, cz] = content;
  const dv = new DataView(b.buffer, b.byteOffset + ca, cz - ca);
  const n = cz - ca;
  switch (dtype) {
    case DT_FLOAT:
      return n >= 4 ? dv.getFloat32(0, true) : undefined;
    case DT_DOUBLE:
      return n >= 8 ? dv.getFloat64(0, true) : undefined;
    case DT_INT32:
      return n >= 4 ? dv.getInt32(0, true) : undefined;
    case DT_INT64:
      return n >= 8 ? Number(dv.getBigInt64(0, true)) : undefined;
    case DT_HALF:
      return n >= 2 ? half(dv.getUint16(0, true)) : undefined;
    default:
      return undefined;
  }
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

export const tensorboard: ChunkFormat = {
  id: 'tensorboard',
  kind: 'chunks',
  sniff(path, head) {
    const name = baseName(path);
    if (name.includes('tfevents')) return 0.99;
    // The first record is `file_version: "brain.Event:2"` (visible in the decoded head).
    return head.length >= 12 && head.slice(12, 200).includes('brain.Event:') ? 0.9 : 0;
  },
  createParser(path) {
    return new TensorBoardParser(path);
  },
};
