/**
 * Python training scripts and notebooks (src/core/python reads them: a real parser, nothing executed).
 * They are recognised by file name in read-config.ts, not by a YAML/JSON reader's `detect`, so this
 * framework has no reader; it owns how fixes are written into Python source. Only fixes that edit a
 * call in place are offered: a step scheduler becomes CosineAnnealingLR (the script's own epoch count
 * as T_max). Nothing is validated beyond re-reading the edited script (the policy's `works` check).
 */
import { replaceStepWithCosine } from '../../python/fixes';
import type { Framework } from '../framework';

export const python: Framework = {
  id: 'python',
  readers: [],
  styles: ['python-script'],
  fixes: { cosine: replaceStepWithCosine },
  validate: () => [],
};
