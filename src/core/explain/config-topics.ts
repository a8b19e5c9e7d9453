/**
 * What traindx knows about the training key at a position of a config, worked out with this config's
 * own numbers: the effective batch and its LR scaling, warmup and clipping, the fine-tuning LR range
 * for the setup, the EMA averaging horizon, the size of a grid and the random-search budget…
 *
 * Every judgement comes from the rule's own assessment function (assessLargeBatch, assessLrScaling,
 * assessFinetuneLr, assessGridSearch) with the rule's thresholds and the user's overrides, so what the
 * explanation says and what the diagnostics say cannot disagree. Plain text only: the server formats
 * it (Markdown escaping, the Explain link).
 */
import type { Setting, TrainingConfig } from '../config/training-config';
import { noEarlyStoppingRule } from '../rules/early-stopping';
import { assessFinetuneLr, finetuneLrHighRule } from '../rules/fine-tuning';
import { assessLargeBatch, assessLrScaling, effectiveBatch, largeBatchLrScalingRule, largeBatchNoWarmupRule, type WarmupState } from '../rules/large-batch';
import { isStepScheduler, schedulerBaseName } from '../rules/lr-schedule';
import { thresholdsFor, type ThresholdOverrides } from '../rules/registry';
import { assessGridSearch, gridSearchRule } from '../rules/search-strategy';
import { hasEma, hasGradClip, isOn } from '../rules/util';
import type { ScenarioId, SourceRange } from '../types';

export type Topic = 'batch' | 'lr' | 'schedule' | 'warmup' | 'length' | 'finetune' | 'ema' | 'clip' | 'sweep';

/** One line of an explanation: a heading (bold title, then plain detail), a bullet, or a sentence. */
export type TopicLine = { kind: 'heading'; title: string; detail?: string } | { kind: 'bullet'; text: string } | { kind: 'text'; text: string };

export interface KeyAt {
  topic: Topic;
  key: string;
  range: SourceRange;
}

