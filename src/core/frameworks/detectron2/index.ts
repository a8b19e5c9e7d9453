import type { Framework } from '../framework';
import { detectron2Fixes } from './fixes';
import { detectron2Reader } from './reader';
import { validateDetectron2 } from './validate';

export const detectron2: Framework = { id: 'detectron2', readers: [detectron2Reader], fixes: detectron2Fixes, validate: validateDetectron2 };
