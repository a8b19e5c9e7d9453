/**
 * Log rule `lr-floor-early` (scenario lr-schedule, issue 11): schedule bugs visible in the logged LR.
 *
 * A smooth decay (cosine, linear, exponential, polynomial) that reaches its floor long before the run
 * ends, then
 * - stays there: the decay's length (CosineAnnealingLR `T_max`, a linear schedule's decay steps) is
 *   shorter than the run, and the rest trains at the floor LR;
 * - rises again: CosineAnnealingLR is periodic past `T_max` (its closed form is
 *   η_min + (η_max − η_min)(1 + cos(π·T_cur/T_max))/2 with T_cur counting on: torch/optim/lr_scheduler.py
 *   `CosineAnnealingLR`), so a T_max shorter than the run climbs back up;
 * - finishes within the first tenth of the run: an epoch scheduler (T_max, gamma in epochs) stepped
 *   every batch.
 *
 * What it must not flag (real logs, INDEX.md): a decay ending *at* the end of the run
 * (hf_chatglm_ptuning_noeval: linear to exactly 0 at the last step; gluoncv_keyvalue_asymmnet:
 * cosine printed as `lr=0.000000` on its last 5 of 4320 lines), step and plateau schedules reaching a
 * min_lr clamp (keras_brats_unet_plateau: 1e-6 held for the last 6 of 24 epochs — a staircase, not a
 * smooth decay), warmup then constant, one-cycle and restart schedules named in the config.
 *
 * Thresholds:
 * - `minShare` = 0.25 of the run after the floor is reached [proposal]: a cosine reaches the last 1 %
 *   of its range at 94 % of its length, so a schedule fitted to the run leaves ≈ 6 %; timm's optional
 *   cooldown epochs at the floor (timm/scheduler/scheduler_factory.py `cooldown_epochs`, 10 of 300 in
 *   its older defaults) are ≈ 3 %. A quarter of the run at the floor is no rounding of either.
 * - `floorRel` = 0.01: "at the floor" = within 1 % of the peak above the lowest LR after the peak.
 * - `maxFloor` = 0.1: the decay must go below a tenth of the peak (a mild decay has no floor to speak of).
 * - smooth: at least `minDecreases` = 5 decreases from the peak to the floor, `gentleShare` = 80 % of
 *   them by less than half (StepLR, MultiStepLR and ReduceLROnPlateau cut by ×0.5 or deeper in every
 *   real log of INDEX.md), and either `smoothShare` = 60 % of all transitions decreasing (a staircase
 *   is mostly flat) or `manyDecreases` = 20 gentle ones [proposals].
 * - `earlyShare` = 0.1: a floor reached within the first tenth of the run reads as per-batch stepping;
 *   then a staircase counts too once it is under `tinyFloor` = 1/1000 of the peak (three ×0.1 cuts
 *   within a tenth of the run: StepLR with an epoch step_size stepped every batch).
 * - `riseRel` = 0.2: rising again = back above a fifth of the peak after the floor.
 */
import { segmentStarts } from '../run/aggregate';
import { advance } from '../run/incremental';
import type { Series } from '../run/series';
import { fmt, fmtEpoch, pct } from '../run/stats';
import type { Finding } from '../types';
import type { Rule, RunContext, Thresholds } from './rule';
import { logFinding } from './util';

/** Evidence of `lr-floor-early`. */
export type LrFloorEarlyEvidence = {
  kind: 'stays' | 'rises' | 'per-batch';
  peakLr: number;
  floorLr: number;
  /** Where the floor was reached: step, epoch and line (null when the log has none). */
  floorStep: number | null;
  floorEpoch: number | null;
  floorLine: number;
  /** Share of the run (by step, else epoch, else logged point) before the floor and after it. */
  floorAtShare: number;
  afterShare: number;
  /** Highest LR after the floor (rises: the climb back). */
  maxAfter: number;
};

