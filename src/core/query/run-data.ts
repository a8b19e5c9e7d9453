import type { Run } from '../run/run';
import type { Series } from '../run/series';
import type { Finding } from '../types';
import { seriesData } from './series-data';
import type { Marker, RunData } from './types';

/** Everything the run view draws of `run`: each series decimated, its findings and their markers. */
export function runData(runKey: string, label: string, run: Run, findings: Finding[]): RunData {
  const all = run.names().map((n) => run.series(n) as Series);
  return { runKey, label, files: [...run.files], series: all.map((s) => seriesData(s)), findings, markers: markers(run, all, findings) };
}

/**
 * Places each finding at the x of the point written on its line (first series that has one), and at
 * each related place that says what it is (the other cuts of a plateau schedule told once); related
 * places without their own message are the same event seen by another writer, already marked.
 */
function markers(run: Run, all: Series[], findings: Finding[]): Marker[] {
  const places = findings.flatMap((f) => [
    { f, file: f.file, line: f.line, label: f.message },
    ...(f.related ?? []).filter((r) => r.message !== undefined).map((r) => ({ f, file: r.file, line: r.line, label: r.message as string })),
  ]);
  const out: Marker[] = [];
  for (const { f, file, line, label } of places) {
    const fi = run.files.indexOf(file);
    if (fi < 0) continue;
    for (const s of all) {
      const i = indexOfLine(s, fi, line);
      if (i < 0) continue;
      const e = s.epoch(i);
      const st = s.step(i);
      out.push({
        x: Number.isFinite(e) ? e : Number.isFinite(st) ? st : i,
        xKind: Number.isFinite(e) ? 'epoch' : Number.isFinite(st) ? 'step' : 'index',
        scenario: f.scenario,
        label,
        file,
        line,
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
