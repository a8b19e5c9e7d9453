/**
 * Scenario `divergence`, rule `nonfinite` (R12): NaN/Inf in a loss or the grad norm.
 * Defaults and their sources: ANALYZER_ANCHORS.md §5.6.
 */
import { advance } from '../run/incremental';
import type { Run } from '../run/run';
import type { Series } from '../run/series';
import { fmt } from '../run/stats';
import type { Finding } from '../types';
import type { Rule, RunContext, Thresholds } from './rule';
import { logFinding, lossNames } from './util';
import { numOrNull, where } from './train-loss';

/** Evidence of `nonfinite`: a loss (with the other loss series that went non-finite) or the grad norm. */
export type NonfiniteEvidence = {
  metric: string;
  count: number;
  firstLine: number;
  firstStep: number | null;
  firstEpoch: number | null;
  /** Loss: NaN, Inf or both; with the total points and the accuracy that kept improving, if one did. */
  kind?: 'NaN' | 'Inf' | 'NaN/Inf';
  points?: number;
  alsoNonfinite?: string[];
  stillLearning?: string | null;
  /** Grad norm: the longest run of non-finite values and whether they read as AMP skipped steps. */
  longestRun?: number;
  ampSkip?: boolean;
  lines?: number[];
};


interface NonfiniteState {
  first: number;
  count: number;
  nan: number;
  run: number;
  longest: number;
  lines: number[];
}

/** Non-finite values of a series, counted incrementally. */
function nonfiniteScan(s: Series): NonfiniteState {
  return advance(
    s,
    'nonfinite',
    (): NonfiniteState => ({ first: -1, count: 0, nan: 0, run: 0, longest: 0, lines: [] }),
    (st, a, b) => {
      for (let i = a; i < b; i++) {
        const v = s.value(i);
        if (Number.isFinite(v)) {
          st.run = 0;
          continue;
        }
        if (st.first < 0) st.first = i;
        st.count++;
        if (Number.isNaN(v)) st.nan++;
        st.run++;
        if (st.run > st.longest) st.longest = st.run;
        if (st.lines.length < 20) st.lines.push(s.line(i));
      }
    },
  );
}

/**
 * An accuracy series whose finite values after line `fromLine` rose (last above first, by more than a
 * rounding step): the model kept learning while the loss was non-finite. Undefined when none did.
 */
function stillLearning(run: Run, fromLine: number): { name: string; from: number; to: number } | undefined {
  for (const name of ['val_acc', 'train_acc']) {
    const s = run.series(name);
    if (!s) continue;
    const after: number[] = [];
    for (let i = 0; i < s.length; i++) if (s.line(i) >= fromLine && Number.isFinite(s.value(i))) after.push(s.value(i));
    if (after.length >= 3 && after[after.length - 1] > after[0] * 1.01) return { name, from: after[0], to: after[after.length - 1] };
  }
  return undefined;
}

/** Of several series of one metric, the one whose first non-finite value came first (undefined: none). */
function earliestNonfinite(list: readonly Series[]): Series | undefined {
  let best: Series | undefined;
  let bestLine = Infinity;
  for (const s of list) {
    const { first } = nonfiniteScan(s);
    if (first >= 0 && s.line(first) < bestLine) {
      best = s;
      bestLine = s.line(first);
    }
  }
  return best;
}

/**
 * R12 (§5.6): any NaN/Inf is CRITICAL (SageMaker ExplodingTensor, Lightning check_finite, AUTOTRAINER
 * nan_loss). Exception: isolated NaN grad norms with a finite loss are the footprint of AMP's loss
 * scaler skipping overflowing steps (real log text_convnext_imagenet_450ep_gradnorm_nan: 5 NaN grad
 * norms in 450 epochs, loss never NaN) → information.
 */
