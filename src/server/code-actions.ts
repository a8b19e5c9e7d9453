/**
 * Quick fixes for traindx diagnostics. Each fix is a WorkspaceEdit built by the pure edit builders of
 * core/config/edits.ts against the config's current text (the open editor's, else the disk's), read
 * afresh so that the ranges are those of the text being edited, not of the last analysis.
 *
 * A finding on a config is fixed in that config; a finding on a log is fixed in the config found
 * beside the log (the next run then trains with it): EMA for an oscillating validation curve, gradient
 * clipping for divergence, cosine annealing after step drops, early stopping after an overfitting
 * plateau, warmup/clipping after large-batch instability, the LR the update ratio asks for.
 *
 * Besides the fixes: "Disable <scenario> for this line/file" on configs, writing a suppression
 * comment (core/suppress.ts). Strict JSON has no comments (json.load would refuse the file), so it is
 * offered in YAML and in `.jsonc` files only.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit } from 'vscode-languageserver/node';
import { addEarlyStopping, addGradClip, addWarmup, applyEdits, enableEma, freezeBackbone, replaceScheduler, setNumber, setSweepRandom, type TextEdit } from '../core/config/edits';
import { readConfig } from '../core/config/read-config';
import type { TrainingConfig } from '../core/config/training-config';
import { isStepScheduler, schedulerBaseName } from '../core/rules/lr-schedule';
import { hasEma, hasGradClip, isOn } from '../core/rules/util';
import { disableNextLineComment } from '../core/suppress';
import type { EvidenceValue } from '../core/types';
import type { DiagnosticData } from '../shared/protocol';

/** What the server knows of the files a fix may edit. */
export interface FixEnv {
  /** Current text of a file: the open document's, else what is on disk; undefined when unreadable. */
  textOf(file: string): string | undefined;
  /** Whether traindx reads this file as a config (else it is a log). */
  isConfig(file: string): boolean;
  /** The config beside (or above) a log. */
  configForLog(file: string): TrainingConfig | undefined;
  uriOf(file: string): string;
}

/** A config and the text the edits are computed against. */
export interface FixTarget {
  uri: string;
  text: string;
  config: TrainingConfig;
}

interface Fix {
  title: string;
  edits: TextEdit[];
  /** What the config read from the edited text must say for the fix to have worked. */
  done(after: TrainingConfig): boolean;
}

type Evidence = Record<string, EvidenceValue>;

