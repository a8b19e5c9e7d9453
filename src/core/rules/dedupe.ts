/**
 * One finding per setting and per event (issue 10): the same LR drop seen in metrics.csv, TensorBoard
 * and output.log of one run, or the same config setting in the N seed configs of one group, is one
 * finding whose `related` lists the other places. A pure pass over the findings; the caller says which
 * files belong together (`groupOf`: the run's config for logs, the seed group for configs).
 *
 * Logs reading one config are not always one run: a sweep config above N run folders is read by N logs
 * of the same format. So a group's logs must each be written by a different writer (`writer`: the
 * log's format); two logs of one format in a group are taken as two runs and nothing of them is merged.
 */
import type { Finding } from '../types';

const SEVERITY_RANK: Record<Finding['severity'], number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Rounded to 4 significant digits: the same LR printed by two loggers (0.01 vs 0.010000000000000002). */
function num(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/**
 * What makes two findings of one rule in one group the same event or setting. Undefined: never merged
 * (a rule whose findings are not known to repeat across files).
 */
function identity(f: Finding): string | undefined {
  const ev = f.evidence;
  switch (f.rule) {
    case 'lr-step-drop':
      // A plateau schedule told once (lr-plateau-schedule.ts) is shown at the cut whose loss jumped, which
      // two writers may judge apart: the schedule is the same when it made as many cuts.
      if (Array.isArray(ev.cutLines)) return `plateau-schedule#${num(ev.dropCount)}`;
      return `${num(ev.fromLr)}>${num(ev.toLr)}#${num(ev.dropIndex)}/${num(ev.dropCount)}`;
    case 'overfitting-plateau':
    case 'nonfinite':
    case 'loss-explosion':
    case 'loss-spike':
    case 'val-oscillation':
    case 'update-ratio':
    case 'large-batch-early-instability':
    case 'finetune-forgetting':
    case 'lr-floor-early':
    case 'metric-decline':
      return `metric:${String(ev.metric ?? '')}`;
    default:
      // Config findings: the same key with the same message (the same value) across a seed group.
      return f.range !== undefined && typeof ev.key === 'string' ? `key:${ev.key}\n${f.message}` : undefined;
  }
}

/** Whether `a` is the better place to show a group of duplicates than `b`. */
function before(a: Finding, b: Finding): boolean {
  const s = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  if (s !== 0) return s < 0;
  return a.file.localeCompare(b.file) < 0 || (a.file === b.file && a.line < b.line);
}

/**
 * Merges duplicates: findings with the same rule, the same `groupOf` of their file and the same
 * identity, from different files, become the most severe of them (then the first by file and line)
 * with the others' file and line in `related`. Findings of one file are never merged with each other.
 * Order of the survivors is the input order.
 */
export interface DuplicateGroup {
  key: string;
  /** Files of one group with the same writer are different runs (logs: the format); absent for configs. */
  writer?: string;
}

export function mergeDuplicates(findings: readonly Finding[], groupOf: (file: string) => DuplicateGroup | undefined): Finding[] {
  const buckets = new Map<string, Finding[]>();
  const groups = new Map<string, DuplicateGroup | undefined>();
  const groupOfFile = (file: string): DuplicateGroup | undefined => {
    if (!groups.has(file)) groups.set(file, groupOf(file));
    return groups.get(file);
  };
  // Groups in which two files share a writer: several runs, never merged.
  const writers = new Map<string, Map<string, string>>();
  const ambiguous = new Set<string>();
  for (const f of findings) {
    const g = groupOfFile(f.file);
    if (!g || g.writer === undefined) continue;
    const seen = writers.get(g.key) ?? new Map<string, string>();
    writers.set(g.key, seen);
    const other = seen.get(g.writer);
    if (other !== undefined && other !== f.file) ambiguous.add(g.key);
    seen.set(g.writer, f.file);
  }
  for (const f of findings) {
    const id = identity(f);
    const group = id === undefined ? undefined : groupOfFile(f.file);
    if (id === undefined || group === undefined || ambiguous.has(group.key)) continue;
    const key = `${f.rule}\n${group.key}\n${id}`;
    const list = buckets.get(key);
    if (list) list.push(f);
    else buckets.set(key, [f]);
  }
  const replaced = new Map<Finding, Finding | null>();
  for (const list of buckets.values()) {
    if (new Set(list.map((f) => f.file)).size < 2) continue;
    // Within a bucket, each file keeps its own findings apart: the k-th finding of every file is one event.
    const byFile = new Map<string, Finding[]>();
    for (const f of list) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const depth = Math.max(...[...byFile.values()].map((l) => l.length));
    for (let k = 0; k < depth; k++) {
      const same = [...byFile.values()].map((l) => l[k]).filter((f): f is Finding => f !== undefined);
      if (same.length < 2) continue;
      const primary = same.reduce((a, b) => (before(b, a) ? b : a));
      const related = same.filter((f) => f !== primary).map((f) => ({ file: f.file, line: f.line }));
      related.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
      replaced.set(primary, { ...primary, related: [...(primary.related ?? []), ...related] });
      for (const f of same) if (f !== primary) replaced.set(f, null);
    }
  }
  const out: Finding[] = [];
  for (const f of findings) {
    const r = replaced.get(f);
    if (r === null) continue;
    out.push(r ?? f);
  }
  return out;
}
