import type { Framework } from '../framework';
import { wandbFixes } from './fixes';
import { wandbSweepReader } from './reader';
import { validateWandb } from './validate';

export const wandb: Framework = { id: 'wandb', readers: [wandbSweepReader], fixes: wandbFixes, validate: validateWandb };
