import type { Framework } from '../framework';
import { lightningFixes } from './fixes';
import { lightningCliReader } from './reader';
import { validateLightning } from './validate';

export const lightning: Framework = { id: 'lightning', readers: [lightningCliReader], fixes: lightningFixes, validate: validateLightning };
