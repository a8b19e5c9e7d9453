/**
 * Discrete `values:` lists of a W&B sweep turned into distributions for random search (docs.wandb.ai
 * "Sweep configuration options": `distribution: log_uniform_values|uniform` with `min`/`max` as the
 * values themselves). Random draws from the grid's own lists would only repeat grid points, so float
 * lists become ranges: log-uniform when all values are positive and span at least a factor of 10 (a
 * learning rate, a weight decay), uniform otherwise. Integer lists stay discrete: they are often
 * choices whose in-between values do not exist (ResNet depth 18/34/50, batch sizes).
 */
import type { CMap, CNode } from '../../config/tree';
import { childOf } from '../../config/tree';
import { numberOf } from '../../config/extract';

/** The factor between min and max from which a range is sampled on a log scale. */
const LOG_SPAN = 10;

export interface Distribution {
  distribution: 'log_uniform_values' | 'uniform';
  min: number;
  max: number;
}

/** Whether a list item is written as a float (`0.1`, `1.0e-4`), not an int. */
function isFloatText(raw: string): boolean {
  return /[.eE]/.test(raw) && !/^["']/.test(raw.trim());
}

/** The distribution for a parameter spec's float `values:` list; undefined when it is not one. */
export function distributionFor(spec: CNode, text: string): Distribution | undefined {
  const values = childOf(spec, 'values');
  if (values?.kind !== 'seq' || values.items.length < 2) return undefined;
  const nums = values.items.map((i) => numberOf(i));
  if (nums.some((n) => n === undefined || !Number.isFinite(n))) return undefined;
  if (!values.items.some((i) => isFloatText(text.slice(i.span.start, i.span.end)))) return undefined;
  const xs = nums as number[];
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  if (min === max) return undefined;
  return { distribution: min > 0 && max / min >= LOG_SPAN ? 'log_uniform_values' : 'uniform', min, max };
}

/** Every parameter spec of a sweep (nested `parameters:` included), with its dotted path under `parameters`. */
export function parameterSpecs(params: CNode | undefined, prefix: string[] = ['parameters']): { path: string[]; spec: CMap }[] {
  if (params?.kind !== 'map') return [];
  return params.entries.flatMap((e) => {
    if (e.value.kind !== 'map') return [];
    const nested = childOf(e.value, 'parameters');
    if (nested) return parameterSpecs(nested, [...prefix, e.key, 'parameters']);
    return [{ path: [...prefix, e.key], spec: e.value }];
  });
}
