import * as assert from 'node:assert/strict';
import { lrStepDropRule, lrStepSchedulerRule } from '../../../src/core/rules/lr-schedule';
import { config, ctxOf, epochs, LOG, setting, type Row } from './helpers';

const T = lrStepDropRule.defaults;
const drops = (rows: Row[], cfg?: Parameters<typeof ctxOf>[1]) => lrStepDropRule.checkRun!(ctxOf(rows, cfg), T);

describe('lr-step-drop', () => {
  it('reports a drop of exactly ×0.5 (ReduceLROnPlateau factor 0.5 is a step decay)', () => {
    const f = drops(epochs(20, (e) => ({ lr: e < 10 ? 0.01 : 0.005, train_loss: 1 - e * 0.01 })));
    assert.equal(f.length, 1);
    assert.equal(f[0].rule, 'lr-step-drop');
    assert.equal(f[0].scenario, 'lr-schedule');
    assert.equal(f[0].severity, 'information');
    assert.equal(f[0].line, 12, 'line of the first row with the new LR (epoch 10 on line 12)');
    assert.equal(f[0].file, LOG);
    assert.equal(f[0].evidence.epoch, 10);
    assert.equal(f[0].evidence.ratio, 0.5);
    assert.match(f[0].message, /lr dropped 0\.01 → 0\.005 \(×0\.5\) at epoch 10/);
  });

  it('infers the epoch of LR rows logged without one (Lightning LearningRateMonitor)', () => {
    const rows: Row[] = [];
    for (let e = 0; e < 30; e++) {
      rows.push({ step: e * 38, lr: e < 15 ? 0.1 : 0.01 });
      rows.push({ step: e * 38 + 9, epoch: e, train_loss: 1 });
    }
    const f = drops(rows);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.epoch, 15);
    assert.equal(f[0].evidence.epochInferred, true);
    assert.equal(f[0].line, 32);
  });

  it('stays quiet at ×0.51', () => {
    assert.deepEqual(drops(epochs(20, (e) => ({ lr: e < 10 ? 0.01 : 0.0051 }))), []);
  });

  it('one finding per drop (Keras ReduceLROnPlateau ×0.2 at 4, 8, 13, 16; 1.6e-6 → 1e-6 clamped is not one)', () => {
    const lrAt = (e: number) => (e < 4 ? 1e-3 : e < 8 ? 2e-4 : e < 13 ? 4e-5 : e < 16 ? 8e-6 : e < 18 ? 1.6e-6 : 1e-6);
    const f = drops(epochs(24, (e) => ({ lr: lrAt(e), train_loss: 0.1 - e * 0.001 })));
    assert.deepEqual(
      f.map((x) => x.evidence.epoch),
      [4, 8, 13, 16],
    );
    assert.deepEqual(
      f.map((x) => x.evidence.dropIndex),
      [1, 2, 3, 4],
    );
    assert.ok(f.every((x) => x.evidence.dropCount === 4));
  });

  it('warns when the train loss jumps > 10 % above the pre-drop median right after', () => {
    const rows = epochs(20, (e) => ({ lr: e < 10 ? 0.1 : 0.01, train_loss: e < 10 ? 0.4 + 0.001 * (e % 2) : e === 10 ? 0.45 : 0.3 }));
    const f = drops(rows);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.lossJump, true);
    assert.match(f[0].message, /train_loss jumped 0\.40\d? → 0\.45 right after/);
  });

  it('a rise just under 10 % is not a jump', () => {
    const rows = epochs(20, (e) => ({ lr: e < 10 ? 0.1 : 0.01, train_loss: e < 10 ? 0.4 : e === 10 ? 0.438 : 0.3 }));
    const f = drops(rows);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'information');
    assert.equal(f[0].evidence.lossJump, false);
  });

  it('labels a val-only jump with falling train loss as post-decay overfitting', () => {
    const rows = epochs(20, (e) => ({
      lr: e < 10 ? 0.1 : 0.01,
      train_loss: 1 - e * 0.03,
      val_loss: e < 10 ? 0.5 : 0.7,
    }));
    const f = drops(rows);
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /val_loss jumped 0\.5 → 0\.7/);
    assert.match(f[0].message, /post-decay overfitting/);
  });

  it('ignores the tail of a linear decay to 0 (HF linear schedule ending at exactly 0)', () => {
    const rows: Row[] = [];
    for (let s = 10; s <= 3000; s += 10) rows.push({ step: s, lr: 0.02 * (1 - s / 3000) });
    assert.deepEqual(drops(rows), []);
  });

  it('ignores the tail of a one-cycle schedule annealing to ~0', () => {
    const rows: Row[] = [];
    const total = 2760;
    for (let s = 49; s <= 2749; s += 50) {
      const up = s < 849;
      const lr = up ? 0.004 + (0.1 - 0.004) * (s / 849) : 1.5e-5 + (0.1 - 1.5e-5) * 0.5 * (1 + Math.cos((Math.PI * (s - 849)) / (total - 849)));
      rows.push({ step: s, lr });
    }
    assert.deepEqual(drops(rows), []);
  });

  it('ignores a print-rounding artefact at the end of a cosine decay (2e-6, 2e-6, …, 1e-6)', () => {
    const rows: Row[] = [];
    for (let e = 0; e < 450; e++) {
      const lr = 1e-6 + (4e-3 - 1e-6) * 0.5 * (1 + Math.cos((Math.PI * e) / 449));
      for (let k = 0; k < 9; k++) rows.push({ epoch: e, lr: Number(lr.toFixed(6)) });
    }
    assert.deepEqual(drops(rows), []);
  });

  it('still reports late drops when the LR was constant before them (plateau decay near the end)', () => {
    const lrAt = (e: number) => (e < 59 ? 3e-4 : e < 62 ? 1.5e-4 : 7.5e-5);
    const f = drops(epochs(63, (e) => ({ lr: lrAt(e) })));
    assert.deepEqual(
      f.map((x) => x.evidence.epoch),
      [59, 62],
    );
  });

  it('a drop at the end of a warmup ramp, or followed by a new warmup, is not a step decay', () => {
    const rows: Row[] = [];
    let s = 0;
    for (let i = 1; i <= 15; i++) rows.push({ step: (s += 20), lr: 2.5e-4 * (i / 15) });
    rows.push({ step: (s += 20), lr: 8e-5 });
    for (let i = 1; i <= 30; i++) rows.push({ step: (s += 20), lr: Math.min(2.5e-4, 8e-5 + i * 1e-5) });
    assert.deepEqual(drops(rows), []);
  });

  it('does not read a step reset (an appended launch) as a drop', () => {
    const a: Row[] = [];
    for (let s = 0; s < 10; s++) a.push({ step: s * 10, lr: 0.1 });
    for (let s = 0; s < 10; s++) a.push({ step: s * 10, lr: 0.001 });
    assert.deepEqual(drops(a), []);
  });

  it('stays quiet when the config names a restart schedule', () => {
    const rows = epochs(20, (e) => ({ lr: e % 5 === 4 ? 0.001 : 0.1 }));
    assert.ok(drops(rows).length > 0);
    assert.deepEqual(drops(rows, config({ scheduler: setting('CosineAnnealingWarmRestarts', 'scheduler') })), []);
  });
});

