/**
 * Key bytes → a parser's entry for that key (its classification and sink columns), so the byte paths
 * of the line parsers resolve a key without building its string: an open-addressing table on the key's
 * FNV-1a hash (which the parser computes while it reads the key), entries compared byte by byte.
 */

/** FNV-1a of one more byte (start from FNV_SEED). */
export const FNV_SEED = 0x811c9dc5;
export function fnv(h: number, c: number): number {
  return Math.imul(h ^ c, 16777619);
}

export interface KeyBytes {
  readonly bytes: Uint8Array;
  readonly hash: number;
}

export class KeyCache<E extends KeyBytes> {
  private table: (E | undefined)[] = new Array<E | undefined>(256);
  private count = 0;

  /** `make(bytes, hash)` builds the entry of a key seen for the first time. */
  constructor(
    private readonly make: (bytes: Uint8Array, hash: number) => E,
    private readonly limit = 4096,
  ) {}

  /** The entry of the key `buf[a, b)` whose hash is `hash`; undefined once `limit` keys are held. */
  get(buf: Uint8Array, a: number, b: number, hash: number): E | undefined {
    const mask = this.table.length - 1;
    const len = b - a;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const e = this.table[i];
      if (e === undefined) break;
      if (e.hash === hash && e.bytes.length === len) {
        const kb = e.bytes;
        let k = 0;
        while (k < len && kb[k] === buf[a + k]) k++;
        if (k === len) return e;
      }
    }
    // A log with thousands of distinct keys: the caller's string path reads the rest.
    if (this.count >= this.limit) return undefined;
    const e = this.make(new Uint8Array(buf.subarray(a, b)), hash); // a copy: the read buffer may be reused
    if (++this.count * 2 > this.table.length) this.rehash();
    const m = this.table.length - 1;
    let i = hash & m;
    while (this.table[i] !== undefined) i = (i + 1) & m;
    this.table[i] = e;
    return e;
  }

  private rehash(): void {
    const old = this.table;
    this.table = new Array<E | undefined>(old.length * 2);
    const m = this.table.length - 1;
    for (const e of old) {
      if (e === undefined) continue;
      let i = e.hash & m;
      while (this.table[i] !== undefined) i = (i + 1) & m;
      this.table[i] = e;
    }
  }
}
