import type { Finding } from '../../core/types';
import type { RunDataParams, RunStatus, StatusParams } from '../../shared/protocol';
import type { FeatureContext } from '../context';
import { runKeyOfParams } from './run-data';

/** What the watcher reports for the status bar. */
export interface WatchState {
  watchedFiles: number;
  limitReached: boolean | undefined;
}

/** The status bar's facts: totals, and the progress of the run that changed last (when known). */
export function status(ctx: FeatureContext, watch: WatchState, lastUpdatedRun: string | undefined): StatusParams {
  const s: StatusParams = {
    watchedFiles: watch.watchedFiles,
    runs: ctx.workspace.runKeys().length,
    findings: ctx.workspace.findings().filter(inProblems).length,
    limitReached: watch.limitReached,
  };
  const run = lastUpdatedRun ? runStatusOf(ctx, lastUpdatedRun) : undefined;
  if (run) s.activeRun = run;
  return s;
}

/**
 * VS Code's Problems panel lists errors, warnings and infos, not hints (they only dim or dot the
 * text): a count the user compares with Problems leaves hints out.
 */
function inProblems(f: Finding): boolean {
  return f.severity !== 'hint';
}

/** A run's progress and the findings Problems lists for it. */
function runStatusOf(ctx: FeatureContext, runKey: string): RunStatus | undefined {
  const run = ctx.workspace.run(runKey);
  const progress = ctx.queries.progress(runKey);
  if (!run || !progress) return undefined;
  const findings = ctx.workspace.findings().filter((f) => run.files.includes(f.file) && inProblems(f)).length;
  return { runKey, epoch: progress.lastEpoch, bestValLoss: progress.bestValLoss, findings };
}

/** The status of the run a file belongs to (the active editor's), null when it is no run's. */
export function runStatus(ctx: FeatureContext, params: RunDataParams): RunStatus | null {
  const key = runKeyOfParams(ctx, params);
  return (key && runStatusOf(ctx, key)) || null;
}
