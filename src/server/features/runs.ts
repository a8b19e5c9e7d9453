import type { RunSummary } from '../../shared/protocol';
import type { FeatureContext } from '../context';

/** Every run followed, for the runs tree. */
export function runs(ctx: FeatureContext): RunSummary[] {
  return ctx.queries.listRuns();
}
