/**
 * Hovers on the keys of a training config: which scenario the key belongs to, worked out with this
 * config's own numbers (effective batch = per-device × devices × accumulation, the LR the linear or
 * square-root scaling rule gives for it, whether warmup and clipping are set, the fine-tuning LR
 * range, the EMA averaging horizon, the size of a grid and the random-search budget…).
 *
 * The key under the cursor is found from the TrainingConfig settings' ranges (the smallest range
 * holding the position). Every piece of text taken from the config is escaped with escapeMarkdown.
 * The thresholds are the rules' own (with the user's overrides), so the hover and the diagnostics
 * never disagree.
 */
import type { Setting, TrainingConfig } from '../core/config/training-config';
import { isStepScheduler, schedulerBaseName } from '../core/rules/lr-schedule';
import { assessLrScaling, effectiveBatch, largeBatchLrScalingRule, largeBatchNoWarmupRule } from '../core/rules/large-batch';
import { finetuneLrHighRule } from '../core/rules/fine-tuning';
import { noEarlyStoppingRule } from '../core/rules/early-stopping';
import { gridSearchRule, randomTrialsFor } from '../core/rules/search-strategy';
import { thresholdsFor, type ThresholdOverrides } from '../core/rules/registry';
import { hasEma, hasGradClip, isOn, optimizerFamily } from '../core/rules/util';
import { getScenario } from '../core/scenarios';
import type { ScenarioId, SourceRange } from '../core/types';
import { commandLink, escapeMarkdown } from './markdown';

type Topic = 'batch' | 'lr' | 'schedule' | 'warmup' | 'length' | 'finetune' | 'ema' | 'clip' | 'sweep';

interface Hit {
  topic: Topic;
  key: string;
  range: SourceRange;
}

const TOPIC_OF: [keyof TrainingConfig, Topic][] = [
  ['batchSize', 'batch'],
  ['devices', 'batch'],
  ['gradAccumulation', 'batch'],
  ['lr', 'lr'],
  ['optimizer', 'lr'],
  ['scheduler', 'schedule'],
  ['schedulerSteps', 'schedule'],
  ['warmup', 'warmup'],
  ['epochs', 'length'],
  ['maxSteps', 'length'],
  ['earlyStopping', 'length'],
  ['restoreBest', 'length'],
  ['pretrained', 'finetune'],
  ['freeze', 'finetune'],
  ['ema', 'ema'],
  ['gradClip', 'clip'],
];

function contains(r: SourceRange, line: number, ch: number): boolean {
  if (line < r.startLine || line > r.endLine) return false;
  if (line === r.startLine && ch < r.startChar) return false;
  if (line === r.endLine && ch > r.endChar) return false;
  return true;
}

function size(r: SourceRange): number {
  return (r.endLine - r.startLine) * 100_000 + (r.endChar - r.startChar);
}

/** The known training key under the cursor, if any. */
export function settingAt(cfg: TrainingConfig, line: number, ch: number): Hit | undefined {
  const hits: Hit[] = [];
  for (const [field, topic] of TOPIC_OF) {
    const s = cfg[field] as Setting<unknown> | undefined;
    if (s && typeof s === 'object' && 'range' in s && contains(s.range, line, ch)) hits.push({ topic, key: s.key, range: s.range });
  }
  const sw = cfg.sweep;
  if (sw) {
    if (sw.methodSetting && contains(sw.methodSetting.range, line, ch)) hits.push({ topic: 'sweep', key: sw.methodSetting.key, range: sw.methodSetting.range });
    if (sw.trials && contains(sw.trials.range, line, ch)) hits.push({ topic: 'sweep', key: sw.trials.key, range: sw.trials.range });
    for (const p of sw.parameters) if (contains(p.range, line, ch)) hits.push({ topic: 'sweep', key: p.key, range: p.range });
  }
  if (hits.length === 0) return undefined;
  return hits.reduce((a, b) => (size(b.range) < size(a.range) ? b : a));
}

const e = escapeMarkdown;

/** A config-sized number as one would type it: 0.0001, 0.002828, 2048 (4 significant digits). */
function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

