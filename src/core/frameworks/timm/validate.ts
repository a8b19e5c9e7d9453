/**
 * timm config checks. `train.py --config args.yaml` passes the file to `parser.set_defaults`, so a key
 * that is not one of its arguments is silently ignored, and `sched` must be a name
 * `timm/scheduler/scheduler_factory.py` knows (huggingface/pytorch-image-models at
 * aa4b5850c1543fa488abf260f18390eda46cf85d).
 */
import { dataFormat } from '../../config/tree';
import type { Change } from '../../config/changes';
import type { ConfigDoc } from '../framework';
import { pyTypeOf } from '../shared/python-types';
import { checkChanges, type Schema } from '../shared/schema';

const NUMBER = { types: ['int', 'float'] } as const;
const OPTIONAL_NUMBER = { types: ['int', 'float', 'none'] } as const;

const TIMM_ARGS: Schema = {
  lr: OPTIONAL_NUMBER,
  lr_base: NUMBER,
  lr_base_size: { types: ['int'] },
  lr_base_scale: { types: ['str'] },
  sched: { types: ['str'], oneOf: ['cosine', 'tanh', 'step', 'multistep', 'plateau', 'poly'] },
  epochs: { types: ['int'] },
  decay_epochs: NUMBER,
  decay_milestones: { types: ['list'] },
  warmup_epochs: NUMBER,
  clip_grad: OPTIONAL_NUMBER,
  clip_mode: { types: ['str'], oneOf: ['norm', 'value', 'agc'] },
  model_ema: { types: ['bool'] },
  model_ema_decay: NUMBER,
  layer_decay: OPTIONAL_NUMBER,
  weight_decay: NUMBER,
  opt: { types: ['str'] },
  batch_size: { types: ['int'] },
};

export function validateTimm(doc: ConfigDoc, changes: readonly Change[]): string[] {
  return checkChanges(changes, { schema: TIMM_ARGS, owner: 'timm train.py', typeOf: (c) => pyTypeOf(c.node, c.raw, dataFormat(doc.cfg)) });
}
