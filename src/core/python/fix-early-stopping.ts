/**
 * "Add early stopping" written into a training script, for the trainer that runs it:
 * - Lightning `Trainer(callbacks=[EarlyStopping(monitor=…, mode=…, patience=…)])`, on a validation
 *   metric the script itself logs (`self.log("val_loss", …)`); no metric logged, no fix.
 * - Hugging Face: `load_best_model_at_end=True`, `metric_for_best_model`, the save strategy made to match
 *   the evaluation one (TrainingArguments.__post_init__ refuses a mismatch, see frameworks/hf/strategies.ts),
 *   and, with a patience, `EarlyStoppingCallback(early_stopping_patience=…)` in `Trainer(callbacks=[…])`
 *   with its import. No evaluation (eval strategy "no" and no eval_dataset): no best model, no fix.
 * - Keras `fit(callbacks=[keras.callbacks.EarlyStopping(monitor='val_loss', patience=…,
 *   restore_best_weights=True)])`, only when `fit` validates (`validation_data` / `validation_split`).
 *
 * The patience is never a constant of ours: the run's own (the longest wait for a new best the log
 * beside the script shows), else the script's plateau schedule's: a `ReduceLROnPlateau(patience=p)`
 * cuts the LR after p flat evaluations, and stopping before the cut has had as many evaluations to
 * act would stop it from ever helping, so the patience is 2p. Neither known: no patience is written
 * (HF still keeps the best checkpoint; Lightning and Keras get no fix).
 */
import type { TrainingConfig } from '../config/training-config';
import type { FixDraft } from '../frameworks/framework';
import { strategiesOf, loadBestProblem } from '../frameworks/hf/strategies';
import { appendToListKeyword, editableScript, isEditableScript, ensureImport, setKeywords, type EditableScript } from './edit-call';
import { keywordMap } from './evaluate';
import { isHfArguments, isHfTrainer, isLightningTrainer, isKerasFit } from './frameworks';
import { argument, textOf } from './syntax';

/** Torch's and Keras's ReduceLROnPlateau default patience (torch/optim/lr_scheduler.py, keras/src/callbacks/reduce_lr_on_plateau.py). */
const PLATEAU_DEFAULT_PATIENCE = 10;

export function writeEarlyStopping(cfg: TrainingConfig, text: string, patience: number, patienceFromRun = false): FixDraft | undefined {
  if (!isEditableScript(cfg)) return undefined;
  const s = editableScript(text);
  const p = patienceFromRun ? patience : schedulePatience(s);
  if (s.calls.some(isHfArguments)) return hf(s, p);
  if (s.calls.some(isLightningTrainer)) return p === undefined ? undefined : lightning(s, p);
  if (s.calls.some(isKerasFit)) return p === undefined ? undefined : keras(s, p);
  return undefined;
}

function schedulePatience(s: EditableScript): number | undefined {
  const plateau = s.calls.find((c) => c.name === 'ReduceLROnPlateau');
  if (!plateau) return undefined;
  const arg = argument(plateau.args, 'patience');
  if (!arg) return 2 * PLATEAU_DEFAULT_PATIENCE;
  const v = keywordMap(s, [arg], { start: arg.from, end: arg.to }).entries[0]?.value;
  return v?.kind === 'scalar' && typeof v.value === 'number' && v.value >= 0 ? 2 * Math.max(1, v.value) : undefined;
}

/** A validation metric the LightningModule logs, and whether lower is better. */
function loggedValidationMetric(s: EditableScript): { name: string; mode: 'min' | 'max' } | undefined {
  const names: string[] = [];
  for (const c of s.calls) {
    if (c.name !== 'log' || !/^self\.log$/.test(c.path)) continue;
    const first = c.args[0];
    if (first && first.name === undefined && first.value.name === 'String') names.push(textOf(s.src, first.value).slice(1, -1));
  }
  const val = names.filter((n) => /^(val|valid|validation)([_/.]|$)/i.test(n));
  const loss = val.find((n) => /loss/i.test(n));
  if (loss) return { name: loss, mode: 'min' };
  const higher = val.find((n) => /acc|f1|auc|iou|map|bleu|rouge|precision|recall/i.test(n));
  return higher ? { name: higher, mode: 'max' } : undefined;
}

