/**
 * Scenario `lr-schedule`: abrupt learning-rate drops (step decay) seen in the log, and a step-like
 * scheduler in a config. Course scenario 1: step decay lowers the LR abruptly and can make the loss
 * jump; cosine annealing lowers it smoothly.
 *
 * Log rule `lr-step-drop` (R01, ANALYZER_ANCHORS §5.1):
 * - A drop at t when lr[t]/lr[t−1] ≤ `dropRatio` = 0.5 ("covers ×0.5 to ×0.1 decays, CS231n / StepLR /
 *   ReduceLROnPlateau"). Inclusive: ReduceLROnPlateau(factor=0.5) gives exactly 0.5 (real log
 *   keras_lstm_seq2seq_plateau05), and the INDEX labels it a step decay.
 * - Not a drop (INDEX.md "how the labels were computed"):
 *   · the last `tailShare` = 10 % of a gradual decay (linear / cosine / one-cycle approaching 0, print
 *     rounding of tiny values): pl_csv_resnet18_onecycle, hf_tinyllama_lora_sft, hf_codebert…,
 *     hf_chatglm… (LR reaches exactly 0), text_convnext… (2e-6 → 1e-6 from 6-decimal printing);
 *     "gradual" = most of the previous ≤ 5 transitions already decreasing [proposal];
 *   · a drop straight out of a rising ramp (warmup end) or followed by a new rise (re-warmup after a
 *     restart/resume): detectron2_maskrcnn_appended_restarts iter 9→19 and 299→319;
 *   · across a step reset (appended launches of the same log);
 *   · any drop when the config names a restart/cyclic schedule (SGDR, CyclicLR: §3.4 "an expected LR
 *     jump, not an anomaly").
 * - Loss jump after the drop (R01): baseline b = median of the previous w = 5 loss points, jump when
 *   max of the next k = 3 points > b·(1 + `spikeRel` = 0.10, SageMaker Overfit ratio_threshold) and the
 *   robust z > 4 ([proposal] in the table). w/k are the table's eval-based defaults, counted in logged
 *   points.
 * - Reporting: one finding per drop, at the line of the first point logged with the new LR, so each
 *   drop is squiggled where it happened and the plot can mark each one. A drop alone is information
 *   (a step schedule is a legitimate choice); a drop followed by a loss jump is a warning (R01 WARN).
 *   Evidence carries `dropIndex`/`dropCount` so a UI can group them.
 *
 * Config rule `lr-step-scheduler`: a StepLR / MultiStepLR / `step` / `steps` / WarmupMultiStepLR
 * scheduler → information suggesting cosine annealing (course scenario 1; the anchors list
 * CosineAnnealingLR in §3.4 and timm's default `--sched cosine` in §3.7).
 */
import type { TrainingConfig } from '../config/training-config';
import { alignKey, epochAtStep, keyOf, lowerBound, segmentStarts } from '../run/aggregate';
import { advance } from '../run/incremental';
import type { Run } from '../run/run';
import type { Series } from '../run/series';
import { fmt, fmtEpoch } from '../run/stats';
import type { Finding } from '../types';
import { lossJump } from './lr-loss-jump';
import { readPlateau, type PlateauReading } from './lr-plateau';
import { dropEvidence, jumpText, plateauScheduleFinding, type DropReading } from './lr-plateau-schedule';
import type { Rule, RunContext, Thresholds } from './rule';
import { configFinding, logFinding } from './util';

export interface LrDrop {
  /** Index in the lr series of the first point with the new LR. */
  index: number;
  from: number;
  to: number;
  ratio: number;
}

/** Evidence of `lr-step-drop`: the drop, the loss around it, and whether it reads as a reduce-on-plateau cut. */
export type LrStepDropEvidence = {
  fromLr: number;
  toLr: number;
  ratio: number;
  /** The log's own epoch numbering; inferred from another series when the LR row has none. */
  epoch: number | null;
  epochInferred: boolean;
  step: number | null;
  dropIndex: number;
  dropCount: number;
  lossJump: boolean;
  /** Median before the drop / after it (`jumpBasis`: epoch means, highest of the next epochs; points, median of the next points). */
  trainLossBefore: number | null;
  trainLossAfter: number | null;
  valLossBefore: number | null;
  valLossAfter: number | null;
  jumpBasis: 'epoch-mean' | 'points' | null;
  schedule: 'step' | 'plateau';
  plateauSource: 'config' | 'log' | null;
  plateauMetric: string | null;
  evalsWithoutImprovement: number | null;
  /**
   * A reduce-on-plateau schedule is one finding (issue 11): every cut's epoch (or step when the log has
   * no epochs), line and ratio, in order. Absent on a step decay's per-drop findings.
   */
  cutEpochs?: number[];
  cutSteps?: number[];
  cutLines?: number[];
  cutRatios?: number[];
};


