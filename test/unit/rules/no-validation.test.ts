import * as assert from 'node:assert/strict';
import { analyzePaths } from '../../../src/core/analyze';
import { isHeldOutName, noValidationRule } from '../../../src/core/rules/no-validation';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { ctxOf, epochs, type Row } from './helpers';

const R = noValidationRule;

/** `n` epochs of a train loss falling from 4 to `end`·4, plus whatever `extra` logs. */
function run(n: number, end: number, extra: (e: number) => Row = () => ({})): Row[] {
  return epochs(n + 1, (e) => ({ train_loss: 4 * Math.pow(end, e / n), ...extra(e) }));
}

describe('no-validation (early-stopping)', function () {
  this.timeout(60_000);

  it('informs on the real 130-epoch P-tuning run with no eval entry (#13: train loss 4.26 → 0.0028)', async function () {
    skipWithoutRealLogs(this);
    const { findings } = await analyzePaths([realLog('hf_chatglm_ptuning_noeval')]);
    const f = findings.filter((x) => x.rule === 'no-validation');
    assert.equal(f.length, 1);
    assert.equal(f[0].scenario, 'early-stopping');
    assert.equal(f[0].severity, 'information');
    assert.equal(f[0].evidence.epochs, 130.43);
    assert.equal(f[0].evidence.first, 4.2601);
    assert.equal(f[0].evidence.last, 0.0028);
    assert.match(f[0].message, /^130\.43 epochs of training with no validation/);
  });

  it('sees the held-out series of real runs, even when they are metrics only (mAP, PSNR, Acc@1)', async function () {
    skipWithoutRealLogs(this);
    // With the length and memorising gates opened, only the held-out test decides.
    const thresholds = { 'no-validation.minEpochs': 0, 'no-validation.memorised': 1e9 };
    const flagged = async (r: string) => (await analyzePaths([realLog(r)], { thresholds })).findings.filter((x) => x.rule === 'no-validation').length;
    assert.equal(await flagged('hf_chatglm_ptuning_noeval'), 1, 'the control: no held-out series at all');
    for (const r of ['mmcv_maskrcnn_balloon_warmup_never_ends', 'mmengine_mmdet_balloon_warmup_cosine', 'text_paddle_hdrunet_initloss', 'yolov7_results_txt_tomato_valobj', 'swin_log_cifar100_finetune_gradnorm_nan', 'text_convnext_imagenet_450ep_gradnorm_nan']) {
      assert.equal(await flagged(r), 0, r);
    }
  });

  it('needs 50 epochs', () => {
    assert.equal(R.checkRun!(ctxOf(run(50, 0.01)), R.defaults).length, 1);
    assert.deepEqual(R.checkRun!(ctxOf(run(49, 0.01)), R.defaults), []);
  });

  it('needs the train loss below a tenth of its start (memorising, not stuck)', () => {
    assert.equal(R.checkRun!(ctxOf(run(60, 0.099)), R.defaults).length, 1);
    assert.deepEqual(R.checkRun!(ctxOf(run(60, 0.101)), R.defaults), []);
  });

  it('is quiet as soon as any held-out series is logged', () => {
    for (const name of ['val_loss', 'eval_accuracy', 'valLoss', 'test/acc', 'metrics/mAP50-95(B)', 'bbox_mAP', 'top1', 'psnr', 'Acc@1']) {
      assert.deepEqual(R.checkRun!(ctxOf(run(60, 0.01, (e) => (e % 10 === 0 ? { [name]: 0.5 } : {}))), R.defaults), [], name);
    }
  });

  it('reads held-out names, not look-alikes', () => {
    for (const n of ['val_loss', 'valid_acc', 'eval/loss', 'evaluation_loss_vs_iterations', 'test_acc', 'dev-f1', 'ValLoss', 'valAcc', 'metrics/precision(B)', 'wer', 'rouge1', 'perplexity']) assert.ok(isHeldOutName(n), n);
    for (const n of ['train_loss', 'loss', 'lr', 'latest_loss', 'interval', 'devices', 'grad_norm', 'train/box_loss', 'evalue', 'contest']) assert.ok(!isHeldOutName(n), n);
  });
});
