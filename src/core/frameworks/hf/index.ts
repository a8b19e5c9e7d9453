import type { Framework } from '../framework';
import { hfFixes } from './fixes';
import { hfTrainingArgsReader } from './reader';

export const hf: Framework = { id: 'hf', readers: [hfTrainingArgsReader], fixes: hfFixes };
