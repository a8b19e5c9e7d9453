/** Quick fixes of a W&B sweep configuration: grid → random search with a run budget. */
import { setTopKeys } from '../../config/edits';
import type { FixWriters } from '../framework';

export const wandbFixes: FixWriters = {
  randomSearch: { where: 'method: random, run_cap', edits: (cfg, text, trials) => setTopKeys(cfg, text, { method: 'random', run_cap: trials }) },
};
