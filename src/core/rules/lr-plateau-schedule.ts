/**
 * A reduce-on-plateau schedule told as one finding (issue 11): the cuts of one ReduceLROnPlateau are
 * one mechanism reacting to one metric, so N cuts are one finding at one place with the other cuts in
 * `related` (the diagnostic's related information) and every cut's place in the evidence, not N
 * findings (keras_history_json_braintumor_plateau: 7 cuts; keras_lstm_seq2seq_plateau05: 6).
 *
 * Shown at the first cut after which the loss jumped (that cut is the warning), else at the first cut.
 */
import type { Series } from '../run/series';
import { fmt } from '../run/stats';
import type { Finding } from '../types';
import type { PlateauReading } from './lr-plateau';
import type { LossJump } from './lr-loss-jump';
import type { LrDrop, LrStepDropEvidence } from './lr-schedule';
import type { RunContext } from './rule';
import { fileOf, logFinding } from './util';

/** One drop as the rule read it: the loss around it and where it was. */
export interface DropReading {
  drop: LrDrop;
  /** 0-based position among the run's drops. */
  n: number;
  train: LossJump | undefined;
  val: LossJump | undefined;
  jumped: boolean;
  /** The log's own epoch of the drop, else the one inferred from another series (NaN: none). */
  epoch: number;
  epochInferred: boolean;
  /** How the place is written in messages (`epoch 15`, `step 3000`). */
  at: string;
}

/** What the loss did right after a drop, as a message tail ('' when it did not jump). */
export function jumpText(r: DropReading, hasTrain: boolean): string {
  const { train: tj, val: vj } = r;
  const basis = (j: LossJump) => (j.basis === 'epoch-mean' ? ' (epoch means)' : '');
  let msg = '';
  if (tj?.jumped) msg += `; train_loss jumped ${fmt(tj.before)} → ${fmt(tj.after)} right after${basis(tj)}`;
  if (vj?.jumped) msg += `; val_loss jumped ${fmt(vj.before)} → ${fmt(vj.after)} right after${basis(vj)}`;
  if (vj?.jumped && !tj?.jumped && hasTrain) msg += ' (val only: post-decay overfitting — early stop / restore best)';
  else if (tj?.jumped) msg += ' (a schedule or optimizer-state discontinuity)';
  return msg;
}

/** The evidence of one drop (a plateau schedule's finding adds every cut's place to it). */
export function dropEvidence(lr: Series, r: DropReading, count: number, plateau: PlateauReading): LrStepDropEvidence {
  const { drop, n, train: tj, val: vj, jumped, epoch } = r;
  const i = drop.index;
  const wait = plateau.waits[n];
  return {
    fromLr: drop.from,
    toLr: drop.to,
    ratio: drop.ratio,
    epoch: Number.isFinite(epoch) ? epoch : null,
    epochInferred: r.epochInferred,
    step: Number.isFinite(lr.step(i)) ? lr.step(i) : null,
    dropIndex: n + 1,
    dropCount: count,
    lossJump: jumped,
    trainLossBefore: tj ? tj.before : null,
    trainLossAfter: tj ? tj.after : null,
    valLossBefore: vj ? vj.before : null,
    valLossAfter: vj ? vj.after : null,
    jumpBasis: (tj ?? vj)?.basis ?? null,
    schedule: plateau.plateau ? 'plateau' : 'step',
    plateauSource: plateau.plateau && plateau.source !== 'none' ? plateau.source : null,
    plateauMetric: plateau.plateau ? (plateau.metric ?? null) : null,
    evalsWithoutImprovement: plateau.plateau && wait ? wait.flat : null,
  };
}

/** `15, 18, 20` or `2–4` style summaries of the cuts' places and waits. */
function placesText(lr: Series, readings: readonly DropReading[]): string {
  const epochs = readings.map((r) => r.epoch);
  if (epochs.every((e) => Number.isFinite(e))) return `epoch${epochs.length > 1 ? 's' : ''} ${epochs.map((e) => fmt(e)).join(', ')}`;
  const steps = readings.map((r) => lr.step(r.drop.index));
  if (steps.every((s) => Number.isFinite(s))) return `step${steps.length > 1 ? 's' : ''} ${steps.join(', ')}`;
  return readings.map((r) => r.at).join(', ');
}

function waitsText(plateau: PlateauReading): string {
  const flats = plateau.waits.map((w) => w?.flat).filter((f): f is number => f !== undefined);
  if (!plateau.metric || flats.length !== plateau.waits.length) return '';
  const lo = Math.min(...flats);
  const hi = Math.max(...flats);
  const n = lo === hi ? `${lo}` : `${lo}–${hi}`;
  return `, each after ${plateau.metric} had not improved for ${n} evaluation${hi === 1 ? '' : 's'}`;
}

/** `who`: the scheduler's name when the config gives it, else `reduce-on-plateau`. */
export function plateauScheduleFinding(ctx: RunContext, lr: Series, readings: readonly DropReading[], plateau: PlateauReading, who: string): Finding {
  const first = readings[0];
  const last = readings[readings.length - 1];
  const shown = readings.find((r) => r.jumped) ?? first;
  const ratios = readings.map((r) => r.drop.ratio);
  const sameFactor = ratios.every((x) => Math.abs(x / ratios[0] - 1) <= 0.01);
  let msg = `${who} cut the LR ${readings.length} times${sameFactor ? ` (×${fmt(ratios[0])} each)` : ''}, ${fmt(first.drop.from)} → ${fmt(last.drop.to)}, at ${placesText(lr, readings)}${waitsText(plateau)}`;
  msg += ' — one schedule lowering the LR when the monitored metric stops improving';
  const jumps = readings.filter((r) => r.jumped);
  const hasTrain = ctx.run.series('train_loss') !== undefined;
  for (const r of jumps.slice(0, 3)) msg += `; after the cut at ${r.at}${jumpText(r, hasTrain).replace(/^;/, ':')}`;
  if (jumps.length > 3) msg += `; ${jumps.length - 3} more cuts with a jump`;
  const at = { line: lr.line(shown.drop.index), fileIndex: lr.fileIndex(shown.drop.index) };
  const finding = logFinding(ctx, 'lr-schedule', 'lr-step-drop', jumps.length ? 'warning' : 'information', msg, at, {
    ...dropEvidence(lr, shown, readings.length, plateau),
    cutEpochs: readings.every((r) => Number.isFinite(r.epoch)) ? readings.map((r) => r.epoch) : undefined,
    cutSteps: readings.every((r) => Number.isFinite(lr.step(r.drop.index))) ? readings.map((r) => lr.step(r.drop.index)) : undefined,
    cutLines: readings.map((r) => lr.line(r.drop.index)),
    cutRatios: ratios,
  });
  const related = readings
    .filter((r) => r !== shown)
    .map((r) => ({
      file: fileOf(ctx, lr.fileIndex(r.drop.index)),
      line: lr.line(r.drop.index),
      message: `cut ${r.n + 1} of ${readings.length}: ${fmt(r.drop.from)} → ${fmt(r.drop.to)} at ${r.at}${jumpText(r, hasTrain)}`,
    }));
  return { ...finding, related };
}
