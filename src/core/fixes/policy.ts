/**
 * Which quick fixes a rule's finding gets, and their titles. A finding on a config is fixed in that
 * config; a finding on a log is fixed in the config found beside the log (the next run then trains
 * with it): EMA for an oscillating validation curve, gradient clipping for divergence, cosine
 * annealing after step drops, early stopping after an overfitting plateau, warmup/clipping after
 * large-batch instability, the LR the update ratio asks for. Each fix is written by the config's
 * framework (src/core/frameworks) and offered only when it works (see `works`).
 */
import { applyEdits, setNumber, type TextEdit } from '../config/edits';
import { readConfig } from '../config/read-config';
import type { TrainingConfig } from '../config/training-config';
import { frameworkOf } from '../frameworks';
import { isStepScheduler, schedulerBaseName } from '../rules/lr-schedule';
import { hasEma, hasGradClip, isOn } from '../rules/util';
import { evidenceOf, type EvidenceByRule, type LooseEvidence } from '../rules/evidence';
import type { EvidenceValue, RuleId } from '../types';
import { addGradClip, enableEma, freezeBackbone, replaceScheduler, setSweepRandom } from './builders';
import { editProblems } from './validate-edit';
import { writtenAsNumber } from '../python/edit-call';

/** One quick fix: what it says and the edits of the config text it was computed against. */
export interface ConfigFix {
  title: string;
  edits: TextEdit[];
}

interface Candidate extends ConfigFix {
  /** What the config read from the edited text must say for the fix to have worked. */
  done(after: TrainingConfig): boolean;
}


