/**
 * Scenario `divergence`, rule `loss-explosion` (R14): a loss above an absolute bound, a smoothed rise
 * above its start, a relapse or a loss running to −∞ (loss-runaway.ts).
 * Defaults and their sources: ANALYZER_ANCHORS.md §5.6.
 */
import { segmentStarts } from '../run/aggregate';
import { advance } from '../run/incremental';
import type { Series } from '../run/series';
import { fmt, median } from '../run/stats';
import type { Finding } from '../types';
import type { Rule, RunContext, Thresholds } from './rule';
import { isRelapse, isUnbounded, relapseScan, unboundedScan } from './loss-runaway';
import { logFinding } from './util';
import { numOrNull, trainLossSeries, where } from './train-loss';

/** Evidence of `loss-explosion`: an absolute value ≥ threshold, or a smoothed rise above the start. */
export type LossExplosionEvidence = {
  metric: string;
  /** `relapse`: learned, then gave back half of it for good; `unbounded`: running to −∞ (loss-runaway.ts). */
  kind: 'absolute' | 'rising' | 'relapse' | 'unbounded';
  /** relapse: the best smoothed loss and its line. */
  best?: number;
  bestLine?: number;
  /** unbounded: the lowest value so far. */
  lowest?: number;
  step: number | null;
  epoch: number | null;
  value?: number;
  threshold?: number;
  lowestBefore?: number;
  initial?: number;
  now?: number;
  ratio?: number;
  riseRatio?: number;
  sinceLine?: number;
};

/**
 * R14 (§5.6): loss ≥ 1e3 (AUTOTRAINER's fixed threshold) or the smoothed loss after 10 % of training
 * above its initial value.
 * - A loss that *starts* above 1e3 and falls is an opening transient, not an explosion (real log
 *   text_paddle_hdrunet_initloss: l_pix 2.9e5 at iter 100 → < 0.2 by iter 3000), so a value ≥ 1e3 counts
 *   only when it exceeds the first value or is ≥ 10× the lowest loss seen before it [proposal].
 * - Smoothing is median-of-5 (§5 conventions). The rise must reach `riseRatio` = 1.5× the initial value:
 *   the R14 ±50 % band [proposal], because fine-tunes with warmup bump a little above their first loss
 *   (yolov5_driving_healthy box loss +10 % during warmup) without diverging.
 */
interface AbsoluteScan {
  first: number;
  lo: number;
  hit: number;
  loAtHit: number;
  finite: number;
}

/** R14 (a) on one series' last launch, scanned incrementally: the first value ≥ absMax that is an explosion. */
function absoluteScan(s: Series, t: Thresholds): AbsoluteScan {
  const segs = segmentStarts(s);
  const begin = segs[segs.length - 1]; // the last launch of an appended log
  return advance(
    s,
    `explosion:${begin}:${t.absMax}:${t.fromMinFactor}`,
    (): AbsoluteScan => ({ first: NaN, lo: Infinity, hit: -1, loAtHit: NaN, finite: 0 }),
    (st, a, b) => {
      for (let i = Math.max(a, begin); i < b; i++) {
        const v = s.value(i);
        if (!Number.isFinite(v)) continue;
        st.finite++;
        if (Number.isNaN(st.first)) st.first = v;
        else if (st.hit < 0 && v >= t.absMax && (v > st.first || v >= t.fromMinFactor * st.lo)) {
          st.hit = i;
          st.loAtHit = st.lo;
        }
        if (v < st.lo) st.lo = v;
      }
    },
  );
}

/** An error finding of `loss-explosion` at point `i` of `s`, with where it happened in the evidence. */
function explosionAt(ctx: RunContext, s: Series, i: number, message: string, evidence: Omit<LossExplosionEvidence, 'metric' | 'step' | 'epoch'>): Finding {
  const { kind, ...rest } = evidence;
  return logFinding(ctx, 'divergence', 'loss-explosion', 'error', message, { line: s.line(i), fileIndex: s.fileIndex(i) }, {
    metric: s.name,
    ...rest,
    step: numOrNull(s.step(i)),
    epoch: numOrNull(s.epoch(i)),
    kind,
  });
}

