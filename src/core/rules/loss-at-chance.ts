/**
 * Scenario `lr-range`, rule `loss-at-chance`: the training loss sits at the level of a uniform
 * prediction — ln C for a C-class cross-entropy, ln V for a language model over a vocabulary of V
 * tokens — for a long stretch. A model at that level puts probability 1/C on the right answer: it
 * predicts no better than chance. The rate is the usual cause (far too high, the logits saturate and
 * the network settles on the prior; far too low, nothing moves), then labels detached from their
 * inputs and unscaled inputs (Smith, "Cyclical Learning Rates…", WACV 2017, §3.3 for the sweep).
 *
 * C is never guessed: it is the config's `numClasses` (else `vocabSize`), filled only by readers whose
 * framework's loss is a single-label cross-entropy of that C (see TrainingConfig). The curve must agree:
 * - the training loss, else (when none is logged) the validation loss;
 * - at least `minPoints` = 20 values in at least 6 blocks (`loss-blocks.ts` block means), as for
 *   `loss-not-decreasing`;
 * - the start (median of the first `headBlocks` = 3 blocks) within `startTol` = ±10 % of ln C: a C-way
 *   cross-entropy of a freshly initialised head starts there, so a start elsewhere says the loss is
 *   something else (a sum of terms, a regression, a pretrained head) and the rule stays quiet;
 * - "at chance" = a block mean ≥ ln C × (1 − `nearTol`), `nearTol` = 3 % [proposal: on the real runs
 *   stuck at chance the loss stays within 0.5 % of ln C (real-outputs keras-mnist-unscaled-stuck:
 *   2.3026 = ln 10 for 19 epochs; hf-quality-multichoice-stuck-ln4: 1.383–1.417 around ln 4 = 1.386),
 *   while a model that learns anything leaves the band within a few epochs (keras-mnist-unscaled-32-units:
 *   2.30 at epoch 4, 1.07 at epoch 6)];
 * - flagged when the blocks at chance from the start, or up to the end, hold ≥ `share` = 1/3 of the values.
 * Severity: **warning** when the stretch reaches the end of the run — the model it leaves behind predicts
 * no better than chance, a fact read from the config and the loss alone, not a judgement; **information**
 * when the loss left chance later (a slow start that cost a third of the run, which may be a plateau some
 * setups go through: memory-augmented meta-learners sit at 1/C accuracy for thousands of iterations before
 * learning, github.com/Luvata/CS330-Stanford-Deep-Multi-Task-and-Meta-Learning issue #6).
 * When this rule fires, `loss-not-decreasing` leaves the run to it (one finding per curve).
 */
import { fmt, median } from '../run/stats';
import type { Series } from '../run/series';
import type { Finding } from '../types';
import { trainLossSeries } from './divergence';
import { blocksOf, type Block } from './loss-blocks';
import { rangeTestAdvice, rateOfRun, SWEEP_FACTOR } from './lr-range-test';
import { lossNotMeantToFall } from './non-monotone-objective';
import type { Rule, RunContext, Thresholds } from './rule';
import { lossSpan } from './loss-span';
import { logFinding } from './util';

export type LossAtChanceEvidence = {
  metric: string;
  /** C (classes) or V (vocabulary) and where the config states it. */
  classes: number;
  kind: 'classes' | 'vocabulary';
  key: string;
  /** ln C, the loss of a uniform prediction. */
  level: number;
  /** Median of the first blocks, and of the blocks at chance. */
  first: number;
  atChance: number;
  /** Values in the stretch at chance, of all values. */
  points: number;
  total: number;
  /** The stretch reaches the end of the run. */
  atEnd: boolean;
  fromLine: number;
  toLine: number;
  lr: number | null;
  sweepLow: number | null;
  sweepHigh: number | null;
};

const MIN_BLOCKS = 6;

export const LOSS_AT_CHANCE_DEFAULTS: Thresholds = { minPoints: 20, headBlocks: 3, startTol: 0.1, nearTol: 0.03, share: 1 / 3 };

interface Uniform {
  count: number;
  kind: 'classes' | 'vocabulary';
  key: string;
  file: string;
}

interface ChanceStretch {
  series: Series;
  uniform: Uniform;
  level: number;
  head: number;
  stretch: readonly Block[];
  points: number;
  total: number;
  atEnd: boolean;
  /** Every block of the run is at chance. */
  whole: boolean;
}

function uniformOf(ctx: RunContext): Uniform | undefined {
  const c = ctx.config;
  if (!c) return undefined;
  if (c.numClasses && Number.isInteger(c.numClasses.value) && c.numClasses.value >= 2) return { count: c.numClasses.value, kind: 'classes', key: c.numClasses.key, file: c.file };
  if (c.vocabSize && Number.isInteger(c.vocabSize.value) && c.vocabSize.value >= 2) return { count: c.vocabSize.value, kind: 'vocabulary', key: c.vocabSize.key, file: c.file };
  return undefined;
}

