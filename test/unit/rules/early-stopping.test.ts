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
    assert.equal(f[0].evidence.suggestedPatience, 5);
  });
  it('is quiet under 20 epochs', () => {
    assert.deepEqual(R.checkConfig!(config({ epochs: setting(19, 'epochs') }), R.defaults), []);
  });
  it('is quiet with early stopping or restore-best', () => {
    assert.deepEqual(R.checkConfig!(config({ epochs: setting(100, 'epochs'), earlyStopping: setting(3, 'patience') }), R.defaults), []);
    assert.deepEqual(R.checkConfig!(config({ epochs: setting(100, 'epochs'), restoreBest: setting(true, 'load_best_model_at_end') }), R.defaults), []);
  });
});
