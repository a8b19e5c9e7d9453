import * as fs from 'fs';
import * as path from 'path';
import { analyzePaths } from '../../src/core/analyze';
import { SCENARIO_IDS, type Finding, type ScenarioId } from '../../src/core/types';

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

export interface ScenarioScore {
  scenario: ScenarioId;
  positives: number;
  caught: number;
  negatives: number;
  falseAlarms: number;
}

export function readLabels(examplesDir: string): Label[] {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(examplesDir, 'labels.json'), 'utf8'));
  const list = Array.isArray(raw) ? raw : (raw as { runs?: unknown }).runs;
  if (!Array.isArray(list)) throw new Error('examples/labels.json: expected an array of labels');
  return list as Label[];
}

/** Runs the analyzer on each labelled run folder, exactly as `traindx check <folder>` would. */
export async function evaluate(examplesDir: string): Promise<{ outcomes: RunOutcome[]; scores: ScenarioScore[] }> {
  const outcomes: RunOutcome[] = [];
  for (const label of readLabels(examplesDir)) {
    const { findings } = await analyzePaths([path.join(examplesDir, label.run)]);
    // A hint is a tip shown in the editor only (not in the Problems list): it neither counts as
    // catching a positive nor as a false warning on a healthy run.
    const flagged = new Set(findings.filter((f) => f.severity !== 'hint').map((f) => f.scenario));
    outcomes.push({
      label,
      findings,
      missed: label.positives.filter((s) => !flagged.has(s)),
      falseAlarms: label.negatives.filter((s) => flagged.has(s)),
    });
  }
  const scores = SCENARIO_IDS.map((scenario) => {
    const pos = outcomes.filter((o) => o.label.positives.includes(scenario));
    const neg = outcomes.filter((o) => o.label.negatives.includes(scenario));
    return {
      scenario,
      positives: pos.length,
      caught: pos.filter((o) => !o.missed.includes(scenario)).length,
      negatives: neg.length,
      falseAlarms: neg.filter((o) => o.falseAlarms.includes(scenario)).length,
    };
  });
  return { outcomes, scores };
}

export function formatScores(scores: ScenarioScore[]): string {
  const rows = [['scenario', 'positives', 'caught', 'recall', 'negatives', 'false warnings']];
  for (const s of scores) {
    rows.push([s.scenario, String(s.positives), String(s.caught), s.positives ? `${Math.round((100 * s.caught) / s.positives)}%` : '–', String(s.negatives), String(s.falseAlarms)]);
  }
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join('  ')).join('\n');
}
