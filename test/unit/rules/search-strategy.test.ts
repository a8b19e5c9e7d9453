import * as assert from 'node:assert/strict';
import type { SweepSpace, TrainingConfig } from '../../../src/core/config/training-config';
import { gridSearchRule, randomTrialsFor } from '../../../src/core/rules/search-strategy';
import { config, setting } from './helpers';

const R = gridSearchRule;

function sweep(method: SweepSpace['method'], counts: (number | undefined)[]): SweepSpace {
  return {
    method,
    methodSetting: setting(method, 'method', 1),
    parameters: counts.map((count, i) => ({ key: `parameters.p${i}`, count, range: setting(0, `p${i}`, 3 + i).range })),
  };
}

const run = (s: SweepSpace, style: TrainingConfig['style'] = 'wandb-sweep') => R.checkConfig!(config({ style, sweep: s }), R.defaults);

describe('grid-search', () => {
  it('59 random trials hit the top 5 % with 95 % probability', () => {
    assert.equal(randomTrialsFor(0.05, 0.95), 59);
  });

  it('warns at 100 grid combinations and suggests random search', () => {
    const f = run(sweep('grid', [5, 5, 4]));
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.combinations, 100);
    assert.equal(f[0].evidence.suggestedTrials, 59);
    assert.equal(f[0].evidence.suggestedMethod, 'random');
    assert.equal(f[0].evidence.key, 'method');
    assert.equal(f[0].line, 2);
    assert.match(f[0].message, /= 100 runs/);
  });

  it('is quiet at 99 combinations over 3 keys', () => {
    assert.deepEqual(run(sweep('grid', [3, 3, 11])), []);
  });

  it('is information under 100 combinations with ≥ 4 swept keys, quiet with 3', () => {
    const f = run(sweep('grid', [2, 2, 2, 2]));
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'information');
    assert.deepEqual(run(sweep('grid', [2, 2, 2])), []);
  });

  it('is quiet for random and bayes sweeps', () => {
    assert.deepEqual(run(sweep('random', [10, 10, 10])), []);
    assert.deepEqual(run(sweep('bayes', [10, 10, 10])), []);
  });

  it('reads a Hydra multirun of lists as a grid', () => {
    const s = { ...sweep('unknown', [10, 10]), gridWhenDiscrete: true };
    delete s.methodSetting;
    const f = run(s, 'hydra-sweep');
    assert.equal(f.length, 1);
    assert.equal(f[0].line, 4, 'on the first swept key when the method is not written');
    assert.deepEqual(run({ ...sweep('unknown', [10, 10, undefined]), gridWhenDiscrete: true }, 'hydra-sweep'), []);
    assert.deepEqual(run(sweep('unknown', [10, 10]), 'hydra-sweep'), [], 'an unknown sampler of a sweeper that does not enumerate');
  });
});
