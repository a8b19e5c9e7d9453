/**
 * The registry of frameworks. Adding one = a folder with its readers and fix writers, and a line here.
 * `plain` comes last: its reader detects nothing and reads whatever no other reader recognises.
 */
import type { StyleReader } from '../config/extract';
import type { ConfigStyle, TrainingConfig } from '../config/training-config';
import { detectron2 } from './detectron2';
import type { Framework } from './framework';
import { hf } from './hf';
import { hydraOptuna } from './hydra-optuna';
import { lightning } from './lightning';
import { plain } from './plain';
import { python } from './python';
import { launch } from './launch';
import { timm } from './timm';
import { ultralytics } from './ultralytics';
import { wandb } from './wandb';

export type { Framework } from './framework';

export const FRAMEWORKS: readonly Framework[] = [hf, lightning, ultralytics, detectron2, timm, wandb, hydraOptuna, python, launch, plain];

/** The reader used when no reader detects a file. */
export const FALLBACK_READER: StyleReader = plain.readers[0];

/** Readers that detect their style, in the order that settles equal scores. */
export const DETECTING_READERS: readonly StyleReader[] = FRAMEWORKS.flatMap((f) => f.readers)
  .filter((r) => r !== FALLBACK_READER)
  .sort((a, b) => a.rank - b.rank);

const BY_STYLE = new Map<ConfigStyle, Framework>(FRAMEWORKS.flatMap((f) => [...f.readers.map((r) => r.style), ...(f.styles ?? [])].map((style) => [style, f] as const)));

/** The framework whose reader read this config. */
export function frameworkOf(cfg: Pick<TrainingConfig, 'style'>): Framework {
  return BY_STYLE.get(cfg.style) ?? plain;
}
