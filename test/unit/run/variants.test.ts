/**
 * One canonical metric written under several raw names in one log is several series, never one
 * averaged series (issue 10, "wrong numbers"): the per-epoch one answers to the canonical name.
 */
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { analyzePaths } from '../../../src/core/analyze';
import { Run } from '../../../src/core/run/run';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { EXAMPLES } from '../../helpers/paths';

describe('series of one canonical metric under several raw names', function () {
  this.timeout(60_000);

  it('examples/runs/step-decay/output.log: train_loss is the epoch lines only, the batch `loss=` values are their own series', async () => {
    const file = path.join(EXAMPLES, 'runs', 'step-decay', 'output.log');
    const ws = new AnalysisWorkspace();
    await ws.updateLog(file);
    const run = ws.runOfFile(file)!;
    const train = run.series('train_loss')!;
    // Read by hand: 45 lines `Epoch [e/45] train_loss=…`; epoch 31 `train_loss=0.4451`, epoch 30 `0.4237`.
    assert.equal(train.length, 45);
    const at = (e: number) => train.value([...Array(train.length).keys()].find((i) => train.epoch(i) === e)!);
    assert.equal(at(30), 0.4237);
    assert.equal(at(31), 0.4451);
    const batch = run.series('loss')!;
    // Three `Step [k/38] loss=` lines per epoch; epoch 31's are 0.5458, 0.7176, 0.2430.
    assert.equal(batch.length, 135);
    const e31 = [...Array(batch.length).keys()].filter((i) => batch.epoch(i) === 31).map((i) => batch.value(i));
    assert.deepEqual(e31, [0.5458, 0.7176, 0.243]);
    assert.deepEqual(
      run.variantsOf('train_loss').map((s) => s.name),
      ['train_loss', 'loss'],
    );
  });

  it('step-decay: the second StepLR drop is information, no "loss jump" from batch noise (0.424 → 0.718 was a batch value against epoch means)', async () => {
    const { findings } = await analyzePaths([path.join(EXAMPLES, 'runs', 'step-decay', 'output.log')]);
    const drops = findings.filter((f) => f.rule === 'lr-step-drop');
    assert.equal(drops.length, 2);
    assert.ok(drops.every((d) => d.severity === 'information' && d.evidence.lossJump === false), JSON.stringify(drops.map((d) => d.message)));
  });

  it('diverged: the explosion and the NaN are each reported once (on the batch series, which shows them first)', async () => {
    const { findings } = await analyzePaths([path.join(EXAMPLES, 'runs', 'diverged', 'output.log')]);
    const explosion = findings.filter((f) => f.rule === 'loss-explosion');
    assert.equal(explosion.length, 1);
    // Line 10: `Epoch [2/6] Step [10/38] loss=239203.9062`.
    assert.equal(explosion[0].line, 10);
    assert.equal(explosion[0].evidence.value, 239203.9062);
    const nan = findings.filter((f) => f.rule === 'nonfinite' && /loss/.test(String(f.evidence.metric)));
    // One divergence, one finding: at the batch `loss=nan` of line 11 (before the epoch line 16, where
    // train_loss and val_loss turn NaN), naming val_loss too.
    assert.deepEqual(
      nan.map((f) => [f.evidence.metric, f.line, f.evidence.alsoNonfinite]),
      [['loss', 11, ['val_loss']]],
    );
  });

  it('a per-epoch alias seen after a per-batch one takes the canonical name; the first keeps its points under its raw name', () => {
    const run = new Run('r');
    run.append('log', [{ name: 'train_loss', rawName: 'loss', value: 2, epoch: 0, line: 1 }]);
    run.append('log', [{ name: 'train_loss', rawName: 'epoch_loss', value: 1.5, epoch: 0, line: 2 }]);
    run.append('log', [{ name: 'train_loss', rawName: 'loss', value: 1, epoch: 1, line: 3 }]);
    assert.equal(run.series('train_loss')!.length, 1);
    assert.equal(run.series('train_loss')!.value(0), 1.5);
    assert.deepEqual([run.series('loss')!.value(0), run.series('loss')!.value(1)], [2, 1]);
  });
});
