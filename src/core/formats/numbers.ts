/**
 * Number tokens as training logs write them. Python writes `nan`, `inf`, `-inf`; `json.dumps` writes
 * `NaN`, `Infinity`, `-Infinity`; `%g` gives `nan`. All are kept as NaN/±Infinity, never dropped.
 */

/**
 * Parses one cell/token (surrounding spaces allowed). Returns undefined for anything that is not a
 * number (empty cell, `NA`, `None`, words, hex), so callers can tell "missing" from NaN.
 */
export function parseNumber(s: string): number | undefined {
  if (s.length === 0) return undefined;
  // Fast path: the engine's own conversion (it also skips surrounding spaces, as in Ultralytics'
  // padded columns, and reads `Infinity`). Its quirks are fixed up below: blank → 0, hex/bin/oct.
  const v = +s;
  if (v === v) {
    if (v === 0 && !hasDigit(s)) return undefined;
    const c1 = s.charCodeAt(1) | 32;
    if ((c1 === 120 || c1 === 98 || c1 === 111) && /^\s*0[xbo]/i.test(s)) return undefined;
    return v;
  }
  return special(s.trim());
}

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

function special(t: string): number | undefined {
  if (t.length > 10) return undefined;
  switch (t.toLowerCase()) {
    case 'nan':
    case '+nan':
    case '-nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return undefined;
  }
}

const SPLITTER = 134217729; // 2^27 + 1 (Dekker)
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/** The high half of each power of ten in Dekker's split (its low half is POW10[k] − POW10_HIGH[k]). */
/** 1/10^k, rounded: for the quotient's estimate and its correction, never for a final value. */
const POW10_INV = POW10.map((x) => 1 / x);
const POW10_HIGH = POW10.map((x) => {
  const c = SPLITTER * x;
  return c - (c - x);
});

/**
 * The correctly rounded double of `(a·10^8 + b) · 10^e10` for integers a < 10^11, b < 10^8 and
 * |e10| ≤ 22: the significands of up to 19 digits that the one-operation fast path cannot take
 * exactly (a float32's 17-digit repr). See `decimalScaled`.
 */
export function decimalParts(a: number, b: number, e10: number): number {
  return decimalScaled(a, 1e8, b, e10);
}

/**
 * The correctly rounded double of `(a·scale + b) · 10^e10` for integers a < 2^53, `scale` = 10^k with
 * k ≤ 11, 0 ≤ b < scale, a·scale + b < 10^19 and |e10| ≤ 22. The significand is held exactly as a
 * double-double, the product/quotient with the exact power of ten is formed to ~2^-100 (Dekker's
 * exact product), and the result is the rounded double unless the value lies within 2^-40 ulp of a
 * rounding boundary or of a power of two; then it answers NaN and the caller converts the text instead.
 */
export function decimalScaled(a: number, scale: number, b: number, e10: number): number {
  return scaledInto(a, scale, b, e10) ? SCALED[0] : NaN;
}

/**
 * Where `scaledInto` leaves its value: a double returned from a call that is not inlined is boxed
 * (a heap allocation per cell); one stored in a typed array is not.
 */
const SCALED = new Float64Array(1);

/** `decimalScaled` into SCALED[0]; false when it cannot tell. */
function scaledInto(a: number, scale: number, b: number, e10: number): boolean {
  // m = a·scale + b exactly as mh + ml (Dekker's exact product, then an exact two-sum). 10^k for
  // k ≤ 11 is 2^k·5^k with 5^k < 2^26: it splits exactly into itself, so only `a` is split.
  let c = SPLITTER * a;
  let xh = c - (c - a);
  let xl = a - xh;
  const p = a * scale;
  const pe = xh * scale - p + xl * scale;
  const s = p + b;
  const bb = s - p;
  const se = p - (s - bb) + (b - bb);
  let mh = s;
  let ml = se + pe;
  const t = mh + ml;
  ml = ml - (t - mh);
  mh = t;
  let qh: number;
  let ql: number;
  if (e10 < 0) {
    const d = POW10[-e10];
    const inv = POW10_INV[-e10];
    // q0 within a few ulps of mh/d (a product: two divisions were a third of the time here); the
    // exact residual below corrects it, and the correction needs only ~2^-50 relative accuracy.
    const q0 = mh * inv;
    // q0·d exactly as pp + ppe.
    c = SPLITTER * q0;
    xh = c - (c - q0);
    xl = q0 - xh;
    const dh = POW10_HIGH[-e10];
    const dl = d - dh;
    const pp = q0 * d;
    const ppe = xh * dh - pp + xh * dl + xl * dh + xl * dl;
    const l = (mh - pp - ppe + ml) * inv;
    qh = q0 + l;
    ql = l - (qh - q0);
  } else {
    const f = POW10[e10];
    const fh = POW10_HIGH[e10];
    const fl = f - fh;
    c = SPLITTER * mh;
    xh = c - (c - mh);
    xl = mh - xh;
    const p1 = mh * f;
    const e1 = xh * fh - p1 + xh * fl + xl * fh + xl * fl;
    c = SPLITTER * ml;
    xh = c - (c - ml);
    xl = ml - xh;
    const p2 = ml * f;
    const e2 = xh * fh - p2 + xh * fl + xl * fh + xl * fl;
    const rest = e1 + p2 + e2;
    qh = p1 + rest;
    ql = rest - (qh - p1);
  }
  // qh is the double nearest qh + ql; the exact value is within ~2^-100·|qh| of qh + ql. qh is its
  // double too unless a rounding boundary (a tie, or a power of two's uneven ulps) lies within that
  // margin: then both ends of a wider margin, 2^-88·|qh|, round to qh only when none does.
  const margin = Math.abs(qh) * 3.2311742677852644e-27; // 2^-88
  if (qh + (ql + margin) !== qh || qh + (ql - margin) !== qh) return false;
  SCALED[0] = qh;
  return true;
}