/** Evidence of `lr-step-scheduler` (`key` is added by configFinding). */
export type LrStepSchedulerEvidence = {
  key?: string;
  scheduler: string;
  suggestedScheduler: 'cosine';
  steps: number[] | null;
  stepsKey: string | null;
};

export type DropVerdict = 'step' | 'tail' | 'warmup-end' | 'rewarmup' | 'restart-schedule' | 'smooth' | 'group-warmup';

const RESTART_SCHEDULE = /restart|cyclic|cyclical|sgdr|triangular/i;
const STEP_SCHEDULER = /^(warmup)?(multi[-_ ]?step|step|steps)(lr|_lr|decay)?$|^piecewise([-_ ]?constant)?(decay)?$/i;

function isUp(a: number, b: number): boolean {
  return b > a * 1.01;
}
function isFlat(a: number, b: number): boolean {
  return Math.abs(b / a - 1) <= 0.01;
}

const usable = (v: number) => Number.isFinite(v) && v >= 0;

function prevUsable(lr: Series, i: number, lo: number): number {
  for (let j = i - 1; j >= lo; j--) if (usable(lr.value(j))) return j;
  return -1;
}
function nextUsable(lr: Series, i: number, hi: number): number {
  for (let j = i + 1; j < hi; j++) if (usable(lr.value(j))) return j;
  return -1;
}

/** A transition between consecutive usable points r → q (r = −1: none). */
interface Trans {
  r: number;
  q: number;
}
const NONE: Trans = { r: -1, q: -1 };

/**
 * A drop candidate with the transitions before it that the tail check needs: the last rising
 * transition and the last two gentle decreases (ratio in (dropRatio, 0.999)) ending at or before p1.
 */
interface Candidate {
  i: number;
  lastInc: Trans;
  lastDec: Trans;
  prevDec: Trans;
}

interface DropScan {
  cands: Candidate[];
  last: number;
  lastInc: Trans;
  lastDec: Trans;
  prevDec: Trans;
  /** Usable points with / without a step seen so far (mixed → positions are not monotone). */
  withStep: boolean;
  withoutStep: boolean;
}

/** Indices i where lr[i]/lr[prev usable] ≤ dropRatio, scanned incrementally (segments ignored here). */
function dropScan(lr: Series, dropRatio: number): DropScan {
  return advance(
    lr,
    `lr-drops:${dropRatio}`,
    (): DropScan => ({ cands: [], last: -1, lastInc: NONE, lastDec: NONE, prevDec: NONE, withStep: false, withoutStep: false }),
    (st, a, b) => {
      for (let i = a; i < b; i++) {
        const v = lr.value(i);
        if (!usable(v)) continue;
        if (Number.isFinite(lr.step(i))) st.withStep = true;
        else st.withoutStep = true;
        if (st.last >= 0) {
          const p = lr.value(st.last);
          if (p > 0 && v / p <= dropRatio) st.cands.push({ i, lastInc: st.lastInc, lastDec: st.lastDec, prevDec: st.prevDec });
          // The same classification as the tail walk in classifyDrops.
          const ratio = v / p;
          if (ratio > 1.01) st.lastInc = { r: st.last, q: i };
          else if (ratio < 0.999 && ratio > dropRatio) {
            st.prevDec = st.lastDec;
            st.lastDec = { r: st.last, q: i };
          }
        }
        st.last = i;
      }
    },
  );
}

