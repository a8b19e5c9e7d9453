import type { Series } from '../run/series';
import { decimate } from './decimate';
import type { ScalarInfo, SeriesData, XKind } from './types';

/** Most points sent per series by default; beyond it the points are a min/max-per-bucket decimation. */
export const MAX_POINTS = 4000;

export function xKindOf(s: Series): XKind {
  return allFinite(s, (i) => s.epoch(i)) ? 'epoch' : allFinite(s, (i) => s.step(i)) ? 'step' : 'index';
}

export function scalarInfo(s: Series): ScalarInfo {
  return { name: s.name, rawNames: [...s.rawNames], points: s.length, xKind: xKindOf(s) };
}

export function seriesData(s: Series, maxPoints = MAX_POINTS): SeriesData {
  const xKind = xKindOf(s);
  const idx = decimate(s, maxPoints);
  return {
    name: s.name,
    rawNames: [...s.rawNames],
    xKind,
    x: idx.map((i) => (xKind === 'epoch' ? s.epoch(i) : xKind === 'step' ? s.step(i) : i)),
    y: idx.map((i) => {
      const v = s.value(i);
      return Number.isFinite(v) ? v : null;
    }),
  };
}

function allFinite(s: Series, at: (i: number) => number): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!Number.isFinite(at(i))) return false;
  return true;
}
