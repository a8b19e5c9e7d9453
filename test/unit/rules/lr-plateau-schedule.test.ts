/**
 * One finding per reduce-on-plateau schedule (issue 11), on the real logs of ../shared/real-logs: the
 * Keras plateau runs are one finding each with every cut's place; bearpaw's milestones after 38–97 flat
 * evaluations are not a plateau scheduler (whose patience runs out after a few) and stay per-drop.
 */
import * as assert from 'node:assert/strict';
import { analyzePaths } from '../../../src/core/analyze';
import type { Finding } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';

async function dropsOf(dir: string): Promise<Finding[]> {
  return (await analyzePaths([realLog(dir)])).findings.filter((f) => f.rule === 'lr-step-drop');
}

describe('lr-step-drop: one finding per plateau schedule (real logs)', function () {
  this.timeout(60_000);
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('keras_history_json_braintumor_plateau: 7 cuts ×0.5 at 15, 18, …, 28 are one finding with 6 related places', async () => {
    const f = await dropsOf('keras_history_json_braintumor_plateau');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].evidence.cutEpochs, [15, 18, 20, 22, 24, 26, 28]);
    assert.equal(f[0].evidence.dropCount, 7);
    assert.equal(f[0].related?.length, 6);
    assert.ok(f[0].related!.every((r) => r.file === f[0].file));
    assert.deepEqual(
      [f[0].line, ...f[0].related!.map((r) => r.line)],
      f[0].evidence.cutLines,
    );
    assert.match(f[0].message, /^reduce-on-plateau cut the LR 7 times \(×0\.5 each\), 0\.001 → 7\.81e-6/);
    // Each other cut says which it is where the editor lists it (the diagnostic's related information).
    assert.equal(f[0].related![0].message, 'cut 2 of 7: 5e-4 → 2.5e-4 at epoch 18');
    assert.equal(f[0].severity, 'information');
  });

  it('bearpaw_bsq_resnet20_cifar10_stepdecay: ×0.1 at 150, 250, 325 after 38–97 flat evaluations is a step decay, told per drop', async () => {
    const f = await dropsOf('bearpaw_bsq_resnet20_cifar10_stepdecay');
    assert.deepEqual(
      f.map((x) => x.evidence.epoch),
      [150, 250, 325],
    );
    assert.ok(f.every((x) => x.evidence.schedule === 'step' && x.evidence.cutEpochs === undefined), f[0].message);
    assert.match(f[0].message, /step decay 1 of 3/);
  });
});
