/**
 * W&B sweep checks (docs.wandb.ai "Sweep configuration options"): `method` is grid, random or bayes;
 * `run_cap` a positive int. Random search over nothing but discrete lists only re-draws grid points:
 * a random sweep needs a continuous range, and keeps no float `values:` list.
 */
import type { Change } from '../../config/changes';
import { childOf, dataFormat } from '../../config/tree';
import type { ConfigDoc } from '../framework';
import { pyTypeOf } from '../shared/python-types';
import { checkChanges, type Schema } from '../shared/schema';
import { distributionFor, parameterSpecs } from './distributions';

const SWEEP: Schema = {
  method: { types: ['str'], oneOf: ['grid', 'random', 'bayes'] },
  run_cap: { types: ['int'] },
};

export function validateWandb(doc: ConfigDoc, changes: readonly Change[]): string[] {
  const problems = checkChanges(changes, {
    schema: SWEEP,
    owner: 'W&B sweeps',
    typeOf: (c) => pyTypeOf(c.node, c.raw, dataFormat(doc.cfg)),
    inScope: (key) => !key.startsWith('parameters.'),
  });
  const cap = doc.cfg.sweep?.trials?.value;
  if (cap !== undefined && !(cap > 0)) problems.push(`run_cap ${cap} is not positive`);
  if (doc.cfg.sweep?.method === 'random') {
    const specs = parameterSpecs(childOf(doc.root, 'parameters'));
    const discrete = specs.filter(({ spec }) => distributionFor(spec, doc.text) !== undefined).map(({ path }) => path.join('.'));
    if (discrete.length) problems.push(`random search keeps float value lists (${discrete.join(', ')}): it would re-draw the grid's points`);
    const continuous = specs.some(({ spec }) => childOf(spec, 'distribution') !== undefined || (childOf(spec, 'min') !== undefined && childOf(spec, 'max') !== undefined));
    if (!continuous) problems.push('random search over discrete values only re-draws grid points');
  }
  return problems;
}
