import * as assert from 'node:assert/strict';
import { seedVarianceRule } from '../../../src/core/rules/ensemble';
import type { RunContext } from '../../../src/core/rules/rule';
import { epochs, runOf } from './helpers';

const R = seedVarianceRule;

function accRun(best: number, file: string): RunContext {
  const rows = epochs(10, (e) => ({ val_acc: e === 6 ? best : best - 0.05 - 0.001 * e, val_loss: 1 - e * 0.01 }));
  return { run: runOf(rows, file), logFile: file };
}
function lossRun(best: number, file: string): RunContext {
  return { run: runOf(epochs(10, (e) => ({ val_loss: e === 6 ? best : best + 0.2 })), file), logFile: file };
}
const group = (bests: number[], mk = accRun) => R.checkGroup!({ runs: bests.map((b, i) => mk(b, `runs/seed${i}/log.csv`)) }, R.defaults);

describe('seed-variance', () => {
  it('reports mean ± std of the best val_acc when std > 0.5 pp', () => {
    const f = group([0.9, 0.906, 0.912]);
    assert.equal(f.length, 1);
    assert.equal(f[0].scenario, 'ensemble');
    assert.equal(f[0].severity, 'information');
    assert.equal(f[0].file, 'runs/seed0/log.csv');
    assert.equal(f[0].line, 8, 'the best evaluation of the first run (epoch 6)');
    assert.equal(f[0].evidence.metric, 'val_acc');
    assert.ok(Math.abs((f[0].evidence.spread as number) - 0.6) < 1e-9);
    assert.match(f[0].message, /best val_acc 90\.6% ± 0\.6 pp over 3 seeds/);
    assert.deepEqual(f[0].evidence.files, ['runs/seed0/log.csv', 'runs/seed1/log.csv', 'runs/seed2/log.csv']);
  });
  it('is quiet at 0.4 pp', () => {
    assert.deepEqual(group([0.9, 0.904, 0.908]), []);
  });
  it('warns above 1 pp', () => {
    assert.equal(group([0.9, 0.92, 0.94])[0].severity, 'warning');
  });
  it('accepts accuracy in percent', () => {
    const f = group([90, 90.6, 91.2]);
    assert.equal(f.length, 1);
    assert.ok(Math.abs((f[0].evidence.spread as number) - 0.6) < 1e-9);
  });
  it('needs at least 3 runs', () => {
    assert.deepEqual(group([0.8, 0.9]), []);
  });
  it('falls back to val_loss with a CV threshold of 1 %', () => {
    const f = group([1.0, 1.02, 1.04], lossRun);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.metric, 'val_loss');
    assert.deepEqual(group([1.0, 1.005, 1.01], lossRun), []);
  });
});
