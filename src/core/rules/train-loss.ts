/**
 * What the divergence rules (and others that read the training loss) share: which series is the
 * training loss, and how a finding names where a point is.
 */
import { lossSeries } from '../run/aggregate';
import type { Series } from '../run/series';
import { fmtEpoch } from '../run/stats';
import type { RunContext } from './rule';
import { lossNames } from './util';

/** Where point `i` of `s` is, as a finding says it: its step and epoch, else its line. */
export function where(s: Series, i: number): string {
  const st = s.step(i);
  const ep = s.epoch(i);
  if (Number.isFinite(st)) return Number.isFinite(ep) ? `step ${st} (epoch ${fmtEpoch(ep)})` : `step ${st}`;
  if (Number.isFinite(ep)) return `epoch ${fmtEpoch(ep)}`;
  return `line ${s.line(i)}`;
}

export function numOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** The training-loss series the divergence tests read: `train_loss` (or its summed components), else the first non-val loss. */
export function trainLossSeries(ctx: RunContext): Series | undefined {
  const run = ctx.run;
  const direct = lossSeries(run, 'train');
  if (direct) return direct;
  for (const n of lossNames(run)) if (n !== 'val_loss' && !/^(val|eval|test|valid)/i.test(n)) return run.series(n);
  return undefined;
}
