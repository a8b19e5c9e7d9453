import * as fs from 'fs';
import { walkFiles } from './walk';
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
  const ws = new AnalysisWorkspace(options);
  const walk = await walkFiles(paths, (f) => AnalysisWorkspace.isLog(f) || AnalysisWorkspace.isConfig(f), options.fileLimit);
  const problems = [...walk.problems];
  for (const file of walk.files) {
    if (!AnalysisWorkspace.isConfig(file)) continue;
    try {
      ws.setConfigText(file, await fs.promises.readFile(file, 'utf8'));
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
    }
  }
  for (const file of walk.files) {
    if (!AnalysisWorkspace.isConfig(file)) await ws.updateLog(file);
  }
  return {
    version: 1,
    files: ws.fileReports(),
    findings: ws.findings(),
    problems,
    ruleErrors: [...ws.ruleErrors()],
    truncated: walk.truncated,
  };
}
