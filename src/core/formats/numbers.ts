/**
 * Number tokens as training logs write them. Python writes `nan`, `inf`, `-inf`; `json.dumps` writes
 * `NaN`, `Infinity`, `-Infinity`; `%g` gives `nan`. All are kept as NaN/±Infinity, never dropped.
 */

/**
 * Parses one cell/token (surrounding spaces allowed). Returns undefined for anything that is not a
 * number (empty cell, `NA`, `None`, words, hex), so callers can tell "missing" from NaN.
 */
export function parseNumber(s: string): number | undefined {
  let a = 0;
  let b = s.length;
  // Trim spaces (Ultralytics pads its columns) without allocating.
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  if (a === b) return undefined;
  const c = s.charCodeAt(a);
  // Fast path: plain decimal (the overwhelming majority of cells).
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    const t = a === 0 && b === s.length ? s : s.slice(a, b);
    const v = +t;
    if (v === v) {
      // `+` accepts `0x1f`, `0b1`, `0o7`; logs never write those, and a hex id is not a metric.
      if (c === 48 && t.length > 2) {
        const x = t.charCodeAt(1) | 32;
        if (x === 120 || x === 98 || x === 111) return undefined;
      }
      return v;
    }
    return special(t);
  }
  return special(s.slice(a, b));
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
