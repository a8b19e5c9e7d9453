import * as assert from 'node:assert/strict';
import { noEarlyStoppingRule, overfittingPlateauRule } from '../../../src/core/rules/early-stopping';
import type { Thresholds } from '../../../src/core/rules/rule';
import { config, ctxOf, epochs, setting, type Row } from './helpers';

const T = overfittingPlateauRule.defaults;

/**
 * val_loss falls to its best at `best`, then rises to best·(1 + rise) at the last of `n` epochs; train
 * loss falls linearly from 1 to 1·(1 − drop) between the best epoch and the end.
 */
function overfit(n: number, best: number, rise = 0.2, drop = 0.5): Row[] {
  return epochs(n, (e) => ({
    train_loss: e <= best ? 1 + (best - e) * 0.1 : 1 - (drop * (e - best)) / (n - 1 - best),
    val_loss: e <= best ? 0.3 + (best - e) * 0.05 : 0.3 * (1 + (rise * (e - best)) / (n - 1 - best)),
  }));
}

const check = (rows: Row[], t: Thresholds = T, cfg?: Parameters<typeof ctxOf>[1]) => overfittingPlateauRule.checkRun!(ctxOf(rows, cfg), t);

describe('overfitting-plateau', () => {
  it('reports best epoch, evaluations after it, wasted share and the train-loss fall', () => {
    const f = check(overfit(60, 13));
    assert.equal(f.length, 1);
    const x = f[0];
    assert.equal(x.rule, 'overfitting-plateau');
    assert.equal(x.scenario, 'early-stopping');
    assert.equal(x.severity, 'warning');
    assert.equal(x.line, 15, 'the line of the best evaluation');
    assert.equal(x.evidence.bestEpoch, 13);
    assert.equal(x.evidence.bestLine, 15);
    assert.equal(x.evidence.lastLine, 61);
    assert.equal(x.evidence.evalsAfter, 46);
    assert.equal(x.evidence.epochsAfter, 46);
    assert.ok(Math.abs((x.evidence.wastedShare as number) - 46 / 60) < 1e-12);
    assert.match(x.message, /val_loss best at epoch 13 \(0\.3\); 46 more epochs \(46 evaluations, 77% of compute\) after it while train_loss fell 1 → 0\.5/);
  });

  it('fires at exactly `patience` evaluations after the best, not one fewer', () => {
    assert.equal(check(overfit(20, 14)).length, 1); // 5 after
    assert.equal(check(overfit(20, 15)).length, 0); // 4 after
  });

  it('needs the train loss to fall by ≥ 1 % over [best, end]', () => {
    assert.equal(check(overfit(30, 10, 0.2, 0.011)).length, 1);
    assert.equal(check(overfit(30, 10, 0.2, 0.009)).length, 0);
  });

  it('needs val_loss at the end ≥ 0.5 % above its best (a plateau is not overfitting)', () => {
    assert.equal(check(overfit(30, 10, 0.006)).length, 1);
    assert.equal(check(overfit(30, 10, 0.004)).length, 0);
  });

  it('min_delta: a smaller later improvement does not move the best', () => {
    const rows = overfit(30, 10);
    rows[20].val_loss = 0.2999; // improves by 1e-4
    assert.equal(check(rows, { ...T, minDelta: 0 })[0].evidence.bestEpoch, 20);
    const f = check(rows, { ...T, minDelta: 0.001 });
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.bestEpoch, 10);
  });

  it('works without a train loss series (val-only logs)', () => {
    const rows = overfit(30, 10).map(({ epoch, val_loss }) => ({ epoch, val_loss }));
    const f = check(rows);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.trainAtBest, null);
  });

  it('aligns step-logged train loss with the evaluations (HF style)', () => {
    const rows: Row[] = [];
    for (let ep = 1; ep <= 10; ep++) {
      for (let k = 1; k <= 5; k++) rows.push({ step: (ep - 1) * 100 + k * 20, epoch: ep - 1 + k / 5, train_loss: 1 / (ep + k / 5) });
      rows.push({ step: ep * 100, epoch: ep, val_loss: ep <= 3 ? 1 - ep * 0.1 : 0.7 + ep * 0.02 });
    }
    const f = check(rows);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.bestEpoch, 3);
    assert.equal(f[0].evidence.bestStep, 300);
    assert.equal(f[0].evidence.evalsAfter, 7);
    assert.ok((f[0].evidence.trainAtBest as number) > (f[0].evidence.trainAtEnd as number));
  });

  it('is quiet when the configured early stopping ended the run and restored the best weights', () => {
    const c = config({ earlyStopping: setting(5, 'early_stopping.patience'), restoreBest: setting(true, 'restore_best_weights') });
    assert.deepEqual(check(overfit(20, 14), T, c), []);
    const noRestore = config({ earlyStopping: setting(5, 'early_stopping.patience') });
    const f = check(overfit(20, 14), T, noRestore);
    assert.equal(f[0].severity, 'information');
    assert.match(f[0].message, /restore the best/);
  });

  it('is information when early stopping with restore-best is configured', () => {
    const c = config({ earlyStopping: setting(5, 'patience'), restoreBest: setting(true, 'restore_best_weights') });
    const f = check(overfit(40, 10), T, c);
    assert.equal(f[0].severity, 'information');
  });
});

