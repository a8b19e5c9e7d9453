/**
 * Tokenizer for printed training logs. One linear pass per line, no regex, no per-token objects:
 * tokens live in parallel arrays reused from line to line.
 *
 * Token kinds:
 * - WORD: `[A-Za-z_]` then word chars, with inner `/ . - @` kept when a word char follows
 *   (`lr/pg0`, `Acc@1`, `mAP50-95`), and a glued `(x)` suffix kept (`Epoch(train)`, `mAP50(B)`).
 *   Non-ASCII letters count as word chars (`‖Δw‖`), box-drawing/block chars (progress bars) do not.
 * - NUM: a decimal number (sign, exponent, `1,200` thousands groups), or `nan`/`inf`/`Infinity`.
 *   Flags: UNIT when letters follow (`3s`, `12ms`, `2725M`: a duration or size, not a metric),
 *   COUNTER when `/<digits>` follows (`3/20`, `[100/600]`): `total` holds the right-hand side.
 * - PUNCT: any other non-space character (`:`, `=`, `|`, `[`, `(`, `'`, …).
 */

export const WORD = 1;
export const NUM = 2;
export const PUNCT = 3;

export const F_UNIT = 1;
export const F_COUNTER = 2;

export class Tokens {
  n = 0;
  kind = new Uint8Array(256);
  flags = new Uint8Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);
  value = new Float64Array(256);
  total = new Float64Array(256);
  /** Char code for PUNCT tokens. */
  ch = new Uint16Array(256);

  push(kind: number, start: number, end: number): number {
    if (this.n === this.kind.length) this.grow();
    const i = this.n++;
    this.kind[i] = kind;
    this.flags[i] = 0;
    this.start[i] = start;
    this.end[i] = end;
    return i;
  }

  private grow(): void {
    const m = this.kind.length * 2;
    const g8 = (a: Uint8Array): Uint8Array<ArrayBuffer> => {
      const b = new Uint8Array(m);
      b.set(a);
      return b;
    };
    const g32 = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(m);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(m);
      b.set(a);
      return b;
    };
    this.kind = g8(this.kind);
    this.flags = g8(this.flags);
    this.start = g32(this.start);
    this.end = g32(this.end);
    this.value = g64(this.value);
    this.total = g64(this.total);
    const c = new Uint16Array(m);
    c.set(this.ch);
    this.ch = c;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
/** Letters, digits, `_`, and non-ASCII except box drawing/blocks (U+2500–U+25FF) and U+FFFD. */
function isWordChar(c: number): boolean {
  if (c < 128) return isAlpha(c) || isDigit(c);
  return !(c >= 0x2500 && c <= 0x25ff) && c !== 0xfffd && c !== 0xa0 && !(c >= 0x2000 && c <= 0x200f);
}
function isWordStart(c: number): boolean {
  return c < 128 ? isAlpha(c) : isWordChar(c);
}

