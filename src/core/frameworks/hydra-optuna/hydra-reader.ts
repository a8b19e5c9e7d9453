/**
 * Hydra multirun sweeps written in the config (facebookresearch/hydra docs "Multi-run", "Extended
 * Override syntax", Optuna sweeper plugin): `hydra: {mode: MULTIRUN, sweeper: {params: {...}}}`, where
 * each param is an override string: a comma list `0.1,0.01,0.001`, `choice(a,b)`, `range(0,10,2)`
 * (start, stop exclusive, step), `interval(0.0,1.0)` and `tag(log, interval(1e-5, 1e-1))` (continuous,
 * Optuna sweeper only), `glob(*)`. The basic sweeper runs the Cartesian product (a grid); the Optuna
 * sweeper (`_target_: hydra_plugins.hydra_optuna_sweeper.optuna_sweeper.OptunaSweeper`) samples
 * `n_trials` with `sampler._target_: optuna.samplers.TPESampler|RandomSampler|GridSampler|CmaEsSampler`.
 * The rest of the file is an ordinary Hydra config, read by the plain reader.
 */
import type { SweepParameter, SweepSpace, TrainingConfig } from '../../config/training-config';
import type { CMap } from '../../config/tree';
import { childOf, spanToRange } from '../../config/tree';
import { at, mk, num, stringOf } from '../../config/extract';
import type { Ctx, StyleReader } from '../../config/extract';
import { extractPlain } from '../plain/reader';

/** Splits at top-level commas (not inside brackets or quotes). */
export function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur.trim());
  return parts.filter((p) => p !== '');
}

/** Number of values of one Hydra override value; undefined for a continuous interval or a glob. */
export function hydraCount(value: string): number | undefined {
  const v = value.trim();
  const fn = /^(\w+)\s*\((.*)\)$/s.exec(v);
  if (fn) {
    const [, name, args] = fn;
    if (name === 'choice') return splitTopLevel(args).length;
    if (name === 'range') {
      const a = splitTopLevel(args).map((x) => Number(x.replace(/^\w+\s*=\s*/, '')));
      if (a.some((x) => !Number.isFinite(x))) return undefined;
      const [start, stop, step] = a.length === 1 ? [0, a[0], 1] : [a[0], a[1], a[2] ?? 1];
      if (step === 0) return undefined;
      return Math.max(0, Math.ceil((stop - start) / step));
    }
    if (name === 'tag') {
      const inner = splitTopLevel(args);
      return inner.length ? hydraCount(inner[inner.length - 1]) : undefined;
    }
    if (name === 'interval' || name === 'glob') return undefined;
  }
  return splitTopLevel(v).length;
}

export const hydraSweepReader: StyleReader = {
  style: 'hydra-sweep',
  rank: 1,
  detect(root: CMap): number {
    const params = childOf(childOf(childOf(root, 'hydra'), 'sweeper'), 'params');
    return params?.kind === 'map' ? 7 : 0;
  },
  extract(ctx: Ctx, out: TrainingConfig): void {
    const sweeper = at(ctx, 'hydra.sweeper');
    const target = sweeper && at(ctx, '_target_', sweeper);
    const targetName = target ? (stringOf(target.node) ?? '') : '';
    const sweep: SweepSpace = { method: 'grid', parameters: [], gridWhenDiscrete: true };
    if (/optuna/i.test(targetName)) {
      const samplerLoc = sweeper && at(ctx, 'sampler._target_', sweeper);
      const sampler = samplerLoc ? (stringOf(samplerLoc.node) ?? '') : 'TPESampler';
      sweep.method = /Random/.test(sampler) ? 'random' : /Grid/.test(sampler) ? 'grid' : /TPE|CmaEs|NSGA|QMC|GP/.test(sampler) ? 'bayes' : 'unknown';
      if (samplerLoc) sweep.methodSetting = mk(ctx, samplerLoc, sampler);
      const n = sweeper && num(ctx, 'n_trials', sweeper);
      if (n) sweep.trials = n;
    } else if (/ax|nevergrad/i.test(targetName)) {
      sweep.method = 'bayes';
      if (target) sweep.methodSetting = mk(ctx, target, targetName);
    } else if (target) {
      sweep.methodSetting = mk(ctx, target, targetName);
    }
    const params = at(ctx, 'hydra.sweeper.params');
    if (params?.node.kind === 'map') {
      for (const e of params.node.entries) {
        const range = spanToRange(ctx.parsed, e.span);
        let count: number | undefined;
        if (e.value.kind === 'seq') count = e.value.items.length;
        else if (e.value.kind === 'scalar' && e.value.value !== null) {
          count = typeof e.value.value === 'string' ? hydraCount(e.value.value) : 1;
        } else continue;
        if (count === 1) {
          // A single value is a fixed override; it also tells the setting (e.g. `optimizer.lr: 0.01`).
          continue;
        }
        const p: SweepParameter = { key: e.key, range };
        if (count !== undefined) p.count = count;
        sweep.parameters.push(p);
      }
    }
    out.sweep = sweep;
    extractPlain(ctx, out, { skip: new Set(['hydra']) });
  },
};
