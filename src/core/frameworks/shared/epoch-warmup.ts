/**
 * Warmup written as a number of epochs (`warmup_epochs`, timm/Ultralytics/torchvision spelling): the
 * existing key's value is raised, or the key is added. 5 epochs by default (Goyal et al. 2017, timm's
 * default).
 */
import { addKey, setNumber } from '../../config/edits';
import type { WarmupWriter } from '../framework';

export const DEFAULT_WARMUP_EPOCHS = 5;

export const epochWarmup: WarmupWriter = {
  amount: (hint) => hint.epochs ?? DEFAULT_WARMUP_EPOCHS,
  edits: (cfg, text, amount) => (cfg.warmup ? setNumber(cfg, text, cfg.warmup, amount) : addKey(cfg, text, 'warmup_epochs', amount)),
  title: (cfg, amount) => `Add LR warmup: ${cfg.warmup?.key ?? 'warmup_epochs'} ${amount} (linear warmup, Goyal et al.)`,
};
