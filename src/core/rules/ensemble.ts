/**
 * Scenario `ensemble` (course scenario 5: averaging independently trained models reduces variance).
 *
 * Group rule `seed-variance` (R19, ANALYZER_ANCHORS §5.7 and §4.7):
 * - ≥ `minRuns` = 3 sibling runs (same config except the seed; R19 "≥ 3 runs");
 * - metric: the best val_acc of each run (val_acc preferred), else the best (lowest) val_loss; best
 *   rather than final because a run is normally selected at its best checkpoint; the finals are in the
 *   evidence too;
 * - fire when std > `stdPp` = 0.5 accuracy points, or CV = std/mean > `cvLoss` = 1 % for loss (R19
 *   defaults, [proposal] in the table) → information: report mean ± std, ensemble the seeds ("a few
 *   percent", CS231n §4.7); warning when std > `warnPp` = 1 pp (R19 "WARN if std > 1 pp").
 * - Reported on the first run's log at the line of its best evaluation (the group has no file of its
 *   own); the evidence lists every run's file and value.
 */
import { perEval, type Point } from '../run/aggregate';
import { fmt, mean, std } from '../run/stats';
import type { Finding } from '../types';
import type { Rule, RunGroup, Thresholds } from './rule';
import { accScale, fileOf } from './util';

interface RunValue {
  best: Point;
  final: Point;
  file: string;
}

function pick(evals: Point[], higherBetter: boolean): Point {
  let b = evals[0];
  for (const p of evals) if (higherBetter ? p.value > b.value : p.value < b.value) b = p;
  return b;
}

export type SeedVarianceEvidence = {
  metric: 'val_acc' | 'val_loss';
  runs: number;
  mean: number;
  std: number;
  /** std in accuracy points (val_acc) or the coefficient of variation (val_loss). */
  spread: number;
  min: number;
  max: number;
  values: number[];
  finals: number[];
  files: string[];
};

export const seedVarianceRule: Rule = {
  id: 'seed-variance',
  scenario: 'ensemble',
  defaultSeverity: 'information',
  defaults: { minRuns: 3, stdPp: 0.5, warnPp: 1, cvLoss: 0.01 },
  checkGroup(group: RunGroup, t: Thresholds): Finding[] {
    const runs = group.runs;
    if (runs.length < t.minRuns) return [];
    const metric: SeedVarianceEvidence['metric'] | undefined = runs.every((r) => perEval(r.run, 'val_acc').some((p) => Number.isFinite(p.value)))
      ? 'val_acc'
      : runs.every((r) => perEval(r.run, 'val_loss').some((p) => Number.isFinite(p.value)))
        ? 'val_loss'
        : undefined;
    if (!metric) return [];
    const acc = metric === 'val_acc';
    const vals: RunValue[] = runs.map((r) => {
      const evals = perEval(r.run, metric).filter((p) => Number.isFinite(p.value));
      const best = pick(evals, acc);
      return { best, final: evals[evals.length - 1], file: fileOf(r, best.fileIndex) };
    });
    const bests = vals.map((v) => v.best.value);
    const m = mean(bests);
    const sd = std(bests);
    if (!Number.isFinite(sd)) return [];
    let fire: boolean;
    let warn = false;
    let spreadText: string;
    let unitStd: number;
    if (acc) {
      const scale = accScale(bests); // 1 → fractions; 100 → already percent
      const sdPp = (sd * 100) / scale;
      unitStd = sdPp;
      fire = sdPp > t.stdPp;
      warn = sdPp > t.warnPp;
      spreadText = `best val_acc ${fmt((m * 100) / scale)}% ± ${fmt(sdPp)} pp over ${runs.length} seeds (min ${fmt((Math.min(...bests) * 100) / scale)}%, max ${fmt((Math.max(...bests) * 100) / scale)}%)`;
    } else {
      const cv = sd / Math.abs(m);
      unitStd = cv;
      fire = cv > t.cvLoss;
      spreadText = `best val_loss ${fmt(m)} ± ${fmt(sd)} (CV ${fmt(cv * 100)}%) over ${runs.length} seeds (min ${fmt(Math.min(...bests))}, max ${fmt(Math.max(...bests))})`;
    }
    if (!fire) return [];
    const first = vals[0];
    const msg = `${spreadText}: the seed alone moves the result by more than ${acc ? `${t.stdPp} pp` : `${t.cvLoss * 100}%`}. Report mean ± std over seeds, and average the seeds' predictions (an ensemble of these runs usually beats the best single one).`;
    return [
      {
        scenario: 'ensemble',
        rule: 'seed-variance',
        severity: warn ? 'warning' : 'information',
        message: msg,
        file: first.file,
        line: Math.max(1, first.best.line),
        evidence: {
          metric,
          runs: runs.length,
          mean: m,
          std: sd,
          spread: unitStd,
          min: Math.min(...bests),
          max: Math.max(...bests),
          values: bests,
          finals: vals.map((v) => v.final.value),
          files: vals.map((v) => v.file),
        } satisfies SeedVarianceEvidence,
      },
    ];
  },
};

export const ENSEMBLE_RULES: Rule[] = [seedVarianceRule];
