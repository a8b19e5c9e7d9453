import type { Run } from '../core/run/run';
import type { Series } from '../core/run/series';
import type { Finding } from '../core/types';
import type { Marker, RunData, SeriesData } from './protocol';

/** Most points sent per series; beyond it the webview gets a min/max-per-bucket decimation. */
const MAX_POINTS = 4000;

export function runData(runKey: string, label: string, run: Run, findings: Finding[]): RunData {
  const all = run.names().map((n) => run.series(n) as Series);
  return { runKey, label, files: [...run.files], series: all.map(seriesData), findings, markers: markers(run, all, findings) };
}

/** Places each finding at the x of the point written on its line (first series that has one). */
function markers(run: Run, all: Series[], findings: Finding[]): Marker[] {
  const out: Marker[] = [];
  for (const f of findings) {
    const fi = run.files.indexOf(f.file);
    if (fi < 0) continue;
    for (const s of all) {
      const i = indexOfLine(s, fi, f.line);
      if (i < 0) continue;
      const e = s.epoch(i);
      const st = s.step(i);
      out.push({
        x: Number.isFinite(e) ? e : Number.isFinite(st) ? st : i,
        xKind: Number.isFinite(e) ? 'epoch' : Number.isFinite(st) ? 'step' : 'index',
        scenario: f.scenario,
        label: f.message,
        file: f.file,
        line: f.line,
      });
      break;
    }
  }
  return out;
}

function indexOfLine(s: Series, fileIndex: number, line: number): number {
  for (let i = 0; i < s.length; i++) if (s.line(i) === line && s.fileIndex(i) === fileIndex) return i;
  return -1;
}

function seriesData(s: Series): SeriesData {
  const xKind: SeriesData['xKind'] = allFinite(s, (i) => s.epoch(i)) ? 'epoch' : allFinite(s, (i) => s.step(i)) ? 'step' : 'index';
  const idx = decimate(s, MAX_POINTS);
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

/**
 * Indices to keep so that every bucket's min and max survive (a spike is never averaged away),
 * plus the first and last point. Non-finite values are kept: they are what a user must see.
 */
export function decimate(values: { readonly length: number; value(i: number): number }, max: number): number[] {
  const n = values.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.floor(max / 2);
  const out: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * n) / buckets);
    const hi = Math.floor(((b + 1) * n) / buckets);
    let iMin = -1;
    let iMax = -1;
    let odd = -1;
    for (let i = lo; i < hi; i++) {
      const v = values.value(i);
      if (!Number.isFinite(v)) {
        if (odd < 0) odd = i;
        continue;
      }
      if (iMin < 0 || v < values.value(iMin)) iMin = i;
      if (iMax < 0 || v > values.value(iMax)) iMax = i;
    }
    const keep = [iMin, iMax, odd].filter((i) => i >= 0).sort((a, b) => a - b);
    for (const i of keep) if (out[out.length - 1] !== i) out.push(i);
  }
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}
