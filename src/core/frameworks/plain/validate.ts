/**
 * Hand-written configs mean what the user's training script reads, which traindx cannot see: changing
 * the value of a key the file already has is safe, adding a key is not (the script may never read it).
 * Arguments added inside an object instantiated from the config (`_target_`, `class_path` +
 * `init_args`) are the class's own, and allowed.
 */
import type { Change } from '../../config/changes';
import { locate } from '../../config/tree';
import type { CNode } from '../../config/tree';
import type { ConfigDoc } from '../framework';

function isClassArgument(root: CNode | undefined, c: Change): boolean {
  const parent = c.path.slice(0, -1);
  if (parent.length === 0) return false;
  if (parent[parent.length - 1] === 'init_args') return locate(root, [...parent.slice(0, -1), 'class_path']) !== undefined;
  return locate(root, [...parent, '_target_']) !== undefined;
}

export function validatePlain(doc: ConfigDoc, changes: readonly Change[]): string[] {
  return changes.filter((c) => c.added && !isClassArgument(doc.root, c)).map((c) => `${c.key} is not in the file: the training script may not read it`);
}