interface FloorScan {
  first: number;
  peak: number;
  peakIdx: number;
  /** The lowest LR after the peak, and the anchor: the first point within floorRel·peak of the lows reached since. */
  lo: number;
  anchor: number;
  anchorIdx: number;
  /** Transitions since the peak, and decreases among them; the same counts at the anchor. */
  trans: number;
  dec: number;
  /** Decreases by less than half (a staircase's cuts are ×0.5 or deeper). */
  gentle: number;
  transAtAnchor: number;
  decAtAnchor: number;
  gentleAtAnchor: number;
  prev: number;
  /** Highest LR after the anchor. */
  maxAfter: number;
  /** First point at or under tinyFloor·peak since the peak (−1: none). */
  tinyIdx: number;
  last: number;
}

const usable = (v: number) => Number.isFinite(v) && v >= 0;

function pos(s: Series, i: number): number {
  const st = s.step(i);
  if (Number.isFinite(st)) return st;
  const ep = s.epoch(i);
  return Number.isFinite(ep) ? ep : i;
}

/** The peak, the floor after it and where it was reached, over the last launch, advanced over new points only. */
function floorScan(lr: Series, begin: number, floorRel: number, tinyFloor: number): FloorScan {
  return advance(
    lr,
    `lr-floor:${begin}:${floorRel}:${tinyFloor}`,
    (): FloorScan => ({ first: -1, peak: -Infinity, peakIdx: -1, lo: Infinity, anchor: Infinity, anchorIdx: -1, trans: 0, dec: 0, gentle: 0, transAtAnchor: 0, decAtAnchor: 0, gentleAtAnchor: 0, prev: NaN, maxAfter: -Infinity, tinyIdx: -1, last: -1 }),
    (st, a, b) => {
      for (let i = Math.max(a, begin); i < b; i++) {
        const v = lr.value(i);
        if (!usable(v)) continue;
        if (st.first < 0) st.first = i;
        st.last = i;
        if (v > st.peak) {
          st.peak = v;
          st.peakIdx = i;
          st.lo = Infinity;
          st.anchor = Infinity;
          st.anchorIdx = -1;
          st.trans = 0;
          st.dec = 0;
          st.gentle = 0;
          st.maxAfter = -Infinity;
          st.tinyIdx = -1;
          st.prev = v;
          continue;
        }
        st.trans++;
        if (v < st.prev * 0.999) {
          st.dec++;
          if (v > st.prev * 0.5) st.gentle++;
        }
        st.prev = v;
        if (v < st.lo) st.lo = v;
        if (st.tinyIdx < 0 && v <= tinyFloor * st.peak) st.tinyIdx = i;
        if (v < st.anchor - floorRel * st.peak) {
          st.anchor = v;
          st.anchorIdx = i;
          st.transAtAnchor = st.trans;
          st.decAtAnchor = st.dec;
          st.gentleAtAnchor = st.gentle;
          st.maxAfter = -Infinity;
        } else if (st.anchorIdx >= 0 && i > st.anchorIdx && v > st.maxAfter) st.maxAfter = v;
      }
    },
  );
}

function whereText(s: Series, i: number): string {
  const st = s.step(i);
  const ep = s.epoch(i);
  if (Number.isFinite(st)) return Number.isFinite(ep) ? `step ${st} (epoch ${fmtEpoch(ep)})` : `step ${st}`;
  if (Number.isFinite(ep)) return `epoch ${fmtEpoch(ep)}`;
  return `line ${s.line(i)}`;
}

/** Schedules whose LR climbs back by design (the config says so): not a bug here. */
const CYCLIC_SCHEDULE = /restart|cyclic|cyclical|sgdr|triangular|one[-_ ]?cycle|onecycle/i;

