/**
 * A metric series held in growable typed arrays, so ten million points cost ~ 28 bytes each and no
 * per-point object is ever allocated.
 */
export class Series {
  /** Original names seen for this series (e.g. `eval_loss`), for display. */
  readonly rawNames = new Set<string>();
  private size = 0;
  private valueBuf: Float64Array<ArrayBuffer> = new Float64Array(64);
  /** NaN where the log gave no step. */
  private stepBuf: Float64Array<ArrayBuffer> = new Float64Array(64);
  /** NaN where the log gave no epoch. */
  private epochBuf: Float64Array<ArrayBuffer> = new Float64Array(64);
  private lineBuf = new Uint32Array(64);
  /** Index into Run.files of the file each point came from. */
  private fileBuf = new Uint16Array(64);

  constructor(readonly name: string) {}

  get length(): number {
    return this.size;
  }

  push(value: number, step: number, epoch: number, line: number, fileIndex: number): void {
    if (this.size === this.valueBuf.length) this.grow();
    const i = this.size++;
    this.valueBuf[i] = value;
    this.stepBuf[i] = step;
    this.epochBuf[i] = epoch;
    this.lineBuf[i] = line;
    this.fileBuf[i] = fileIndex;
  }

  value(i: number): number {
    return this.valueBuf[i];
  }
  step(i: number): number {
    return this.stepBuf[i];
  }
  epoch(i: number): number {
    return this.epochBuf[i];
  }
  line(i: number): number {
    return this.lineBuf[i];
  }
  fileIndex(i: number): number {
    return this.fileBuf[i];
  }

  /** Views (no copy) of the filled part, for rules and plots. */
  values(): Float64Array {
    return this.valueBuf.subarray(0, this.size);
  }
  steps(): Float64Array {
    return this.stepBuf.subarray(0, this.size);
  }
  epochs(): Float64Array {
    return this.epochBuf.subarray(0, this.size);
  }
  lines(): Uint32Array {
    return this.lineBuf.subarray(0, this.size);
  }

  /** Drops every point that came from `fileIndex` (a rewritten or truncated file is re-read whole). */
  removeFile(fileIndex: number): void {
    let w = 0;
    for (let r = 0; r < this.size; r++) {
      if (this.fileBuf[r] === fileIndex) continue;
      if (w !== r) {
        this.valueBuf[w] = this.valueBuf[r];
        this.stepBuf[w] = this.stepBuf[r];
        this.epochBuf[w] = this.epochBuf[r];
        this.lineBuf[w] = this.lineBuf[r];
        this.fileBuf[w] = this.fileBuf[r];
      }
      w++;
    }
    this.size = w;
  }

  /** Bytes held, for the memory benchmark. */
  byteSize(): number {
    return this.valueBuf.byteLength * 3 + this.lineBuf.byteLength + this.fileBuf.byteLength;
  }

  private grow(): void {
    const n = this.valueBuf.length * 2;
    this.valueBuf = growF64(this.valueBuf, n);
    this.stepBuf = growF64(this.stepBuf, n);
    this.epochBuf = growF64(this.epochBuf, n);
    const lines = new Uint32Array(n);
    lines.set(this.lineBuf);
    this.lineBuf = lines;
    const files = new Uint16Array(n);
    files.set(this.fileBuf);
    this.fileBuf = files;
  }
}

function growF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
