import * as fs from 'fs';
import * as path from 'path';
import type { AnalysisResult } from '../core/analyze';
import type { Severity } from '../core/types';
import { parseArgs, USAGE, UsageError, type CheckArgs } from './args';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { analyzePathsParallel, isAnalysisWorker } from './parallel';

const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };

/** Runs the CLI and returns the exit code (0 clean, 1 findings at the fail-on level, 2 usage/I/O). */
export async function main(argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let args: CheckArgs | 'help';
  try {
    args = parseArgs(argv, Boolean((out as NodeJS.WriteStream).isTTY));
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`traindx: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    out.write(`${USAGE}\n`);
    return 0;
  }
  const missing = args.paths.filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    err.write(missing.map((p) => `traindx: ${p}: no such file or folder\n`).join(''));
    return 2;
  }
  // A FIFO, socket or device named explicitly would otherwise be skipped without a word (or, read, block).
  const special = args.paths.filter((p) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    return st !== undefined && !st.isFile() && !st.isDirectory();
  });
  if (special.length > 0) {
    err.write(special.map((p) => `traindx: ${p}: not a regular file or folder\n`).join(''));
    return 2;
  }
  // Many runs are analysed in worker threads (parallel.ts); the output is the same as on one thread.
  const result = relativise(
    await analyzePathsParallel(args.paths, { thresholds: args.thresholds, disabled: args.disabled, severity: args.severity }),
    process.cwd(),
  );
  if (args.format === 'json') out.write(`${JSON.stringify(toContract(result), null, 2)}\n`);
  else if (args.format === 'sarif') out.write(`${JSON.stringify(formatSarif(result), null, 2)}\n`);
  else out.write(formatText(result, args.color));
  for (const e of result.ruleErrors) err.write(`traindx: rule ${e.rule} failed and was skipped: ${e.message}\n`);
  if (args.failOn === 'never') return 0;
  const level = RANK[args.failOn];
  return result.findings.some((f) => RANK[f.severity] >= level) ? 1 : 0;
}

/** The stable JSON shape of DESIGN.md's findings contract. */
function toContract(r: AnalysisResult): object {
  return {
    version: r.version,
    files: r.files.map((f) => ({ path: f.path, kind: f.kind, format: f.format ?? null, points: f.points ?? 0, messages: f.messages })),
    findings: r.findings.map((f) => ({
      scenario: f.scenario,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      file: f.file,
      line: f.line,
      evidence: f.evidence,
      // In a notebook: the cell (1-based, as counted in the editor) and the line within it; `line` stays the `.ipynb` line.
      ...(f.cell ? { cell: { number: f.cell.index + 1, line: f.cell.range.startLine + 1, ...(f.cell.outputLine ? { outputLine: f.cell.outputLine } : {}) } } : {}),
      ...(f.related ? { related: f.related } : {}),
    })),
    problems: r.problems,
    truncated: r.truncated,
  };
}

/** Paths below the working folder are shown relative to it, as a user typed them. */
function relativise(r: AnalysisResult, cwd: string): AnalysisResult {
  const rel = (p: string): string => {
    const abs = path.resolve(p);
    const q = path.relative(cwd, abs);
    return q && !q.startsWith('..') && !path.isAbsolute(q) ? q.split(path.sep).join('/') : abs;
  };
  return {
    ...r,
    files: r.files.map((f) => ({ ...f, path: rel(f.path) })),
    findings: r.findings.map((f) => ({ ...f, file: rel(f.file), ...(f.related ? { related: f.related.map((x) => ({ ...x, file: rel(x.file) })) } : {}) })),
  };
}

// In a worker thread this bundle is loaded to analyse one part (parallel.ts), not to run the CLI.
if (require.main === module && !isAnalysisWorker) {
  main(process.argv.slice(2), process.stdout, process.stderr).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`traindx: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
