/**
 * Tick labels for a chart's axis. uPlot's default keeps a fixed number of decimals, so a learning
 * rate below ~5e-4 read "0, 0, 0" (issue 12: every Hugging Face fine-tune). Small and huge values get
 * exponent notation ("5e-5", "1.5e-4"), as do the decades of a log axis; the rest plain decimals. Each label has the fewest digits that
 * still give back its tick's value, so the labels of one axis never repeat.
 */

/** An axis with a tick (other than 0) below this, or one from EXP_ABOVE, is written with exponents. */
const EXP_BELOW = 1e-3;
const EXP_ABOVE = 1e5;
const MAX_DIGITS = 12;

export function formatTicks(values: readonly number[]): string[] {
  const finite = values.filter(Number.isFinite);
  const maxAbs = finite.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (maxAbs === 0) return values.map((v) => (Number.isFinite(v) ? '0' : String(v)));
  const minAbs = finite.reduce((m, v) => (v !== 0 ? Math.min(m, Math.abs(v)) : m), Infinity);
  const exponent = minAbs < EXP_BELOW || maxAbs >= EXP_ABOVE;
  // A tick's value is given back when the label is off by less than this (splits are round numbers).
  const tolerance = maxAbs * 1e-9;
  for (let digits = 0; digits <= MAX_DIGITS; digits++) {
    const labels = values.map((v) => label(v, digits, exponent));
    if (values.every((v, i) => !Number.isFinite(v) || Math.abs(Number(labels[i]) - v) <= tolerance)) return labels;
  }
  return values.map((v) => label(v, MAX_DIGITS, exponent));
}

function label(v: number, digits: number, exponent: boolean): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  if (!exponent) return trimZeros(v.toFixed(digits));
  const [mantissa, exp] = v.toExponential(digits).split('e');
  return `${trimZeros(mantissa)}e${exp.replace('+', '')}`;
}

/** "0.500" → "0.5", "2.000" → "2", "-0" → "0". */
function trimZeros(s: string): string {
  const t = s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  return t === '-0' ? '0' : t;
}