/** Tokenizes `s` into `t` (reset first). Lines are bounded by the caller. */
export function lex(s: string, t: Tokens): void {
  t.n = 0;
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c <= 32) {
      i++;
      continue;
    }
    const prev = i > 0 ? s.charCodeAt(i - 1) : 32;
    const startsNum =
      isDigit(c) ||
      ((c === 45 || c === 43 || c === 46) && i + 1 < n && (isDigit(s.charCodeAt(i + 1)) || (c !== 46 && s.charCodeAt(i + 1) === 46)));
    if (startsNum && !isWordChar(prev)) {
      i = lexNumber(s, i, t);
      continue;
    }
    if ((c === 45 || c === 43) && i + 3 < n && (s.charCodeAt(i + 1) | 32) === 105 && !isWordChar(prev)) {
      // -inf / -Infinity / +inf
      const j = wordEnd(s, i + 1);
      const w = s.slice(i + 1, j).toLowerCase();
      if (w === 'inf' || w === 'infinity') {
        const k = t.push(NUM, i, j);
        t.value[k] = c === 45 ? -Infinity : Infinity;
        i = j;
        continue;
      }
    }
    if (isWordStart(c)) {
      let j = wordEnd(s, i);
      const w = j - i <= 8 ? s.slice(i, j).toLowerCase() : '';
      if (w === 'nan' || w === 'inf' || w === 'infinity') {
        const k = t.push(NUM, i, j);
        t.value[k] = w === 'nan' ? NaN : Infinity;
        if (j < n && isAlpha(s.charCodeAt(j))) t.flags[k] |= F_UNIT;
        i = j;
        continue;
      }
      // A glued `(x)` suffix: `Epoch(train)`, `mAP50-95(B)`.
      if (j < n && s.charCodeAt(j) === 40) {
        let k = j + 1;
        while (k < n && k - j < 24 && isWordChar(s.charCodeAt(k))) k++;
        if (k > j + 1 && k < n && s.charCodeAt(k) === 41) j = k + 1;
      }
      t.push(WORD, i, j);
      i = j;
      continue;
    }
    const k = t.push(PUNCT, i, i + 1);
    t.ch[k] = c;
    i++;
  }
}

function wordEnd(s: string, i: number): number {
  const n = s.length;
  let j = i + 1;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (isWordChar(c)) j++;
    else if ((c === 47 || c === 46 || c === 45 || c === 64) && j + 1 < n && isWordChar(s.charCodeAt(j + 1))) j += 2;
    else break;
  }
  return j;
}

function digits(s: string, i: number): number {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

function lexNumber(s: string, i: number, t: Tokens): number {
  const n = s.length;
  const a = i;
  let j = i;
  const c0 = s.charCodeAt(j);
  if (c0 === 45 || c0 === 43) j++;
  const intStart = j;
  j = digits(s, j);
  let text: string | undefined;
  // Thousands groups: `121,200` (1–3 leading digits, groups of exactly three, no decimal point yet).
  if (j - intStart >= 1 && j - intStart <= 3 && s.charCodeAt(j) === 44) {
    let k = j;
    let groups = '';
    while (s.charCodeAt(k) === 44 && digits(s, k + 1) === k + 4 && !isDigit(s.charCodeAt(k + 4))) {
      groups += s.slice(k + 1, k + 4);
      k += 4;
    }
    if (groups !== '' && s.charCodeAt(k) !== 46) {
      text = s.slice(a, j) + groups;
      j = k;
    }
  }
  if (text === undefined) {
    if (s.charCodeAt(j) === 46 && isDigit(s.charCodeAt(j + 1))) j = digits(s, j + 1);
    else if (s.charCodeAt(j) === 46 && j > intStart) j++; // `3.` as printed by some %g formats
    const e = s.charCodeAt(j);
    if ((e === 101 || e === 69) && j > intStart) {
      let k = j + 1;
      const sg = s.charCodeAt(k);
      if (sg === 45 || sg === 43) k++;
      if (isDigit(s.charCodeAt(k))) j = digits(s, k);
    }
    text = s.slice(a, j);
  }
  const idx = t.push(NUM, a, j);
  t.value[idx] = +text;
  if (t.value[idx] !== t.value[idx]) {
    t.kind[idx] = PUNCT; // a lone sign or dot
    t.ch[idx] = c0;
  }
  if (j < n) {
    const c = s.charCodeAt(j);
    if (c === 47 && isDigit(s.charCodeAt(j + 1))) {
      const k = digits(s, j + 1);
      t.flags[idx] |= F_COUNTER;
      t.total[idx] = +s.slice(j + 1, k);
      t.end[idx] = k;
      return k;
    }
    if (isAlpha(c) || (c >= 128 && isWordChar(c))) {
      t.flags[idx] |= F_UNIT;
      return wordEnd(s, j);
    }
  }
  return j;
}
