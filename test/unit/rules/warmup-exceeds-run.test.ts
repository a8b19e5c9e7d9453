import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readConfig } from '../../../src/core/config/read-config';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { warmupExceedsRunRule } from '../../../src/core/rules/warmup-exceeds-run';
import { REPO_ROOT } from '../../helpers/paths';
import { config, setting } from './helpers';

const R = warmupExceedsRunRule;
const RECIPES = path.join(REPO_ROOT, 'test', 'fixtures', 'recipes');

function recipe(...parts: string[]): TrainingConfig {
  const file = path.join(RECIPES, ...parts);
  const c = readConfig(file, fs.readFileSync(file, 'utf8'));
  assert.ok(c, `${file} reads as a config`);
  return c;
}

describe('warmup-exceeds-run (lr-schedule)', () => {
  it('warns on the detectron2 Colab tutorial: WARMUP_ITERS 1000 for a 300-iteration run', () => {
    const f = R.checkConfig!(recipe('detectron2-balloon-finetune-colab', 'output', 'config.yaml'), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.key, 'SOLVER.WARMUP_ITERS');
    assert.equal(f[0].evidence.warmup, 1000);
    assert.equal(f[0].evidence.length, 300);
    assert.equal(f[0].evidence.lengthKey, 'SOLVER.MAX_ITER');
    assert.match(f[0].message, /never reaches lr 2\.5e-4/);
  });

  it('does not take LitGPT eval.max_iters (evaluation batches) for the length of the run', () => {
    const c = recipe('litgpt-tinyllama-pretrain', 'tinyllama.yaml');
    assert.equal(c.maxSteps?.key, 'eval.max_iters', 'what the config reader gives');
    assert.deepEqual(R.checkConfig!(c, R.defaults), []);
  });

  it('is quiet on every other canonical recipe', () => {
    const flagged: string[] = [];
    const walk = (dir: string): void => {
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, d.name);
        if (d.isDirectory()) walk(p);
        else if (/\.(ya?ml|json)$/.test(d.name) && d.name !== 'labels.json') {
          const c = readConfig(p, fs.readFileSync(p, 'utf8'));
          if (c && R.checkConfig!(c, R.defaults).length) flagged.push(path.relative(RECIPES, p));
        }
      }
    };
    walk(RECIPES);
    assert.deepEqual(flagged, [path.join('detectron2-balloon-finetune-colab', 'output', 'config.yaml')]);
  });

  it('compares a warmup ratio with 1', () => {
    const c = (r: number) => config({ warmup: setting(r, 'warmup_ratio', 4), warmupUnit: 'ratio' });
    const f = R.checkConfig!(c(1), R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].line, 5);
    assert.match(f[0].message, /0\.03–0\.1/);
    assert.deepEqual(R.checkConfig!(c(0.99), R.defaults), []);
  });

  it('compares steps with steps and epochs with epochs, never one with the other', () => {
    const steps = (w: number) => config({ warmup: setting(w, 'warmup_steps'), warmupUnit: 'steps', maxSteps: setting(300, 'max_steps') });
    assert.equal(R.checkConfig!(steps(300), R.defaults).length, 1);
    assert.deepEqual(R.checkConfig!(steps(299), R.defaults), []);
    const ep = (w: number) => config({ warmup: setting(w, 'warmup_epochs'), warmupUnit: 'epochs', epochs: setting(10, 'epochs') });
    assert.equal(R.checkConfig!(ep(10), R.defaults).length, 1);
    assert.deepEqual(R.checkConfig!(ep(9), R.defaults), []);
    // 500 warmup steps in a 3-epoch run: how many steps an epoch has is not known.
    assert.deepEqual(R.checkConfig!(config({ warmup: setting(500, 'warmup_steps'), warmupUnit: 'steps', epochs: setting(3, 'num_train_epochs') }), R.defaults), []);
    // HF max_steps -1 means "use the epochs".
    assert.deepEqual(R.checkConfig!(config({ warmup: setting(500, 'warmup_steps'), warmupUnit: 'steps', maxSteps: setting(-1, 'max_steps') }), R.defaults), []);
  });

  it('gives a built-in warmup as information on the run-length key the user wrote', () => {
    const c = config({ epochs: setting(3, 'epochs', 7), builtIn: { warmup: { value: 3, unit: 'epochs' } } });
    const f = R.checkConfig!(c, R.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'information');
    assert.equal(f[0].evidence.key, 'epochs');
    assert.equal(f[0].line, 8);
    assert.equal(f[0].evidence.builtIn, true);
    assert.deepEqual(R.checkConfig!(config({ epochs: setting(4, 'epochs'), builtIn: { warmup: { value: 3, unit: 'epochs' } } }), R.defaults), []);
    // A warmup key set to 0 switches the built-in off.
    assert.deepEqual(R.checkConfig!(config({ warmup: setting(0, 'warmup_epochs'), epochs: setting(3, 'epochs'), builtIn: { warmup: { value: 3, unit: 'epochs' } } }), R.defaults), []);
  });
});