/** The two shapes of divergence the start-relative test cannot see (loss-runaway.ts): a relapse and a loss running to −∞. */
function runaway(ctx: RunContext, s: Series, begin: number, t: Thresholds): Finding[] {
  const u = unboundedScan(s, begin, t);
  if (isUnbounded(u)) {
    const i = u.hit;
    const msg = `${s.name} is running to −∞: ${fmt(u.initial)} at the start, ${fmt(s.value(i))} at ${where(s, i)}, ${fmt(u.last)} now — a loss with no lower bound (a likelihood whose variance or density can grow without limit, a sign error, a log of a value that can exceed 1); no LR fixes this: bound the loss (clamp the variance, check the sign and the loss's inputs)`;
    const threshold = -Math.max(t.absMax, t.unboundedFactor * Math.abs(u.initial));
    return [explosionAt(ctx, s, i, msg, { kind: 'unbounded', initial: u.initial, value: s.value(i), lowest: u.lowest, now: u.last, threshold })];
  }
  const r = relapseScan(s, begin, t);
  if (!isRelapse(r, t)) return [];
  const i = r.aboveIdx;
  const b = r.bestIdx;
  const msg = `${s.name} came down from ${fmt(r.initial)} to ${fmt(r.best)} (at ${where(s, b)}), then climbed back above half-way from ${where(s, i)} and stayed there: ${fmt(r.now)} now (×${fmt(r.now / r.best)} its best, median of ${Math.round(t.smooth)}) — the run diverged after learning: lower the LR (or its peak after warmup), add gradient clipping, and keep the checkpoint from before the climb`;
  return [explosionAt(ctx, s, i, msg, { kind: 'relapse', initial: r.initial, best: r.best, bestLine: s.line(b), now: r.now, ratio: r.now / r.best, sinceLine: s.line(i) })];
}

export const lossExplosionRule: Rule = {
  id: 'loss-explosion',
  scenario: 'divergence',
  defaultSeverity: 'error',
  defaults: {
    absMax: 1e3,
    /** Rise from the lowest earlier loss that makes a ≥ absMax value an explosion [proposal]. */
    fromMinFactor: 10,
    riseRatio: 1.5,
    /** Share of training before the smoothed comparison applies (R14: 10 %). */
    startShare: 0.1,
    smooth: 5,
    minPoints: 10,
    /** loss-runaway.ts: share of the gain given back, ratio to the best, growth of a negative loss. */
    giveBack: 0.5,
    relapseRatio: 2,
    unboundedFactor: 10,
  },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const s = trainLossSeries(ctx);
    if (!s) return [];
    const out: Finding[] = [];
    // (a) absolute: on the train loss and on its other series in the same log (a per-batch `loss` beside
    // the per-epoch `train_loss`: an explosion shows in the batch values before the epoch mean turns NaN,
    // examples/runs/diverged/output.log line 10).
    const sides = s.name === 'train_loss' ? [s, ...ctx.run.variantsOf('train_loss').filter((v) => v !== s)] : [s];
    const hits = sides.map((x) => ({ x, abs: absoluteScan(x, t) })).filter((h) => h.abs.hit >= 0);
    if (hits.length) {
      const { x, abs } = hits.reduce((a, b) => (b.x.line(b.abs.hit) < a.x.line(a.abs.hit) ? b : a));
      const i = abs.hit;
      const v = x.value(i);
      const lo = abs.loAtHit;
      const msg = `${x.name} reached ${fmt(v)} at ${where(x, i)} (≥ ${fmt(t.absMax)}; lowest before ${fmt(lo)}) — the run is diverging: lower the LR, add warmup or gradient clipping`;
      out.push(explosionAt(ctx, x, i, msg, { value: v, threshold: t.absMax, lowestBefore: lo, initial: abs.first, kind: 'absolute' }));
      return out;
    }
    const segs = segmentStarts(s);
    const begin = segs[segs.length - 1]; // the last launch of an appended log
    const abs = absoluteScan(s, t);
    // (b) smoothed loss now vs at the start: medians of the first and the last k finite values
    const n = abs.finite;
    if (n < t.minPoints) return out;
    const k = Math.max(1, Math.round(t.smooth));
    const head: number[] = [];
    for (let i = begin; i < s.length && head.length < k; i++) if (Number.isFinite(s.value(i))) head.push(s.value(i));
    const tailIdx: number[] = [];
    for (let i = s.length - 1; i >= begin && tailIdx.length < k; i--) if (Number.isFinite(s.value(i))) tailIdx.unshift(i);
    const initial = median(head);
    const now = median(tailIdx.map((i) => s.value(i)));
    if (!(initial > 0) || !(now > t.riseRatio * initial)) return runaway(ctx, s, begin, t);
    // Walk back over the final stretch where the smoothed loss stays above the threshold, not into the
    // first startShare of the points.
    const limit = t.riseRatio * initial;
    const win = tailIdx.slice();
    let startIdx = tailIdx[tailIdx.length - 1];
    let remaining = n - Math.ceil(t.startShare * n) - k;
    for (let i = tailIdx[0] - 1; ; i--) {
      if (median(win.map((j) => s.value(j))) > limit) startIdx = win[win.length - 1];
      else break;
      while (i >= begin && !Number.isFinite(s.value(i))) i--;
      if (i < begin || remaining-- <= 0) break;
      win.pop();
      win.unshift(i);
    }
    const i = startIdx;
    const msg = `${s.name} is rising instead of falling: ${fmt(initial)} at the start → ${fmt(now)} now (×${fmt(now / initial)}, median of ${k}), above ${fmt(t.riseRatio)}× its start since ${where(s, i)} — the LR is likely too high (or warmup too short)`;
    out.push(explosionAt(ctx, s, i, msg, { initial, now, ratio: now / initial, riseRatio: t.riseRatio, sinceLine: s.line(i), kind: 'rising' }));
    return out;
  },
};
