/**
 * Scenario `update-ratio` (course scenario 6: r = ‖Δw‖/‖w‖ ≈ 1e-2 means the LR is too high).
 * ANALYZER_ANCHORS §5.3 (R06, R07) and §4.3 (CS231n: "somewhere around 1e-3").
 *
 * Rule `update-ratio` on the logged `update_ratio`, or `update_norm / (weight_norm + 1e-9)` (the
 * SageMaker reading with ε = 1e-9, §1) when only the norms are logged:
 * - windows of `window` = 20 logged points (R06 "a window of ≥ 20 logged steps"); a shorter series with
 *   ≥ `minPoints` = 5 points is one window;
 * - high (R06): a window median ≥ `hiWarn` = 1e-2 (10× CS231n; the course calls 1e-2 "too high", hence
 *   ≥) → warning; ≥ `hiCrit` = 1e-1 (DeepDiagnosis upper bound) in ≥ `critWindows` = 3 windows (or in
 *   every window when there are fewer), or any r > `hiMax` = 10 (SageMaker large_threshold) → error;
 * - low (R07): a window median ≤ `loWarn` = 1e-4 while train loss is flat over the window (falls by less
 *   than `flatRel` = 1 %, AUTOTRAINER's 0.01) → warning; ≤ `loCrit` = 1e-5 (DeepDiagnosis lower bound)
 *   → error;
 * - the decayed part of the schedule is ignored (§4.3 caveat): points where the logged LR is below
 *   `decayedShare` = 10 % of its peak (warmup start and decayed tail), or, without an LR series, the last
 *   10 % of the points.
 * The healthy level depends on the optimizer (updateRatioTarget):
 * - AdamW-family with decoupled weight decay λ > 0 and LR η (config): the weights settle at the
 *   equilibrium rotation ≈ √(2ηλ) per step (Kosson et al., "Rotational Equilibrium: How Weight Decay
 *   Balances Learning Across Neural Networks", ICML 2024): 1.1e-2 at η = 6e-4, λ = 0.1 is healthy. The
 *   high thresholds scale by √(2ηλ) / `target` (when above 1), and no LR factor is proposed (away from
 *   the equilibrium the ratio does not follow the LR proportionally).
 * - a known optimizer otherwise (SGD, Adam without decoupled decay): `target` = 1e-3 (CS231n), the
 *   thresholds above, and the suggestion that brings the median to it: suggestedLrFactor = 1e-3 / median.
 * - unknown (no config, or an optimizer the config does not name): the warning level is only
 *   information and no factor is proposed (an AdamW run with weight decay is healthy at ~1e-2); the
 *   error levels stay (≥ 1e-1 is above any AdamW equilibrium of common LRs and decays).
 */
import { alignKey, keyOf, upperBound } from '../run/aggregate';
import type { Series } from '../run/series';
import { fmt, median } from '../run/stats';
import type { TrainingConfig } from '../config/training-config';
import type { Finding } from '../types';
import type { Rule, RunContext, Thresholds } from './rule';
import { logFinding, optimizerFamily } from './util';

/** The healthy update ratio for the run's optimizer, and what it rests on. */
export type UpdateRatioTarget =
  | { basis: 'equilibrium'; target: number; lr: number; weightDecay: number }
  | { basis: 'rule'; target: number }
  | { basis: 'unknown'; target: number };

/** AdamW-style names: decoupled weight decay (torch AdamW, HF `adamw_torch`, `paged_adamw_8bit`, `adamw_bnb_8bit`). */
function decoupledDecay(c: TrainingConfig): boolean {
  const name = c.optimizer?.value;
  if (name === undefined) return /adamw/i.test(c.builtIn?.optimizer ?? ''); // TrainingArguments' default optim is adamw_torch
  return /adamw/i.test(name);
}

export function updateRatioTarget(c: TrainingConfig | undefined, t: Thresholds): UpdateRatioTarget {
  if (!c) return { basis: 'unknown', target: t.target };
  const lr = c.lr?.value;
  const wd = c.weightDecay?.value;
  if (decoupledDecay(c)) {
    if (typeof lr === 'number' && lr > 0 && typeof wd === 'number' && wd > 0 && !c.lrIgnored) return { basis: 'equilibrium', target: Math.sqrt(2 * lr * wd), lr, weightDecay: wd };
    // AdamW with no decay written: the framework's default decides (torch 1e-2, HF 0.0).
    if (wd === undefined) return { basis: 'unknown', target: t.target };
    return { basis: 'rule', target: t.target };
  }
  const known = c.optimizer ? optimizerFamily(c.optimizer.value) !== 'unknown' : false;
  return { basis: known ? 'rule' : 'unknown', target: t.target };
}

function targetText(g: UpdateRatioTarget): string {
  if (g.basis === 'equilibrium') return `healthy ≈ ${fmt(g.target)}, the AdamW equilibrium √(2·lr·wd) at lr ${fmt(g.lr)}, weight decay ${fmt(g.weightDecay)}`;
  if (g.basis === 'unknown') return `healthy ≈ ${fmt(g.target)} for SGD; with AdamW and weight decay λ it settles near √(2·lr·λ), and the config does not say which optimizer runs`;
  return `healthy ≈ ${fmt(g.target)}`;
}

