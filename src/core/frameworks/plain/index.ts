import type { Framework } from '../framework';
import { plainFixes } from './fixes';
import { plainReader } from './reader';
import { validatePlain } from './validate';

/** Hand-written configs: the fallback when no framework recognises a file. */
export const plain: Framework = { id: 'plain', readers: [plainReader], fixes: plainFixes, validate: validatePlain };