/** Exact powers of ten 10^0 … 10^22 (each one double). */
export const POW10_EXACT = new Float64Array(23);
for (let i = 0, x = 1; i < 23; i++, x *= 10) POW10_EXACT[i] = x;

/**
 * The value of the `nd` significand digits of the number at `buf[a]` (sign and point skipped) times
 * 10^e10, exactly rounded (`decimalParts`), or NaN when that cannot tell (the caller then converts
 * the text).
 */
export function longDigits(buf: Uint8Array, a: number, nd: number, e10: number): number {
  let hi = 0;
  let lo = 0;
  let k = 0;
  for (let p = a; k < nd; p++) {
    const c = buf[p];
    if (c < 48 || c > 57) continue;
    if (k < nd - 8) hi = hi * 10 + (c - 48);
    else lo = lo * 10 + (c - 48);
    k++;
  }
  return hi < 1e11 ? decimalParts(hi, lo, e10) : NaN;
}

/**
 * A CSV cell's number read from bytes in one pass, with no string: `[+-]? digits [. digits]
 * [(e|E) [+-]? digits]` with at least one significand digit (`.5`, `5.`, `-0`, `007` included, as
 * `Number()` takes them). The caller guarantees that a byte which cannot continue the token (`,`,
 * `\n`) follows before the buffer ends, so the loops need no bounds test. `read` sets `value` to
 * exactly `Number(text)` for the token's text, bit for bit, and returns the index after it; it returns
 * -1 when the bytes at `p` are not such a token (no digit, `1e`, `nan`, an exponent of more than 6
 * digits), so the caller converts the cell's text instead. (The value is a field, not the result: a
 * double returned from a call is boxed, an allocation per cell.)
 *
 * Fraction digits are read eight at a time (two little-endian 32-bit words, SWAR): a float32's
 * 17-digit repr is then three multiply-adds instead of seventeen dependent ones. The conversion: a
 * significand below 2^53 times an exact power of ten (10^±22) is one correctly rounded operation on
 * two exact doubles (Clinger's fast path); up to 19 digits the double-double of `decimalScaled`;
 * anything else the engine's conversion of the token's ASCII text.
 */
export class CellNumber {
  value = 0;
  private buf: Uint8Array | undefined;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  read(buf: Uint8Array, p: number): number {
    // The common cells (unsigned or `-`, digits, a fraction, no exponent) in a body small enough for
    // the engine to inline into the row loop; anything else, from the start, in `readAny`.
    if (buf !== this.buf) this.setBuffer(buf);
    const start = p;
    let c = buf[p];
    if (c === 45) c = buf[++p];
    const digits = p;
    let hi = 0;
    while (c >= 48 && c <= 57) {
      hi = hi * 10 + (c - 48);
      c = buf[++p];
    }
    const intDigits = p - digits;
    let lo = 0;
    let nlo = 0;
    let frac = 0;
    if (c === 46) {
      p = this.fraction(buf, p + 1, hi);
      hi = this.hi;
      lo = this.lo;
      nlo = this.nlo;
      frac = this.frac;
      c = buf[p];
    }
    if (intDigits + frac === 0 || c === 101 || c === 69) return this.readAny(buf, start);
    let v: number;
    const mant = nlo === 0 ? hi : hi * POW10_EXACT[nlo] + lo;
    if (mant <= 9007199254740991 && hi <= 9007199254740991 && frac <= 22) v = frac === 0 ? mant : mant / POW10_EXACT[frac];
    else if (hi <= 9007199254740991 && nlo <= 11 && mant < 1e19 && frac <= 22 && scaledInto(hi, POW10_EXACT[nlo], lo, -frac)) v = SCALED[0];
    else return this.readAny(buf, start);
    this.value = buf[start] === 45 ? -v : v;
    return p;
  }

