import * as assert from 'node:assert/strict';
import { changesBetween } from '../../../src/core/config/changes';

describe('config/changes: what an edit changed', () => {
  it('a changed scalar, a new nested key per leaf, a new list item; layout and comments do not count', () => {
    const before = 'SOLVER:\n  BASE_LR: 0.02  # paper value\n  STEPS: [1, 2]\nMODEL:\n  DEPTH: 50\n';
    const after = 'SOLVER:\n  BASE_LR: 0.002\n  STEPS: [1, 2, 3]\n  CLIP_GRADIENTS:\n    ENABLED: true\n    CLIP_VALUE: 1.0\nMODEL:\n    DEPTH: 50\n';
    const got = changesBetween('yaml', before, after).map((c) => [c.key, c.raw, c.added]);
    assert.deepEqual(got, [
      ['SOLVER.BASE_LR', '0.002', false],
      ['SOLVER.STEPS[2]', '3', true],
      ['SOLVER.CLIP_GRADIENTS.ENABLED', 'true', true],
      ['SOLVER.CLIP_GRADIENTS.CLIP_VALUE', '1.0', true],
    ]);
  });

  it('`1` rewritten as `1.0` is a change (the type a loader sees differs)', () => {
    const got = changesBetween('yaml', 'clip: 1\n', 'clip: 1.0\n');
    assert.deepEqual(got.map((c) => [c.key, c.raw]), [['clip', '1.0']]);
  });

  it('JSON: a new top-level key and a changed string', () => {
    const got = changesBetween('json', '{"save_strategy": "no", "lr": 1}', '{"save_strategy": "epoch", "lr": 1, "load_best_model_at_end": true}');
    assert.deepEqual(got.map((c) => [c.key, c.added]), [['save_strategy', false], ['load_best_model_at_end', true]]);
  });

  it('nothing changed: no change', () => {
    assert.deepEqual(changesBetween('yaml', 'a: 1\n', 'a: 1 # same\n'), []);
  });
});
