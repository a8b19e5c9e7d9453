/** detectron2 config checks: known keys with their yacs types, and the values its builders accept. */
import { dataFormat } from '../../config/tree';
import type { Change } from '../../config/changes';
import type { ConfigDoc } from '../framework';
import { yacsTypeOf } from '../shared/python-types';
import { checkChanges } from '../shared/schema';
import { DETECTRON2_SCHEMA, RESNET_STAGES } from './schema';

export function validateDetectron2(doc: ConfigDoc, changes: readonly Change[]): string[] {
  const problems = checkChanges(changes, {
    schema: DETECTRON2_SCHEMA,
    owner: 'detectron2 defaults.py',
    typeOf: (c) => yacsTypeOf(c.node, c.raw, dataFormat(doc.cfg)),
  });
  const freeze = doc.cfg.freeze?.key === 'MODEL.BACKBONE.FREEZE_AT' ? doc.cfg.freeze.value : undefined;
  if (typeof freeze === 'number' && (freeze < 0 || freeze > RESNET_STAGES)) problems.push(`MODEL.BACKBONE.FREEZE_AT ${freeze} is outside 0–${RESNET_STAGES}`);
  return problems;
}
