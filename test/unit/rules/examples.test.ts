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
    // Lightning's metrics.csv counts epochs from 0; the printed log shows `Epoch [16/45]` (1-based).
    // The same two drops in both files are two findings (one per event), each with the other file's
    // line in `related`: output.log lines 61 and 121 are the first `lr=0.01` / `lr=0.001` lines.
    assert.deepEqual(
      drops.map((d) => [d.file.split('/').pop(), d.evidence.epoch]),
      [
        ['metrics.csv', 15],
        ['metrics.csv', 30],
      ],
    );
    assert.deepEqual(
      drops.map((d) => d.related?.map((r) => [r.file.split('/').pop(), r.line])),
      [[['output.log', 61]], [['output.log', 121]]],
    );
    assert.ok(f.some((x) => x.rule === 'lr-step-scheduler'));
  });

  it('cosine: annealing to 0 is not a step decay', async function () {
    const f = await findingsOf('cosine', this);
    assert.deepEqual(
      f.filter((x) => x.scenario === 'lr-schedule'),
      [],
    );
  });

  it('overfit: eval loss best at epoch 15 while eval accuracy did not get worse (0.926 → best 0.938 at 25): a disagreement, not "stop"', async function () {
    const f = await findingsOf('overfit', this);
    const o = f.filter((x) => x.rule === 'overfitting-plateau');
    assert.ok(o.length > 0);
    for (const x of o) {
      assert.equal(x.severity, 'information');
      assert.equal(x.evidence.bestEpoch, 15);
      assert.equal(x.evidence.disagreement, true);
      assert.equal(x.evidence.metricBest, 0.9380234505862647);
    }
  });

  it('large-batch-no-warmup: val_acc fell after the val-loss best too (67.5 → 65.9): overfitting, with a patience read from the run', async function () {
    const f = await findingsOf('large-batch-no-warmup', this);
    const o = f.filter((x) => x.rule === 'overfitting-plateau' && x.file.endsWith('output.log'));
    assert.equal(o.length, 1);
    assert.equal(o[0].severity, 'warning');
    assert.equal(o[0].evidence.disagreement, false);
    assert.equal(o[0].evidence.taskMetric, 'val_acc');
    assert.doesNotMatch(o[0].message, /patience ≈ 5/);
  });

  it('early-stopped: stopped by early stopping with restore-best, nothing to report', async function () {
    const f = await findingsOf('early-stopped', this);
    assert.deepEqual(
      f.filter((x) => x.scenario === 'early-stopping'),
      [],
    );
  });
});
