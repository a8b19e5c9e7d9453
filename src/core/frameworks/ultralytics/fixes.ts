/**
 * Quick fixes written as Ultralytics arguments (`cos_lr`, `warmup_epochs`, `patience`, `freeze`).
 * No clipping or EMA fix: the trainer always clips at norm 10 and keeps a ModelEMA.
 */
import { addKey, setNumber } from '../../config/edits';
import type { FixWriters } from '../framework';
import { epochWarmup } from '../shared/epoch-warmup';

/** The backbone of YOLOv8 detect models is layers 0–9. */
const BACKBONE_LAYERS = 10;

export const ultralyticsFixes: FixWriters = {
  cosine: (cfg, text) => addKey(cfg, text, 'cos_lr', true),
  warmup: epochWarmup,
  earlyStopping: {
    write: (cfg, text, patience) => ({
      title: `Set patience ${patience}`,
      edits: cfg.earlyStopping ? setNumber(cfg, text, cfg.earlyStopping, patience) : addKey(cfg, text, 'patience', patience),
    }),
  },
  freezeBackbone: (cfg, text) => addKey(cfg, text, 'freeze', BACKBONE_LAYERS),
};
