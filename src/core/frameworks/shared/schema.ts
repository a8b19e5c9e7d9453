/**
 * A framework's known keys with the types its loader accepts, and the check of an edit's changes
 * against them: a key the framework does not have, a type it refuses, a value outside its choices.
 */
import type { Change } from '../../config/changes';
import type { PyType } from './python-types';

export interface KeySpec {
  /** Types the framework accepts for the key (a yacs default's own type; argparse/dataclass kinds). */
  types: readonly PyType[];
  /** The only values it accepts, when it has a fixed set. */
  oneOf?: readonly string[];
}

export type Schema = Readonly<Record<string, KeySpec>>;

export interface SchemaCheck {
  schema: Schema;
  /** Whose keys these are, for the problem text (`detectron2 defaults.py`). */
  owner: string;
  typeOf(c: Change): PyType;
  /** Whether the key is the framework's to check (others, e.g. the user's model arguments, are not). */
  inScope?(key: string): boolean;
}

/** The key a change is checked under: a list item's list (`trainer.callbacks[2].…` → `trainer.callbacks`). */
function specKey(c: Change): { key: string; item: boolean } {
  const i = c.path.findIndex((s) => typeof s === 'number');
  if (i < 0) return { key: c.path.join('.'), item: false };
  return { key: c.path.slice(0, i).join('.'), item: true };
}

export function checkChanges(changes: readonly Change[], check: SchemaCheck): string[] {
  const problems: string[] = [];
  for (const c of changes) {
    const { key, item } = specKey(c);
    if (check.inScope && !check.inScope(key)) continue;
    const spec = check.schema[key];
    if (!spec) {
      problems.push(`${key} is not a key of ${check.owner}`);
      continue;
    }
    if (item) continue; // the list's own type is unchanged by an item
    const t = check.typeOf(c);
    if (!spec.types.includes(t)) problems.push(`${key}: ${check.owner} expects ${spec.types.join(' or ')}, the edit writes ${t} (${c.raw.trim()})`);
    else if (spec.oneOf && c.node.kind === 'scalar' && !spec.oneOf.includes(String(c.node.value))) {
      problems.push(`${key}: ${String(c.node.value)} is not one of ${spec.oneOf.join(', ')}`);
    }
  }
  return problems;
}
