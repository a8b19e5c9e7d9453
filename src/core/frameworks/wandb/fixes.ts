/**
 * Quick fixes of a W&B sweep configuration: grid → random search with a run budget, the grid's float
 * value lists turned into ranges (distributions.ts).
 */
import { applyEdits, diffEdits, replaceKey, setTopKeys, type TextEdit } from '../../config/edits';
import type { TrainingConfig } from '../../config/training-config';
import { childOf, dataFormat, locate, parseConfigText } from '../../config/tree';
import type { FixWriters } from '../framework';
import { distributionFor, parameterSpecs } from './distributions';

function randomSearch(cfg: TrainingConfig, text: string, trials: number): TextEdit[] {
  let cur = applyEdits(text, setTopKeys(cfg, text, { method: 'random', run_cap: trials }));
  const paths = parameterSpecs(childOf(parseConfigText(cur, dataFormat(cfg)).root, 'parameters')).map((p) => p.path);
  for (const path of paths) {
    // Each replacement moves the text after it: the spec is looked up again in the current text.
    const spec = locate(parseConfigText(cur, dataFormat(cfg)).root, path)?.node;
    const d = spec && distributionFor(spec, cur);
    if (!d) continue;
    const next = applyEdits(cur, replaceKey(cfg, cur, path, d));
    if (next === cur) return [];
    cur = next;
  }
  return diffEdits(text, cur);
}

export const wandbFixes: FixWriters = {
  randomSearch: { where: 'method: random, run_cap', edits: randomSearch },
};
