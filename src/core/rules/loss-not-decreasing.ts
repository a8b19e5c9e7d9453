/**
 * Scenario `lr-range`, rule `loss-not-decreasing`: over a long stretch of the run the training loss
 * does not go down — flat, or back at or above where it started. That is the curve of a learning rate
 * outside the usable window: too low and the weights barely move, too high and each step overshoots,
 * so the loss bounces at a high level (L. N. Smith, "Cyclical Learning Rates for Training Neural
 * Networks", WACV 2017, §3.3: in an LR sweep the loss is flat below the window and rises above it).
 *
 * The test reads the loss as block means (`loss-blocks.ts`: ≤ 256 blocks, kept incrementally), which
 * smooths the batch noise of per-step logs:
 * - at least `minPoints` = 20 logged values, in at least 6 blocks [proposal: a run shorter than that
 *   has not had a "long stretch" to show progress];
 * - head = median of the first `headBlocks` = 3 blocks, tail = median of the last `tailShare` = 1/3
 *   of the blocks (at least 3): the run's level at its start and over its last third;
 * - not when some block fell below `learnedShare` = 1/2 of the head: the run did learn, and a later
 *   rise is for the overfitting and divergence rules (real-logs #36, a grokking run whose train loss
 *   falls from 4.7 to 1e-7 and comes back to 1e-5 in slingshot spikes);
 * - flagged when tail ≥ head × (1 − `flatTol`), `flatTol` = 2 % [proposal: a healthy from-scratch run
 *   ends far below its start — the real runs of INDEX.md drop by 30 % (a LoRA SFT, 1.62 → 1.12) to
 *   99.9 %; a drop under 2 % over the whole run is no learning at all]. When the config says the model is
 *   pretrained the tolerance is 0 (a fine-tune can start near its floor and drop little): only a loss that
 *   ends at or above its start is flagged;
 * - not on reinforcement-learning or adversarial runs, whose losses are not meant to fall
 *   (`non-monotone-objective.ts`);
 * - not when the head is ≤ 0 (losses that can be negative are not judged relative to their start) nor
 *   when the tail holds non-finite values (that is divergence, reported by its own rules).
 * → information at the last point of the tail, with an LR range test around the run's own rate.
 * When the config states the number of classes and the loss ends at ln C, `loss-at-chance` reports the
 * run instead (it says more); without a stated C the level is never guessed.
 */
import { fmt, median } from '../run/stats';
import type { Finding } from '../types';
import { trainLossSeries } from './divergence';
import { chanceStretch } from './loss-at-chance';
import { blocksOf, type Block } from './loss-blocks';
import { lossSpan } from './loss-span';
import { rangeTestAdvice, rateOfRun, SWEEP_FACTOR } from './lr-range-test';
import { lossNotMeantToFall } from './non-monotone-objective';
import type { Rule, RunContext, Thresholds } from './rule';
import { isOn, logFinding } from './util';

export type LossNotDecreasingEvidence = {
  metric: string;
  /** Median of the block means over the start and over the last third of the run. */
  first: number;
  last: number;
  ratio: number;
  points: number;
  fromLine: number;
  /** The run's rate (peak logged LR, else the config's) and the range-test bounds around it; null when unknown. */
  lr: number | null;
  sweepLow: number | null;
  sweepHigh: number | null;
};

const MIN_BLOCKS = 6;

/** Five significant digits: a flat loss (2.3257 → 2.3026) reads as "2.3 → 2.3" at three. */
function fine(x: number): string {
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? String(Number(x.toPrecision(5))) : fmt(x);
}

export const lossNotDecreasingRule: Rule = {
  id: 'loss-not-decreasing',
  scenario: 'lr-range',
  defaultSeverity: 'information',
  defaults: { minPoints: 20, headBlocks: 3, tailShare: 1 / 3, flatTol: 0.02, learnedShare: 0.5 },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const s = trainLossSeries(ctx);
    if (!s || s.length < t.minPoints || lossNotMeantToFall(ctx.run)) return [];
    const blocks: readonly Block[] = blocksOf(s).filter((b) => b.count > 0 || b.nonFinite > 0);
    if (blocks.length < MIN_BLOCKS) return [];
    const points = blocks.reduce((n, b) => n + b.count, 0);
    if (points < t.minPoints) return [];
    const nHead = Math.max(1, Math.round(t.headBlocks));
    const nTail = Math.max(3, Math.ceil(t.tailShare * blocks.length));
    const tailBlocks = blocks.slice(blocks.length - nTail);
    if (tailBlocks.some((b) => b.nonFinite > 0)) return [];
    const head = median(blocks.slice(0, nHead).map((b) => b.mean));
    const tail = median(tailBlocks.map((b) => b.mean));
    if (!(head > 0) || !Number.isFinite(tail)) return [];
    let lowest = Infinity;
    for (const b of blocks) if (b.mean < lowest) lowest = b.mean;
    if (lowest < head * t.learnedShare) return [];
    const pretrained = isOn(ctx.config?.pretrained);
    const tol = pretrained ? 0 : t.flatTol;
    if (tail < head * (1 - tol)) return [];
    // The same curve at ln C with C known is loss-at-chance's, which says more (the level, the classes).
    if (chanceStretch(ctx)) return [];
    const from = blocks[0].first;
    const to = blocks[blocks.length - 1].last;
    const rate = rateOfRun(ctx);
    const shape = tail >= head ? `ends at or above where it started (${fine(head)} → ${fine(tail)})` : `stays flat (${fine(head)} → ${fine(tail)}, ${fmt((1 - tail / head) * 100)}% lower)`;
    const msg =
      `${s.name} did not go down over ${lossSpan(s, from, to)} (${points} values): it ${shape}, comparing its start with the median of its last third. ` +
      `The learning rate is probably outside the range this setup can use — too low and the weights barely move, too high and the loss bounces at a high level — ` +
      `${rangeTestAdvice(rate)}.` +
      (pretrained ? '' : ' If the rate is sensible, check that the model can overfit one small batch (unscaled inputs, a frozen model or mismatched labels give the same curve).');
    return [
      logFinding(ctx, 'lr-range', 'loss-not-decreasing', 'information', msg, { line: s.line(to), fileIndex: s.fileIndex(to) }, {
        metric: s.name,
        first: head,
        last: tail,
        ratio: tail / head,
        points,
        fromLine: s.line(from),
        lr: rate?.lr ?? null,
        sweepLow: rate ? rate.lr / SWEEP_FACTOR : null,
        sweepHigh: rate ? rate.lr * SWEEP_FACTOR : null,
      }),
    ];
  },
};
