/**
 * `load_best_model_at_end` and the evaluation/save strategies it needs. huggingface/transformers
 * `src/transformers/training_args.py` `TrainingArguments.__post_init__` raises unless, when
 * `load_best_model_at_end` is on and `save_strategy` is not "best": the eval strategy (`eval_strategy`,
 * formerly `evaluation_strategy`) equals `save_strategy`, and with "steps" `save_steps` is a multiple of
 * `eval_steps` (both absolute counts, or both ratios of training; mixing them raises). Defaults
 * (same file, at 00349ae87eddc872ffa21a8a54f264375a0056a8): eval "no", save "steps", `save_steps` 500,
 * `eval_steps` None → `logging_steps` (500). With no evaluation there is no best model to load.
 */
import { numberOf, stringOf } from '../../config/extract';
import type { CMap, CNode } from '../../config/tree';
import { childOf, entryOf } from '../../config/tree';

const DEFAULT_SAVE_STEPS = 500;
const DEFAULT_LOGGING_STEPS = 500;

export interface Strategies {
  /** The eval strategy as written, with the key it is written under; undefined when not written. */
  evalKey?: string;
  evalStrategy: string;
  saveStrategy: string;
  evalSteps: number;
  saveSteps: number;
}

function str(root: CMap, key: string): string | undefined {
  return stringOf(childOf(root, key))?.toLowerCase().replace(/^(interval|save)strategy\./, '');
}

function num(root: CMap, key: string): number | undefined {
  return numberOf(childOf(root, key));
}

export function strategiesOf(root: CNode | undefined): Strategies | undefined {
  if (!root || root.kind !== 'map') return undefined;
  const evalKey = ['eval_strategy', 'evaluation_strategy'].find((k) => entryOf(root, k) && str(root, k) !== undefined);
  return {
    evalKey,
    evalStrategy: (evalKey && str(root, evalKey)) || 'no',
    saveStrategy: str(root, 'save_strategy') ?? 'steps',
    evalSteps: num(root, 'eval_steps') ?? num(root, 'logging_steps') ?? DEFAULT_LOGGING_STEPS,
    saveSteps: num(root, 'save_steps') ?? DEFAULT_SAVE_STEPS,
  };
}

/** Whether checkpoints are saved at evaluation steps (TrainingArguments' multiple-of check). */
export function savesAtEvals(save: number, ev: number): boolean {
  if (save >= 1 && ev >= 1) return save % ev === 0;
  if (save < 1 && ev < 1) return Math.round(save * 1e6) % Math.round(ev * 1e6) === 0;
  return false;
}

/** Why `load_best_model_at_end: true` cannot work with these strategies; undefined when it can. */
export function loadBestProblem(s: Strategies): string | undefined {
  if (s.evalStrategy === 'no') return 'load_best_model_at_end needs an evaluation strategy (eval_strategy is "no")';
  if (s.saveStrategy === 'best') return undefined;
  if (s.evalStrategy !== s.saveStrategy) return `load_best_model_at_end needs save_strategy = eval strategy (${s.saveStrategy} ≠ ${s.evalStrategy})`;
  if (s.evalStrategy === 'steps' && !savesAtEvals(s.saveSteps, s.evalSteps)) return `load_best_model_at_end needs save_steps a multiple of eval_steps (${s.saveSteps}, ${s.evalSteps})`;
  return undefined;
}
