/**
 * `metric-decline` (issue 11): the task metric got worse after its best in a run with no validation
 * loss. Synthetic curves on both sides of each threshold; real logs of ../shared/real-logs (read in
 * place, or from a temporary copy when a line must be completed).
 */
import * as assert from 'node:assert/strict';
import { analyzePaths } from '../../../src/core/analyze';
import { metricDeclineRule } from '../../../src/core/rules/metric-decline';
import type { Finding } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { config, ctxOf, epochs, noise, setting, type Row } from './helpers';

function check(rows: Row[], c = config()): Finding[] {
  return metricDeclineRule.checkRun!(ctxOf(rows, c), metricDeclineRule.defaults);
}

/** 30 epochs: val accuracy rising to 0.90 at epoch 12, then falling by `fall` in all by epoch 29 (±0.002 noise); train loss falling throughout. */
function declining(fall: number): Row[] {
  return epochs(30, (e) => ({
    val_acc: (e <= 12 ? 0.6 + 0.3 * (e / 12) : 0.9 - (fall * (e - 12)) / 17) + 0.002 * noise(e),
    train_loss: 1 / (1 + e),
  }));
}

describe('metric-decline (synthetic)', () => {
  it('val accuracy 0.90 at epoch 12 falling to 0.80 by 29 while the train loss falls: overfitting on the task metric', () => {
    const f = check(declining(0.1));
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.kind, 'gradual');
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].evidence.bestEpoch, 12);
    assert.equal(f[0].line, 14, 'at the best evaluation (row of epoch 12)');
    assert.match(f[0].message, /val_acc best at epoch 12 .*17 evaluations after it, it fell to 0\.799 \(11% off its best.* while the train loss kept falling \(−57%\) — overfitting on the task metric: early-stop on val_acc/);
  });

  it('a fall of 1 % of the best (under minRel) is not a decline', () => {
    assert.deepEqual(check(declining(0.009)), []);
  });

  it('a late best, 4 evaluations before the end (under patience 5), is not judged yet', () => {
    const rows = epochs(30, (e) => ({ val_acc: e <= 25 ? 0.6 + 0.01 * e : 0.85 - 0.02 * (e - 25), train_loss: 1 / (1 + e) }));
    assert.deepEqual(check(rows), []);
  });

  it('WER is lower-is-better: rising from its best is the decline, falling is not', () => {
    const rows = (up: boolean) => epochs(30, (e) => ({ eval_wer: e <= 10 ? 0.5 - 0.02 * e : 0.3 + (up ? 0.005 : -0.005) * (e - 10), train_loss: 1 / (1 + e) }));
    const f = check(rows(true));
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.higherIsBetter, false);
    assert.match(f[0].message, /eval_wer best at epoch 10 \(0\.3\).* it rose to 0\.39/);
    assert.deepEqual(check(rows(false)), []);
  });

  it('with early stopping and restore-best configured it is information', () => {
    const c = config({ earlyStopping: setting(5, 'patience'), restoreBest: setting(true, 'restore_best_weights') });
    const f = check(declining(0.1), c);
    assert.equal(f[0].severity, 'information');
  });

  it('without a config the gradual form is quiet (an unseen early stopper may have ended the run); a collapse is still told', () => {
    const ctx = ctxOf(declining(0.1), config());
    assert.equal(metricDeclineRule.checkRun!(ctx, metricDeclineRule.defaults).length, 1);
    assert.deepEqual(metricDeclineRule.checkRun!({ ...ctx, config: undefined }, metricDeclineRule.defaults), []);
  });

  it('a decline no longer than the configured patience is the early stopper waiting, not overfitting', () => {
    assert.deepEqual(check(declining(0.1), config({ earlyStopping: setting(17, 'patience') })), []);
    assert.equal(check(declining(0.1), config({ earlyStopping: setting(16, 'patience') })).length, 1);
  });

  it('a run with a validation loss is left to overfitting-plateau', () => {
    assert.deepEqual(
      check(declining(0.1).map((r) => ({ ...r, val_loss: 0.5 }))),
      [],
    );
  });

  it('a sudden fall at the last evaluation is a collapse; the same fall spread over the run is not', () => {
    const steady = epochs(10, (e) => ({ val_acc: 0.8 + 0.004 * noise(e) }));
    const collapsed = steady.map((r, i) => (i === 9 ? { ...r, val_acc: 0.55 } : r));
    const f = check(collapsed);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.kind, 'collapse');
    assert.match(f[0].message, /collapsed at the last evaluation/);
    // 5 % off the best in the last evaluation: under collapseRel (10 %).
    assert.deepEqual(check(steady.map((r, i) => (i === 9 ? { ...r, val_acc: 0.76 } : r))), []);
  });
});

describe('metric-decline on the real logs (INDEX.md)', function () {
  this.timeout(120_000);
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('wandb_imdb_transformer_lion_collapse read in place: test accuracy 0.827 → 0.536 at the last epoch is a collapse', async () => {
    // The last line (`test accuracy 0.536`) has no final newline: a one-shot check reads it as complete.
    // The capture lost the `epoch 3`–`5` and `epoch 9` headers, so four accuracies ~150 lines apart carry
    // epoch 2: they are four evaluations, not one (the best is 0.839 at line 617, per INDEX.md's values).
    const f = (await analyzePaths([realLog('wandb_imdb_transformer_lion_collapse')])).findings.filter((x) => x.rule === 'metric-decline');
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.kind, 'collapse');
    assert.equal(f[0].evidence.metric, 'test_accuracy');
    assert.equal(f[0].evidence.evals, 10);
    assert.equal(f[0].evidence.bestValue, 0.839);
    assert.equal(f[0].evidence.bestLine, 617);
    assert.equal(f[0].evidence.lastValue, 0.536);
    assert.equal(f[0].line, 1537);
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /0\.827 → 0\.536/);
  });

  for (const run of ['gluoncv_keyvalue_asymmnet_imagenet_noloss', 'text_paddle_hdrunet_initloss', 'wandb_reclor_roberta_nan_loss', 'json_list_grokking_slingshot', 'text_convnext_imagenet_450ep_gradnorm_nan', 'swin_log_cifar100_finetune_gradnorm_nan']) {
    it(`${run}: no metric-decline`, async () => {
      const f = (await analyzePaths([realLog(run)])).findings.filter((x) => x.rule === 'metric-decline');
      assert.deepEqual(
        f.map((x) => x.message),
        [],
      );
    });
  }
});