export const lrFloorEarlyRule: Rule = {
  id: 'lr-floor-early',
  scenario: 'lr-schedule',
  defaultSeverity: 'information',
  defaults: { minShare: 0.25, floorRel: 0.01, maxFloor: 0.1, smoothShare: 0.6, gentleShare: 0.8, minDecreases: 5, manyDecreases: 20, earlyShare: 0.1, tinyFloor: 1e-3, riseRel: 0.2, minPoints: 20 },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const lr = ctx.run.series('lr');
    if (!lr || lr.length < t.minPoints) return [];
    const scheduler = ctx.config?.scheduler?.value;
    if (scheduler !== undefined && CYCLIC_SCHEDULE.test(scheduler)) return [];
    const segs = segmentStarts(lr);
    const st = floorScan(lr, segs[segs.length - 1], t.floorRel, t.tinyFloor);
    if (st.anchorIdx < 0 || st.last - st.first + 1 < t.minPoints) return [];
    if (!(st.peak > 0) || !(st.lo <= t.maxFloor * st.peak)) return [];
    // A smooth decay: its decreases are gentle (a staircase cuts by ×0.5 or deeper), enough of them, and
    // they are most transitions, or many (an LR printed to 6 decimals repeats itself between changes:
    // gluoncv_keyvalue_asymmnet's cosine changes on 55 % of its lines).
    const start = pos(lr, st.first);
    const span = pos(lr, st.last) - start;
    if (!(span > 0)) return [];
    const share = (i: number) => (pos(lr, i) - start) / span;
    // A staircase that has divided the LR by 1000 within the first tenth of the run is no design either
    // (StepLR's step_size in epochs counted in batches); otherwise only a smooth decay is judged.
    const tinyEarly = st.tinyIdx >= 0 && share(st.tinyIdx) <= t.earlyShare;
    const gentle = st.gentleAtAnchor;
    const smooth = gentle >= t.minDecreases && gentle >= t.gentleShare * st.decAtAnchor && (st.decAtAnchor >= t.smoothShare * st.transAtAnchor || gentle >= t.manyDecreases);
    if (!smooth && !tinyEarly) return [];
    const i = smooth ? st.anchorIdx : st.tinyIdx;
    const floorAt = share(i);
    const after = 1 - floorAt;
    if (after < t.minShare) return [];
    const rose = st.maxAfter >= st.lo + t.riseRel * (st.peak - st.lo);
    const kind: LrFloorEarlyEvidence['kind'] = floorAt <= t.earlyShare ? 'per-batch' : rose ? 'rises' : 'stays';
    const reached = smooth ? `its floor ${fmt(st.lo)}` : `${fmt(lr.value(i))} (1/${fmt(st.peak / lr.value(i))} of it; ${fmt(st.lo)} at the lowest)`;
    const head = `lr decayed ${smooth ? 'smoothly' : 'in steps'} from ${fmt(st.peak)} to ${reached} by ${whereText(lr, i)}, ${pct(floorAt)} into the run`;
    const msg =
      kind === 'per-batch'
        ? `${head}, then ${rose ? `went on cycling (up to ${fmt(st.maxAfter)})` : 'stayed there'} for the remaining ${pct(after)}: the whole schedule ran in the first tenth of training — an epoch scheduler (CosineAnnealingLR T_max, StepLR step_size, ExponentialLR gamma, all in epochs) stepped every batch? Step it once per epoch, or give it the run's length in steps`
        : kind === 'rises'
          ? `${head}, then climbed back to ${fmt(st.maxAfter)} over the remaining ${pct(after)}: a cosine stepped past its T_max rises again (CosineAnnealingLR is periodic) — set T_max to the run's length, unless warm restarts were meant`
          : `${head}, and stayed there for the remaining ${pct(after)}: the decay (cosine T_max, linear decay steps) is shorter than the run — give it the run's length, or stop earlier: the epochs at the floor LR add little`;
    return [
      logFinding(ctx, 'lr-schedule', 'lr-floor-early', 'information', msg, { line: lr.line(i), fileIndex: lr.fileIndex(i) }, {
        kind,
        peakLr: st.peak,
        floorLr: st.lo,
        floorStep: Number.isFinite(lr.step(i)) ? lr.step(i) : null,
        floorEpoch: Number.isFinite(lr.epoch(i)) ? lr.epoch(i) : null,
        floorLine: lr.line(i),
        floorAtShare: floorAt,
        afterShare: after,
        maxAfter: Number.isFinite(st.maxAfter) ? st.maxAfter : st.lo,
      }),
    ];
  },
};
