/** Builders for rule tests: runs from synthetic rows of metrics, configs from plain values. */
import type { Setting, TrainingConfig } from '../../../src/core/config/training-config';
import type { RunContext } from '../../../src/core/rules/rule';
import { Run } from '../../../src/core/run/run';
import type { MetricEvent } from '../../../src/core/types';

/** One logged row: metric values plus optional `step` / `epoch`; it lands on line index + 2 (after a header). */
export type Row = Record<string, number | undefined>;

export const LOG = 'runs/a/metrics.csv';

/** A run whose rows are lines 2, 3, … of one file (a CSV with a header). */
export function runOf(rows: readonly Row[], file = LOG): Run {
  const run = new Run('test');
  const events: MetricEvent[] = [];
  rows.forEach((r, i) => {
    for (const [name, value] of Object.entries(r)) {
      if (name === 'step' || name === 'epoch' || value === undefined) continue;
      events.push({ name, rawName: name, value, step: r.step, epoch: r.epoch, line: i + 2 });
    }
  });
  run.append(file, events);
  return run;
}

export function ctxOf(rows: readonly Row[], config?: TrainingConfig): RunContext {
  return { run: runOf(rows), logFile: LOG, config };
}

/** Rows for epochs 0…n−1 from per-epoch functions. */
export function epochs(n: number, f: (e: number) => Row): Row[] {
  const out: Row[] = [];
  for (let e = 0; e < n; e++) out.push({ epoch: e, ...f(e) });
  return out;
}

export function setting<T>(value: T, key: string, line = 0): Setting<T> {
  const range = { startLine: line, startChar: 0, endLine: line, endChar: key.length + 2 + String(value).length };
  return { value, key, range, valueRange: { ...range, startChar: key.length + 2 } };
}

export function config(fields: Partial<TrainingConfig> = {}): TrainingConfig {
  return { file: 'runs/a/config.yaml', format: 'yaml', style: 'plain', ...fields };
}

/** Deterministic pseudo-random noise in [−1, 1] (tests must not depend on Math.random). */
export function noise(i: number): number {
  const x = Math.sin(i * 12.9898 + 78.233) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}
