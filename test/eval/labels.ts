import * as fs from 'fs';
import * as path from 'path';
import { analyzePaths } from '../../src/core/analyze';
import type { Finding, ScenarioId } from '../../src/core/types';
import { judge } from './expectations';

/** One labelled example run (examples/labels.json): what must be flagged and what must stay quiet. */
export interface Label {
  run: string;
  positives: ScenarioId[];
  negatives: ScenarioId[];
  notes?: string;
}

export interface RunOutcome {
  label: Label;
  findings: Finding[];
  missed: ScenarioId[];
  falseAlarms: ScenarioId[];
}

export function readLabels(examplesDir: string): Label[] {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(examplesDir, 'labels.json'), 'utf8'));
  const list = Array.isArray(raw) ? raw : (raw as { runs?: unknown }).runs;
  if (!Array.isArray(list)) throw new Error('examples/labels.json: expected an array of labels');
  return list as Label[];
}

/**
 * Runs the analyzer on each labelled example folder, exactly as `traindx check <folder>` would, and
 * judges it by the same rules as `npm run eval` (hints neither catch nor count as false warnings).
 */
export async function evaluate(examplesDir: string): Promise<{ outcomes: RunOutcome[] }> {
  const outcomes: RunOutcome[] = [];
  for (const label of readLabels(examplesDir)) {
    const { findings } = await analyzePaths([path.join(examplesDir, label.run)]);
    const o = judge({ id: `examples/${label.run}`, source: 'examples', paths: [], positives: label.positives.map((s) => ({ finding: s })), negatives: label.negatives }, findings);
    outcomes.push({
      label,
      findings,
      missed: [...new Set(o.missed.map((m) => m.expectation.finding as ScenarioId))],
      falseAlarms: [...new Set(o.falseWarnings.map((w) => w.finding.scenario))],
    });
  }
  return { outcomes };
}
