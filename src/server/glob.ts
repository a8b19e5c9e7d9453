import * as path from 'path';

/** Longer patterns are ignored: no exclude a person writes is this long, and matching costs its length. */
const MAX_GLOB_LENGTH = 1000;

/** Whether a path matches a `traindx.watch.exclude` glob. */
export type PathMatcher = (file: string) => boolean;

/**
 * Compiles a `files.exclude`-style glob (`**` any number of folders, `*` and `?` within one name) into
 * a matcher that holds when the glob matches a run of whole segments anywhere in the path (`out` hides
 * `/w/out/x.log`, `**\/tmp/*` hides `/w/a/tmp/b/c.log`). No regular expression: the glob comes from a
 * workspace's settings, and one such as `**\/**\/…\/nomatch` made the old RegExp backtrack for minutes
 * per path (picomatch backtracks too: `**\/a*a*…a*b` took 9 minutes on one 60-character name here).
 * The cost is at most (segments of the path) × (segments of the glob) × (length of one name)².
 */
export function compileGlob(glob: string): PathMatcher {
  if (glob.length > MAX_GLOB_LENGTH) return () => false;
  const segs: string[] = [];
  for (const s of glob.split('/')) {
    if (s === '') continue;
    // Consecutive `**` are one.
    if (s === '**' && segs[segs.length - 1] === '**') continue;
    segs.push(s);
  }
  if (segs.length === 0) return () => false;
  // Anywhere in the path, and whatever follows it: `**` on both sides.
  const pattern = [...(segs[0] === '**' ? [] : ['**']), ...segs, ...(segs[segs.length - 1] === '**' ? [] : ['**'])];
  return (file) => matchSegments(pattern, file.split(path.sep === '\\' ? /[\\/]/ : '/').filter((s) => s !== ''));
}

/** Runs the glob's segments as a set of states over the path's segments (a Thompson simulation). */
function matchSegments(pattern: readonly string[], names: readonly string[]): boolean {
  const n = pattern.length;
  let states = closure(pattern, new Uint8Array(n + 1).fill(0).map((_, k) => (k === 0 ? 1 : 0)));
  for (const name of names) {
    const next = new Uint8Array(n + 1);
    let any = false;
    for (let k = 0; k < n; k++) {
      if (!states[k]) continue;
      if (pattern[k] === '**') next[k] = 1;
      else if (matchName(pattern[k], name)) next[k + 1] = 1;
      else continue;
      any = true;
    }
    if (!any) return false;
    states = closure(pattern, next);
    if (states[n]) return true;
  }
  return states[n] === 1;
}

/** Adds the states reached by letting a `**` match no segment. */
function closure(pattern: readonly string[], states: Uint8Array): Uint8Array {
  for (let k = 0; k < pattern.length; k++) if (states[k] && pattern[k] === '**') states[k + 1] = 1;
  return states;
}

/**
 * One name against one glob segment (`*` any run of characters, `?` one, the rest literal). Greedy
 * with one backtrack point, the last `*`: each `*` only ever moves forward, so the cost is at most
 * the product of the two lengths, never exponential.
 */
function matchName(glob: string, name: string): boolean {
  let g = 0;
  let s = 0;
  let star = -1;
  let mark = 0;
  while (s < name.length) {
    const c = glob[g];
    if (g < glob.length && (c === '?' || c === name[s]) && c !== '*') {
      g++;
      s++;
    } else if (g < glob.length && c === '*') {
      star = g++;
      mark = s;
    } else if (star >= 0) {
      g = star + 1;
      s = ++mark;
    } else return false;
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}