describe('overfitting-plateau judged on the task metric (issue 10)', () => {
  const withMetric = (name: string, f: (e: number) => number) => overfit(40, 10).map((r) => ({ ...r, [name]: f(r.epoch as number) }));

  it('val_loss overfits while eval accuracy keeps improving: information about the disagreement, no "stop early"', () => {
    const f = check(withMetric('val_acc', (e) => 0.8 + 0.003 * e));
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'information');
    assert.equal(f[0].evidence.disagreement, true);
    assert.equal(f[0].evidence.suggestedPatience, null);
    assert.match(f[0].message, /val_acc did not get worse: 0\.83 at epoch 10, best 0\.917 at epoch 39/);
    assert.doesNotMatch(f[0].message, /stop early on/);
  });

  it('when the metric fell after the loss best too, it is overfitting: warning, stop on the metric', () => {
    const f = check(withMetric('val_acc', (e) => (e <= 10 ? 0.8 + 0.01 * e : 0.9 - 0.004 * (e - 10))));
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.disagreement, false);
    assert.match(f[0].message, /val_acc fell too: 0\.9 at epoch 10 → 0\.784 now — overfitting: stop early on val_acc/);
  });

  it('the metric the config monitors is the one judged (HF metric_for_best_model: f1 → eval_f1)', () => {
    const rows = withMetric('eval_f1', (e) => 0.7 + 0.005 * e).map((r) => ({ ...r, val_acc: 0.9 - 0.002 * (r.epoch as number) }));
    const f = check(rows, T, config({ monitor: setting('f1', 'metric_for_best_model') }));
    assert.equal(f[0].evidence.taskMetric, 'eval_f1');
    assert.equal(f[0].severity, 'information');
  });

  it('a config monitoring a loss keeps the loss judgement', () => {
    const f = check(withMetric('val_acc', (e) => 0.8 + 0.003 * e), T, config({ monitor: setting('val_loss', 'monitor') }));
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.taskMetric, null);
  });

  it('Ultralytics: summed val losses overfit while fitness (0.1·mAP50 + 0.9·mAP50-95) keeps rising: YOLO already stops on fitness', () => {
    const rows = epochs(40, (e) => ({
      'train/box_loss': 1 - 0.01 * e,
      'train/cls_loss': 1 - 0.01 * e,
      'val/box_loss': e <= 10 ? 1 - 0.02 * e : 0.8 + 0.01 * (e - 10),
      'val/cls_loss': e <= 10 ? 1 - 0.02 * e : 0.8 + 0.01 * (e - 10),
      'metrics/mAP50(B)': 0.5 + 0.005 * e,
      'metrics/mAP50-95(B)': 0.3 + 0.004 * e,
    }));
    const f = check(rows);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'information');
    assert.equal(f[0].evidence.taskMetric, 'fitness (0.1·mAP50 + 0.9·mAP50-95)');
    // At epoch 10: 0.1·0.55 + 0.9·0.34 = 0.361; at epoch 39: 0.1·0.695 + 0.9·0.456 = 0.4799.
    assert.ok(Math.abs((f[0].evidence.metricAtLossBest as number) - 0.361) < 1e-9);
    assert.ok(Math.abs((f[0].evidence.metricLast as number) - 0.4799) < 1e-9);
    assert.match(f[0].message, /YOLO already selects best\.pt and early-stops on fitness/);
  });

  it('the suggested patience is read from the run: one more than its longest wait for a new best before the best', () => {
    // val_loss: new bests at 0, 1, then 3 evaluations without one (2, 3, 4), a new best at 5 … best at 10.
    const val = [1, 0.9, 0.95, 0.92, 0.91, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7, 0.72];
    const f = check(val.map((v, e) => ({ epoch: e, val_loss: v, train_loss: 1 - 0.05 * e })));
    assert.equal(f[0].evidence.suggestedPatience, 4);
    assert.match(f[0].message, /patience ≥ 4: the longest wait for a new best before it was 3 evaluations/);
  });
});

