/**
 * The detectron2 keys traindx reads or writes, with the type of their default: yacs
 * (`CfgNode._check_and_coerce_cfg_value_type`) refuses a value whose type differs from the default's
 * (an int where the default is a float, e.g. `CLIP_VALUE: 1`), except tuple↔list and anything for a
 * None default; `merge_from_file` refuses a key the defaults do not have (`MODEL_EMA` belongs to d2go,
 * not to detectron2). From facebookresearch/detectron2 `detectron2/config/defaults.py` and
 * `detectron2/solver/build.py` at 02b5c4e295e990042a714712c21dc79b731e8833.
 */
import type { Schema } from '../shared/schema';

const FLOAT = { types: ['float'] } as const;
const INT = { types: ['int'] } as const;
const BOOL = { types: ['bool'] } as const;
const STR = { types: ['str'] } as const;
const SEQ = { types: ['list'] } as const;

export const DETECTRON2_SCHEMA: Schema = {
  'MODEL.WEIGHTS': STR,
  'MODEL.BACKBONE.NAME': STR,
  'MODEL.BACKBONE.FREEZE_AT': INT,
  'SOLVER.LR_SCHEDULER_NAME': { types: ['str'], oneOf: ['WarmupMultiStepLR', 'WarmupCosineLR', 'WarmupStepWithFixedGammaLR'] },
  'SOLVER.MAX_ITER': INT,
  'SOLVER.BASE_LR': FLOAT,
  'SOLVER.BASE_LR_END': FLOAT,
  'SOLVER.MOMENTUM': FLOAT,
  'SOLVER.NESTEROV': BOOL,
  'SOLVER.WEIGHT_DECAY': FLOAT,
  'SOLVER.WEIGHT_DECAY_NORM': FLOAT,
  'SOLVER.GAMMA': FLOAT,
  'SOLVER.STEPS': SEQ,
  'SOLVER.NUM_DECAYS': INT,
  'SOLVER.WARMUP_FACTOR': FLOAT,
  'SOLVER.WARMUP_ITERS': INT,
  'SOLVER.WARMUP_METHOD': { types: ['str'], oneOf: ['linear', 'constant'] },
  'SOLVER.RESCALE_INTERVAL': BOOL,
  'SOLVER.CHECKPOINT_PERIOD': INT,
  'SOLVER.IMS_PER_BATCH': INT,
  'SOLVER.REFERENCE_WORLD_SIZE': INT,
  'SOLVER.BIAS_LR_FACTOR': FLOAT,
  'SOLVER.WEIGHT_DECAY_BIAS': { types: ['none', 'float', 'int', 'bool', 'str', 'list'] },
  'SOLVER.CLIP_GRADIENTS.ENABLED': BOOL,
  'SOLVER.CLIP_GRADIENTS.CLIP_TYPE': { types: ['str'], oneOf: ['value', 'norm'] },
  'SOLVER.CLIP_GRADIENTS.CLIP_VALUE': FLOAT,
  'SOLVER.CLIP_GRADIENTS.NORM_TYPE': FLOAT,
  'SOLVER.AMP.ENABLED': BOOL,
  SEED: INT,
};

/** ResNet stages (stem + res2…res5): `FREEZE_AT` counts how many are frozen. */
export const RESNET_STAGES = 5;