/** Every consecutive pair with ratio ≤ dropRatio, classified. */
export function classifyDrops(lr: Series, t: Thresholds, scheduler?: string): { drop: LrDrop; verdict: DropVerdict }[] {
  const out: { drop: LrDrop; verdict: DropVerdict }[] = [];
  const segs = segmentStarts(lr);
  const restartSchedule = scheduler !== undefined && RESTART_SCHEDULE.test(scheduler);
  let si = 0;
  const scan = dropScan(lr, t.dropRatio);
  // Positions (step, else index) are non-decreasing over the usable points of a segment unless steps
  // are present on some points and missing on others; then the tail walk is done point by point.
  const monotone = !(scan.withStep && scan.withoutStep);
  for (const c of scan.cands) {
    const i = c.i;
    while (si + 1 < segs.length && segs[si + 1] <= i) si++;
    const a = segs[si];
    const b = si + 1 < segs.length ? segs[si + 1] : lr.length;
    const p1 = prevUsable(lr, i, a);
    if (p1 < 0) continue; // the previous value belongs to another launch
    const prev = lr.value(p1);
    const cur = lr.value(i);
    const drop: LrDrop = { index: i, from: prev, to: cur, ratio: cur / prev };
    const p2 = prevUsable(lr, p1, a);
    const n1 = nextUsable(lr, i, b);
    let verdict: DropVerdict = 'step';
    const flatAfter = n1 >= 0 && isFlat(cur, lr.value(n1));
    if (restartSchedule) verdict = 'restart-schedule';
    else if (n1 >= 0 && isUp(cur, lr.value(n1))) verdict = 'rewarmup';
    // Out of a rising ramp: a MultiStep milestone right at the end of warmup when the LR then holds
    // (issue 10: it was missed), else the coarse sampling of a warmup-then-decay.
    else if (p2 >= 0 && isUp(lr.value(p2), prev)) verdict = flatAfter ? 'step' : 'warmup-end';
    else if (continuesGradualDecay(lr, p1, a)) verdict = 'tail';
    // A step schedule holds the LR on at least one side of each drop; falling on both sides is a smooth
    // schedule sampled coarsely (a per-epoch cosine over few epochs).
    else if (p2 >= 0 && n1 >= 0 && !flatAfter && !isFlat(lr.value(p2), prev)) verdict = 'smooth';
    else {
      const f0 = nextUsable(lr, a - 1, b);
      const l0 = prevUsable(lr, b, a);
      const firstPos = pos(lr, f0);
      const span = pos(lr, l0) - firstPos;
      const inTail = span > 0 ? pos(lr, i) - firstPos >= (1 - t.tailShare) * span : false;
      if (inTail) {
        // Gradual decay before it: over the previous tailShare of the span the LR only went down, in
        // gentle steps (ratio > dropRatio), at least twice. Printed values rounded to one digit
        // (2e-6, 2e-6, …, 1e-6) still qualify; a plateau schedule (flat, then halved) does not.
        const from = pos(lr, i) - t.tailShare * span;
        if (monotone) {
          // The walk back from p1 counts the transitions r → q with r ≥ a and pos(q) ≥ from: with
          // monotone positions, a suffix of the transitions ending at p1. No rise in it and two gentle
          // decreases ⇔ the last rise is outside it and the second-last decrease inside.
          const inWindow = (tr: Trans) => tr.r >= a && pos(lr, tr.q) >= from;
          if (!inWindow(c.lastInc) && inWindow(c.prevDec)) verdict = 'tail';
        } else if (tailWalk(lr, p1, a, from, t.dropRatio)) verdict = 'tail';
      }
    }
    out.push({ drop, verdict });
  }
  return out;
}

/** The tail walk point by point (positions not monotone): only went down, gently, at least twice. */
function tailWalk(lr: Series, p1: number, a: number, from: number, dropRatio: number): boolean {
  let dec = 0;
  let inc = 0;
  let q = p1;
  for (let r = prevUsable(lr, q, a); r >= 0 && pos(lr, q) >= from; q = r, r = prevUsable(lr, q, a)) {
    const ratio = lr.value(q) / lr.value(r);
    if (ratio > 1.01) inc++;
    else if (ratio < 0.999 && ratio > dropRatio) dec++;
  }
  return dec >= 2 && inc === 0;
}

/**
 * True when the two transitions before the drop already lowered the LR (cosine, linear,
 * one-cycle, polynomial decays seen at coarse logging, e.g. timm's per-epoch `lr` over a 10-epoch
 * cosine: 0.30 → 0.21 → 0.12 → 0.057). A step schedule is flat before each drop (StepLR,
 * MultiStepLR, ReduceLROnPlateau in every real log of INDEX.md), so this never hides one.
 */
function continuesGradualDecay(lr: Series, p1: number, lo: number): boolean {
  const p2 = prevUsable(lr, p1, lo);
  const p3 = p2 >= 0 ? prevUsable(lr, p2, lo) : -1;
  if (p3 < 0) return false;
  // Any decrease counts: near the end of a cosine the per-epoch ratios themselves fall below 0.5
  // (0.124 → 0.057 → 0.015 → 0), yet the curve has no kink.
  const down = (from: number, to: number): boolean => to / from < 0.999;
  return down(lr.value(p3), lr.value(p2)) && down(lr.value(p2), lr.value(p1));
}

function pos(s: Series, i: number): number {
  const st = s.step(i);
  return Number.isFinite(st) ? st : i;
}

