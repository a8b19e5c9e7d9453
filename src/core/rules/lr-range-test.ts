/**
 * The LR range test the `lr-range` findings suggest, with its bounds taken from the run itself: a sweep
 * from a tenth to ten times the rate the run trained at (L. N. Smith, "Cyclical Learning Rates for
 * Training Neural Networks", WACV 2017, arXiv:1506.01186, section 3.3: raise the LR over a short run
 * and read where the loss starts and stops falling). Without a known rate no numbers are proposed: a
 * universal default would contradict the user's setup as often as not.
 */
import { fmt } from '../run/stats';
import { peakOf } from './lr-peak';
import type { RunContext } from './rule';

export interface RateInRun {
  lr: number;
  /** Where the rate was read: the highest logged LR, or the config's lr key. */
  source: 'log' | 'config';
}

/** Span of the sweep on each side of the run's rate (×1/10 … ×10). */
export const SWEEP_FACTOR = 10;

/** The rate the run trained at: its highest logged LR, else the config's LR when the framework uses it. */
export function rateOfRun(ctx: RunContext): RateInRun | undefined {
  const s = ctx.run.series('lr');
  if (s && s.length) {
    const peak = s.value(peakOf(s));
    if (Number.isFinite(peak) && peak > 0) return { lr: peak, source: 'log' };
  }
  const c = ctx.config;
  const lr = c?.lr?.value;
  if (c && !c.lrIgnored && typeof lr === 'number' && lr > 0) return { lr, source: 'config' };
  return undefined;
}

/** The sentence suggesting the range test, with numbers when the run's rate is known. */
export function rangeTestAdvice(rate: RateInRun | undefined): string {
  if (!rate) return 'run an LR range test (Smith 2017): raise the LR exponentially over a few hundred steps and restart with a peak just below where the loss turns up';
  const where = rate.source === 'log' ? 'the peak logged LR' : 'the configured LR';
  return (
    `run an LR range test (Smith 2017): raise the LR exponentially from ${fmt(rate.lr / SWEEP_FACTOR)} to ${fmt(rate.lr * SWEEP_FACTOR)} ` +
    `(×1/10 … ×10 around ${where}, ${fmt(rate.lr)}) over a few hundred steps and restart with a peak just below where the loss turns up`
  );
}
