/**
 * Rule-level facts on the example runs (examples/runs, trained for real; labels in examples/labels.json).
 * The scenario-level label check lives in test/unit/examples.test.ts; this adds the numbers.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzePaths } from '../../../src/core/analyze';
import type { Finding } from '../../../src/core/types';
import { EXAMPLES } from '../../helpers/paths';

async function findingsOf(run: string, ctx: Mocha.Context): Promise<Finding[]> {
  const dir = path.join(EXAMPLES, 'runs', run);
  if (!fs.existsSync(dir)) ctx.skip();
  return (await analyzePaths([dir])).findings;
}

describe('rules on the example runs', function () {
  this.timeout(120_000);

  it('step-decay: StepLR drops at 0-based epochs 15 and 30, and the config scheduler is flagged', async function () {
    const f = await findingsOf('step-decay', this);
    const drops = f.filter((x) => x.rule === 'lr-step-drop');
    assert.ok(drops.length > 0);
    for (const d of drops) assert.ok([15, 30].includes(d.evidence.epoch as number), `drop at ${d.evidence.epoch}`);
    assert.ok(drops.some((d) => d.evidence.epoch === 15));
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
