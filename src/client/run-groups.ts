/**
 * The Training Runs view's nodes, as pure functions of the server's run list (unit-tested without
 * VS Code): one node per run folder, labelled by the shortest path suffix that tells it from the
 * others, in natural order (version_2 before version_10).
 */
import * as path from 'path';
import type { Finding } from '../core/types';
import type { RunSummary } from '../shared/protocol';

export interface RunGroup {
  /** The folder the run's files are in: the node's identity. */
  folder: string;
  /** Unique among the groups shown. */
  label: string;
  /** The logs of the run read as separate runs (output.log beside summary.csv), most points first. */
  runs: RunSummary[];
}

/**
 * A run key is a log file or a run folder (TensorBoard, MLflow); the run is the folder. Files a
 * training job writes side by side (a console log and a CSV summary of it) are one run to the user.
 */
export function runFolder(runKey: string): string {
  return path.extname(runKey) !== '' || /tfevents/.test(path.basename(runKey)) ? path.dirname(runKey) : runKey;
}

export function groupRuns(runs: readonly RunSummary[]): RunGroup[] {
  const byFolder = new Map<string, RunSummary[]>();
  for (const r of runs) {
    const folder = runFolder(r.runKey);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), r]);
  }
  const folders = [...byFolder.keys()];
  const labels = uniqueSuffixes(folders);
  return folders
    .map((folder) => ({ folder, label: labels.get(folder) ?? folder, runs: [...(byFolder.get(folder) ?? [])].sort((a, b) => b.points - a.points) }))
    .sort((a, b) => naturalCompare(a.folder, b.folder));
}

/** Each path's last segments, as few as make it unique among `paths` (at least two when there are). */
export function uniqueSuffixes(paths: readonly string[]): Map<string, string> {
  const parts = new Map(paths.map((p) => [p, p.split(/[\\/]/).filter(Boolean)]));
  const out = new Map<string, string>();
  for (const [p, segs] of parts) {
    let n = Math.min(2, segs.length);
    const clash = (k: number): boolean => [...parts].some(([q, other]) => q !== p && other.slice(-k).join('/') === segs.slice(-k).join('/'));
    while (n < segs.length && clash(n)) n++;
    out.set(p, segs.slice(-n).join('/'));
  }
  return out;
}

/** Strings compared with their digit runs as numbers: version_2 < version_10, seed-9 < seed-10. */
export function naturalCompare(a: string, b: string): number {
  return COLLATOR.compare(a, b);
}

const COLLATOR = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The findings of a group, each once (a finding of a shared config may be listed by both runs). */
export function findingsOf(group: RunGroup): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of group.runs.flatMap((r) => r.findings)) {
    const k = `${f.file}:${f.line}:${f.rule}:${f.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  return out.sort((x, y) => naturalCompare(x.file, y.file) || x.line - y.line);
}

/** TensorBoard event files: VS Code can only show a binary-file placeholder for them. */
export function isBinaryLog(file: string): boolean {
  return /(^|[\\/])events\.out\.tfevents\./.test(file);
}
