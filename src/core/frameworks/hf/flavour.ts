/**
 * Which tool a Hugging Face style config is for: `TrainingArguments` itself (`training_args.json`),
 * LLaMA-Factory (`stage`, `finetuning_type`; early stopping as `early_stopping_steps`, hiyouga/LLaMA-Factory
 * `src/llamafactory/hparams/finetuning_args.py`) or axolotl (`base_model`, `micro_batch_size`, `adapter`;
 * `early_stopping_patience`).
 */
import type { CNode } from '../../config/tree';
import { entryOf } from '../../config/tree';

export type HfFlavour = 'trainer' | 'llama-factory' | 'axolotl';

export function flavourOf(root: CNode | undefined): HfFlavour {
  if (!root || root.kind !== 'map') return 'trainer';
  const has = (k: string) => entryOf(root, k) !== undefined;
  if (has('stage') || has('finetuning_type')) return 'llama-factory';
  if (has('base_model') || has('micro_batch_size') || has('adapter') || has('num_epochs')) return 'axolotl';
  return 'trainer';
}

/** The key the tool reads an early-stopping patience from (TrainingArguments has none: the callback is added in code). */
export function patienceKey(flavour: HfFlavour): string | undefined {
  if (flavour === 'llama-factory') return 'early_stopping_steps';
  if (flavour === 'axolotl') return 'early_stopping_patience';
  return undefined;
}