export interface TopicExplanation extends KeyAt {
  scenario: ScenarioId;
  lines: TopicLine[];
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
  ['adapter', 'finetune'],
  ['layerDecay', 'finetune'],
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

/** The known training key under the cursor (the smallest setting range holding the position), if any. */
export function settingAt(cfg: TrainingConfig, line: number, ch: number): KeyAt | undefined {
  const hits: KeyAt[] = [];
  for (const [field, topic] of TOPIC_OF) {
    const s = cfg[field] as Setting<unknown> | undefined;
    if (!s || typeof s !== 'object' || !('range' in s)) continue;
    if (contains(s.range, line, ch)) hits.push({ topic, key: s.key, range: s.range });
    // In a script the value may be written away from the call that uses it (`add_argument('--lr',
    // default=0.1)`, `EPOCHS = 90`): hovering the value explains the setting too.
    else if (cfg.format === 'python' && contains(s.valueRange, line, ch)) hits.push({ topic, key: s.key, range: s.valueRange });
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

/** A config-sized number as one would type it: 0.0001, 0.002828, 2048 (4 significant digits). */
function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

const bullet = (text: string): TopicLine => ({ kind: 'bullet', text });
const heading = (title: string, detail?: string): TopicLine => ({ kind: 'heading', title, ...(detail !== undefined ? { detail } : {}) });

function warmupText(w: WarmupState, large: boolean, epochs: number): string {
  if (w.kind === 'set') return `Warmup: ${w.key} = ${fmt(w.value)}${w.unit ? ` (${w.unit})` : ''}`;
  if (w.kind === 'built-in') return `Warmup: built into this framework (${fmt(w.value)} ${w.unit})`;
  return `Warmup: ${w.key ? `${w.key} = 0` : 'not set'}${large ? ` — needed at this batch size (warm up linearly over ~${epochs} epochs)` : ''}`;
}

function clipText(cfg: TrainingConfig, large: boolean): string {
  if (cfg.gradClip && isOn(cfg.gradClip)) return `Gradient clipping: ${cfg.gradClip.key} = ${fmt(cfg.gradClip.value)}`;
  if (hasGradClip(cfg)) return `Gradient clipping: built into this framework (max norm ${cfg.builtIn?.gradClip ?? '?'})`;
  return `Gradient clipping: not set${large ? ' — recommended with a large batch' : ''}`;
}

const SKIP_TEXT = {
  'no-batch': 'no batch size is set',
  'no-lr': 'no LR is set',
  'lr-ignored': 'the framework chooses its own LR (the one written is ignored)',
  'fine-tune': 'a fine-tune: the scaling rules are for training from scratch',
  'small-batch': 'the batch is small enough for the LR not to need scaling',
  'no-reference': 'the config gives no reference LR at a known batch (e.g. timm lr_base / lr_base_size), so the LR is not judged',
} as const;

function batchLines(cfg: TrainingConfig, o?: ThresholdOverrides): TopicLine[] {
  const t = thresholdsFor(largeBatchLrScalingRule, o);
  const w = thresholdsFor(largeBatchNoWarmupRule, o);
  const b = effectiveBatch(cfg);
  if (!b) return [{ kind: 'text', text: 'No per-device batch size is set, so the effective batch is unknown.' }];
  const out: TopicLine[] = [];
  const devices = `${b.devices} device${b.devices === 1 ? '' : 's'}${cfg.devices ? '' : ' (not set: 1)'}`;
  const accumulation = `${b.accumulation} accumulation step${b.accumulation === 1 ? '' : 's'}${cfg.gradAccumulation ? '' : b.nominal ? ` (to the framework's nominal batch ${b.nominal})` : ' (not set: 1)'}`;
  const factors = b.scope === 'total' ? [`${b.perDevice} in total over ${devices}`, accumulation] : [`${b.perDevice} per device`, devices, accumulation];
  out.push(heading('Effective batch', `= ${factors.join(' × ')} = ${b.effective}`));
  const lr = assessLrScaling(cfg, t);
  if (lr.judged) {
    const verdict = lr.verdict === 'within' ? 'within the rule' : lr.verdict === 'below' ? 'below the rule: probably not scaled up with the batch' : 'above the rule: unstable early training';
    out.push(bullet(`Scaling rule: ${lr.reference.key} ${fmt(lr.reference.lr)} at batch ${lr.reference.batch}, scaled ${lr.scaling === 'linear' ? 'linearly (SGD, Goyal et al.)' : 'by the square root (Adam-family)'} = ${fmt(lr.expected)} at ${b.effective}`));
    out.push(bullet(`This config: lr ${fmt(cfg.lr?.value ?? NaN)} = ×${fmt(lr.ratio)} the scaled reference (${verdict})`));
  } else {
    out.push(bullet('Scaling rules: when the batch grows k×, scale an LR tuned at the smaller batch by k (SGD, Goyal et al.) or √k (Adam-family)'));
    out.push(bullet(`This config: ${SKIP_TEXT[lr.why]}`));
  }
  const a = assessLargeBatch(cfg, w);
  const large = a.large === 'batch';
  out.push(bullet(warmupText(a.warmup, large, w.warmupEpochs)));
  out.push(bullet(clipText(cfg, large)));
  return out;
}

function finetuneLines(cfg: TrainingConfig, o: ThresholdOverrides | undefined, withHeading: boolean): TopicLine[] {
  const t = thresholdsFor(finetuneLrHighRule, o);
  const out: TopicLine[] = [];
  const pre = cfg.pretrained;
  if (withHeading) out.push(heading('Fine-tuning', pre ? `${pre.key} = ${String(pre.value)}` : ''));
  const a = assessFinetuneLr(cfg, t);
  if (!a.pretrained) {
    out.push({ kind: 'text', text: 'Training from scratch: no pretrained weights are loaded.' });
    return out;
  }
  const fam = a.family === 'adam' ? 'Adam-family' : a.family === 'sgd' ? 'SGD' : 'any optimizer';
  out.push(bullet(`Fine-tuning LR range (${fam}): ≤ ${fmt(a.limit)}, about 0.1× the from-scratch LR, for a model trained end to end`));
  if (a.lr !== undefined) {
    const verdict =
      a.verdict === 'protected'
        ? `in range for this setup: ${a.protection?.text ?? ''}`
        : a.verdict === 'clearly-high'
          ? `too high, use ≈ ${fmt(a.suggestedLr ?? a.limit)}`
          : a.verdict === 'high'
            ? `above the usual range, though not clearly out of it (> ${fmt(a.clearLimit)} is)`
            : 'within the range';
    out.push(bullet(`This config: lr ${fmt(a.lr)} — ${verdict}`));
  }
  if (a.verdict !== 'protected') {
    out.push(bullet(isOn(cfg.freeze) ? `Frozen: ${cfg.freeze!.key} = ${JSON.stringify(cfg.freeze!.value)}` : 'Nothing frozen: freezing the early layers (or training the head first) protects the pretrained features'));
  }
  return out;
}

function lrLines(cfg: TrainingConfig, o?: ThresholdOverrides): TopicLine[] {
  const out: TopicLine[] = [];
  if (cfg.lr) out.push(heading('Learning rate', `${cfg.lr.key} = ${fmt(cfg.lr.value)}${cfg.optimizer ? ` with ${cfg.optimizer.value}` : ''}`));
  out.push(...(isOn(cfg.pretrained) ? finetuneLines(cfg, o, false) : batchLines(cfg, o)));
  return out;
}

function scheduleLines(cfg: TrainingConfig): TopicLine[] {
  const s = cfg.scheduler;
  if (!s) return [{ kind: 'text', text: 'No LR scheduler is set: the LR stays constant.' }];
  const out: TopicLine[] = [heading('LR schedule', schedulerBaseName(s.value))];
  if (isStepScheduler(s.value)) {
    const steps = cfg.schedulerSteps?.value;
    const at = steps === undefined ? '' : Array.isArray(steps) ? ` at ${steps.join(', ')}` : ` every ${steps}`;
    out.push(bullet(`A step decay: the LR drops abruptly${at}; the loss often jumps at each drop. Cosine annealing lowers it smoothly to the same final LR.`));
  } else if (/cos/i.test(s.value)) out.push(bullet('Cosine annealing: the LR decays smoothly, no abrupt drops.'));
  else out.push(bullet('Not a step decay.'));
  if (cfg.epochs) out.push(bullet(`Over ${fmt(cfg.epochs.value)} epochs (${cfg.epochs.key})`));
  out.push(bullet(warmupText(assessLargeBatch(cfg, largeBatchNoWarmupRule.defaults).warmup, false, 5)));
  return out;
}

function lengthLines(cfg: TrainingConfig, o?: ThresholdOverrides): TopicLine[] {
  const t = thresholdsFor(noEarlyStoppingRule, o);
  const len = cfg.epochs ? `${fmt(cfg.epochs.value)} epochs (${cfg.epochs.key})` : cfg.maxSteps ? `${fmt(cfg.maxSteps.value)} steps (${cfg.maxSteps.key})` : 'length not set';
  const out: TopicLine[] = [heading('Training length', len)];
  out.push(bullet(isOn(cfg.earlyStopping) ? `Early stopping: ${cfg.earlyStopping!.key} = ${String(cfg.earlyStopping!.value)}` : 'Early stopping: not set'));
  out.push(bullet(isOn(cfg.restoreBest) ? `Best checkpoint restored: ${cfg.restoreBest!.key}` : 'Best checkpoint: not restored at the end'));
  // The rule's own conditions (a script that never evaluates, a config fragment: nothing to say), and its
  // advice: the patience is the run's to tell (a longer wait than its usual one for a new best), not a constant.
  if (!isOn(cfg.earlyStopping) && !isOn(cfg.restoreBest) && cfg.epochs && cfg.epochs.value >= t.minEpochs && cfg.validates !== false && !cfg.fragment) {
    out.push(bullet(`With ${fmt(cfg.epochs.value)} epochs, the epochs after val_loss bottoms out are wasted and the final weights overfit: stop early with a patience longer than the run's usual wait for a new best, and keep the best checkpoint.`));
  }
  return out;
}

function emaLines(cfg: TrainingConfig): TopicLine[] {
  const out: TopicLine[] = [heading('Weight averaging (EMA)')];
  const v = cfg.ema?.value;
  if (typeof v === 'number' && v > 0 && v < 1) out.push(bullet(`decay ${fmt(v)}: averages over ≈ 1 / (1 − ${fmt(v)}) = ${Math.round(1 / (1 - v))} steps`));
  else if (hasEma(cfg)) out.push(bullet(cfg.ema ? `On (${cfg.ema.key})` : 'On: built into this framework'));
  else out.push(bullet('Off: an EMA of the weights smooths a fluctuating validation curve (decay 0.999–0.9999).'));
  return out;
}

function clipLines(cfg: TrainingConfig, o?: ThresholdOverrides): TopicLine[] {
  const a = assessLargeBatch(cfg, thresholdsFor(largeBatchNoWarmupRule, o));
  return [
    heading('Gradient clipping'),
    bullet(clipText(cfg, a.large === 'batch')),
    bullet('Clipping bounds the damage of a single bad step (loss spikes, early large-batch instability); max norm 1.0 is the common default.'),
  ];
}

function sweepLines(cfg: TrainingConfig, o?: ThresholdOverrides): TopicLine[] {
  const t = thresholdsFor(gridSearchRule, o);
  const a = assessGridSearch(cfg, t);
  const sw = cfg.sweep;
  if (!a || !sw) return [];
  const out: TopicLine[] = [heading('Hyperparameter search', `method: ${a.method}`)];
  if (a.counted.length) out.push(bullet(`Grid size: ${a.counted.map((p) => `${p.key} ${p.count}`).join(' × ')} = ${a.combinations} runs`));
  out.push(
    bullet(`Random search: ${a.randomTrials} trials find a configuration in the top ${Math.round(t.topShare * 100)}% with ${a.hitPercent}% probability (1 − ${1 - t.topShare}^${a.randomTrials}), whatever the number of dimensions`),
  );
  out.push(bullet(sw.trials ? `Trial budget: ${sw.trials.key} = ${fmt(sw.trials.value)}` : 'Trial budget: not set'));
  return out;
}

function warmupLines(cfg: TrainingConfig, o?: ThresholdOverrides): TopicLine[] {
  const w = thresholdsFor(largeBatchNoWarmupRule, o);
  const a = assessLargeBatch(cfg, w);
  return [heading('LR warmup'), bullet(warmupText(a.warmup, a.large === 'batch', w.warmupEpochs)), ...batchLines(cfg, o)];
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

const LINES_OF: Record<Topic, (cfg: TrainingConfig, o?: ThresholdOverrides) => TopicLine[]> = {
  batch: batchLines,
  lr: lrLines,
  schedule: scheduleLines,
  warmup: warmupLines,
  length: lengthLines,
  finetune: (c, o) => finetuneLines(c, o, true),
  ema: emaLines,
  clip: clipLines,
  sweep: sweepLines,
};

/** The explanation of the training key at a position of a config, or undefined away from one. */
export function explainConfigKey(cfg: TrainingConfig, line: number, character: number, overrides?: ThresholdOverrides): TopicExplanation | undefined {
  const hit = settingAt(cfg, line, character);
  if (!hit) return undefined;
  const lines = LINES_OF[hit.topic](cfg, overrides);
  if (lines.length === 0) return undefined;
  return { ...hit, scenario: SCENARIO_OF[hit.topic](cfg), lines };
}