export const nonfiniteRule: Rule = {
  id: 'nonfinite',
  scenario: 'divergence',
  defaultSeverity: 'error',
  defaults: {
    /** Longest run of consecutive NaN grad norms still read as skipped AMP steps [proposal]. */
    ampMaxConsecutive: 2,
  },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const out: Finding[] = [];
    const run = ctx.run;
    // One finding per event: every loss series of the run that went non-finite (a per-batch `loss`, the
    // epoch `train_loss`, val_loss, a parser's duplicates) is one divergence, reported where it showed first.
    const secondary = new Set<Series>();
    for (const name of lossNames(run)) for (const v of run.variantsOf(name).slice(1)) secondary.add(v);
    const hit: Series[] = [];
    for (const name of lossNames(run)) {
      const own = run.series(name)!;
      if (secondary.has(own)) continue;
      const s = earliestNonfinite([own, ...run.variantsOf(name).slice(1)]);
      if (s) hit.push(s);
    }
    const lossNonFinite = hit.length > 0;
    if (lossNonFinite) {
      const s = earliestNonfinite(hit)!;
      const name = s.name;
      const { first, count, nan } = nonfiniteScan(s);
      const kind = nan === count ? 'NaN' : nan === 0 ? 'Inf' : 'NaN/Inf';
      const others = hit.filter((x) => x !== s).map((x) => x.name);
      const learning = stillLearning(run, s.line(first));
      const head = `${name} is ${String(s.value(first))} at ${where(s, first)}; ${count} non-finite ${name} value${count > 1 ? 's' : ''} in all${others.length ? ` (also non-finite: ${others.join(', ')})` : ''}`;
      // Accuracy still improving after the loss went NaN: the weights did not diverge, the reported loss
      // did (an overflow in the loss computation or its logging, a log of 0). Real log
      // wandb_reclor_roberta_nan_loss: loss NaN at every report while dev acc rises 0.286 → 0.364.
      const msg = learning
        ? `${head} — yet ${learning.name} kept improving after it (${fmt(learning.from)} → ${fmt(learning.to)}): the model still learns, so the loss value itself overflows (fp16 loss computation, log of 0, a NaN in the loss's inputs) rather than the weights diverging — check how the loss is computed and logged`
        : `${head} — the run diverged (lower the LR, add warmup or gradient clipping, check the data for NaN)`;
      out.push(
        logFinding(ctx, 'divergence', 'nonfinite', learning ? 'warning' : 'error', msg, { line: s.line(first), fileIndex: s.fileIndex(first) }, {
          metric: name,
          count,
          kind,
          firstLine: s.line(first),
          firstStep: numOrNull(s.step(first)),
          firstEpoch: numOrNull(s.epoch(first)),
          points: s.length,
          alsoNonfinite: others,
          stillLearning: learning ? learning.name : null,
        }),
      );
    }
    const g = run.series('grad_norm');
    if (g) {
      const { first, count, longest, lines } = nonfiniteScan(g);
      if (first >= 0) {
        const lastFinite = Number.isFinite(g.value(g.length - 1));
        const amp = !lossNonFinite && lastFinite && longest <= t.ampMaxConsecutive;
        const sev = amp ? 'information' : 'error';
        const msg = amp
          ? `${count} NaN/Inf grad norm${count > 1 ? 's' : ''} (first at ${where(g, first)}) while the loss stays finite — mixed-precision overflow steps skipped by the loss scaler? Harmless if rare.`
          : `grad_norm is ${String(g.value(first))} at ${where(g, first)}; ${count} non-finite grad norms${longest > 1 ? ` (up to ${longest} in a row)` : ''} — gradients overflowed (lower the LR, clip gradients, check AMP loss scaling)`;
        out.push(
          logFinding(ctx, 'divergence', 'nonfinite', sev, msg, { line: g.line(first), fileIndex: g.fileIndex(first) }, {
            metric: 'grad_norm',
            count,
            longestRun: longest,
            ampSkip: amp,
            firstLine: g.line(first),
            firstStep: numOrNull(g.step(first)),
            firstEpoch: numOrNull(g.epoch(first)),
            lines: [...lines],
          }),
        );
      }
    }
    return out;
  },
};