function lightning(s: EditableScript, patience: number): FixDraft | undefined {
  const trainer = s.calls.find(isLightningTrainer);
  const metric = loggedValidationMetric(s);
  if (!trainer || !metric) return undefined;
  const pkg = trainer.path.startsWith('pytorch_lightning') ? 'pytorch_lightning.callbacks' : 'lightning.pytorch.callbacks';
  const imp = ensureImport(s, 'EarlyStopping', (b) => /^(lightning\.pytorch|pytorch_lightning)\.callbacks(\.early_stopping)?\.EarlyStopping$/.test(b), `from ${pkg} import EarlyStopping`);
  const add = appendToListKeyword(s.src, trainer.node, 'callbacks', `EarlyStopping(monitor="${metric.name}", mode="${metric.mode}", patience=${patience})`);
  if (!imp || !add) return undefined;
  return { title: `Add an EarlyStopping callback on ${metric.name} (patience ${patience}) to the Trainer`, edits: [...imp, ...add] };
}

function hf(s: EditableScript, patience: number | undefined): FixDraft | undefined {
  const args = s.calls.find(isHfArguments);
  if (!args) return undefined;
  const root = keywordMap(s, args.args, { start: args.node.from, end: args.node.to });
  const st = strategiesOf(root);
  if (!st) return undefined;
  const trainer = s.calls.find(isHfTrainer);
  const keywords: [string, string][] = [];
  let evalStrategy = st.evalStrategy;
  if (evalStrategy === 'no') {
    // Evaluating needs data to evaluate on: the Trainer's eval_dataset.
    if (!trainer?.args.some((a) => a.name === 'eval_dataset')) return undefined;
    evalStrategy = 'epoch';
    keywords.push([st.evalKey ?? 'eval_strategy', '"epoch"']);
  }
  keywords.push(['load_best_model_at_end', 'True']);
  if (!root.entries.some((e) => e.key === 'metric_for_best_model')) keywords.push(['metric_for_best_model', '"eval_loss"']);
  const fixed: string[] = [];
  let after = { ...st, evalStrategy };
  if (st.saveStrategy !== 'best' && st.saveStrategy !== evalStrategy) {
    keywords.push(['save_strategy', `"${evalStrategy}"`]);
    fixed.push(`save_strategy="${evalStrategy}"`);
    after = { ...after, saveStrategy: evalStrategy };
  }
  if (loadBestProblem(after)) {
    keywords.push(['save_steps', String(st.evalSteps)]);
    fixed.push(`save_steps=${st.evalSteps}`);
    if (loadBestProblem({ ...after, saveSteps: st.evalSteps })) return undefined;
  }
  const edits = setKeywords(s.src, args.node, keywords);
  if (!edits) return undefined;
  const also = fixed.length ? `, ${fixed.join(', ')}` : '';
  if (patience === undefined || !trainer) return { title: `Keep the best checkpoint: load_best_model_at_end=True${also}`, edits };
  const imp = ensureImport(s, 'EarlyStoppingCallback', (b) => /^transformers(\.trainer_callback)?\.EarlyStoppingCallback$/.test(b), 'from transformers import EarlyStoppingCallback');
  const add = appendToListKeyword(s.src, trainer.node, 'callbacks', `EarlyStoppingCallback(early_stopping_patience=${patience})`);
  if (!imp || !add) return undefined;
  return { title: `Add EarlyStoppingCallback (patience ${patience} evaluations) and load_best_model_at_end=True${also}`, edits: [...edits, ...imp, ...add] };
}

/** How the script names Keras: `keras`, `tf.keras` after `import tensorflow as tf`, or undefined. */
function kerasPrefix(s: EditableScript): string | undefined {
  for (const [local, target] of s.bindings.imports) {
    if (target === 'keras' || target === 'tensorflow.keras') return local;
  }
  for (const [local, target] of s.bindings.imports) if (target === 'tensorflow') return `${local}.keras`;
  return undefined;
}

function keras(s: EditableScript, patience: number): FixDraft | undefined {
  const fit = s.calls.find(isKerasFit);
  const prefix = kerasPrefix(s);
  if (!fit || !prefix || !fit.args.some((a) => a.name === 'validation_data' || a.name === 'validation_split')) return undefined;
  const add = appendToListKeyword(s.src, fit.node, 'callbacks', `${prefix}.callbacks.EarlyStopping(monitor="val_loss", patience=${patience}, restore_best_weights=True)`);
  return add && { title: `Add EarlyStopping on val_loss (patience ${patience}, restore_best_weights=True) to fit`, edits: add };
}
