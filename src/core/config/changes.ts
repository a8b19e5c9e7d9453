/**
 * What an edit changed in a config, as data: each value written or rewritten, with its path, the text
 * it is written as (validators need `1` vs `1.0`), and whether its key is new. Compared as trees, so
 * that layout and comments do not count.
 */
import { joinPath, locate, parseConfigText, plainOf } from './tree';
import type { CNode, ParsedConfig } from './tree';

export interface Change {
  path: (string | number)[];
  /** Dotted path (`SOLVER.CLIP_GRADIENTS.CLIP_VALUE`, `trainer.callbacks[1]`). */
  key: string;
  node: CNode;
  /** The value's text as written (a scalar's raw spelling). */
  raw: string;
  /** The key (or list item) did not exist before the edit. */
  added: boolean;
}

/** The values of `after` that differ from `before`: changed scalars, new keys (one per leaf), new list items. */
export function changesBetween(format: 'yaml' | 'json', before: string, after: string): Change[] {
  const a = parseConfigText(before, format);
  const b = parseConfigText(after, format);
  const out: Change[] = [];
  if (b.root) walk(a, b, b.root, [], out);
  return out;
}

function walk(before: ParsedConfig, after: ParsedConfig, node: CNode, path: (string | number)[], out: Change[]): void {
  const old = path.length === 0 ? before.root : locate(before.root, path)?.node;
  const raw = after.text.slice(node.span.start, node.span.end);
  const push = (added: boolean): void => {
    out.push({ path, key: joinPath(path), node, raw, added });
  };
  if (node.kind === 'map') {
    if (old && old.kind !== 'map') push(false);
    else for (const e of node.entries) walk(before, after, e.value, [...path, e.key], out);
    return;
  }
  if (!old) {
    push(true);
    return;
  }
  if (node.kind === 'seq') {
    if (old.kind !== 'seq') {
      push(false);
      return;
    }
    node.items.forEach((item, i) => {
      if (i >= old.items.length) out.push({ path: [...path, i], key: joinPath([...path, i]), node: item, raw: after.text.slice(item.span.start, item.span.end), added: true });
      else if (JSON.stringify(plainOf(item)) !== JSON.stringify(plainOf(old.items[i]))) walk(before, after, item, [...path, i], out);
    });
    return;
  }
  const oldRaw = before.text.slice(old.span.start, old.span.end);
  if (old.kind !== 'scalar' || old.value !== node.value || oldRaw !== raw) push(false);
}