/** The longest stretch of the run at the uniform-prediction level, from its start or up to its end; undefined when the curve does not qualify. */
export function chanceStretch(ctx: RunContext, t: Thresholds = LOSS_AT_CHANCE_DEFAULTS): ChanceStretch | undefined {
  const uniform = uniformOf(ctx);
  if (!uniform) return undefined;
  // A run that logs no training loss is judged on its validation loss: the same C-way cross-entropy.
  const s = trainLossSeries(ctx) ?? ctx.run.series('val_loss');
  if (!s || s.length < t.minPoints || lossNotMeantToFall(ctx.run)) return undefined;
  const blocks = blocksOf(s).filter((b) => b.count > 0);
  if (blocks.length < MIN_BLOCKS) return undefined;
  const total = blocks.reduce((n, b) => n + b.count, 0);
  if (total < t.minPoints) return undefined;
  const level = Math.log(uniform.count);
  const head = median(blocks.slice(0, Math.max(1, Math.round(t.headBlocks))).map((b) => b.mean));
  if (!(Math.abs(head / level - 1) <= t.startTol)) return undefined;
  const near = (b: Block) => b.mean >= level * (1 - t.nearTol);
  let fromStart = 0;
  while (fromStart < blocks.length && near(blocks[fromStart])) fromStart++;
  let toEnd = 0;
  while (toEnd < blocks.length && near(blocks[blocks.length - 1 - toEnd])) toEnd++;
  const countOf = (bs: readonly Block[]) => bs.reduce((n, b) => n + b.count, 0);
  const startRun = blocks.slice(0, fromStart);
  const endRun = blocks.slice(blocks.length - toEnd);
  const endPoints = countOf(endRun);
  const startPoints = countOf(startRun);
  const atEnd = endPoints > 0 && endPoints >= t.share * total;
  const stretch = atEnd ? (fromStart === blocks.length ? blocks : endRun) : startRun;
  const points = atEnd ? countOf(stretch) : startPoints;
  if (points === 0 || points < t.share * total) return undefined;
  return { series: s, uniform, level, head, stretch, points, total, atEnd, whole: fromStart === blocks.length };
}

export const lossAtChanceRule: Rule = {
  id: 'loss-at-chance',
  scenario: 'lr-range',
  defaultSeverity: 'warning',
  defaults: LOSS_AT_CHANCE_DEFAULTS,
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const found = chanceStretch(ctx, t);
    if (!found) return [];
    const { series: s, uniform, level, head, stretch, points, total, atEnd, whole } = found;
    const from = stretch[0].first;
    const to = stretch[stretch.length - 1].last;
    const value = median(stretch.map((b) => b.mean));
    const rate = rateOfRun(ctx);
    const what = uniform.kind === 'classes' ? `${uniform.count} classes` : `a vocabulary of ${uniform.count} tokens`;
    const where = whole ? 'the whole run' : atEnd ? 'up to the end of the run' : 'from the start';
    const msg =
      `${s.name} ${three(value)} ≈ ln ${uniform.count} = ${three(level)} over ${lossSpan(s, from, to)} (${points} of ${total} values, ${where}): ` +
      `the model predicts no better than a uniform guess over the ${what} (\`${uniform.key}\` in ${baseName(uniform.file)}; the loss started at ${three(head)}). ` +
      (atEnd ? '' : 'It left that level later, after a third of the run or more. ') +
      `The learning rate is probably outside the range this setup can use — far too high and the outputs saturate on the class prior, far too low and nothing moves — ` +
      `${rangeTestAdvice(rate)}. If the rate is sensible, check that labels still match their inputs, that the inputs are scaled, and that the loss reads the model's outputs.`;
    return [
      logFinding(ctx, 'lr-range', 'loss-at-chance', atEnd ? 'warning' : 'information', msg, { line: s.line(to), fileIndex: s.fileIndex(to) }, {
        metric: s.name,
        classes: uniform.count,
        kind: uniform.kind,
        key: uniform.key,
        level,
        first: head,
        atChance: value,
        points,
        total,
        atEnd,
        fromLine: s.line(from),
        toLine: s.line(to),
        lr: rate?.lr ?? null,
        sweepLow: rate ? rate.lr / SWEEP_FACTOR : null,
        sweepHigh: rate ? rate.lr * SWEEP_FACTOR : null,
      }),
    ];
  },
};

/** Three significant digits with trailing zeros: ln 10 reads 2.30, as it is usually quoted. */
function three(x: number): string {
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e3 ? x.toPrecision(3) : fmt(x);
}

function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? file : file.slice(i + 1);
}
