import type { Framework } from '../framework';
import { hfFixes } from './fixes';
import { hfTrainingArgsReader } from './reader';
import { validateHf } from './validate';

export const hf: Framework = { id: 'hf', readers: [hfTrainingArgsReader], fixes: hfFixes, validate: validateHf };