  /** Results of `fraction`: the significand hi·10^nlo + lo so far, and the fraction digits read. */
  private hi = 0;
  private lo = 0;
  private nlo = 0;
  private frac = 0;

  /**
   * Reads the fraction digits at `p` onto `hi` (the integer part's value) and returns the index after
   * them; the significand is left in `this.hi`, `this.lo`, `this.nlo`. Eight digits at a time while
   * eight bytes remain in the buffer.
   */
  private fraction(buf: Uint8Array, p: number, hi: number): number {
    let lo = 0;
    let nlo = 0;
    let frac = 0;
    const view = this.view;
    const last = buf.length - 8;
    while (p <= last) {
      const w0 = view.getUint32(p, true);
      const w1 = view.getUint32(p + 4, true);
      if (!eightDigits(w0, w1)) break;
      const block = fourDigits(w0) * 10000 + fourDigits(w1);
      // hi takes a block while it stays below 2^53, lo the next one (then the digits after it).
      if (hi < 90071992) hi = hi * 1e8 + block;
      else if (nlo === 0) {
        lo = block;
        nlo = 8;
      } else break;
      p += 8;
      frac += 8;
    }
    let c = buf[p];
    while (c >= 48 && c <= 57) {
      lo = lo * 10 + (c - 48);
      nlo++;
      frac++;
      c = buf[++p];
    }
    this.hi = hi;
    this.lo = lo;
    this.nlo = nlo;
    this.frac = frac;
    return p;
  }

  private setBuffer(buf: Uint8Array): void {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Any token of the grammar (signs, exponents, every conversion path); see the class comment. */
  private readAny(buf: Uint8Array, p: number): number {
    const start = p;
    let c = buf[p];
    let neg = false;
    if (c === 45 || c === 43) {
      neg = c === 45;
      c = buf[++p];
    }
    const digits = p;
    // The significand is hi·10^nlo + lo (see `fraction`).
    let hi = 0;
    let nd = 0;
    while (c >= 48 && c <= 57) {
      hi = hi * 10 + (c - 48);
      nd++;
      c = buf[++p];
    }
    let lo = 0;
    let nlo = 0;
    let frac = 0;
    if (c === 46) {
      p = this.fraction(buf, p + 1, hi);
      hi = this.hi;
      lo = this.lo;
      nlo = this.nlo;
      frac = this.frac;
      nd += frac;
      c = buf[p];
    }
    if (nd === 0) return -1;
    let e10 = -frac;
    if (c === 101 || c === 69) {
      c = buf[++p];
      let eneg = false;
      if (c === 45 || c === 43) {
        eneg = c === 45;
        c = buf[++p];
      }
      let exp = 0;
      let ed = 0;
      while (c >= 48 && c <= 57) {
        exp = exp * 10 + (c - 48);
        ed++;
        c = buf[++p];
      }
      if (ed === 0 || ed > 6) return -1;
      e10 += eneg ? -exp : exp;
    }
    if (e10 < -22 || e10 > 22) {
      this.value = +latin1(buf, start, p);
      return p;
    }
    let v: number;
    // hi and lo are exact while below 2^53 (every partial sum was below them): then so is
    // hi·10^nlo + lo while it is.
    const mant = nlo === 0 ? hi : hi * POW10_EXACT[nlo] + lo;
    if (mant <= 9007199254740991 && hi <= 9007199254740991) {
      if (mant === 0) v = 0;
      else if (e10 === 0) v = mant;
      else if (e10 < 0) v = mant / POW10_EXACT[-e10];
      else v = mant * POW10_EXACT[e10];
    } else if (hi <= 9007199254740991 && nlo <= 11 && mant < 1e19 && scaledInto(hi, POW10_EXACT[nlo], lo, e10)) v = SCALED[0];
    else {
      v = nd <= 27 ? longDigits(buf, digits, nd, e10) : NaN;
      if (v !== v) {
        this.value = +latin1(buf, start, p);
        return p;
      }
    }
    this.value = neg ? -v : v;
    return p;
  }
}

/** True when the eight bytes of two little-endian words are all ASCII digits. */
function eightDigits(w0: number, w1: number): boolean {
  // A byte b is a digit iff its high nibble is 3 and b + 6 keeps it 3; a non-digit byte fails on its
  // own lane (a carry out of it only reaches lanes that are then compared too).
  const t0 = (w0 & 0xf0f0f0f0) | (((w0 + 0x06060606) & 0xf0f0f0f0) >>> 4);
  const t1 = (w1 & 0xf0f0f0f0) | (((w1 + 0x06060606) & 0xf0f0f0f0) >>> 4);
  return (t0 & t1) === 0x33333333 && (t0 | t1) === 0x33333333;
}

/** The value of four ASCII digits held in a little-endian word (first digit in the low byte). */
function fourDigits(w: number): number {
  const d = w - 0x30303030;
  const pairs = (Math.imul(d, 10) + (d >>> 8)) & 0x00ff00ff;
  return (Math.imul(pairs, 100) + (pairs >>> 16)) & 0xffff;
}

/** Node's Buffer method behind `toString('latin1', a, b)`, without its argument checks. */
const LATIN1_SLICE = (Buffer.prototype as unknown as { latin1Slice?: (this: Buffer, a: number, b: number) => string }).latin1Slice;

/** ASCII text of `buf[a, b)`. */
export function latin1(buf: Uint8Array, a: number, b: number): string {
  if (Buffer.isBuffer(buf)) return LATIN1_SLICE ? LATIN1_SLICE.call(buf, a, b) : buf.toString('latin1', a, b);
  return String.fromCharCode.apply(null, Array.from(buf.subarray(a, b)));
}

const decoder = new TextDecoder('utf-8');

/** UTF-8 text of `buf[a, b)` (invalid bytes become U+FFFD, as in LineSplitter). */
export function utf8(buf: Uint8Array, a: number, b: number): string {
  if (Buffer.isBuffer(buf)) return buf.toString('utf8', a, b);
  return decoder.decode(buf.subarray(a, b));
}

/**
 * Reads a decimal number token from bytes: `[+-]? digits [. digits] [(e|E) [+-]? digits]` with at
 * least one significand digit (`.5` and `-.5` included, `5.` not). `read` returns the value the
 * engine gives for the token's text (`+text`), and sets `end` to the index after it; it returns NaN
 * when the bytes at `p` are not such a token (no digit, `5.`, an `e` without exponent digits), so a
 * caller that needs more (`nan`, thousands groups) falls back to its string path.
 */
export class ByteNumber {
  end = 0;

