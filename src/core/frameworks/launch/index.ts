/**
 * Launch scripts (`run.sh`, `train.sh`): the arguments of the training command they run, read as the
 * config of the logs beside them (read-launch.ts; recognised by file name in config/read-config.ts, so
 * this framework has no detecting reader). No fix is written into a shell script: its values may be
 * shared by several commands or come from variables, and an edit could not be checked by reading back.
 */
import type { Framework } from '../framework';

export const launch: Framework = {
  id: 'launch',
  readers: [],
  styles: ['launch-script'],
  fixes: {},
  validate: () => [],
};