export type UpdateRatioEvidence = {
  metric: string;
  kind: 'high' | 'low';
  median: number;
  threshold: number;
  windows: number;
  windowStartLine: number;
  windowEndLine: number;
  step: number | null;
  epoch: number | null;
  /** The healthy level the finding was judged against, and its basis. */
  target: number;
  targetBasis: UpdateRatioTarget['basis'];
  /** LR factor bringing the median to the target (only when the target is the SGD rule's). */
  suggestedLrFactor: number | null;
  suggestedLr: number | null;
  lrKey: string | null;
};

interface RatioPoints {
  values: number[];
  steps: number[];
  epochs: number[];
  lines: number[];
  files: number[];
  /** Index in the source series (update_ratio or update_norm), for alignment with lr/loss. */
  src: number[];
  source: Series;
  derived: boolean;
}

function ratioPoints(ctx: RunContext): RatioPoints | undefined {
  const run = ctx.run;
  const r = run.series('update_ratio');
  const mk = (source: Series, derived: boolean): RatioPoints => ({ values: [], steps: [], epochs: [], lines: [], files: [], src: [], source, derived });
  if (r) {
    const out = mk(r, false);
    for (let i = 0; i < r.length; i++) push(out, r, i, r.value(i));
    return out;
  }
  const u = run.series('update_norm');
  const w = run.series('weight_norm');
  if (!u || !w) return undefined;
  const k = alignKey(u, w);
  const out = mk(u, true);
  for (let i = 0; i < u.length; i++) {
    const j = upperBound(w, k, keyOf(u, i, k)) - 1; // last weight_norm at or before this point
    if (j < 0) continue;
    push(out, u, i, u.value(i) / (w.value(j) + 1e-9));
  }
  return out;
}

function push(out: RatioPoints, s: Series, i: number, v: number): void {
  if (!Number.isFinite(v)) return;
  out.values.push(v);
  out.steps.push(s.step(i));
  out.epochs.push(s.epoch(i));
  out.lines.push(s.line(i));
  out.files.push(s.fileIndex(i));
  out.src.push(i);
}

/** Which ratio points are in the undecayed part of the schedule. */
function activeMask(ctx: RunContext, p: RatioPoints, t: Thresholds): boolean[] {
  const n = p.values.length;
  const lr = ctx.run.series('lr');
  if (lr && lr.length > 1) {
    let peak = 0;
    for (let i = 0; i < lr.length; i++) if (lr.value(i) > peak) peak = lr.value(i);
    const k = alignKey(p.source, lr);
    return p.src.map((si) => {
      const j = upperBound(lr, k, keyOf(p.source, si, k)) - 1;
      const v = lr.value(Math.max(0, j));
      return !(v < t.decayedShare * peak);
    });
  }
  const cut = Math.floor(n * (1 - t.decayedShare));
  return p.values.map((_, i) => i < cut || n < t.minPoints * 2);
}

function trainFlat(ctx: RunContext, p: RatioPoints, a: number, b: number, t: Thresholds): boolean | undefined {
  const s = ctx.run.series('train_loss');
  if (!s) return undefined;
  const k = alignKey(p.source, s);
  const lo = keyOf(p.source, p.src[a], k);
  const hi = keyOf(p.source, p.src[b], k);
  const i0 = upperBound(s, k, lo - 1e-9) ;
  const i1 = upperBound(s, k, hi);
  const vals: number[] = [];
  for (let i = i0; i < i1; i++) if (Number.isFinite(s.value(i))) vals.push(s.value(i));
  if (vals.length < 2) return undefined;
  const h = Math.max(1, Math.floor(vals.length / 2));
  const first = median(vals.slice(0, h));
  const second = median(vals.slice(vals.length - h));
  return !(second < first * (1 - t.flatRel));
}

