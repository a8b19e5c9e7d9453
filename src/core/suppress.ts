/**
 * Suppression comments a user writes in a training config:
 *
 *   # traindx-disable-next-line large-batch, lr-step-scheduler    (YAML)
 *   // traindx-disable-next-line fine-tuning                      (JSON with comments, .jsonc)
 *   # traindx-disable grid-search                                 (anywhere: the whole file)
 *
 * Ids are scenario ids (`large-batch`) or rule ids (`large-batch-no-warmup`), separated by commas
 * and/or spaces; a directive without ids covers every finding. Text after ` -- ` is a free reason
 * and is ignored (`# traindx-disable-next-line fine-tuning -- lr chosen by a sweep`).
 *
 * `disable-next-line` must be a whole-line comment. It applies to the next line that is not itself a
 * `traindx-disable-next-line` comment, so that two directives can be stacked. A finding is on the
 * line it points at (its 1-based `line`, the first line of its range).
 *
 * Only configs carry suppressions: a log's lines are written by the training job, not by the user,
 * so findings on logs are switched off with the `traindx.rules` setting (`{ "<id>": { "enabled": false } }`) (or `--disable` in the
 * CLI) instead.
 *
 * Pure: text in, decisions out; never throws.
 */
import type { Finding } from './types';

export interface Suppressions {
  /** Ids disabled for the whole file; `*` = every finding. */
  file: ReadonlySet<string>;
  /** 1-based line → ids disabled on that line; `*` = every finding. */
  lines: ReadonlyMap<number, ReadonlySet<string>>;
}

export const ALL = '*';

const NEXT_LINE = /^\s*(?:#|\/\/)\s*traindx-disable-next-line\b(.*)$/;
/** `# traindx-disable …` as a whole line or a trailing comment (YAML needs a space before `#`). */
const FILE = /(?:^|\s)(?:#|\/\/)\s*traindx-disable(?![-\w])(.*)$/;

/** Ids named after a directive: `a, b c -- reason` → [a, b, c]; none → [`*`]. */
export function parseIds(rest: string): string[] {
  const body = rest.split(/\s--(?:\s|$)/)[0];
  const ids = body
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && /^[\w.-]+$/.test(s));
  return ids.length ? ids : [ALL];
}

/** The suppression comments of a config's text. */
export function parseSuppressions(text: string): Suppressions {
  const file = new Set<string>();
  const lines = new Map<number, Set<string>>();
  if (typeof text !== 'string' || !text.includes('traindx-disable')) return { file, lines };
  const src = text.split(/\r\n|\r|\n/);
  const pending: string[] = [];
  for (let i = 0; i < src.length; i++) {
    const line = src[i];
    const next = NEXT_LINE.exec(line);
    if (next) {
      pending.push(...parseIds(next[1]));
      continue;
    }
    if (pending.length) {
      const set = lines.get(i + 1) ?? new Set<string>();
      for (const id of pending) set.add(id);
      lines.set(i + 1, set);
      pending.length = 0;
    }
    if (!line.includes('traindx-disable')) continue;
    const whole = FILE.exec(line);
    if (whole && !inString(line, whole.index + (whole[0].startsWith('#') || whole[0].startsWith('/') ? 0 : 1))) {
      for (const id of parseIds(whole[1])) file.add(id);
    }
  }
  return { file, lines };
}

/** Whether the comment start at `at` sits inside a quoted string of the line (then it is no comment). */
function inString(line: string, at: number): boolean {
  let quote: string | undefined;
  for (let i = 0; i < at; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
  }
  return quote !== undefined;
}

function covers(ids: ReadonlySet<string> | undefined, f: Finding): boolean {
  return ids !== undefined && (ids.has(ALL) || ids.has(f.scenario) || ids.has(f.rule));
}

export function isSuppressed(f: Finding, s: Suppressions): boolean {
  return covers(s.file, f) || covers(s.lines.get(f.line), f);
}

/** The findings of one config that its suppression comments leave. */
export function applySuppressions(findings: readonly Finding[], text: string): Finding[] {
  const s = parseSuppressions(text);
  if (s.file.size === 0 && s.lines.size === 0) return [...findings];
  return findings.filter((f) => !isSuppressed(f, s));
}

/** The comment that disables `ids` on the line below, in the config's comment syntax. */
export function disableNextLineComment(format: 'yaml' | 'json', ids: readonly string[]): string {
  return `${format === 'json' ? '//' : '#'} traindx-disable-next-line ${ids.join(', ')}`;
}
