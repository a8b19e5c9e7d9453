import type { AnalysisResult } from '../core/analyze';
import type { Severity } from '../core/types';

const COLOR: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[2m' };
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';

/**
 * Text read from logs and file names may hold terminal escapes; printing them raw would let a log
 * repaint or retitle the user's terminal. A newline in a file name would start a forged line of our
 * own ("0 findings…"), and bidi controls would reorder what is shown. Control characters are shown
 * as `\xNN`, bidi and line-separator characters as `\u{NNNN}`.
 */
export function safeText(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
      .replace(/[\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)
  );
}

/** A readable table: location, severity, scenario, message; then what was read. */
export function formatText(r: AnalysisResult, color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `${code}${s}${RESET}` : s);
  const lines: string[] = [];
  // A notebook's finding also says its cell and line there: the `.ipynb` line alone is a line of JSON.
  const where = (f: (typeof r.findings)[number]) => `${f.file}:${f.line}${f.cell ? ` (cell ${f.cell.index + 1}, line ${f.cell.range.startLine + 1})` : ''}`;
  const rows = r.findings.map((f) => ({ loc: safeText(where(f)), sev: f.severity, scenario: f.scenario, msg: safeText(f.message) }));
  const locW = Math.max(8, ...rows.map((x) => x.loc.length));
  const sevW = 11;
  const scW = Math.max(8, ...rows.map((x) => x.scenario.length));
  if (rows.length > 0) {
    lines.push(paint(BOLD, `${'LOCATION'.padEnd(locW)}  ${'SEVERITY'.padEnd(sevW)}  ${'SCENARIO'.padEnd(scW)}  MESSAGE`));
    for (const x of rows) {
      lines.push(`${x.loc.padEnd(locW)}  ${paint(COLOR[x.sev], x.sev.padEnd(sevW))}  ${x.scenario.padEnd(scW)}  ${x.msg}`);
    }
  }
  const logs = r.files.filter((f) => f.kind === 'log');
  const configs = r.files.filter((f) => f.kind === 'config');
  const points = logs.reduce((n, f) => n + (f.points ?? 0), 0);
  const counts = (['error', 'warning', 'information', 'hint'] as const)
    .map((s) => [s, r.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  lines.push('');
  lines.push(
    `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}${counts.length ? ` (${counts.join(', ')})` : ''} in ` +
      `${logs.length} log${logs.length === 1 ? '' : 's'} (${points} points) and ${configs.length} config${configs.length === 1 ? '' : 's'}.`,
  );
  for (const f of r.files) {
    for (const m of f.messages) lines.push(paint(COLOR.hint, `note: ${safeText(f.path)}: ${safeText(m)}`));
  }
  for (const p of r.problems) lines.push(paint(COLOR.warning, `could not read ${safeText(p)}`));
  if (r.truncated) lines.push(paint(COLOR.warning, 'stopped at the file limit; pass narrower paths to read the rest.'));
  return `${lines.join('\n')}\n`;
}
