/**
 * Recognising reduce-on-plateau LR cuts (Keras `ReduceLROnPlateau`, PyTorch `ReduceLROnPlateau`) so
 * they are described as what they are, not as a step schedule to replace with cosine (issue 10).
 *
 * From the config: a scheduler named `…plateau…`. From the log alone, every cut must look like one:
 * - the same factor at every cut (±1 %): the scheduler's `factor`;
 * - each cut follows at least one evaluation of the monitored metric that did not improve on its best
 *   (the scheduler waits `patience` such evaluations, counted since its last cut; Keras
 *   callbacks.py ReduceLROnPlateau.on_epoch_end resets `wait` after a cut);
 * - and either the cuts come at irregular intervals (a StepLR/MultiStepLR at fixed epochs that happened
 *   to follow a flat evaluation would not), or the number of flat evaluations before each cut is the
 *   same (the patience).
 * - no cut waits more than `MAX_LOG_PATIENCE` flat evaluations: a scheduler cuts as soon as its
 *   patience runs out, and the libraries' default patience is 10 (Keras callbacks.py
 *   ReduceLROnPlateau `patience=10`, torch/optim/lr_scheduler.py ReduceLROnPlateau `patience=10`);
 *   flat evaluations can exceed it only by the cooldown. Milestones far apart on a noisy val loss are
 *   not that (bearpaw_bsq_resnet20_cifar10_stepdecay: ×0.1 at 150, 250, 325 after 38–97 flat
 *   evaluations, labelled a step decay).
 * Real logs (INDEX.md): keras_brats_unet_plateau (×0.2, patience 2), keras_lstm_seq2seq_plateau05
 * (×0.5, patience 3), keras_history_json_braintumor_plateau (×0.5, patience 2).
 */
import { alignKey, keyOf, perEvalOf, pointKey, type Point } from '../run/aggregate';
import type { Run } from '../run/run';
import type { Series } from '../run/series';
import type { LrDrop } from './lr-schedule';

/** What preceded one cut: the evaluations since the best (or the previous cut) that did not improve on it. */
export interface PlateauWait {
  /** Evaluations without improvement right before the cut. */
  flat: number;
  /** The best value before the cut and where it was. */
  best: number;
  bestAt: Point | undefined;
}

export interface PlateauReading {
  /** Whether the cuts are read as reduce-on-plateau. */
  plateau: boolean;
  /** From the config's scheduler name, else from the log. */
  source: 'config' | 'log' | 'none';
  /** The metric whose plateau was checked (`val_loss`, …), when one was. */
  metric: string | undefined;
  waits: (PlateauWait | undefined)[];
}

const PLATEAU_SCHEDULER = /plateau/i;
/** Twice the libraries' default patience (10), room for a cooldown [proposal]. */
const MAX_LOG_PATIENCE = 20;

/** The monitored metric's series and whether higher is better: the config's `monitor`, else val_loss, else val_acc. */
function monitored(run: Run, monitor: string | undefined): { s: Series; higher: boolean } | undefined {
  const names = monitor ? [monitor, `val_${monitor}`] : [];
  for (const n of [...names, 'val_loss', 'val_acc']) {
    const s = run.series(n);
    if (s) return { s, higher: !/loss|err/i.test(n) };
  }
  return undefined;
}

/** Evaluations of `val` without improvement right before each cut, counted since the best or the previous cut. */
function waitsBefore(lr: Series, drops: readonly LrDrop[], val: Series, higher: boolean): (PlateauWait | undefined)[] {
  const evals = perEvalOf(val).filter((p) => Number.isFinite(p.value));
  const k = alignKey(lr, val);
  const better = (a: number, b: number) => (higher ? a > b : a < b);
  let prevCutKey = -Infinity;
  return drops.map((d) => {
    const cutKey = keyOf(lr, d.index, k);
    const before = evals.filter((p) => pointKey(p, k) < cutKey);
    let best = NaN;
    let bestAt: Point | undefined;
    let flat = 0;
    for (const p of before) {
      if (Number.isNaN(best) || better(p.value, best)) {
        best = p.value;
        bestAt = p;
        flat = 0;
      } else if (pointKey(p, k) >= prevCutKey) flat++;
    }
    prevCutKey = cutKey;
    return before.length ? { flat, best, bestAt } : undefined;
  });
}

function positionOf(lr: Series, i: number): number {
  const e = lr.epoch(i);
  if (Number.isFinite(e)) return e;
  const st = lr.step(i);
  return Number.isFinite(st) ? st : i;
}

/** Whether the step drops of a run are reduce-on-plateau cuts. */
export function readPlateau(run: Run, lr: Series, drops: readonly LrDrop[], scheduler: string | undefined, monitor: string | undefined): PlateauReading {
  const m = monitored(run, monitor);
  const waits = m ? waitsBefore(lr, drops, m.s, m.higher) : drops.map(() => undefined);
  const metric = m?.s.name;
  if (scheduler !== undefined && PLATEAU_SCHEDULER.test(scheduler)) return { plateau: true, source: 'config', metric, waits };
  const none: PlateauReading = { plateau: false, source: 'none', metric, waits };
  // A named scheduler that is not a plateau one settles it; so does too little evidence.
  if (scheduler !== undefined || drops.length < 2 || !m) return none;
  const r0 = drops[0].ratio;
  if (!drops.every((d) => Math.abs(d.ratio / r0 - 1) <= 0.01)) return none;
  if (!waits.every((w) => w !== undefined && w.flat >= 1 && w.flat <= MAX_LOG_PATIENCE)) return none;
  const flats = waits.map((w) => w!.flat);
  const samePatience = flats.every((f) => f === flats[0]);
  const gaps = drops.slice(1).map((d, j) => positionOf(lr, d.index) - positionOf(lr, drops[j].index));
  const irregular = gaps.length >= 2 && gaps.some((g) => Math.abs(g - gaps[0]) > 1e-9);
  return irregular || samePatience ? { plateau: true, source: 'log', metric, waits } : none;
}
