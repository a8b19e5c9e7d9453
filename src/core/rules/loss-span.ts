/** How a stretch of a loss series is named in a message: by epochs, else steps, else log lines. */
import { fmtEpoch } from '../run/stats';
import type { Series } from '../run/series';

export function lossSpan(s: Series, from: number, to: number): string {
  const e0 = s.epoch(from);
  const e1 = s.epoch(to);
  if (Number.isFinite(e0) && Number.isFinite(e1) && e1 > e0) return `epochs ${fmtEpoch(e0)}–${fmtEpoch(e1)}`;
  const s0 = s.step(from);
  const s1 = s.step(to);
  if (Number.isFinite(s0) && Number.isFinite(s1) && s1 > s0) return `steps ${s0}–${s1}`;
  return `lines ${s.line(from)}–${s.line(to)}`;
}