const num = (v: EvidenceValue | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A value rounded to 3 significant digits, as one would type it (0.8, 0.000283, 59). */
export function roundLr(v: number): number {
  return Number(v.toPrecision(3));
}

/** The config a diagnostic of `file` is fixed in, read from its current text. */
export function fixTargetOf(file: string, env: FixEnv): FixTarget | undefined {
  const cfgFile = env.isConfig(file) ? file : env.configForLog(file)?.file;
  if (!cfgFile) return undefined;
  const text = env.textOf(cfgFile);
  if (text === undefined) return undefined;
  const config = readConfig(cfgFile, text);
  return config ? { uri: env.uriOf(cfgFile), text, config } : undefined;
}

function warmupFix(cfg: TrainingConfig, text: string, ev: Evidence): Fix | undefined {
  if (cfg.warmup && cfg.warmup.value > 0) return undefined;
  let title: string;
  let edits: TextEdit[];
  switch (cfg.style) {
    case 'hf-training-args': {
      const r = num(ev.suggestedWarmupRatio) ?? 0.1;
      edits = addWarmup(cfg, text, r);
      title = `Add LR warmup: warmup_ratio ${r} (${Math.round(r * 100)}% of the steps)`;
      break;
    }
    case 'detectron2':
      edits = addWarmup(cfg, text);
      title = 'Add LR warmup: SOLVER.WARMUP_ITERS 1000';
      break;
    case 'lightning-cli': {
      const e = Math.max(1, Math.round(num(ev.suggestedWarmupEpochs) ?? 5));
      edits = addWarmup(cfg, text, e);
      const main = cfg.scheduler && cfg.scheduler.value !== 'none' ? schedulerBaseName(cfg.scheduler.value) : undefined;
      title = main
        ? `Add LR warmup: LinearLR over ${e} epochs, then ${main} (SequentialLR)`
        : `Add LR warmup: lr_scheduler LinearLR over ${e} epochs (start factor 0.1)`;
      break;
    }
    default: {
      const e = num(ev.suggestedWarmupEpochs) ?? 5;
      edits = addWarmup(cfg, text, e);
      title = `Add LR warmup: ${cfg.warmup?.key ?? 'warmup_epochs'} ${e} (linear warmup, Goyal et al.)`;
    }
  }
  return { title, edits, done: (a) => (a.warmup?.value ?? 0) > 0 };
}

function clipFix(cfg: TrainingConfig, text: string): Fix | undefined {
  if (hasGradClip(cfg)) return undefined;
  const key: Partial<Record<TrainingConfig['style'], string>> = {
    'lightning-cli': 'trainer.gradient_clip_val',
    'hf-training-args': 'max_grad_norm',
    timm: 'clip_grad',
    detectron2: 'SOLVER.CLIP_GRADIENTS',
  };
  return { title: `Add gradient clipping: ${key[cfg.style] ?? cfg.gradClip?.key ?? 'clip_grad_norm'} max norm 1.0`, edits: addGradClip(cfg, text, 1.0), done: (a) => hasGradClip(a) };
}

function lrFix(cfg: TrainingConfig, text: string, value: number, why: string): Fix | undefined {
  if (!cfg.lr || !(value > 0)) return undefined;
  const v = roundLr(value);
  return { title: `Set ${cfg.lr.key} to ${v} (${why})`, edits: setNumber(cfg, text, cfg.lr, v), done: (a) => a.lr?.value === v };
}

function cosineFix(cfg: TrainingConfig, text: string): Fix | undefined {
  const from = cfg.scheduler ? schedulerBaseName(cfg.scheduler.value) : 'the step schedule';
  return { title: `Replace ${from} with cosine annealing`, edits: replaceScheduler(cfg, text, 'cosine'), done: (a) => a.scheduler !== undefined && !isStepScheduler(a.scheduler.value) };
}

function earlyStoppingFix(cfg: TrainingConfig, text: string, ev: Evidence): Fix | undefined {
  if (isOn(cfg.earlyStopping) || isOn(cfg.restoreBest)) return undefined;
  const patience = num(ev.suggestedPatience) ?? 5;
  let title: string;
  switch (cfg.style) {
    case 'lightning-cli':
      title = `Add an EarlyStopping callback on val_loss (patience ${patience})`;
      break;
    case 'hf-training-args':
      title = cfg.format === 'json' ? 'Set load_best_model_at_end: true (keep the best checkpoint)' : `Add early_stopping_patience ${patience} and load_best_model_at_end`;
      break;
    case 'ultralytics':
      title = `Set patience ${patience}`;
      break;
    default:
      title = `Add early stopping: early_stopping_patience ${patience}`;
  }
  return { title, edits: addEarlyStopping(cfg, text, patience), done: (a) => isOn(a.earlyStopping) || isOn(a.restoreBest) };
}

/** The fixes of one finding, the main one first; those whose builder gives no edit are left out. */
export function fixesFor(rule: string, ev: Evidence, cfg: TrainingConfig, text: string): Fix[] {
  const out: (Fix | undefined)[] = [];
  switch (rule) {
    case 'large-batch-lr-scaling': {
      const lr = num(ev.suggestedLr);
      const b = num(ev.effectiveBatch);
      if (lr !== undefined) out.push(lrFix(cfg, text, lr, `${ev.scaling === 'linear' ? 'linear' : 'square-root'} scaling rule for effective batch ${b ?? '?'}`));
      if (ev.gradClip !== true) out.push(clipFix(cfg, text));
      break;
    }
    case 'large-batch-no-warmup':
      out.push(warmupFix(cfg, text, ev));
      if (ev.gradClip !== true) out.push(clipFix(cfg, text));
      break;
    case 'large-batch-early-instability':
      out.push(warmupFix(cfg, text, ev), clipFix(cfg, text));
      break;
    case 'lr-step-scheduler':
      out.push(cosineFix(cfg, text));
      break;
    case 'lr-step-drop':
      // The log shows a step decay; fix the config only when it does name a step scheduler.
      if (isStepScheduler(cfg.scheduler?.value)) out.push(cosineFix(cfg, text));
      break;
    case 'no-early-stopping':
    case 'overfitting-plateau':
      out.push(earlyStoppingFix(cfg, text, ev));
      break;
    case 'finetune-lr-high': {
      const lr = num(ev.suggestedLr);
      if (lr !== undefined) out.push(lrFix(cfg, text, lr, 'fine-tuning range'));
      if (ev.frozen !== true && !isOn(cfg.freeze)) out.push({ title: 'Freeze the pretrained backbone', edits: freezeBackbone(cfg, text), done: (a) => isOn(a.freeze) });
      break;
    }
    case 'grid-search': {
      const n = num(ev.suggestedTrials) ?? 60;
      const p = num(ev.hitProbability);
      const chance = p !== undefined ? `${Math.floor(p * 1000) / 10}% chance of a top-5% configuration` : 'random search';
      const where = cfg.style === 'wandb-sweep' ? 'method: random, run_cap' : 'random sampler, trials';
      out.push({ title: `Switch the grid to random search with ${n} trials (${where} ${n}: ${chance})`, edits: setSweepRandom(cfg, text, n), done: (a) => a.sweep?.method === 'random' });
      break;
    }
    case 'val-oscillation': {
      if (hasEma(cfg)) break;
      const decay = num(ev.suggestedEmaDecay) ?? 0.999;
      out.push({ title: `Enable an EMA of the weights (decay ${decay}) in ${baseName(cfg.file)}`, edits: enableEma(cfg, text, decay), done: (a) => hasEma(a) });
      break;
    }
    case 'nonfinite':
    case 'loss-explosion':
    case 'loss-spike':
      out.push(clipFix(cfg, text));
      break;
    case 'update-ratio': {
      const lr = num(ev.suggestedLr);
      if (ev.kind === 'high' && lr !== undefined && (ev.lrKey === null || ev.lrKey === cfg.lr?.key)) out.push(lrFix(cfg, text, lr, 'update ratio ≈ 1e-3'));
      break;
    }
    default:
      break;
  }
  return out.filter((f): f is Fix => f !== undefined && f.edits.length > 0 && works(f, cfg, text));
}

/**
 * A fix is offered only when the edited text still reads as a config of the same style that says what
 * the fix meant (e.g. a key added to a W&B run record, whose values are wrapped, would be ignored).
 */
function works(f: Fix, cfg: TrainingConfig, text: string): boolean {
  const after = readConfig(cfg.file, applyEdits(text, f.edits));
  return after !== undefined && after.style === cfg.style && f.done(after);
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

function toLsp(e: TextEdit): LspTextEdit {
  return { range: { start: { line: e.range.startLine, character: e.range.startChar }, end: { line: e.range.endLine, character: e.range.endChar } }, newText: e.newText };
}

/** The quick fixes of one traindx diagnostic as LSP code actions; the first is the preferred one. */
export function quickFixActions(d: Diagnostic, data: DiagnosticData, target: FixTarget | undefined): CodeAction[] {
  if (!target) return [];
  let fixes: Fix[];
  try {
    fixes = fixesFor(data.rule, data.evidence ?? {}, target.config, target.text);
  } catch {
    return []; // a fix that cannot be built is not offered
  }
  return fixes.map((f, i) => ({
    title: f.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: i === 0,
    edit: { changes: { [target.uri]: f.edits.map(toLsp) } },
  }));
}

/** Whether suppression comments can be written into this config. */
export function acceptsComments(file: string): 'yaml' | 'json' | undefined {
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  if (/\.jsonc$/i.test(file)) return 'json';
  return undefined;
}

/** "Disable <scenario> for this line" and "… for this file" on a config diagnostic. */
export function suppressActions(d: Diagnostic, data: DiagnosticData, file: string, uri: string, text: string): CodeAction[] {
  const format = acceptsComments(file);
  if (!format) return [];
  const lines = text.split(/\r\n|\r|\n/);
  const line = d.range.start.line;
  if (line < 0 || line >= lines.length) return [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^[ \t]*/.exec(lines[line])?.[0] ?? '';
  const lineEdit: LspTextEdit = {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: `${indent}${disableNextLineComment(format, [data.scenario])}${eol}`,
  };
  const fileEdit: LspTextEdit = {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    newText: `${format === 'json' ? '//' : '#'} traindx-disable ${data.rule}${eol}`,
  };
  return [
    { title: `Disable ${data.scenario} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: [lineEdit] } } },
    { title: `Disable ${data.rule} for this file`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: [fileEdit] } } },
  ];
}
