/**
 * Hugging Face config checks. A `training_args.json` is parsed into `TrainingArguments`, which has a
 * fixed set of fields (an unknown key is refused by `HfArgumentParser.parse_json_file`); the YAML
 * wrappers add their own keys. Field types and choices from huggingface/transformers
 * `src/transformers/training_args.py` (00349ae87eddc872ffa21a8a54f264375a0056a8) and `SchedulerType` in
 * `src/transformers/trainer_utils.py` (007360d654f36b1f4bc0c701c7b1b69273a7c4ed).
 */
import { dataFormat } from '../../config/tree';
import type { Change } from '../../config/changes';
import type { ConfigDoc } from '../framework';
import { pyTypeOf } from '../shared/python-types';
import { checkChanges, type Schema } from '../shared/schema';
import { flavourOf, patienceKey } from './flavour';
import { loadBestProblem, strategiesOf } from './strategies';

const NUMBER = { types: ['int', 'float'] } as const;
const STRATEGIES = ['no', 'steps', 'epoch'];
const SCHEDULERS = [
  'linear', 'cosine', 'cosine_with_restarts', 'polynomial', 'constant', 'constant_with_warmup', 'inverse_sqrt',
  'reduce_lr_on_plateau', 'cosine_with_min_lr', 'warmup_stable_decay',
];

/** The TrainingArguments fields traindx writes or checks. */
const TRAINING_ARGS: Schema = {
  learning_rate: NUMBER,
  lr_scheduler_type: { types: ['str'], oneOf: SCHEDULERS },
  warmup_ratio: NUMBER,
  warmup_steps: NUMBER,
  max_grad_norm: NUMBER,
  num_train_epochs: NUMBER,
  load_best_model_at_end: { types: ['bool'] },
  eval_strategy: { types: ['str'], oneOf: STRATEGIES },
  evaluation_strategy: { types: ['str'], oneOf: STRATEGIES },
  save_strategy: { types: ['str'], oneOf: [...STRATEGIES, 'best'] },
  save_steps: NUMBER,
  eval_steps: { types: ['int', 'float', 'none'] },
  metric_for_best_model: { types: ['str', 'none'] },
};

/** axolotl names some settings its own way (`lr_scheduler`, `optimizer`, `num_epochs`, `micro_batch_size`). */
const AXOLOTL: Schema = {
  lr_scheduler: { types: ['str'], oneOf: [...SCHEDULERS, 'one_cycle', 'rex', 'log_sweep'] },
  early_stopping_patience: { types: ['int'] },
};

const LLAMA_FACTORY: Schema = { early_stopping_steps: { types: ['int'] } };

export function validateHf(doc: ConfigDoc, changes: readonly Change[]): string[] {
  const flavour = doc.cfg.format === 'json' ? 'trainer' : flavourOf(doc.root);
  const schema = flavour === 'axolotl' ? { ...TRAINING_ARGS, ...AXOLOTL } : flavour === 'llama-factory' ? { ...TRAINING_ARGS, ...LLAMA_FACTORY } : TRAINING_ARGS;
  const owner = flavour === 'trainer' ? 'TrainingArguments' : `${flavour} / TrainingArguments`;
  const problems = checkChanges(changes, { schema, owner, typeOf: (c) => pyTypeOf(c.node, c.raw, dataFormat(doc.cfg)) });
  if (doc.cfg.restoreBest?.value === true) {
    const s = strategiesOf(doc.root);
    const why = s && loadBestProblem(s);
    if (why) problems.push(why);
  }
  // A patience without the best checkpoint kept: EarlyStoppingCallback asserts load_best_model_at_end.
  const es = patienceKey(flavour);
  if (es && changes.some((c) => c.key === es) && doc.cfg.restoreBest?.value !== true) problems.push(`${es} needs load_best_model_at_end: true`);
  return problems;
}