const num = (v: EvidenceValue | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A value rounded to 3 significant digits, as one would type it (0.8, 0.000283, 59). */
export function roundLr(v: number): number {
  return Number(v.toPrecision(3));
}

type WarmupEvidence = Partial<EvidenceByRule['large-batch-no-warmup'] & EvidenceByRule['large-batch-early-instability']>;

function warmupFix(cfg: TrainingConfig, text: string, ev: WarmupEvidence): Candidate | undefined {
  // A warmup the framework applies by itself (detectron2's 1000 iterations) is not added again.
  if ((cfg.warmup?.value ?? cfg.builtIn?.warmup?.value ?? 0) > 0) return undefined;
  const w = frameworkOf(cfg).fixes.warmup;
  if (!w) return undefined;
  const amount = w.amount({ epochs: num(ev.suggestedWarmupEpochs), ratio: num(ev.suggestedWarmupRatio) });
  return { title: w.title(cfg, amount), edits: w.edits(cfg, text, amount), done: (a) => (a.warmup?.value ?? 0) > 0 };
}

function clipFix(cfg: TrainingConfig, text: string): Candidate | undefined {
  const w = frameworkOf(cfg).fixes.gradClip;
  if (hasGradClip(cfg) || !w) return undefined;
  return { title: `Add gradient clipping: ${w.key(cfg, text)} max norm 1.0`, edits: addGradClip(cfg, text, 1.0), done: (a) => hasGradClip(a) };
}

function lrFix(cfg: TrainingConfig, text: string, value: number, why: string): Candidate | undefined {
  if (!cfg.lr || !(value > 0) || !writtenAsNumber(cfg, text, cfg.lr)) return undefined;
  const v = roundLr(value);
  return { title: `Set ${cfg.lr.key} to ${v} (${why})`, edits: setNumber(cfg, text, cfg.lr, v), done: (a) => a.lr?.value === v };
}

function cosineFix(cfg: TrainingConfig, text: string): Candidate {
  const from = cfg.scheduler ? schedulerBaseName(cfg.scheduler.value) : 'the step schedule';
  return { title: `Replace ${from} with cosine annealing`, edits: replaceScheduler(cfg, text, 'cosine'), done: (a) => a.scheduler !== undefined && !isStepScheduler(a.scheduler.value) };
}

function earlyStoppingFix(cfg: TrainingConfig, text: string, ev: Partial<EvidenceByRule['overfitting-plateau'] & EvidenceByRule['no-early-stopping']>): Candidate | undefined {
  const w = frameworkOf(cfg).fixes.earlyStopping;
  if (isOn(cfg.earlyStopping) || isOn(cfg.restoreBest) || !w) return undefined;
  const fromRun = num(ev.suggestedPatience);
  const draft = w.write(cfg, text, fromRun ?? 5, fromRun !== undefined);
  return draft && { ...draft, done: (a) => isOn(a.earlyStopping) || isOn(a.restoreBest) };
}

function randomSearchFix(cfg: TrainingConfig, text: string, ev: Partial<EvidenceByRule['grid-search']>): Candidate | undefined {
  const w = frameworkOf(cfg).fixes.randomSearch;
  if (!w) return undefined;
  const n = num(ev.suggestedTrials) ?? 60;
  const p = num(ev.hitProbability);
  const chance = p !== undefined ? `${Math.floor(p * 1000) / 10}% chance of a top-5% configuration` : 'random search';
  return { title: `Switch the grid to random search with ${n} trials (${w.where} ${n}: ${chance})`, edits: setSweepRandom(cfg, text, n), done: (a) => a.sweep?.method === 'random' };
}

function emaFix(cfg: TrainingConfig, text: string, ev: Partial<EvidenceByRule['val-oscillation']>): Candidate | undefined {
  if (hasEma(cfg)) return undefined;
  const decay = num(ev.suggestedEmaDecay) ?? 0.999;
  return { title: `Enable an EMA of the weights (decay ${decay})`, edits: enableEma(cfg, text, decay), done: (a) => hasEma(a) };
}

export interface FixOptions {
  /**
   * The finding is on another file than the config (a log): each title names the config it edits
   * ("… in config.yaml"), since applying it changes a file the user is not looking at.
   */
  elsewhere?: boolean;
}

/** The fixes of one finding, the main one first; those that give no edit or do not work are left out. */
export function fixesFor(rule: RuleId, evidence: LooseEvidence, cfg: TrainingConfig, text: string, opts: FixOptions = {}): ConfigFix[] {
  const out: (Candidate | undefined)[] = [];
  switch (rule) {
    case 'large-batch-lr-scaling': {
      const ev = evidenceOf(rule, evidence);
      const lr = num(ev.suggestedLr);
      const b = num(ev.effectiveBatch);
      if (lr !== undefined) out.push(lrFix(cfg, text, lr, `${ev.scaling === 'linear' ? 'linear' : 'square-root'} scaling rule for effective batch ${b ?? '?'}`));
      if (ev.gradClip !== true) out.push(clipFix(cfg, text));
      break;
    }
    case 'large-batch-no-warmup': {
      const ev = evidenceOf(rule, evidence);
      out.push(warmupFix(cfg, text, ev));
      if (ev.gradClip !== true) out.push(clipFix(cfg, text));
      break;
    }
    case 'large-batch-early-instability':
      out.push(warmupFix(cfg, text, evidenceOf(rule, evidence)), clipFix(cfg, text));
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
      out.push(earlyStoppingFix(cfg, text, evidenceOf(rule, evidence)));
      break;
    case 'finetune-lr-high': {
      const ev = evidenceOf(rule, evidence);
      const lr = num(ev.suggestedLr);
      if (lr !== undefined) out.push(lrFix(cfg, text, lr, 'fine-tuning range'));
      if (ev.frozen !== true && !isOn(cfg.freeze) && !cfg.builtIn?.freeze) out.push({ title: 'Freeze the pretrained backbone', edits: freezeBackbone(cfg, text), done: (a) => isOn(a.freeze) });
      break;
    }
    case 'grid-search':
      out.push(randomSearchFix(cfg, text, evidenceOf(rule, evidence)));
      break;
    case 'val-oscillation':
      out.push(emaFix(cfg, text, evidenceOf(rule, evidence)));
      break;
    case 'nonfinite':
    case 'loss-explosion':
    case 'loss-spike':
      out.push(clipFix(cfg, text));
      break;
    case 'update-ratio': {
      const ev = evidenceOf(rule, evidence);
      const lr = num(ev.suggestedLr);
      if (ev.kind === 'high' && lr !== undefined && (ev.lrKey === null || ev.lrKey === cfg.lr?.key)) out.push(lrFix(cfg, text, lr, 'update ratio ≈ 1e-3'));
      break;
    }
    default:
      break;
  }
  const where = opts.elsewhere ? ` in ${baseName(cfg.file)}` : '';
  return out
    .filter((f): f is Candidate => f !== undefined && f.edits.length > 0 && works(f, cfg, text))
    .map(({ title, edits }) => ({ title: title + where, edits }));
}

/**
 * A fix is offered only when the edited text still reads as a config of the same style that says what
 * the fix meant (e.g. a key added to a W&B run record, whose values are wrapped, would be ignored), and
 * the framework's validator finds nothing wrong the edit brought.
 */
function works(f: Candidate, cfg: TrainingConfig, text: string): boolean {
  const edited = applyEdits(text, f.edits);
  const after = readConfig(cfg.file, edited);
  return after !== undefined && after.style === cfg.style && f.done(after) && editProblems(cfg, text, edited, after).length === 0;
}

/** The file's name as written (formats/event.ts `baseName` lower-cases it, which a title must not). */
function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}
