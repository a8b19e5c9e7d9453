import * as path from 'path';
import { readMlflowParamsDir } from './config/mlflow-params';
import { readConfigFile } from './config/read-config-file';
import { configFoldersOf, isLogToo, kindOf, mlflowParamsFolderOf, runKeyOf } from './files/layout';
import { seedFolderGroupKey } from './files/seed-folders';
import { walkFiles, type WalkResult } from './files/walk';
import { AnalysisWorkspace, type AnalyzerOptions, type FileReport, type RuleError } from './workspace';
import type { Finding } from './types';

/** The findings contract of DESIGN.md (`traindx check --format json`). */
export interface AnalysisResult {
  version: 1;
  files: FileReport[];
  findings: Finding[];
  /** Paths that could not be read, and rules that failed; never fatal. */
  problems: string[];
  ruleErrors: RuleError[];
  /** True when the walk stopped at the file limit. */
  truncated: boolean;
}

export interface AnalyzeOptions extends AnalyzerOptions {
  /** Most files to read under the given folders. */
  fileLimit?: number;
}

/** The one entry point: files and folders in, findings out. */
export async function analyzePaths(paths: readonly string[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const walk = await walkAnalyzable(paths, options);
  const part = await analyzePart({ logs: walk.files.filter((f) => !AnalysisWorkspace.isConfig(f)), configs: walk.files.filter((f) => AnalysisWorkspace.isConfig(f)) }, options);
  return mergeParts(walk, [part]);
}

/** The files analyzePaths reads under `paths`: logs and configs (files named explicitly always). */
export function walkAnalyzable(paths: readonly string[], options: AnalyzeOptions = {}): Promise<WalkResult> {
  return walkFiles(paths, (f) => kindOf(f) !== undefined, options.fileLimit);
}

// ---------------------------------------------------------------------------------------------------
// Parts: the analysis split into independent sets of runs (for worker threads, see src/cli/parallel.ts)

/** Files analysed together: every log of a run, every config any of them may read, every sibling run. */
export interface AnalysisPart {
  /** Logs (anything that is not a config), in walk order. */
  logs: string[];
  /** Configs, in walk order. */
  configs: string[];
}

/** What one part yields; plain data (it crosses from a worker thread by structured clone). */
export interface PartResult {
  findings: Finding[];
  files: FileReport[];
  /** Configs that could not be read: [file, message]. */
  problems: [string, string][];
  ruleErrors: RuleError[];
}

/** Reads the configs of a part, then its logs, as analyzePaths does for everything. */
export async function analyzePart(part: AnalysisPart, options: AnalyzerOptions = {}): Promise<PartResult> {
  // One pass over files as they are now: a last line without its newline is read too.
  const ws = new AnalysisWorkspace({ ...options, finishedFiles: true });
  const problems: [string, string][] = [];
  for (const file of part.configs) {
    try {
      // Undefined: not a config (a dataset JSON, a FIFO, a device), which is no problem to report.
      const text = await readConfigFile(file);
      if (text !== undefined) ws.setConfigText(file, text);
    } catch (err) {
      problems.push([file, `${file}: ${(err as Error).message}`]);
    }
  }
  const paramDirs = new Set<string>();
  // A notebook is a config (its code cells) and a log (its saved outputs): read as both.
  for (const file of [...part.logs, ...part.configs.filter(isLogToo)]) {
    await ws.updateLog(file);
    const params = mlflowParamsFolderOf(file);
    if (params) paramDirs.add(params);
  }
  // An MLflow run's config is its params/ folder (one file per param), beside its metrics/.
  for (const dir of paramDirs) {
    const read = await readMlflowParamsDir(dir);
    if (read) ws.setConfig(dir, read.config, read.text);
  }
  return { findings: ws.findings(), files: ws.fileReports(), problems, ruleErrors: [...ws.ruleErrors()] };
}

/**
 * Splits the walked files into at most `maxParts` parts whose analyses are independent, so that merging
 * their results gives what one analysis of everything gives:
 * - the logs of one run (same run key: TensorBoard train/ + validation/, MLflow metric files) stay together;
 * - a log and every config it may read (files/layout.ts configFoldersOf) stay together;
 * - ensemble groups (runs whose configs share the folder above their run folders) stay together: a log
 *   is tied to the parent folder of every config folder it may read, which is the group's key.
 * Connected sets are then packed into parts by `weight` (largest first). Configs no log reads go with
 * the set of their parent folder like the others. Parts keep walk order; none is empty.
 */
export function partitionFiles(files: readonly string[], maxParts: number, weight: (file: string) => number = () => 1): AnalysisPart[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    for (let p = parent.get(r); p !== undefined && p !== r; p = parent.get(r)) r = p;
    // Path compression.
    for (let y = x, p = parent.get(y); p !== undefined && p !== r; p = parent.get(y)) {
      parent.set(y, r);
      y = p;
    }
    return r;
  };
  const node = (x: string): string => {
    if (!parent.has(x)) parent.set(x, x);
    return x;
  };
  const union = (a: string, b: string): void => {
    const ra = find(node(a));
    const rb = find(node(b));
    if (ra !== rb) parent.set(rb, ra);
  };
  const configDirs = new Set<string>();
  for (const f of files) {
    if (!AnalysisWorkspace.isConfig(f)) continue;
    const dir = path.dirname(f);
    configDirs.add(dir);
    union(`f:${f}`, `g:${path.dirname(dir)}`);
  }
  for (const f of files) {
    if (AnalysisWorkspace.isConfig(f)) continue;
    union(`f:${f}`, `r:${runKeyOf(f)}`);
    // Seed folders without configs group by name (files/seed-folders.ts): keep a group together.
    const seeds = seedFolderGroupKey(f);
    if (seeds !== undefined) union(`f:${f}`, `s:${seeds}`);
    for (const dir of configFoldersOf(f)) if (configDirs.has(dir)) union(`f:${f}`, `g:${path.dirname(dir)}`);
  }
  // Connected sets in walk order of their first file.
  const sets = new Map<string, { files: string[]; weight: number }>();
  for (const f of files) {
    const root = find(`f:${f}`);
    let s = sets.get(root);
    if (!s) {
      s = { files: [], weight: 0 };
      sets.set(root, s);
    }
    s.files.push(f);
    s.weight += weight(f);
  }
  const n = Math.max(1, Math.min(maxParts, sets.size));
  const bins = Array.from({ length: n }, () => ({ files: [] as string[], weight: 0 }));
  const ordered = [...sets.values()].map((s, i) => ({ ...s, i })).sort((a, b) => b.weight - a.weight || a.i - b.i);
  for (const s of ordered) {
    let best = bins[0];
    for (const b of bins) if (b.weight < best.weight) best = b;
    best.files.push(...s.files);
    best.weight += s.weight;
  }
  const order = new Map(files.map((f, i) => [f, i] as const));
  return bins
    .filter((b) => b.files.length > 0)
    .map((b) => {
      b.files.sort((x, y) => order.get(x)! - order.get(y)!);
      return { logs: b.files.filter((f) => !AnalysisWorkspace.isConfig(f)), configs: b.files.filter((f) => AnalysisWorkspace.isConfig(f)) };
    });
}

