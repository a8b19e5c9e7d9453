/**
 * Rule-level facts on the example runs (examples/runs, trained for real; labels in examples/labels.json).
 * The scenario-level label check lives in test/unit/examples.test.ts; this adds the numbers.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzePaths } from '../../../src/core/analyze';
import type { Finding } from '../../../src/core/types';
import { EXAMPLES, skipBecause } from '../../helpers/paths';

async function findingsOf(run: string, ctx: Mocha.Context): Promise<Finding[]> {
  const dir = path.join(EXAMPLES, 'runs', run);
  if (!fs.existsSync(dir)) skipBecause(ctx, `${dir} is absent; the example runs are trained by examples/train.py`);
  return (await analyzePaths([dir])).findings;
}

describe('rules on the example runs', function () {
  this.timeout(120_000);

  it('step-decay: StepLR drops in each file\'s own epoch numbering, and the config scheduler is flagged', async function () {
    const f = await findingsOf('step-decay', this);
    const drops = f.filter((x) => x.rule === 'lr-step-drop');
    const epochsIn = (name: string): unknown[] => drops.filter((d) => d.file.endsWith(name)).map((d) => d.evidence.epoch);
    // Lightning's metrics.csv counts epochs from 0; the printed log shows `Epoch [16/45]` (1-based).
    assert.deepEqual(epochsIn('metrics.csv'), [15, 30]);
    assert.deepEqual(epochsIn('output.log'), [16, 31]);
    assert.ok(f.some((x) => x.rule === 'lr-step-scheduler'));
  });

  it('cosine: annealing to 0 is not a step decay', async function () {
    const f = await findingsOf('cosine', this);
    assert.deepEqual(
      f.filter((x) => x.scenario === 'lr-schedule'),
      [],
    );
  });

  it('overfit: eval loss best at epoch 15, the rest of the 60 epochs wasted', async function () {
    const f = await findingsOf('overfit', this);
    const o = f.filter((x) => x.rule === 'overfitting-plateau');
    assert.ok(o.length > 0);
    for (const x of o) {
      assert.equal(x.severity, 'warning');
      assert.equal(x.evidence.bestEpoch, 15);
    }
  });

  it('early-stopped: stopped by early stopping with restore-best, nothing to report', async function () {
    const f = await findingsOf('early-stopped', this);
    assert.deepEqual(
      f.filter((x) => x.scenario === 'early-stopping'),
      [],
    );
  });
});
