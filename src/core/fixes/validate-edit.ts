/**
 * Whether an edit leaves a config its framework accepts: the framework's validator run on the edited
 * text with what the edit changed, keeping only the problems the edit brought (a config that already
 * had one is not the fix's doing, and the fix is still judged on its own changes).
 */
import { changesBetween, type Change } from '../config/changes';
import { readConfig, unwrapWandbRunConfig } from '../config/read-config';
import type { TrainingConfig } from '../config/training-config';
import { dataFormat, joinPath, parseConfigText } from '../config/tree';
import { frameworkOf } from '../frameworks';
import type { ConfigDoc } from '../frameworks/framework';

/** The config as its reader saw it: a W&B run record's `{desc, value}` wrappers removed. */
export function docOf(cfg: TrainingConfig, text: string): ConfigDoc {
  const root = parseConfigText(text, dataFormat(cfg)).root;
  return { cfg, text, root: root?.kind === 'map' ? unwrapWandbRunConfig(root) : root };
}

/** Changes of a W&B run record named as the unwrapped keys (`learning_rate.value` → `learning_rate`). */
function unwrapped(changes: Change[], text: string, format: 'yaml' | 'json'): Change[] {
  const root = parseConfigText(text, format).root;
  if (root?.kind !== 'map' || unwrapWandbRunConfig(root) === root) return changes;
  return changes.map((c) => {
    if (c.path[1] !== 'value') return c;
    const path = [c.path[0], ...c.path.slice(2)];
    return { ...c, path, key: joinPath(path) };
  });
}

/**
 * The problems the edit from `before` to `afterText` brings; [] = the edited config is valid. `after` is
 * `afterText` read, when the caller has read it already (the fix policy does, to check the fix's effect).
 */
export function editProblems(before: TrainingConfig, beforeText: string, afterText: string, after = readConfig(before.file, afterText)): string[] {
  if (!after) return ['the edited file is no longer a training config'];
  const fw = frameworkOf(after);
  const had = new Set(frameworkOf(before).validate(docOf(before, beforeText), []));
  const changes = unwrapped(changesBetween(dataFormat(before), beforeText, afterText), afterText, dataFormat(before));
  return fw.validate(docOf(after, afterText), changes).filter((p) => !had.has(p));
}
