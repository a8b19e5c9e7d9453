import * as path from 'path';
import { SCENARIO_IDS, type Finding, type ScenarioId } from '../../src/core/types';
import { REPO_ROOT } from '../helpers/paths';
import { parseTarget, type CaseOutcome, type Expectation } from './expectations';

export interface ScenarioRow {
  scenario: ScenarioId;
  positives: number;
  caught: number;
  /** Cases that assert the scenario (or one of its rules) must stay quiet. */
  negatives: number;
  /** Cases with at least one shown finding of the scenario that the label says is wrong. */
  falseWarnings: number;
  /** Cases where only a hint (not shown in Problems) broke a negative. */
  wrongHints: number;
}

export function scoreByScenario(outcomes: CaseOutcome[]): ScenarioRow[] {
  return SCENARIO_IDS.map((scenario) => {
    const inScenario = (e: Expectation) => parseTarget(e.finding).scenario === scenario;
    let positives = 0;
    let caught = 0;
    let negatives = 0;
    let falseWarnings = 0;
    let wrongHints = 0;
    for (const o of outcomes) {
      positives += o.label.positives.filter(inScenario).length;
      caught += o.caught.filter(inScenario).length;
      if (o.negativeScenarios.includes(scenario)) negatives++;
      const bad = o.falseWarnings.some((w) => w.finding.scenario === scenario);
      if (bad) falseWarnings++;
      else if (o.wrongHints.some((w) => w.finding.scenario === scenario)) wrongHints++;
    }
    return { scenario, positives, caught, negatives, falseWarnings, wrongHints };
  });
}

const pct = (num: number, den: number) => (den ? `${Math.round((100 * num) / den)}%` : '–');

export function formatTable(rows: ScenarioRow[]): string {
  const head = ['scenario', 'positives', 'caught', 'recall', 'negatives', 'false warnings', 'precision', 'wrong hints'];
  const body = rows.map((r) => [
    r.scenario,
    String(r.positives),
    String(r.caught),
    pct(r.caught, r.positives),
    String(r.negatives),
    String(r.falseWarnings),
    pct(r.caught, r.caught + r.falseWarnings),
    String(r.wrongHints),
  ]);
  const total = rows.reduce((a, r) => ({ p: a.p + r.positives, c: a.c + r.caught, n: a.n + r.negatives, f: a.f + r.falseWarnings, h: a.h + r.wrongHints }), { p: 0, c: 0, n: 0, f: 0, h: 0 });
  body.push(['all', String(total.p), String(total.c), pct(total.c, total.p), String(total.n), String(total.f), pct(total.c, total.c + total.f), String(total.h)]);
  const all = [head, ...body];
  const w = head.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join('  ')).join('\n');
}

/** Per source (examples / recipes / real logs): how many cases, and how many are clean. */
export function formatSources(outcomes: CaseOutcome[]): string {
  const lines: string[] = [];
  for (const source of ['examples', 'recipes', 'outputs', 'real-logs', 'real-notebooks'] as const) {
    const os = outcomes.filter((o) => o.label.source === source);
    if (!os.length) continue;
    const withFalse = os.filter((o) => o.falseWarnings.length).length;
    const withMiss = os.filter((o) => o.missed.length).length;
    lines.push(`${source.padEnd(14)}  ${String(os.length).padStart(3)} cases, ${withFalse} with a false warning, ${withMiss} with a miss`);
  }
  return lines.join('\n');
}

function where(f: Finding): string {
  return `${path.relative(REPO_ROOT, f.file)}:${f.line}`;
}

function describe(e: Expectation): string {
  const at = e.at ? ` at ${e.at.evidence.join('|')} ${e.at.match === 'any' ? 'one of ' : ''}${e.at.values.join(', ')}` : '';
  return `${e.finding}${at}${e.maxSeverity ? ` (at most ${e.maxSeverity})` : ''}`;
}

/** Every false warning, miss and wrong hint, one line each, for the rule owners. */
export function formatDetails(outcomes: CaseOutcome[]): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    for (const w of o.falseWarnings) lines.push(`FALSE  ${o.label.id}  ${where(w.finding)}  ${w.finding.scenario}/${w.finding.rule} (${w.finding.severity}; ${w.why}): ${w.finding.message}`);
  }
  for (const o of outcomes) {
    for (const m of o.missed) {
      const elsewhere = m.elsewhere.length ? `; said instead: ${m.elsewhere.map((f) => `${f.rule} at ${where(f)}`).join(', ')}` : '';
      lines.push(`MISSED ${o.label.id}  ${describe(m.expectation)}${elsewhere}`);
    }
  }
  for (const o of outcomes) {
    for (const w of o.wrongHints) lines.push(`HINT   ${o.label.id}  ${where(w.finding)}  ${w.finding.scenario}/${w.finding.rule} (${w.why}): ${w.finding.message}`);
  }
  return lines.join('\n');
}
