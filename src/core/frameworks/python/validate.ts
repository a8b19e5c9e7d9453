/**
 * Whether a training script still does what it says once a fix has edited it: every keyword of a call
 * traindx writes into is one the call accepts (schema.ts, read from each framework's source), the
 * TrainingArguments values traindx writes have the type and choices TrainingArguments accepts, and the
 * cross-argument constraints the frameworks enforce at start-up hold:
 * - `load_best_model_at_end` needs matching evaluation and save strategies (frameworks/hf/strategies.ts);
 * - HF `EarlyStoppingCallback.on_train_begin` asserts `load_best_model_at_end` and a
 *   `metric_for_best_model` (src/transformers/trainer_callback.py).
 * Problems the script had before the edit are the policy's to ignore (fixes/validate-edit.ts).
 */
import type { ConfigDoc } from '../framework';
import { loadBestProblem, strategiesOf } from '../hf/strategies';
import { editableScript, type EditableScript } from '../../python/edit-call';
import type { PyCall } from '../../python/calls';
import { keywordMap } from '../../python/evaluate';
import { isHfArguments, isHfTrainer, isKerasFit, isLightningTrainer } from '../../python/frameworks';
import { HF_EARLY_STOPPING, HF_TRAINER, KERAS_EARLY_STOPPING, KERAS_FIT, LIGHTNING_EARLY_STOPPING, LIGHTNING_TRAINER, TRAINING_ARGS_WRITTEN } from './schema';

const isLightningPath = (c: PyCall) => /^(lightning|pytorch_lightning)\./.test(c.path);
const isKerasPath = (c: PyCall) => /(^|\.)keras\./.test(c.path);

/** The keyword list a call is checked against, with the name it is reported under. */
function keywordsFor(c: PyCall): [string, readonly string[]] | undefined {
  if (isLightningTrainer(c)) return ['Lightning Trainer', LIGHTNING_TRAINER];
  if (c.name === 'EarlyStopping' && isLightningPath(c)) return ['Lightning EarlyStopping', LIGHTNING_EARLY_STOPPING];
  if (c.name === 'EarlyStopping' && isKerasPath(c)) return ['Keras EarlyStopping', KERAS_EARLY_STOPPING];
  if (c.name === 'EarlyStoppingCallback' && c.path.startsWith('transformers')) return ['EarlyStoppingCallback', HF_EARLY_STOPPING];
  if (c.name === 'Trainer' && isHfTrainer(c)) return ['transformers Trainer', HF_TRAINER];
  if (isKerasFit(c)) return ['Keras fit', KERAS_FIT];
  return undefined;
}

export function validatePython(doc: ConfigDoc): string[] {
  if (doc.cfg.format !== 'python') return [];
  const s = editableScript(doc.text);
  const problems: string[] = [];
  for (const c of s.calls) {
    const known = keywordsFor(c);
    if (!known) continue;
    for (const a of c.args) if (a.name !== undefined && !known[1].includes(a.name)) problems.push(`${known[0]} has no keyword ${a.name}`);
  }
  problems.push(...trainingArgumentsProblems(s));
  return problems;
}

function trainingArgumentsProblems(s: EditableScript): string[] {
  const call = s.calls.find(isHfArguments);
  if (!call) return [];
  const root = keywordMap(s, call.args, { start: call.node.from, end: call.node.to });
  const out: string[] = [];
  for (const e of root.entries) {
    const want = TRAINING_ARGS_WRITTEN[e.key];
    if (!want || e.value.kind !== 'scalar') continue;
    const v = e.value.value;
    const ok = want === 'bool' ? typeof v === 'boolean' : want === 'number' ? typeof v === 'number' : want === 'string' ? typeof v === 'string' : typeof v === 'string' && want.includes(v);
    if (!ok) out.push(`TrainingArguments ${e.key} cannot be ${String(v)}`);
  }
  const loadBest = root.entries.find((e) => e.key === 'load_best_model_at_end');
  const on = loadBest?.value.kind === 'scalar' && loadBest.value.value === true;
  const st = strategiesOf(root);
  const why = on && st ? loadBestProblem(st) : undefined;
  if (why) out.push(why);
  if (s.calls.some((c) => c.name === 'EarlyStoppingCallback') && (!on || !root.entries.some((e) => e.key === 'metric_for_best_model'))) {
    out.push('EarlyStoppingCallback needs load_best_model_at_end=True and metric_for_best_model');
  }
  return out;
}