function batchLines(cfg: TrainingConfig, o?: ThresholdOverrides): string[] {
  const t = thresholdsFor(largeBatchLrScalingRule, o);
  const w = thresholdsFor(largeBatchNoWarmupRule, o);
  const b = effectiveBatch(cfg);
  if (!b) return [e('No per-device batch size is set, so the effective batch is unknown.')];
  const out: string[] = [];
  const factors = [`${b.perDevice} per device`, `${b.devices} device${b.devices === 1 ? '' : 's'}${cfg.devices ? '' : ' (not set: 1)'}`, `${b.accumulation} accumulation step${b.accumulation === 1 ? '' : 's'}${cfg.gradAccumulation ? '' : ' (not set: 1)'}`];
  out.push(`**Effective batch** ${e(`= ${factors.join(' × ')} = ${b.effective}`)}`);
  const a = assessLrScaling(cfg, t);
  if (a.judged) {
    out.push(`- ${e(`This config: lr ${fmt(cfg.lr?.value ?? NaN)} = ×${fmt(a.ratio)} its reference ${a.reference.key} ${fmt(a.reference.lr)} at batch ${a.reference.batch} scaled ${a.scaling === 'linear' ? 'linearly' : 'by the square root'} (${fmt(a.expected)}): ${a.verdict === 'within' ? 'within the rule' : a.verdict === 'below' ? 'below the rule: probably not scaled up with the batch' : 'above the rule: unstable early training'}`)}`);
  } else {
    out.push(`- ${e('Scaling rules: when the batch grows k×, scale an LR tuned at the smaller batch k× (SGD, Goyal et al.) or √k× (Adam-family)')}`);
  }
  const large = b.effective >= w.largeBatch;
  out.push(`- ${warmupText(cfg, large, w.warmupEpochs)}`);
  out.push(`- ${clipText(cfg, large)}`);
  return out;
}

function warmupText(cfg: TrainingConfig, large: boolean, epochs: number): string {
  const wv = cfg.warmup?.value;
  if (cfg.warmup && wv !== undefined && wv > 0) return e(`Warmup: ${cfg.warmup.key} = ${fmt(wv)}${cfg.warmupUnit ? ` (${cfg.warmupUnit})` : ''}`);
  return e(`Warmup: not set${large ? ` — needed at this batch size (warm up linearly over ~${epochs} epochs)` : ''}`);
}

function clipText(cfg: TrainingConfig, large: boolean): string {
  if (cfg.gradClip && isOn(cfg.gradClip)) return e(`Gradient clipping: ${cfg.gradClip.key} = ${fmt(cfg.gradClip.value)}`);
  if (hasGradClip(cfg)) return e(`Gradient clipping: built into this framework (max norm ${cfg.builtIn?.gradClip ?? '?'})`);
  return e(`Gradient clipping: not set${large ? ' — recommended with a large batch' : ''}`);
}

function lrLines(cfg: TrainingConfig, o?: ThresholdOverrides): string[] {
  const out: string[] = [];
  if (cfg.lr) out.push(`**Learning rate** ${e(`${cfg.lr.key} = ${fmt(cfg.lr.value)}${cfg.optimizer ? ` with ${cfg.optimizer.value}` : ''}`)}`);
  if (isOn(cfg.pretrained)) out.push(...finetuneLines(cfg, o, false));
  else out.push(...batchLines(cfg, o));
  return out;
}