describe('lr-step-drop: what is not a step decay, and what is (issue 10)', () => {
  /**
   * Ultralytics' warmup, per parameter group, logged at the end of each epoch (results.csv `lr/pg0..2`):
   * ultralytics/engine/trainer.py `_do_train`: nw = max(round(warmup_epochs·nb), 100) iterations, and
   * during them `x["lr"] = np.interp(ni, [0, nw], [warmup_bias_lr if j == 0 else 0.0, initial_lr·lf(epoch)])`;
   * group 0 holds the biases. Defaults warmup_epochs 3, warmup_bias_lr 0.1, lr0 0.01, lrf 0.01 (linear lf).
   */
  function ultralyticsRows(epochsN: number, nb: number, withGroups: boolean): Row[] {
    const nw = Math.max(Math.round(3 * nb), 100);
    const lf = (e: number) => (1 - e / epochsN) * (1 - 0.01) + 0.01;
    const rows: Row[] = [];
    for (let e = 0; e < epochsN; e++) {
      const ni = e * nb + nb - 1;
      const target = 0.01 * lf(e);
      const at = (start: number) => (ni < nw ? start + (ni / nw) * (target - start) : target);
      const row: Row = { epoch: e + 1, lr: at(0.1), train_loss: 1 - 0.02 * e };
      if (withGroups) {
        row['lr/pg1'] = at(0);
        row['lr/pg2'] = at(0);
      }
      rows.push(row);
    }
    return rows;
  }

  it('Ultralytics: the bias group warming down (lr/pg0 0.07 → 0.04 → 0.01) while pg1/pg2 warm up is not a step decay', () => {
    const rows = ultralyticsRows(10, 100, true);
    // The bias group alone does fall by ≤ ×0.5 at epoch 3 (0.0404 → 0.0103); the weight groups rise there.
    assert.ok((rows[2].lr as number) / (rows[1].lr as number) < 0.5);
    assert.ok((rows[2]['lr/pg1'] as number) > (rows[1]['lr/pg1'] as number));
    assert.deepEqual(drops(rows), []);
    assert.deepEqual(drops(ultralyticsRows(10, 100, false)), [], 'the bias group falls on both sides of that epoch: a ramp, not a step');
  });

  it('a drop of the first parameter group that the other groups do not share is not a step decay', () => {
    const row = (e: number, pg1Drops: boolean): Row => ({ epoch: e, lr: e < 5 ? 0.1 : 0.01, 'lr/pg1': pg1Drops && e >= 5 ? 0.001 : 0.01 });
    assert.deepEqual(drops(epochs(10, (e) => row(e, false))), []);
    assert.equal(drops(epochs(10, (e) => row(e, true))).length, 1);
  });

  it('a per-epoch cosine after a one-epoch warmup (0.02, 0.1, 0.075, 0.025, 0) is not a step decay', () => {
    const lrs = [0.02, 0.1, 0.075, 0.025, 0];
    assert.deepEqual(drops(lrs.map((lr, e) => ({ epoch: e, lr }))), []);
  });

  it('a MultiStep milestone right at the end of warmup is a step decay when the LR then holds', () => {
    const lrs = [0.02, 0.04, 0.06, 0.08, 0.1, 0.01, 0.01, 0.01, 0.01, 0.01];
    const f = drops(lrs.map((lr, e) => ({ epoch: e, lr })));
    assert.deepEqual(
      f.map((x) => x.evidence.epoch),
      [5],
    );
    assert.equal(f[0].evidence.schedule, 'step');
  });

  it('a per-batch loss after a drop is judged on its epoch means: one noisy batch is not a jump, a higher epoch mean is', () => {
    // Four batches per epoch; the drop at epoch 10. Before: every epoch averages 0.4.
    const rows = (afterBatches: (e: number) => number[]): Row[] => {
      const out: Row[] = [];
      for (let e = 0; e < 16; e++) {
        const b = e < 10 ? [0.3, 0.5, 0.35, 0.45] : afterBatches(e);
        for (const v of b) out.push({ epoch: e, lr: e < 10 ? 0.1 : 0.01, train_loss: v });
      }
      return out;
    };
    // One batch at 0.75 in epoch 10 (the old test took the max of the next points: a jump 0.4 → 0.75).
    const noisy = drops(rows((e) => (e === 10 ? [0.75, 0.2, 0.25, 0.2] : [0.3, 0.35, 0.3, 0.33])));
    assert.equal(noisy.length, 1);
    assert.equal(noisy[0].evidence.lossJump, false);
    assert.equal(noisy[0].evidence.jumpBasis, 'epoch-mean');
    const risen = drops(rows((e) => (e === 10 ? [0.6, 0.55, 0.65, 0.6] : [0.3, 0.35, 0.3, 0.33])));
    assert.equal(risen[0].evidence.lossJump, true);
    assert.equal(risen[0].evidence.trainLossAfter, 0.6);
  });

  it('a loss logged without epochs must stay up (median of the next points), not spike once', () => {
    const rows = (after: number[]): Row[] => [
      ...[0.4, 0.41, 0.39, 0.4, 0.4].map((v, i) => ({ step: i * 10, lr: 0.1, train_loss: v })),
      ...after.map((v, i) => ({ step: 50 + i * 10, lr: 0.01, train_loss: v })),
    ];
    assert.equal(drops(rows([0.7, 0.35, 0.34, 0.33]))[0].evidence.lossJump, false);
    assert.equal(drops(rows([0.7, 0.6, 0.34, 0.33]))[0].evidence.lossJump, true);
  });

  it('reduce-on-plateau cuts read from the log: same factor, each after evaluations without improvement, at irregular intervals', () => {
    // Cuts ×0.5 at epochs 6, 10, 17; val_loss stalls for two evaluations before each.
    const val = [1, 0.8, 0.7, 0.65, 0.66, 0.67, 0.6, 0.58, 0.59, 0.6, 0.55, 0.54, 0.53, 0.52, 0.51, 0.515, 0.52, 0.5, 0.49];
    const lrAt = (e: number) => 0.01 * 0.5 ** [6, 10, 17].filter((c) => e >= c).length;
    const f = drops(val.map((v, e) => ({ epoch: e, lr: lrAt(e), val_loss: v })));
    // One schedule, one finding (issue 11): at the first cut, the others in `related` and the evidence.
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].evidence.cutEpochs, [6, 10, 17]);
    assert.deepEqual(f[0].evidence.cutLines, [8, 12, 19]);
    assert.equal(f[0].line, 8);
    assert.deepEqual(
      f[0].related?.map((r) => r.line),
      [12, 19],
    );
    assert.equal(f[0].evidence.schedule, 'plateau');
    assert.equal(f[0].evidence.plateauSource, 'log');
    assert.equal(f[0].evidence.evalsWithoutImprovement, 2);
    assert.equal(f[0].severity, 'information');
    assert.doesNotMatch(f[0].message, /cosine/);
    assert.match(f[0].message, /cut the LR 3 times \(×0\.5 each\), 0\.01 → 0\.00125, at epochs 6, 10, 17, each after val_loss had not improved for 2 evaluations/);
  });

  it('a plateau schedule whose one cut made the loss jump is one warning shown at that cut', () => {
    const val = [1, 0.8, 0.7, 0.65, 0.66, 0.67, 0.6, 0.58, 0.59, 0.6, 0.55, 0.54, 0.53, 0.52, 0.51, 0.515, 0.52, 0.5, 0.49];
    const lrAt = (e: number) => 0.01 * 0.5 ** [6, 10, 17].filter((c) => e >= c).length;
    // The train loss is flat, then jumps right at the second cut (epoch 10) and stays up.
    const f = drops(val.map((v, e) => ({ epoch: e, lr: lrAt(e), val_loss: v, train_loss: e < 10 ? 0.4 + 0.001 * (e % 2) : 0.6 })));
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].line, 12, 'the row of epoch 10');
    assert.deepEqual(
      f[0].related?.map((r) => r.line),
      [8, 19],
    );
    assert.match(f[0].message, /after the cut at epoch 10: train_loss jumped 0\.40\d? → 0\.6 right after/);
  });

  it('a loss that rose before the cut is what the cut reacted to, not a jump after it (order of events)', () => {
    // val_loss spikes at epoch 9, the scheduler cuts at 10 (first row with the new LR), and it stays up one more epoch.
    const base = [0.9, 0.8, 0.75, 0.72, 0.7, 0.69, 0.685, 0.68, 0.678];
    const rows = epochs(16, (e) => ({ lr: e < 10 ? 0.01 : 0.001, val_loss: e < 9 ? base[e] : e === 9 || e === 10 ? 0.85 : 0.66 }));
    const f = drops(rows);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.lossJump, false, f[0].message);
    assert.equal(f[0].severity, 'information');
    // The same rise starting only after the cut is a jump the cut came with.
    const after = epochs(16, (e) => ({ lr: e < 10 ? 0.01 : 0.001, val_loss: e < 9 ? base[e] : e === 9 ? 0.677 : e <= 11 ? 0.85 : 0.66 }));
    const g = drops(after);
    assert.equal(g[0].evidence.lossJump, true, g[0].message);
  });

  it('cuts at fixed epochs whose val_loss kept improving are step decays, not plateau cuts', () => {
    const f = drops(epochs(30, (e) => ({ lr: 0.1 * 0.1 ** Math.floor(e / 10), val_loss: 1 - 0.02 * e })));
    assert.equal(f.length, 2);
    assert.ok(f.every((x) => x.evidence.schedule === 'step'));
  });

  it('a config naming ReduceLROnPlateau settles it', () => {
    const rows = epochs(30, (e) => ({ lr: 0.1 * 0.1 ** Math.floor(e / 10), val_loss: 1 - 0.02 * e }));
    const f = drops(rows, config({ scheduler: setting('torch.optim.lr_scheduler.ReduceLROnPlateau', 'scheduler') }));
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.plateauSource, 'config');
    assert.deepEqual(f[0].evidence.cutEpochs, [10, 20]);
    assert.match(f[0].message, /^ReduceLROnPlateau cut the LR 2 times \(×0\.1 each\)/);
    assert.doesNotMatch(f[0].message, /cosine/);
  });
});