export const updateRatioRule: Rule = {
  id: 'update-ratio',
  scenario: 'update-ratio',
  defaultSeverity: 'warning',
  defaults: { window: 20, minPoints: 5, hiWarn: 1e-2, hiCrit: 1e-1, hiMax: 10, critWindows: 3, loWarn: 1e-4, loCrit: 1e-5, flatRel: 0.01, decayedShare: 0.1, target: 1e-3 },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const p = ratioPoints(ctx);
    if (!p) return [];
    const mask = activeMask(ctx, p, t);
    const idx: number[] = [];
    for (let i = 0; i < p.values.length; i++) if (mask[i]) idx.push(i);
    if (idx.length < t.minPoints) return [];
    const w = Math.max(1, Math.round(t.window));
    const windows: { a: number; b: number; med: number }[] = [];
    if (idx.length < w) windows.push({ a: idx[0], b: idx[idx.length - 1], med: median(idx.map((i) => p.values[i])) });
    else
      for (let s = 0; s + w <= idx.length; s += w) {
        const part = idx.slice(s, s + w);
        windows.push({ a: part[0], b: part[part.length - 1], med: median(part.map((i) => p.values[i])) });
      }
    const name = p.derived ? 'update_norm/weight_norm' : 'update_ratio';
    const goal = updateRatioTarget(ctx.config, t);
    const scale = Math.max(1, goal.target / t.target);
    const hiWarn = t.hiWarn * scale;
    const hiCrit = t.hiCrit * scale;
    const sure = goal.basis === 'rule';
    const lrNow = ctx.config?.lr?.value;
    const ev = (win: { a: number; b: number; med: number }, threshold: number, kind: 'high' | 'low'): UpdateRatioEvidence => ({
      metric: name,
      kind,
      median: win.med,
      threshold,
      windows: windows.length,
      windowStartLine: p.lines[win.a],
      windowEndLine: p.lines[win.b],
      step: Number.isFinite(p.steps[win.a]) ? p.steps[win.a] : null,
      epoch: Number.isFinite(p.epochs[win.a]) ? p.epochs[win.a] : null,
      target: goal.target,
      targetBasis: goal.basis,
      suggestedLrFactor: sure ? goal.target / win.med : null,
      suggestedLr: sure && typeof lrNow === 'number' ? (lrNow * goal.target) / win.med : null,
      lrKey: ctx.config?.lr?.key ?? null,
    });
    const where = (i: number) => (Number.isFinite(p.steps[i]) ? `step ${p.steps[i]}` : Number.isFinite(p.epochs[i]) ? `epoch ${p.epochs[i]}` : `line ${p.lines[i]}`);
    const healthy = targetText(goal);
    // High
    let maxI = -1;
    for (const i of idx) if (p.values[i] > t.hiMax && (maxI < 0 || p.values[i] > p.values[maxI])) maxI = i;
    const crit = windows.filter((x) => x.med >= hiCrit);
    const high = windows.filter((x) => x.med >= hiWarn);
    if (maxI >= 0 || crit.length >= Math.min(t.critWindows, windows.length)) {
      const win = crit[0] ?? { a: maxI, b: maxI, med: p.values[maxI] };
      const msg =
        maxI >= 0 && !crit.length
          ? `${name} reached ${fmt(p.values[maxI])} at ${where(maxI)} (> ${fmt(t.hiMax)}): updates larger than the weights — the LR is far too high`
          : `${name} median ${fmt(win.med)} from ${where(win.a)} (${crit.length} of ${windows.length} windows ≥ ${fmt(hiCrit)}; ${healthy}): the LR is far too high — ${sure ? `lower it ~${fmt(win.med / goal.target)}×` : 'lower it'}, add warmup or clipping`;
      return [logFinding(ctx, 'update-ratio', 'update-ratio', 'error', msg, { line: p.lines[win.a], fileIndex: p.files[win.a] }, ev(win, hiCrit, 'high'))];
    }
    if (high.length) {
      const win = high[0];
      const msg =
        `${name} median ${fmt(win.med)} over ${where(win.a)}–${where(win.b)} (≥ ${fmt(hiWarn)} in ${high.length} of ${windows.length} windows; ${healthy}): ` +
        (sure
          ? `the LR is too high — updates move the weights by ${fmt(win.med * 100)}% per step; lower it ~${fmt(win.med / goal.target)}×`
          : goal.basis === 'equilibrium'
            ? `updates move the weights by ${fmt(win.med * 100)}% per step, ${fmt(win.med / goal.target)}× the equilibrium — the LR is too high for this weight decay`
            : `updates move the weights by ${fmt(win.med * 100)}% per step — too high for SGD; name the optimizer (and weight decay) in the config to judge it`);
      const sev = goal.basis === 'unknown' ? 'information' : 'warning';
      return [logFinding(ctx, 'update-ratio', 'update-ratio', sev, msg, { line: p.lines[win.a], fileIndex: p.files[win.a] }, ev(win, hiWarn, 'high'))];
    }
    // Low, with flat loss
    for (const win of windows) {
      if (win.med > t.loWarn) continue;
      const flat = trainFlat(ctx, p, win.a, win.b, t);
      if (flat !== true) continue;
      const sev = win.med <= t.loCrit ? 'error' : 'warning';
      const msg = `${name} median ${fmt(win.med)} over ${where(win.a)}–${where(win.b)} (≤ ${fmt(sev === 'error' ? t.loCrit : t.loWarn)}; ${healthy}) while train_loss is flat: the LR is too low (or parameters are frozen / gradients vanish) — ${sure ? `raise it ~${fmt(goal.target / win.med)}×` : 'raise it'}`;
      return [logFinding(ctx, 'update-ratio', 'update-ratio', sev, msg, { line: p.lines[win.a], fileIndex: p.files[win.a] }, ev(win, sev === 'error' ? t.loCrit : t.loWarn, 'low'))];
    }
    return [];
  },
};

export const UPDATE_RATIO_RULES: Rule[] = [updateRatioRule];
