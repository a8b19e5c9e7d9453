import type { StatusParams } from '../../shared/protocol';
import type { FeatureContext } from '../context';

/** What the watcher reports for the status bar. */
export interface WatchState {
  watchedFiles: number;
  limitReached: boolean | undefined;
}

/** The status bar's facts: totals, and the progress of the run that changed last (when known). */
export function status(ctx: FeatureContext, watch: WatchState, lastUpdatedRun: string | undefined): StatusParams {
  const findings = ctx.workspace.findings();
  const s: StatusParams = { watchedFiles: watch.watchedFiles, runs: ctx.workspace.runKeys().length, findings: findings.length, limitReached: watch.limitReached };
  const run = lastUpdatedRun ? ctx.workspace.run(lastUpdatedRun) : undefined;
  const progress = lastUpdatedRun ? ctx.queries.progress(lastUpdatedRun) : undefined;
  if (run && lastUpdatedRun && progress) {
    s.activeRun = {
      runKey: lastUpdatedRun,
      epoch: progress.lastEpoch,
      bestValLoss: progress.bestValLoss,
      findings: findings.filter((f) => run.files.includes(f.file)).length,
    };
  }
  return s;
}