function finetuneLines(cfg: TrainingConfig, o: ThresholdOverrides | undefined, header: boolean): string[] {
  const t = thresholdsFor(finetuneLrHighRule, o);
  const out: string[] = [];
  const pre = cfg.pretrained;
  if (header) out.push(`**Fine-tuning** ${e(pre ? `${pre.key} = ${String(pre.value)}` : '')}`);
  if (!isOn(pre)) {
    out.push(e('Training from scratch: no pretrained weights are loaded.'));
    return out;
  }
  const fam = optimizerFamily(cfg.optimizer?.value) === 'unknown' && !cfg.optimizer && cfg.style === 'hf-training-args' ? 'adam' : optimizerFamily(cfg.optimizer?.value);
  const limit = fam === 'adam' ? t.adamMax : fam === 'sgd' ? t.sgdMax : t.anyMax;
  out.push(`- ${e(`Fine-tuning LR range (${fam === 'adam' ? 'Adam-family' : fam === 'sgd' ? 'SGD' : 'any optimizer'}): ≤ ${fmt(limit)}, about 0.1× the from-scratch LR`)}`);
  if (cfg.lr) {
    const lr = cfg.lr.value;
    out.push(`- ${e(`This config: lr ${fmt(lr)} — ${lr > limit ? `too high, use ≈ ${fmt(Math.min(lr * t.factor, limit))}` : 'within the range'}`)}`);
  }
  out.push(`- ${e(isOn(cfg.freeze) ? `Frozen: ${cfg.freeze!.key} = ${JSON.stringify(cfg.freeze!.value)}` : 'Nothing frozen: freezing the early layers (or training the head first) protects the pretrained features')}`);
  return out;
}

function scheduleLines(cfg: TrainingConfig): string[] {
  const s = cfg.scheduler;
  const out: string[] = [];
  if (!s) return [e('No LR scheduler is set: the LR stays constant.')];
  const name = schedulerBaseName(s.value);
  out.push(`**LR schedule** ${e(name)}`);
  if (isStepScheduler(s.value)) {
    const steps = cfg.schedulerSteps?.value;
    const at = steps === undefined ? '' : Array.isArray(steps) ? ` at ${steps.join(', ')}` : ` every ${steps}`;
    out.push(`- ${e(`A step decay: the LR drops abruptly${at}; the loss often jumps at each drop. Cosine annealing lowers it smoothly to the same final LR.`)}`);
  } else if (/cos/i.test(s.value)) out.push(`- ${e('Cosine annealing: the LR decays smoothly, no abrupt drops.')}`);
  else out.push(`- ${e('Not a step decay.')}`);
  if (cfg.epochs) out.push(`- ${e(`Over ${fmt(cfg.epochs.value)} epochs (${cfg.epochs.key})`)}`);
  out.push(`- ${warmupText(cfg, false, 5)}`);
  return out;
}

function lengthLines(cfg: TrainingConfig, o?: ThresholdOverrides): string[] {
  const t = thresholdsFor(noEarlyStoppingRule, o);
  const out: string[] = [];
  const len = cfg.epochs ? `${fmt(cfg.epochs.value)} epochs (${cfg.epochs.key})` : cfg.maxSteps ? `${fmt(cfg.maxSteps.value)} steps (${cfg.maxSteps.key})` : 'length not set';
  out.push(`**Training length** ${e(len)}`);
  out.push(`- ${e(isOn(cfg.earlyStopping) ? `Early stopping: ${cfg.earlyStopping!.key} = ${String(cfg.earlyStopping!.value)}` : 'Early stopping: not set')}`);
  out.push(`- ${e(isOn(cfg.restoreBest) ? `Best checkpoint restored: ${cfg.restoreBest!.key}` : 'Best checkpoint: not restored at the end')}`);
  if (!isOn(cfg.earlyStopping) && !isOn(cfg.restoreBest) && cfg.epochs && cfg.epochs.value >= t.minEpochs) {
    out.push(`- ${e(`With ${fmt(cfg.epochs.value)} epochs, the epochs after val_loss bottoms out are wasted and the final weights overfit: stop with patience ≈ ${t.patience} and keep the best checkpoint.`)}`);
  }
  return out;
}

function emaLines(cfg: TrainingConfig): string[] {
  const out: string[] = ['**Weight averaging (EMA)**'];
  const v = cfg.ema?.value;
  if (typeof v === 'number' && v > 0 && v < 1) {
    out.push(`- ${e(`decay ${fmt(v)}: averages over ≈ 1 / (1 − ${fmt(v)}) = ${Math.round(1 / (1 - v))} steps`)}`);
  } else if (hasEma(cfg)) out.push(`- ${e(cfg.ema ? `On (${cfg.ema.key})` : 'On: built into this framework')}`);
  else out.push(`- ${e('Off: an EMA of the weights smooths a fluctuating validation curve (decay 0.999–0.9999).')}`);
  return out;
}

