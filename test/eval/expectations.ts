import { SCENARIO_IDS, type Finding, type ScenarioId, type Severity } from '../../src/core/types';

/**
 * What one labelled case (an example run, a recipe, a real log) must and must not make traindx say.
 * A target is written `scenario` or `scenario/rule` (e.g. `early-stopping/overfitting-plateau`).
 */
export interface Expectation {
  finding: string;
  /**
   * Where the finding must point: for every value (or one, with `match: "any"`) some matching finding
   * has one of the `evidence` keys equal to it (±0.5, so that epoch 4 and 4.0 agree).
   */
  at?: { evidence: string[]; values: number[]; match?: 'all' | 'any' };
  /** The finding must be shown, but no louder than this (a grad-norm NaN under AMP is information, not an error). */
  maxSeverity?: Severity;
}

export interface CaseLabel {
  /** `examples/…`, `recipes/…`, `outputs/…`, `real-logs/…` or `real-notebooks/…`: where the case comes from and its name. */
  id: string;
  source: 'examples' | 'recipes' | 'outputs' | 'real-logs' | 'real-notebooks';
  /** Folders or files given to the analyzer, as `traindx check` would get them. */
  paths: string[];
  positives: Expectation[];
  /** Targets that must stay quiet; `*` = every scenario not named in `positives` or `unasserted`. */
  negatives: string[];
  /** Scenarios left out of `*`: the label makes no claim about them. */
  unasserted?: string[];
  notes?: string;
}

export interface Target {
  scenario: ScenarioId;
  rule?: string;
}

/** A shown finding the label says is wrong; `why` says which expectation it breaks. */
export interface FalseWarning {
  finding: Finding;
  why: string;
}

export interface Miss {
  expectation: Expectation;
  /** Matching findings that were shown but in the wrong place, for the report. */
  elsewhere: Finding[];
}

export interface CaseOutcome {
  label: CaseLabel;
  findings: Finding[];
  caught: Expectation[];
  missed: Miss[];
  falseWarnings: FalseWarning[];
  /** Hints (editor-only tips, not in the Problems list) that a negative would forbid if they were shown. */
  wrongHints: FalseWarning[];
  /** Scenarios the label asserts something negative about (after expanding `*`). */
  negativeScenarios: ScenarioId[];
}

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

export function parseTarget(text: string): Target {
  const [scenario, rule] = text.split('/');
  if (!(SCENARIO_IDS as readonly string[]).includes(scenario)) throw new Error(`unknown scenario in label target "${text}"`);
  return rule ? { scenario: scenario as ScenarioId, rule } : { scenario: scenario as ScenarioId };
}

export function matchesTarget(f: Finding, t: Target): boolean {
  return f.scenario === t.scenario && (t.rule === undefined || f.rule === t.rule);
}

/** Expands `*` and turns every negative into a target. */
export function negativeTargets(label: CaseLabel): Target[] {
  const positiveScenarios = new Set(label.positives.map((p) => parseTarget(p.finding).scenario));
  const unasserted = new Set(label.unasserted ?? []);
  const out: Target[] = [];
  for (const n of label.negatives) {
    if (n === '*') {
      for (const s of SCENARIO_IDS) if (!positiveScenarios.has(s) && !unasserted.has(s)) out.push({ scenario: s });
    } else out.push(parseTarget(n));
  }
  return out;
}

/** An evidence key holds the value, or lists it (a finding told once for several places: `cutEpochs`). */
function locatedAt(f: Finding, keys: string[], value: number): boolean {
  const near = (v: unknown) => typeof v === 'number' && Math.abs(v - value) < 0.5;
  return keys.some((k) => {
    const v = f.evidence[k];
    return Array.isArray(v) ? v.some(near) : near(v);
  });
}

function satisfies(e: Expectation, matching: Finding[]): boolean {
  if (matching.length === 0) return false;
  if (!e.at) return true;
  const { evidence, values, match } = e.at;
  const found = (v: number) => matching.some((f) => locatedAt(f, evidence, v));
  return match === 'any' ? values.some(found) : values.every(found);
}

function describeTarget(t: Target): string {
  return t.rule ? `${t.scenario}/${t.rule}` : t.scenario;
}

/**
 * Judges one case. A finding is "shown" unless it is a hint: hints are drawn in the editor only, never
 * listed in the Problems panel, so they neither catch a positive nor count as a false warning; a hint a
 * negative forbids is reported apart (`wrongHints`).
 */
export function judge(label: CaseLabel, findings: Finding[]): CaseOutcome {
  const shown = findings.filter((f) => f.severity !== 'hint');
  const hints = findings.filter((f) => f.severity === 'hint');
  const caught: Expectation[] = [];
  const missed: Miss[] = [];
  const falseWarnings: FalseWarning[] = [];
  const seen = new Set<Finding>();
  const flag = (f: Finding, why: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    falseWarnings.push({ finding: f, why });
  };

  for (const e of label.positives) {
    const target = parseTarget(e.finding);
    const matching = shown.filter((f) => matchesTarget(f, target));
    if (satisfies(e, matching)) caught.push(e);
    else missed.push({ expectation: e, elsewhere: matching });
    if (e.maxSeverity) {
      for (const f of matching) if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[e.maxSeverity]) flag(f, `must be at most ${e.maxSeverity}`);
    }
  }

  const negatives = negativeTargets(label);
  const wrongHints: FalseWarning[] = [];
  for (const t of negatives) {
    for (const f of shown) if (matchesTarget(f, t)) flag(f, `must not say ${describeTarget(t)}`);
    for (const f of hints) if (matchesTarget(f, t) && !wrongHints.some((w) => w.finding === f)) wrongHints.push({ finding: f, why: `must not say ${describeTarget(t)}` });
  }
  const negativeScenarios = [...new Set(negatives.map((t) => t.scenario))];
  return { label, findings, caught, missed, falseWarnings, wrongHints, negativeScenarios };
}
