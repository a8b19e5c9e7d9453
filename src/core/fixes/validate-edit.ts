/**
 * Whether an edit leaves a config its framework accepts: the framework's validator run on the edited
 * text with what the edit changed, keeping only the problems the edit brought (a config that already
 * had one is not the fix's doing, and the fix is still judged on its own changes).
 */
import { changesBetween } from '../config/changes';
import { readConfig } from '../config/read-config';
import type { TrainingConfig } from '../config/training-config';
import { parseConfigText } from '../config/tree';
import { frameworkOf } from '../frameworks';
import type { ConfigDoc } from '../frameworks/framework';

export function docOf(cfg: TrainingConfig, text: string): ConfigDoc {
  return { cfg, text, root: parseConfigText(text, cfg.format).root };
}

/** The problems the edit from `before` to `afterText` brings; [] = the edited config is valid. */
export function editProblems(before: TrainingConfig, beforeText: string, afterText: string): string[] {
  const after = readConfig(before.file, afterText);
  if (!after) return ['the edited file is no longer a training config'];
  const fw = frameworkOf(after);
  const had = new Set(frameworkOf(before).validate(docOf(before, beforeText), []));
  return fw.validate(docOf(after, afterText), changesBetween(before.format, beforeText, afterText)).filter((p) => !had.has(p));
}
