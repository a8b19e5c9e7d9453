/**
 * W&B sweep configuration (`sweep.yaml` for `wandb sweep`, docs.wandb.ai "Define a sweep
 * configuration"): `method: grid|random|bayes`, `metric: {name, goal}`, `parameters: {name: spec}` where
 * a spec is `{values: [...]}` (discrete), `{value: x}` (constant), `{min, max}` or
 * `{distribution: uniform|log_uniform_values|q_log_uniform_values|…, min, max}` (continuous), or a nested
 * `{parameters: {...}}`; `run_cap` caps the number of runs; `early_terminate: {type: hyperband}`.
 */
import type { SweepParameter, SweepSpace, TrainingConfig } from '../../config/training-config';
import type { CMap, CNode, Located } from '../../config/tree';
import { childOf, entryOf, spanToRange } from '../../config/tree';
import { at, mk, num, numberOf, stringOf } from '../../config/extract';
import type { Ctx, StyleReader } from '../../config/extract';

const SPEC_KEYS = ['values', 'value', 'min', 'max', 'distribution', 'parameters', 'mu', 'sigma', 'q', 'probabilities'];

function isSpec(node: CNode): boolean {
  return node.kind === 'map' && node.entries.some((e) => SPEC_KEYS.includes(e.key));
}

export const wandbSweepReader: StyleReader = {
  style: 'wandb-sweep',
  rank: 0,
  detect(root: CMap): number {
    const params = childOf(root, 'parameters');
    if (params?.kind !== 'map' || params.entries.length === 0) return 0;
    const specs = params.entries.filter((e) => isSpec(e.value)).length;
    if (specs === 0) return 0;
    const marks = ['method', 'metric', 'program', 'run_cap', 'early_terminate', 'command', 'project'].filter((k) => entryOf(root, k)).length;
    return marks > 0 || specs === params.entries.length ? 7 + marks / 10 : 0;
  },
  extract(ctx: Ctx, out: TrainingConfig): void {
    const method = at(ctx, 'method');
    const m = method && stringOf(method.node);
    const sweep: SweepSpace = {
      method: m === 'grid' || m === 'random' || m === 'bayes' ? m : 'unknown',
      parameters: [],
    };
    if (method && m) sweep.methodSetting = mk(ctx, method, m);
    const params = at(ctx, 'parameters');
    if (params) collect(ctx, params, '', sweep.parameters, out, 0);
    const cap = num(ctx, 'run_cap');
    if (cap) sweep.trials = cap;
    out.sweep = sweep;
  },
};

/** Constant (`value:`) parameters also tell the config's settings, under the same names as plain keys. */
const CONSTANTS: [keyof TrainingConfig, string[]][] = [
  ['lr', ['lr', 'learning_rate']],
  ['batchSize', ['batch_size', 'per_device_train_batch_size']],
  ['epochs', ['epochs', 'num_epochs', 'max_epochs', 'num_train_epochs']],
  ['seed', ['seed']],
];

function collect(ctx: Ctx, params: Located, prefix: string, into: SweepParameter[], out: TrainingConfig, depth: number): void {
  if (params.node.kind !== 'map' || depth > 8) return;
  for (const e of params.node.entries) {
    const key = prefix ? `${prefix}.${e.key}` : e.key;
    const spec: Located = { node: e.value, entry: e, path: `${params.path}.${e.key}` };
    const range = spanToRange(ctx.parsed, e.span);
    const nested = at(ctx, 'parameters', spec);
    if (nested) {
      collect(ctx, nested, key, into, out, depth + 1);
      continue;
    }
    const values = childOf(e.value, 'values');
    if (values?.kind === 'seq') {
      if (values.items.length > 1) into.push({ key, count: values.items.length, range });
      continue;
    }
    const constant = at(ctx, 'value', spec);
    if (constant) {
      const n = numberOf(constant.node);
      for (const [field, names] of CONSTANTS) {
        if (n !== undefined && names.includes(e.key) && out[field] === undefined) (out as unknown as Record<string, unknown>)[field] = mk(ctx, constant, n);
      }
      continue;
    }
    if (isSpec(e.value)) into.push({ key, range });
  }
}
