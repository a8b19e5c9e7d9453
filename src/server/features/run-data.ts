import type { RunData, RunDataParams } from '../../shared/protocol';
import type { FeatureContext } from '../context';
import { fileOf } from '../paths';

/** The run a request names: by key, or the run of a log or config URI. */
export function runKeyOfParams(ctx: FeatureContext, params: RunDataParams): string | undefined {
  // Params come from another process: a malformed request gets no run, not an exception.
  if (typeof params !== 'object' || params === null) return undefined;
  if ('runKey' in params) return typeof params.runKey === 'string' ? params.runKey : undefined;
  const file = typeof params.uri === 'string' ? fileOf(params.uri) : undefined;
  return file ? ctx.queries.runKeyOf(file) : undefined;
}

/** A run's curves, findings and markers, labelled as the user knows its key. */
export function runDataOf(ctx: FeatureContext, runKey: string): RunData | null {
  return ctx.queries.runData(runKey, ctx.displayPath(runKey)) ?? null;
}

export function runData(ctx: FeatureContext, params: RunDataParams): RunData | null {
  const key = runKeyOfParams(ctx, params);
  return key ? runDataOf(ctx, key) : null;
}
