import { getScenario } from '../../core/scenarios';
import type { Finding } from '../../core/types';
import type { ExplainParams, ExplainResult, RunData } from '../../shared/protocol';
import type { FeatureContext } from '../context';
import { fileOf } from '../paths';
import { runDataOf } from './run-data';

/**
 * A scenario's explanation; opened from a finding (`uri`, `line`), also that finding and its run's
 * curves, and for an ensemble finding every sibling run's. Null for a scenario id traindx does not know.
 */
export function explain(ctx: FeatureContext, params: ExplainParams): ExplainResult | null {
  const scenario = getScenario(String(params.scenario));
  if (!scenario) return null;
  const file = typeof params.uri === 'string' ? fileOf(params.uri) : undefined;
  let finding: Finding | undefined;
  if (file !== undefined) {
    const inFile = ctx.workspace.findings().filter((f) => f.file === file && f.scenario === params.scenario);
    finding = inFile.find((f) => f.line - 1 === params.line) ?? inFile[0];
  }
  // A notebook's finding explains the training of its own cell (a notebook holds one run per training).
  const cellRun = file && finding?.cell ? ctx.workspace.notebookRunOfCell(file, finding.cell.index) : undefined;
  const key = cellRun ?? (file ? ctx.queries.runKeyOf(file) : undefined);
  return {
    scenario,
    finding,
    findingLabel: finding ? ctx.displayPath(finding.file) : undefined,
    run: key ? (runDataOf(ctx, key) ?? undefined) : undefined,
    group: groupOf(ctx, finding),
  };
}

/** The sibling runs an `ensemble` finding lists in its evidence, for the overlaid plot. */
function groupOf(ctx: FeatureContext, finding: Finding | undefined): RunData[] | undefined {
  const files = finding?.scenario === 'ensemble' ? finding.evidence.files : undefined;
  if (!Array.isArray(files)) return undefined;
  const keys = new Set(files.map((f) => ctx.workspace.runKeyOfFile(String(f))));
  const group = [...keys]
    .filter((k): k is string => k !== undefined)
    .map((k) => runDataOf(ctx, k))
    .filter((r): r is RunData => r !== null);
  return group.length > 1 ? group : undefined;
}
