import * as fs from 'fs';
import * as path from 'path';
import { analyzePaths } from '../../src/core/analyze';
import { EXAMPLES, REAL_LOGS, REAL_NOTEBOOKS, REAL_OUTPUTS, REPO_ROOT, hasRealLogs, hasRealOutputs } from '../helpers/paths';
import { judge, type CaseLabel, type CaseOutcome, type Expectation } from './expectations';
import { readLabels } from './labels';

/** Canonical public recipes, one folder each with the config(s) and a labels.json. */
export const RECIPES = path.join(REPO_ROOT, 'test', 'fixtures', 'recipes');
/**
 * Labels of short public training outputs (notebook exports, posts), one folder each with a labels.json; the
 * outputs themselves are read in place from ../shared/real-outputs/<same folder name> (never copied here).
 */
export const REAL_OUTPUT_LABELS = path.join(REPO_ROOT, 'test', 'eval', 'real-outputs');
/** Labels of the real logs in ../shared/real-logs (read in place; the logs are never copied here). */
export const REAL_LOG_LABELS = path.join(REPO_ROOT, 'test', 'eval', 'real-logs.json');

interface RecipeLabelFile {
  title: string;
  source: string;
  positives: (string | Expectation)[];
  negatives: string[];
  unasserted?: string[];
  notes?: string;
}

/** Labels of the real notebooks in ../shared/real-notebooks (their saved outputs and code, read in place). */
export const REAL_NOTEBOOK_LABELS = path.join(REPO_ROOT, 'test', 'eval', 'real-notebooks.json');

interface RealNotebookLabel {
  notebook: string;
  positives: (string | Expectation)[];
  negatives: string[];
  unasserted?: string[];
  notes?: string;
}

interface RealLogLabel {
  run: string;
  entry: number;
  positives: (string | Expectation)[];
  negatives: string[];
  unasserted?: string[];
  notes?: string;
  /**
   * Files of the run folder to name on the command line instead of the folder: a log whose name the
   * folder walk does not take (an Ultralytics console capture saved as `.md`) is read when named.
   */
  files?: string[];
}

function expectation(p: string | Expectation): Expectation {
  return typeof p === 'string' ? { finding: p } : p;
}

/** The labelled example runs (examples/labels.json): scenario-level positives and negatives. */
export function exampleCases(examplesDir = EXAMPLES): CaseLabel[] {
  if (!fs.existsSync(path.join(examplesDir, 'labels.json'))) return [];
  return readLabels(examplesDir).map((l) => ({
    id: `examples/${l.run}`,
    source: 'examples',
    paths: [path.join(examplesDir, l.run)],
    positives: l.positives.map((s) => ({ finding: s })),
    negatives: [...l.negatives],
    notes: l.notes,
  }));
}

export function recipeCases(recipesDir = RECIPES): CaseLabel[] {
  return labelledFolders(recipesDir, 'recipes');
}

/** The public training outputs of ../shared/real-outputs, labelled like the recipes; empty when that folder is absent. */
export function outputCases(labelsDir = REAL_OUTPUT_LABELS, outputsDir = REAL_OUTPUTS): CaseLabel[] {
  if (!hasRealOutputs()) return [];
  return labelledFolders(labelsDir, 'outputs', outputsDir);
}

/** One case per folder of `root` holding a labels.json; the files analysed are in `dataRoot`/<folder>. */
function labelledFolders(root: string, source: 'recipes' | 'outputs', dataRoot = root): CaseLabel[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(root, name);
      const file = path.join(dir, 'labels.json');
      if (!fs.existsSync(file)) throw new Error(`${file}: every ${source} folder needs a labels.json`);
      const l = JSON.parse(fs.readFileSync(file, 'utf8')) as RecipeLabelFile;
      return { id: `${source}/${name}`, source, paths: [path.join(dataRoot, name)], positives: l.positives.map(expectation), negatives: l.negatives, unasserted: l.unasserted, notes: l.notes };
    });
}

/** Empty when ../shared/real-logs is absent (the logs live outside the repository). */
export function realLogCases(labelsFile = REAL_LOG_LABELS, logsDir = REAL_LOGS): CaseLabel[] {
  if (!hasRealLogs() || !fs.existsSync(labelsFile)) return [];
  const list = JSON.parse(fs.readFileSync(labelsFile, 'utf8')) as RealLogLabel[];
  return list.map((l) => ({
    id: `real-logs/${l.run}`,
    source: 'real-logs',
    paths: l.files ? l.files.map((f) => path.join(logsDir, l.run, f)) : [path.join(logsDir, l.run)],
    positives: l.positives.map(expectation),
    negatives: l.negatives,
    unasserted: l.unasserted,
    notes: `INDEX.md entry ${l.entry}. ${l.notes ?? ''}`.trim(),
  }));
}

/** Empty when ../shared/real-notebooks is absent (the notebooks live outside the repository). */
export function realNotebookCases(labelsFile = REAL_NOTEBOOK_LABELS, dir = REAL_NOTEBOOKS): CaseLabel[] {
  if (!fs.existsSync(path.join(dir, 'INDEX.md')) || !fs.existsSync(labelsFile)) return [];
  const list = JSON.parse(fs.readFileSync(labelsFile, 'utf8')) as RealNotebookLabel[];
  return list.map((l) => ({
    id: `real-notebooks/${l.notebook}`,
    source: 'real-notebooks',
    paths: [path.join(dir, l.notebook)],
    positives: l.positives.map(expectation),
    negatives: l.negatives,
    unasserted: l.unasserted,
    notes: l.notes,
  }));
}

export function allCases(): CaseLabel[] {
  return [...exampleCases(), ...recipeCases(), ...outputCases(), ...realLogCases(), ...realNotebookCases()];
}

/** Runs the analyzer on each case exactly as `traindx check <paths>` would, then judges it. */
export async function evaluateCases(cases: CaseLabel[]): Promise<CaseOutcome[]> {
  const out: CaseOutcome[] = [];
  for (const c of cases) {
    const { findings } = await analyzePaths(c.paths);
    out.push(judge(c, findings));
  }
  return out;
}