function whereText(s: Series, i: number, inferredEpoch = NaN): string {
  const ep = Number.isFinite(s.epoch(i)) ? s.epoch(i) : inferredEpoch;
  const st = s.step(i);
  if (Number.isFinite(ep) && Number.isInteger(ep)) return `epoch ${ep}`;
  if (Number.isFinite(st)) return Number.isFinite(ep) ? `step ${st} (epoch ${fmtEpoch(ep)})` : `step ${st}`;
  if (Number.isFinite(ep)) return `epoch ${fmtEpoch(ep)}`;
  return `line ${s.line(i)}`;
}

export const lrStepDropRule: Rule = {
  id: 'lr-step-drop',
  scenario: 'lr-schedule',
  defaultSeverity: 'information',
  defaults: { dropRatio: 0.5, tailShare: 0.1, window: 5, after: 3, spikeRel: 0.1, z: 4 },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const lr = ctx.run.series('lr');
    if (!lr) return [];
    const scheduler = ctx.config?.scheduler?.value;
    const steps = classifyDrops(lr, t, scheduler).filter((d) => d.verdict === 'step');
    const groups = otherLrGroups(ctx.run);
    // A drop that the other parameter groups do not share is a per-group schedule (Ultralytics' bias
    // group warms down from warmup_bias_lr 0.1 while the weight groups warm up: trainer.py
    // `_do_train`, `np.interp(ni, xi, [warmup_bias_lr if j == 0 else 0.0, …])`), not a step decay.
    const drops = steps.map((d) => d.drop).filter((d) => groups.every((g) => sharesDrop(lr, d, g, t.dropRatio)));
    if (!drops.length) return [];
    const monitor = ctx.config?.monitor?.value ?? ctx.config?.builtIn?.monitor;
    const plateau = readPlateau(ctx.run, lr, drops, scheduler, monitor);
    const train = ctx.run.series('train_loss');
    const val = ctx.run.series('val_loss');
    const readings: DropReading[] = drops.map((drop, n) => {
      const i = drop.index;
      const tj = train ? lossJump(ctx.run, lr, i, train, t) : undefined;
      const vj = val ? lossJump(ctx.run, lr, i, val, t) : undefined;
      const ownEpoch = lr.epoch(i);
      const epoch = Number.isFinite(ownEpoch) ? ownEpoch : epochAtStep(ctx.run, lr.step(i));
      return {
        drop,
        n,
        train: tj,
        val: vj,
        jumped: (tj?.jumped ?? false) || (vj?.jumped ?? false),
        epoch,
        epochInferred: !Number.isFinite(ownEpoch) && Number.isFinite(epoch),
        at: whereText(lr, i, epoch),
      };
    });
    // Reduce-on-plateau cuts are one schedule reacting to one metric: told once with every cut's place
    // (issue 11: seven cuts were seven findings on keras_history_json_braintumor_plateau).
    if (plateau.plateau && drops.length > 1) return [plateauScheduleFinding(ctx, lr, readings, plateau, plateauName(plateau, scheduler))];
    return readings.map((r) => dropFinding(ctx, lr, r, drops.length, plateau, scheduler, train !== undefined));
  },
};

/** The finding of one drop of a step decay (or of a single reduce-on-plateau cut). */
function dropFinding(ctx: RunContext, lr: Series, r: DropReading, count: number, plateau: PlateauReading, scheduler: string | undefined, hasTrain: boolean): Finding {
  const { drop, n, jumped, at } = r;
  const i = drop.index;
  const wait = plateau.waits[n];
  let msg = plateau.plateau
    ? `lr cut ${fmt(drop.from)} → ${fmt(drop.to)} (×${fmt(drop.ratio)}) at ${at}`
    : `lr dropped ${fmt(drop.from)} → ${fmt(drop.to)} (×${fmt(drop.ratio)}) at ${at}`;
  if (plateau.plateau && wait && plateau.metric) {
    msg += ` after ${plateau.metric} had not improved for ${wait.flat} evaluation${wait.flat === 1 ? '' : 's'} (best ${fmt(wait.best)})`;
  }
  msg += jumpText(r, hasTrain);
  if (plateau.plateau) {
    const what = `${plateauName(plateau, scheduler)} cut`;
    msg += count > 1 ? ` — ${what} ${n + 1} of ${count}` : ` — a ${what}`;
    msg += ' (the LR is lowered when the monitored metric stops improving)';
  } else {
    msg += count > 1 ? ` — step decay ${n + 1} of ${count}` : ' — a step decay';
    msg += '; a cosine schedule lowers the LR smoothly without abrupt loss jumps';
  }
  return logFinding(ctx, 'lr-schedule', 'lr-step-drop', jumped ? 'warning' : 'information', msg, { line: lr.line(i), fileIndex: lr.fileIndex(i) }, dropEvidence(lr, r, count, plateau));
}