describe('lr-step-scheduler', () => {
  for (const name of ['MultiStepLR', 'torch.optim.lr_scheduler.StepLR', 'step', 'steps', 'WarmupMultiStepLR', 'multistep']) {
    it(`suggests cosine instead of ${name}`, () => {
      const c = config({ scheduler: setting(name, 'lr_scheduler.class_path', 7), schedulerSteps: setting([30, 60], 'milestones', 9) });
      const f = lrStepSchedulerRule.checkConfig!(c, lrStepSchedulerRule.defaults);
      assert.equal(f.length, 1);
      // A tip (editor only): a step schedule is many recipes' own choice (issue 10).
      assert.equal(f[0].severity, 'hint');
      assert.equal(f[0].line, 8);
      assert.deepEqual(f[0].range, c.scheduler!.range);
      assert.equal(f[0].file, c.file);
      assert.equal(f[0].evidence.suggestedScheduler, 'cosine');
      assert.equal(f[0].evidence.key, 'lr_scheduler.class_path');
      assert.deepEqual(f[0].evidence.steps, [30, 60]);
    });
  }
  it('is quiet when the schedule never drops abruptly: no milestones, milestones past MAX_ITER, a mild factor', () => {
    const R = lrStepSchedulerRule;
    // detectron2 balloon tutorial (recipe detectron2-balloon-finetune-colab): STEPS [] and MAX_ITER 300.
    const d2 = (steps: number[]) =>
      config({ style: 'detectron2', scheduler: setting('WarmupMultiStepLR', 'SOLVER.LR_SCHEDULER_NAME'), schedulerSteps: setting(steps, 'SOLVER.STEPS'), maxSteps: setting(300, 'SOLVER.MAX_ITER') });
    assert.deepEqual(R.checkConfig!(d2([]), R.defaults), []);
    assert.deepEqual(R.checkConfig!(d2([1000]), R.defaults), []);
    assert.equal(R.checkConfig!(d2([200]), R.defaults).length, 1);
    // timm EfficientNet-B2 recipe (timm-efficientnet-b2-ra): sched step, decay_rate 0.97 every 2.4 epochs.
    const timm = (rate: number) =>
      config({ style: 'timm', scheduler: setting('step', 'sched'), schedulerSteps: setting(2.4, 'decay_epochs'), schedulerFactor: setting(rate, 'decay_rate') });
    assert.deepEqual(R.checkConfig!(timm(0.97), R.defaults), []);
    assert.equal(R.checkConfig!(timm(0.1), R.defaults).length, 1);
  });
  for (const name of ['CosineAnnealingLR', 'cosine', 'linear', 'OneCycleLR', 'ReduceLROnPlateau', 'warmup_steps']) {
    it(`is quiet for ${name}`, () => {
      const c = config({ scheduler: setting(name, 'scheduler') });
      assert.deepEqual(lrStepSchedulerRule.checkConfig!(c, lrStepSchedulerRule.defaults), []);
    });
  }
});