  /**
   * Reads a JSON number (`-? (0 | [1-9] digits) [. digits] [(e|E) [+-]? digits]`) at `p`: the value
   * `JSON.parse` gives it, `end` set after it; NaN when the bytes at `p` are not one (`+1`, `01`, `.5`,
   * `1.`, `NaN`).
   */
  readJson(buf: Uint8Array, p: number, end: number): number {
    const q = p < end && buf[p] === 45 ? p + 1 : p;
    const c0 = q < end ? buf[q] : -1;
    if (c0 === 48) {
      const c1 = q + 1 < end ? buf[q + 1] : -1;
      if (c1 >= 48 && c1 <= 57) return NaN; // a leading zero
    } else if (!(c0 >= 49 && c0 <= 57)) return NaN;
    return this.read(buf, p, end);
  }

  read(buf: Uint8Array, p: number, end: number): number {
    const start = p;
    let c = p < end ? buf[p] : -1;
    let neg = false;
    if (c === 45 || c === 43) {
      neg = c === 45;
      p++;
      c = p < end ? buf[p] : -1;
    }
    let mant = 0;
    let nd = 0;
    let frac = 0;
    while (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      nd++;
      p++;
      c = p < end ? buf[p] : -1;
    }
    if (c === 46) {
      p++;
      c = p < end ? buf[p] : -1;
      if (!(c >= 48 && c <= 57)) return NaN; // `5.` or a lone `.`
      while (c >= 48 && c <= 57) {
        mant = mant * 10 + (c - 48);
        nd++;
        frac++;
        p++;
        c = p < end ? buf[p] : -1;
      }
    }
    if (nd === 0) return NaN;
    let exp = 0;
    let ed = 0;
    if (c === 101 || c === 69) {
      p++;
      c = p < end ? buf[p] : -1;
      let eneg = false;
      if (c === 45 || c === 43) {
        eneg = c === 45;
        p++;
        c = p < end ? buf[p] : -1;
      }
      while (c >= 48 && c <= 57) {
        if (ed < 6) exp = exp * 10 + (c - 48);
        ed++;
        p++;
        c = p < end ? buf[p] : -1;
      }
      if (ed === 0) return NaN; // `1e`: the lexer reads a unit
      if (eneg) exp = -exp;
    }
    this.end = p;
    const e10 = exp - frac;
    let v: number;
    if (ed <= 6 && mant <= 9007199254740991 && e10 >= -22 && e10 <= 22) {
      if (mant === 0) v = 0;
      else if (e10 === 0) v = mant;
      else if (e10 < 0) v = mant / POW10_EXACT[-e10];
      else v = mant * POW10_EXACT[e10];
    } else {
      v = ed <= 6 && nd <= 27 && e10 >= -22 && e10 <= 22 ? longDigits(buf, neg || buf[start] === 43 ? start + 1 : start, nd, e10) : NaN;
      if (v !== v) return +latin1(buf, start, p);
    }
    return neg ? -v : v;
  }
}