/** Number of distinct runs among the walked files (what makes splitting worth it). */
export function countRuns(files: readonly string[]): number {
  const keys = new Set<string>();
  for (const f of files) if (!AnalysisWorkspace.isConfig(f)) keys.add(runKeyOf(f));
  return keys.size;
}

/**
 * The result of the parts together, in the order one analysis of everything gives: findings by
 * (file, line, scenario) with each file's own order kept (a file's findings all come from one part),
 * file reports by path, problems of the walk then of configs in walk order, rule errors once each.
 */
export function mergeParts(walk: WalkResult, parts: readonly PartResult[]): AnalysisResult {
  const findings = parts
    .flatMap((p) => p.findings)
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.scenario.localeCompare(b.scenario));
  const files = parts.flatMap((p) => p.files).sort((a, b) => a.path.localeCompare(b.path));
  const order = new Map(walk.files.map((f, i) => [f, i] as const));
  const configProblems = parts
    .flatMap((p) => p.problems)
    .sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0))
    .map(([, m]) => m);
  const ruleErrors: RuleError[] = [];
  for (const e of parts.flatMap((p) => p.ruleErrors)) {
    if (!ruleErrors.some((x) => x.rule === e.rule && x.message === e.message)) ruleErrors.push(e);
  }
  return { version: 1, files, findings, problems: [...walk.problems, ...configProblems], ruleErrors, truncated: walk.truncated };
}
