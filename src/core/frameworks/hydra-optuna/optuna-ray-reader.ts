/**
 * Search spaces written as data for Ray Tune and Optuna-driven scripts:
 * - Ray Tune (docs.ray.io "Tune search space API"): `param: {grid_search: [...]}` (every value, crossed
 *   with the other grid_search keys), and YAML spellings of `tune.choice/uniform/loguniform/randint`
 *   (`{choice: [...]}`, `{loguniform: [a, b]}`, …); `num_samples` repeats the grid or draws samples.
 * - Optuna (optuna.readthedocs.io `Trial.suggest_*`) as configured by scripts: `search_space: {param:
 *   {type: float|int|categorical, low, high, log, step, choices}}`, `n_trials`, `sampler: TPESampler|…`.
 * The rest of the file is read by the plain reader.
 */
import type { SweepParameter, SweepSpace, TrainingConfig } from '../../config/training-config';
import type { CMap, CNode, Located } from '../../config/tree';
import { childOf, entryOf, spanToRange } from '../../config/tree';
import { first, num, stringOf, findKey, mk } from '../../config/extract';
import type { Ctx, StyleReader } from '../../config/extract';
import { extractPlain } from '../plain/reader';

const DISCRETE = ['grid_search', 'choice', 'choices', 'categorical'];
const CONTINUOUS = ['uniform', 'loguniform', 'quniform', 'qloguniform', 'randn', 'qrandn', 'randint', 'qrandint', 'lograndint'];

function hasGridSearch(node: CNode, depth: number): boolean {
  if (depth > 6) return false;
  if (node.kind === 'map') return node.entries.some((e) => e.key === 'grid_search' || hasGridSearch(e.value, depth + 1));
  return false;
}

function spaceSpec(node: CNode): 'grid' | 'choice' | 'continuous' | undefined {
  if (node.kind !== 'map') return undefined;
  if (entryOf(node, 'grid_search')?.value.kind === 'seq') return 'grid';
  for (const k of DISCRETE) if (entryOf(node, k)?.value.kind === 'seq') return 'choice';
  if (CONTINUOUS.some((k) => entryOf(node, k))) return 'continuous';
  if ((entryOf(node, 'low') && entryOf(node, 'high')) || (entryOf(node, 'lower') && entryOf(node, 'upper'))) return 'continuous';
  return undefined;
}

export const optunaRayReader: StyleReader = {
  style: 'optuna-ray',
  rank: 5,
  detect(root: CMap): number {
    if (hasGridSearch(root, 0)) return 5;
    const space = childOf(root, 'search_space') ?? childOf(root, 'param_space') ?? childOf(root, 'space');
    const marks = ['n_trials', 'num_samples', 'sampler', 'study_name', 'direction', 'search_alg'].filter((k) => entryOf(root, k)).length;
    if (space?.kind === 'map' && space.entries.some((e) => spaceSpec(e.value))) return 4 + marks / 10;
    return 0;
  },
  extract(ctx: Ctx, out: TrainingConfig): void {
    const params: SweepParameter[] = [];
    let grid = 0;
    let other = 0;
    const walk = (loc: Located, depth: number) => {
      if (loc.node.kind !== 'map' || depth > 8) return;
      for (const e of loc.node.entries) {
        const path = loc.path ? `${loc.path}.${e.key}` : e.key;
        const kind = spaceSpec(e.value);
        if (kind) {
          const range = spanToRange(ctx.parsed, e.span);
          if (kind === 'continuous') {
            other++;
            params.push({ key: path, range });
          } else {
            const list = [...DISCRETE].map((k) => entryOf(e.value, k)?.value).find((v) => v?.kind === 'seq');
            if (kind === 'grid') grid++;
            else other++;
            params.push({ key: path, count: list && list.kind === 'seq' ? list.items.length : undefined, range });
          }
        } else walk({ node: e.value, entry: e, path }, depth + 1);
      }
    };
    walk({ node: ctx.root, path: '' }, 0);
    const samplerLoc = findKey(ctx, ['sampler', 'search_alg'], (l) => stringOf(l.node) !== undefined, { maxDepth: 2 });
    const sampler = samplerLoc ? (stringOf(samplerLoc.node) as string) : '';
    let method: SweepSpace['method'] = 'unknown';
    if (/random/i.test(sampler)) method = 'random';
    else if (/grid/i.test(sampler)) method = 'grid';
    else if (/tpe|cmaes|bayes|hyperopt|optuna|ax|nevergrad|gp/i.test(sampler)) method = 'bayes';
    else if (grid > 0 && other === 0) method = 'grid';
    else if (other > 0 && grid === 0) method = 'random'; // Ray's default searcher samples at random
    const sweep: SweepSpace = { method, parameters: params };
    if (samplerLoc) sweep.methodSetting = mk(ctx, samplerLoc, sampler);
    const trials = first(num(ctx, 'n_trials'), num(ctx, 'num_samples'), num(ctx, 'tune.num_samples'));
    if (trials) sweep.trials = trials;
    out.sweep = sweep;
    extractPlain(ctx, out);
  },
};