/** How a plateau schedule is named in messages: the config's scheduler, else what the log shows. */
function plateauName(plateau: PlateauReading, scheduler: string | undefined): string {
  return plateau.source === 'config' ? schedulerBaseName(scheduler ?? 'ReduceLROnPlateau') : 'reduce-on-plateau';
}

/** The LR series of the other parameter groups (`lr/pg1`, `x/lr2`, `lr-AdamW/pg2`): raw names, never `lr`. */
const LR_GROUP = /^(lr[/_]pg\d+|x[/_]lr\d+|lr-[A-Za-z][\w.]*\/pg\d+)$/i;
function otherLrGroups(run: Run): Series[] {
  return run
    .names()
    .filter((n) => n !== 'lr' && LR_GROUP.test(n))
    .map((n) => run.series(n)!);
}

/** Whether group `g` dropped by ≤ dropRatio at the same position as `d` (a group without that position does not contradict). */
function sharesDrop(lr: Series, d: LrDrop, g: Series, dropRatio: number): boolean {
  const k = alignKey(lr, g);
  const j = lowerBound(g, k, keyOf(lr, d.index, k));
  if (j <= 0 || j >= g.length || keyOf(g, j, k) !== keyOf(lr, d.index, k)) return true;
  const prev = g.value(j - 1);
  return !(prev > 0) || g.value(j) / prev <= dropRatio * 1.01;
}

/** The last dotted/colon segment of a scheduler name (`torch.optim.lr_scheduler.MultiStepLR` → `MultiStepLR`). */
export function schedulerBaseName(v: string): string {
  const parts = v.trim().split(/[.:/]/);
  return parts[parts.length - 1] ?? v;
}

export function isStepScheduler(v: string | undefined): boolean {
  return typeof v === 'string' && STEP_SCHEDULER.test(schedulerBaseName(v));
}

/**
 * Whether a step scheduler in a config lowers the LR abruptly at all during the run: not with no
 * milestones (detectron2's balloon tutorial: `STEPS: []`), not when every milestone is past the last
 * iteration (detectron2 STEPS in iterations against MAX_ITER), not with a mild factor (timm's
 * EfficientNet recipe: ×0.97 every 2.4 epochs, a smooth staircase; above the log rule's `dropRatio` a
 * decrease is not a drop).
 */
function dropsAbruptly(config: TrainingConfig, dropRatio: number): boolean {
  const steps = config.schedulerSteps?.value;
  if (Array.isArray(steps) && steps.length === 0) return false;
  const max = config.maxSteps?.value;
  if (config.style === 'detectron2' && Array.isArray(steps) && typeof max === 'number' && steps.every((x) => x >= max)) return false;
  const factor = config.schedulerFactor?.value;
  if (typeof factor === 'number' && factor > dropRatio) return false;
  return true;
}

export const lrStepSchedulerRule: Rule = {
  id: 'lr-step-scheduler',
  scenario: 'lr-schedule',
  // A tip, not a problem (issue 10): a step schedule is the canonical recipe of many model zoos
  // (detectron2's Mask R-CNN 3x steps at 210k/250k); the log rule reports drops that hurt.
  defaultSeverity: 'hint',
  defaults: { dropRatio: 0.5 },
  checkConfig(config: TrainingConfig, t: Thresholds): Finding[] {
    const s = config.scheduler;
    if (!s || !isStepScheduler(s.value) || !dropsAbruptly(config, t.dropRatio)) return [];
    const steps = config.schedulerSteps?.value;
    const stepsText = steps === undefined ? '' : Array.isArray(steps) ? ` at ${steps.join(', ')}` : ` every ${steps}`;
    return [
      configFinding(
        config,
        'lr-schedule',
        'lr-step-scheduler',
        'hint',
        `${s.value} lowers the LR abruptly${stepsText}; the loss often jumps at each drop. Cosine annealing (e.g. CosineAnnealingLR to the same final LR) decays smoothly and usually converges as well or better.`,
        s,
        {
          scheduler: s.value,
          suggestedScheduler: 'cosine',
          steps: steps === undefined ? null : Array.isArray(steps) ? steps : [steps],
          stepsKey: config.schedulerSteps?.key ?? null,
        },
      ),
    ];
  },
};

export const LR_SCHEDULE_RULES: Rule[] = [lrStepDropRule, lrStepSchedulerRule];
