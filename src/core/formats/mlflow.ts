/**
 * MLflow file store: `mlruns/<experiment>/<run>/metrics/<key>`, one file per metric, appended lines
 * `<timestamp ms> <value> <step>` (value is Python float repr: `nan`, `inf` possible; step defaults to
 * 0). The metric name is the path below `metrics/` (keys with `/` create subdirectories, e.g.
 * `metrics/lr/pg0` is the key `lr/pg0`). The step is MLflow's step; no epoch is implied.
 */
import type { MetricEvent } from '../types';
import type { LineFormat, LineParser } from './format';
import { canonicalName } from '../run/names';
import { parseNumber } from './numbers';
import { ev, firstLine, pathParts } from './event';

const LINE = /^\d{9,16} \S+ -?\d+\s*$/;

/**
 * Index of the `metrics` component that starts the key: the one right under `mlruns/<exp>/<run>/`
 * when the path has `mlruns`, else the first `metrics` component that has a run directory above it.
 */
function metricsIndex(parts: readonly string[]): number {
  const m = parts.lastIndexOf('mlruns');
  if (m >= 0 && parts[m + 3] === 'metrics' && parts.length > m + 4) return m + 3;
  for (let i = 1; i < parts.length - 1; i++) if (parts[i] === 'metrics') return i;
  return -1;
}

/** The MLflow metric key of a file path, or undefined when the path is not under `metrics/`. */
export function mlflowMetricKey(path: string): string | undefined {
  const parts = pathParts(path);
  const i = metricsIndex(parts);
  return i < 0 ? undefined : parts.slice(i + 1).join('/');
}

/** The run directory of an MLflow metric file (the parent of its `metrics/` folder). */
export function mlflowRunDir(path: string): string | undefined {
  const parts = pathParts(path);
  const i = metricsIndex(parts);
  if (i < 0) return undefined;
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  return parts.slice(0, i).join(sep);
}

class MlflowParser implements LineParser {
  private readonly raw: string;
  private readonly name: string;
  constructor(path: string) {
    this.raw = mlflowMetricKey(path) ?? pathParts(path).pop() ?? path;
    this.name = canonicalName(this.raw);
  }
  parseLine(line: string, lineNo: number): MetricEvent[] {
    const a = line.indexOf(' ');
    if (a < 0) return [];
    const b = line.indexOf(' ', a + 1);
    const value = parseNumber(b < 0 ? line.slice(a + 1) : line.slice(a + 1, b));
    if (value === undefined) return [];
    const step = b < 0 ? 0 : parseNumber(line.slice(b + 1));
    return [ev(this.name, this.raw, value, step ?? 0, undefined, lineNo)];
  }
}

export const mlflow: LineFormat = {
  id: 'mlflow',
  kind: 'lines',
  sniff(path, head) {
    const l = firstLine(head);
    if (!LINE.test(l)) return 0;
    return mlflowMetricKey(path) !== undefined ? 0.95 : 0.5;
  },
  createParser(path) {
    return new MlflowParser(path);
  },
};