describe('no-early-stopping', () => {
  const R = noEarlyStoppingRule;
  it('suggests early stopping for ≥ 20 epochs without it', () => {
    const c = config({ epochs: setting(20, 'trainer.max_epochs', 3) });
    const f = R.checkConfig!(c, R.defaults);
    assert.equal(f.length, 1);
    // A tip with a quick fix: the config alone is no evidence that this run overfits.
    assert.equal(f[0].severity, 'hint');
    assert.equal(f[0].line, 4);
    assert.deepEqual(f[0].range, c.epochs!.range);
    assert.equal(f[0].evidence.key, 'trainer.max_epochs');
    // No universal patience: the config alone does not tell how noisy this run's evaluations are.
    assert.equal(f[0].evidence.suggestedPatience, null);
    assert.doesNotMatch(f[0].message, /patience ≈/);
  });
  it('is quiet under 20 epochs', () => {
    assert.deepEqual(R.checkConfig!(config({ epochs: setting(19, 'epochs') }), R.defaults), []);
  });
  it('is quiet with early stopping or restore-best', () => {
    assert.deepEqual(R.checkConfig!(config({ epochs: setting(100, 'epochs'), earlyStopping: setting(3, 'patience') }), R.defaults), []);
    assert.deepEqual(R.checkConfig!(config({ epochs: setting(100, 'epochs'), restoreBest: setting(true, 'load_best_model_at_end') }), R.defaults), []);
  });
  it('is quiet when the LR is annealed over the whole run (the epochs are part of the schedule), not for a reactive or restarting one', () => {
    const withScheduler = (name: string) => R.checkConfig!(config({ epochs: setting(300, 'epochs'), scheduler: setting(name, 'sched') }), R.defaults);
    // timm/DeiT `sched: cosine`, torch StepLR/MultiStepLR/OneCycleLR, HF `linear`, detectron2 WarmupMultiStepLR.
    for (const planned of ['cosine', 'torch.optim.lr_scheduler.StepLR', 'MultiStepLR', 'OneCycleLR', 'linear', 'WarmupMultiStepLR', 'PolynomialLR'])
      assert.deepEqual(withScheduler(planned), [], planned);
    for (const other of ['ReduceLROnPlateau', 'plateau', 'constant', 'CosineAnnealingWarmRestarts', 'cosine_with_restarts'])
      assert.equal(withScheduler(other).length, 1, other);
  });
  it('defers to the runs of the config: quiet while an evaluated run keeps improving, a hint once one goes on past its best', () => {
    const c = config({ epochs: setting(60, 'epochs') });
    const improving = epochs(40, (e) => ({ train_loss: 1 / (1 + e), val_loss: 0.5 + 1 / (1 + e) }));
    assert.deepEqual(R.checkConfig!(c, R.defaults, [ctxOf(improving, c)]), [], 'still improving at its last evaluation');
    assert.equal(R.checkConfig!(c, R.defaults, [ctxOf(improving, c), ctxOf(overfit(40, 13), c)]).length, 1, 'one run overfits');
    // Too few evaluations to tell (4 < patience 5), or no validation loss at all: the config decides, as without runs.
    const short = epochs(4, (e) => ({ train_loss: 1 / (1 + e), val_loss: 0.5 + 1 / (1 + e) }));
    assert.equal(R.checkConfig!(c, R.defaults, [ctxOf(short, c)]).length, 1, 'four evaluations');
    const trainOnly = epochs(40, (e) => ({ train_loss: 1 / (1 + e) }));
    assert.equal(R.checkConfig!(c, R.defaults, [ctxOf(trainOnly, c)]).length, 1, 'no validation loss');
  });
});
