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
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** Little-endian hosts keep the high word second. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * The correctly rounded double of `(a·10^8 + b) · 10^e10` for integers a < 10^11, b < 10^8 and
 * |e10| ≤ 22: the significands of up to 19 digits that the one-operation fast path cannot take
 * exactly (a float32's 17-digit repr). The significand is held exactly as a double-double, the
 * product/quotient with the exact power of ten is formed to ~2^-100 (Dekker's exact product), and the
 * result is the rounded double unless the value lies within 2^-40 ulp of a rounding boundary or of a
 * power of two; then it answers NaN and the caller converts the text instead.
 */
export function decimalParts(a: number, b: number, e10: number): number {
  // m = a·10^8 + b exactly as mh + ml (Dekker's exact product, then an exact two-sum).
  let c = SPLITTER * a;
  let xh = c - (c - a);
  let xl = a - xh;
  const p = a * 1e8;
  const pe = xh * 1e8 - p + xl * 1e8; // 1e8 splits exactly into itself (27 bits)
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
    const q0 = mh / d;
    // q0·d exactly as pp + ppe.
    c = SPLITTER * q0;
    xh = c - (c - q0);
    xl = q0 - xh;
    c = SPLITTER * d;
    const dh = c - (c - d);
    const dl = d - dh;
    const pp = q0 * d;
    const ppe = xh * dh - pp + xh * dl + xl * dh + xl * dl;
    const l = (mh - pp - ppe + ml) / d;
    qh = q0 + l;
    ql = l - (qh - q0);
  } else {
    const f = POW10[e10];
    c = SPLITTER * f;
    const fh = c - (c - f);
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
  bits[0] = qh;
  const hi = words[HI];
  const exp = (hi >>> 20) & 0x7ff;
  if (exp === 0 || exp === 0x7ff) return NaN;
  if ((hi & 0xfffff) === 0 && words[1 - HI] === 0) return NaN; // a power of two: uneven ulps
  const halfUlp = POW2[exp]; // ulp(qh)/2 = 2^(exp − 1023 − 52 − 1)
  const dist = Math.abs(Math.abs(ql) - halfUlp);
  if (dist <= halfUlp * 1.8189894035458565e-12) return NaN; // within 2^-39 of a tie
  return qh;
}

/** POW2[e] = 2^(e − 1076): half an ulp of a double whose biased exponent is e. */
const POW2 = new Float64Array(2048);
for (let e = 0; e < 2048; e++) POW2[e] = 2 ** (e - 1076);

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
