/** Hostile strings that a log, a config or a path may carry; every view must show them as text. */
export const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '[x](javascript:alert(1))',
  '[y](command:workbench.action.terminal.new)',
] as const;

/** The same, usable as one path segment (no `/`). */
export const PATH_PAYLOADS = PAYLOADS.map((p) => p.replace(/\//g, '%2F'));

/** Characters CommonMark gives meaning to; escapeMarkdown must put a backslash before each. */
export const MD_SPECIALS = '\\`*_{}[]()#+-.!|<>~&"\'';

/**
 * The specials in `md` that are not escaped (not preceded by an odd run of backslashes), with their
 * offsets. `allow` skips spans we wrote ourselves (our own command link).
 */
export function unescapedSpecials(md: string, allow: readonly [number, number][] = []): { ch: string; at: number }[] {
  const out: { ch: string; at: number }[] = [];
  for (let i = 0; i < md.length; i++) {
    const ch = md[i];
    if (ch === '\\') {
      i++; // the escaped character
      continue;
    }
    if (MD_SPECIALS.includes(ch) && !allow.some(([a, b]) => i >= a && i < b)) out.push({ ch, at: i });
  }
  return out;
}

/** The spans of `[label](command:traindx.explain?… "label")` links (our own, allowed in hovers). */
export function ownCommandLinks(md: string): [number, number][] {
  const spans: [number, number][] = [];
  const re = /\[[^\]]*\]\(command:traindx\.explain\?[A-Za-z0-9%._~!*'-]*(?: "[^"]*")?\)/g;
  for (let m = re.exec(md); m; m = re.exec(md)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

/** Every `](` that is not escaped, i.e. a Markdown link the renderer would make. */
export function unescapedLinkOpeners(md: string): number[] {
  const at: number[] = [];
  for (let i = 0; i < md.length - 1; i++) {
    if (md[i] === '\\') {
      i++;
      continue;
    }
    if (md[i] === ']' && md[i + 1] === '(') at.push(i);
  }
  return at;
}
