/**
 * Quick fixes written as Hugging Face `TrainingArguments` fields (and the YAML wrappers that reuse
 * them): `lr_scheduler_type`, `warmup_ratio`, `max_grad_norm`, `load_best_model_at_end`.
 */
import { addKey, setNumber, setTopKeys, setValue } from '../../config/edits';
import type { TrainingConfig } from '../../config/training-config';
import { dataFormat, parseConfigText } from '../../config/tree';
import type { FixDraft, FixWriters } from '../framework';
import { flavourOf, patienceKey } from './flavour';
import { loadBestProblem, strategiesOf } from './strategies';

/** The common 6–10 % warmup of transformer fine-tunes. */
const DEFAULT_WARMUP_RATIO = 0.1;

/**
 * Keeps the best checkpoint (`load_best_model_at_end: true`), with the save strategy made to match the
 * evaluation one as TrainingArguments requires (see strategies.ts), and the wrapper's patience key when
 * it has one. Nothing when the config does not evaluate: there is no best model to keep.
 */
function earlyStopping(cfg: TrainingConfig, text: string, patience: number): FixDraft | undefined {
  const root = parseConfigText(text, dataFormat(cfg)).root;
  const s = strategiesOf(root);
  if (!s || !s.evalKey || s.evalStrategy === 'no') return undefined;
  const keys: Record<string, unknown> = {};
  const es = cfg.format === 'yaml' ? patienceKey(flavourOf(root)) : undefined;
  if (es) keys[es] = patience;
  keys.load_best_model_at_end = true;
  const saved: string[] = [];
  if (s.saveStrategy !== 'best' && s.saveStrategy !== s.evalStrategy) {
    keys.save_strategy = s.evalStrategy;
    saved.push(`save_strategy: ${s.evalStrategy}`);
  }
  const after = { ...s, saveStrategy: s.saveStrategy === 'best' ? 'best' : s.evalStrategy };
  if (loadBestProblem(after)) {
    keys.save_steps = s.evalSteps;
    saved.push(`save_steps: ${s.evalSteps}`);
    if (loadBestProblem({ ...after, saveSteps: s.evalSteps })) return undefined;
  }
  const also = saved.length ? ` and ${saved.join(', ')}` : '';
  const title = es ? `Add ${es} ${patience} and load_best_model_at_end${also}` : `Set load_best_model_at_end: true${also} (keep the best checkpoint)`;
  return { title, edits: setTopKeys(cfg, text, keys) };
}

export const hfFixes: FixWriters = {
  cosine: (cfg, text) => (cfg.scheduler ? setValue(cfg, text, cfg.scheduler, 'cosine') : addKey(cfg, text, 'lr_scheduler_type', 'cosine')),
  warmup: {
    amount: (hint) => hint.ratio ?? DEFAULT_WARMUP_RATIO,
    edits: (cfg, text, ratio) =>
      cfg.warmup && cfg.warmupUnit === 'ratio' ? setNumber(cfg, text, cfg.warmup, ratio) : addKey(cfg, text, 'warmup_ratio', ratio),
    title: (_cfg, ratio) => `Add LR warmup: warmup_ratio ${ratio} (${Math.round(ratio * 100)}% of the steps)`,
  },
  gradClip: { key: () => 'max_grad_norm', edits: (cfg, text, maxNorm) => addKey(cfg, text, 'max_grad_norm', maxNorm) },
  earlyStopping: { write: earlyStopping },
  // No EMA argument in TrainingArguments.
};
