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