function clipLines(cfg: TrainingConfig, o?: ThresholdOverrides): string[] {
  const w = thresholdsFor(largeBatchNoWarmupRule, o);
  const b = effectiveBatch(cfg);
  const out = ['**Gradient clipping**', `- ${clipText(cfg, b !== undefined && b.effective >= w.largeBatch)}`];
  out.push(`- ${e('Clipping bounds the damage of a single bad step (loss spikes, early large-batch instability); max norm 1.0 is the common default.')}`);
  return out;
}

function sweepLines(cfg: TrainingConfig, o?: ThresholdOverrides): string[] {
  const t = thresholdsFor(gridSearchRule, o);
  const sw = cfg.sweep;
  if (!sw) return [];
  const out = [`**Hyperparameter search** ${e(`method: ${sw.method}`)}`];
  const counted = sw.parameters.filter((p) => p.count !== undefined && p.count > 0);
  if (counted.length) {
    const combos = counted.reduce((a, p) => a * (p.count as number), 1);
    out.push(`- ${e(`Grid size: ${counted.map((p) => `${p.key} ${p.count}`).join(' × ')} = ${combos} runs`)}`);
  }
  const trials = randomTrialsFor(t.topShare, t.confidence);
  const hit = 1 - (1 - t.topShare) ** trials;
  out.push(
    `- ${e(`Random search: ${trials} trials find a configuration in the top ${Math.round(t.topShare * 100)}% with ${Math.floor(hit * 1000) / 10}% probability (1 − ${1 - t.topShare}^${trials}), whatever the number of dimensions`)}`,
  );
  out.push(`- ${e(sw.trials ? `Trial budget: ${sw.trials.key} = ${fmt(sw.trials.value)}` : 'Trial budget: not set')}`);
  return out;
}

const SCENARIO_OF: Record<Topic, (cfg: TrainingConfig) => ScenarioId> = {
  batch: () => 'large-batch',
  lr: (c) => (isOn(c.pretrained) ? 'fine-tuning' : 'large-batch'),
  schedule: () => 'lr-schedule',
  warmup: () => 'large-batch',
  length: () => 'early-stopping',
  finetune: () => 'fine-tuning',
  ema: () => 'weight-averaging',
  clip: () => 'large-batch',
  sweep: () => 'search-strategy',
};

/** Markdown explaining the training key under the cursor with this config's numbers, or undefined. */
export function configKeyHover(cfg: TrainingConfig, line: number, character: number, uri: string, overrides?: ThresholdOverrides): string | undefined {
  const hit = settingAt(cfg, line, character);
  if (!hit) return undefined;
  let body: string[];
  switch (hit.topic) {
    case 'batch':
      body = batchLines(cfg, overrides);
      break;
    case 'lr':
      body = lrLines(cfg, overrides);
      break;
    case 'schedule':
      body = scheduleLines(cfg);
      break;
    case 'warmup': {
      const w = thresholdsFor(largeBatchNoWarmupRule, overrides);
      const b = effectiveBatch(cfg);
      body = ['**LR warmup**', `- ${warmupText(cfg, b !== undefined && b.effective >= w.largeBatch, w.warmupEpochs)}`, ...batchLines(cfg, overrides)];
      break;
    }
    case 'length':
      body = lengthLines(cfg, overrides);
      break;
    case 'finetune':
      body = finetuneLines(cfg, overrides, true);
      break;
    case 'ema':
      body = emaLines(cfg);
      break;
    case 'clip':
      body = clipLines(cfg, overrides);
      break;
    case 'sweep':
      body = sweepLines(cfg, overrides);
      break;
  }
  if (body.length === 0) return undefined;
  const scenario = SCENARIO_OF[hit.topic](cfg);
  const title = getScenario(scenario).title;
  return [
    `*traindx · ${e(hit.key)}*`,
    '',
    // A bold heading starts a new paragraph (Markdown would run it into the previous line).
    ...body.flatMap((l, i) => (i > 0 && l.startsWith('**') ? ['', l] : [l])),
    '',
    `${commandLink(`Explain: ${title}`, 'traindx.explain', { scenario, uri, line: hit.range.startLine })} · scenario \`${scenario}\``,
  ].join('\n');
}
