/**
 * Ultralytics config checks, from ultralytics/ultralytics `ultralytics/cfg/__init__.py` (`check_cfg`:
 * CFG_INT_KEYS must be ints, CFG_FLOAT_KEYS ints or floats, CFG_FRACTION_KEYS numbers in [0, 1],
 * CFG_BOOL_KEYS booleans; `check_dict_alignment` refuses keys `cfg/default.yaml` does not have).
 * Only the keys traindx reads or writes are listed; YOLOv5 `opt.yaml` spellings (`batch_size`,
 * `weights`, `hyp.*`) are included.
 */
import { dataFormat } from '../../config/tree';
import type { Change } from '../../config/changes';
import type { ConfigDoc } from '../framework';
import { pyTypeOf } from '../shared/python-types';
import { checkChanges, type Schema } from '../shared/schema';

const INT = { types: ['int'] } as const;
const NUMBER = { types: ['int', 'float'] } as const;
const FRACTION_KEYS = ['lr0', 'lrf', 'momentum', 'weight_decay', 'warmup_momentum', 'warmup_bias_lr'];

const ULTRALYTICS: Schema = {
  epochs: INT,
  patience: INT,
  seed: INT,
  nbs: INT,
  close_mosaic: INT,
  batch: NUMBER,
  batch_size: INT,
  warmup_epochs: NUMBER,
  cos_lr: { types: ['bool'] },
  pretrained: { types: ['bool', 'str'] },
  optimizer: { types: ['str'], oneOf: ['SGD', 'MuSGD', 'Adam', 'Adamax', 'AdamW', 'NAdam', 'RAdam', 'RMSProp', 'auto'] },
  freeze: { types: ['int', 'list', 'none'] },
  model: { types: ['str', 'none'] },
  weights: { types: ['str', 'none'] },
  ...Object.fromEntries(FRACTION_KEYS.flatMap((k) => [[k, NUMBER], [`hyp.${k}`, NUMBER]])),
  'hyp.warmup_epochs': NUMBER,
};

export function validateUltralytics(doc: ConfigDoc, changes: readonly Change[]): string[] {
  const problems = checkChanges(changes, { schema: ULTRALYTICS, owner: 'Ultralytics default.yaml', typeOf: (c) => pyTypeOf(c.node, c.raw, dataFormat(doc.cfg)) });
  for (const c of changes) {
    const name = c.key.replace(/^hyp\./, '');
    const v = c.node.kind === 'scalar' ? c.node.value : undefined;
    if (FRACTION_KEYS.includes(name) && typeof v === 'number' && (v < 0 || v > 1)) problems.push(`${c.key} ${v} is outside [0, 1]`);
  }
  return problems;
}
