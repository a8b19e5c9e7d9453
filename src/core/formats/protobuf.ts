/**
 * A minimal protobuf wire-format reader: enough to walk Event/Summary/TensorProto by field number and
 * skip everything else. It never throws on malformed input; `ok` turns false and reading stops.
 */
export class PbReader {
  pos: number;
  ok = true;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  more(): boolean {
    return this.ok && this.pos < this.end;
  }

  /** A varint as a JS number (exact to 2^53; int64 steps beyond that are rare and lose precision). */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) {
        this.ok = false;
        return 0;
      }
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        // Negative int64 values are 10-byte two's complement; map them back to negative numbers.
        return i === 9 && result >= 2 ** 63 ? result - 2 ** 64 : result;
      }
      mul *= 128;
    }
    this.ok = false;
    return 0;
  }

  /** Reads a field key; returns [fieldNumber, wireType]. */
  key(): [number, number] {
    const k = this.varint();
    return [Math.floor(k / 8), k % 8];
  }

  /** Bounds of a length-delimited field as [start, end]; advances past it. */
  bytes(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (!this.ok || len > this.end - start) {
      this.ok = false;
      return [start, start];
    }
    this.pos = start + len;
    return [start, start + len];
  }

  fixed32Float(): number {
    if (this.end - this.pos < 4) {
      this.ok = false;
      return 0;
    }
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  fixed64Double(): number {
    if (this.end - this.pos < 8) {
      this.ok = false;
      return 0;
    }
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        this.ok = false; // groups (3/4) are not used by these protos
        return;
    }
    if (this.pos > this.end) this.ok = false;
  }

  string(): string {
    const [a, b] = this.bytes();
    return DECODER.decode(this.buf.subarray(a, b));
  }
}

const DECODER = new TextDecoder('utf-8', { fatal: false });
