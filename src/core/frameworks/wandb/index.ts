import type { Framework } from '../framework';
import { wandbFixes } from './fixes';
import { wandbSweepReader } from './reader';

export const wandb: Framework = { id: 'wandb', readers: [wandbSweepReader], fixes: wandbFixes };
