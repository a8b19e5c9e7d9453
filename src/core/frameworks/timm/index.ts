import type { Framework } from '../framework';
import { timmFixes } from './fixes';
import { timmReader } from './reader';
import { validateTimm } from './validate';

export const timm: Framework = { id: 'timm', readers: [timmReader], fixes: timmFixes, validate: validateTimm };
