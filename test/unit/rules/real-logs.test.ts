/**
 * The rules on real training logs from public repositories (../shared/real-logs, read in place),
 * asserting the labels of its INDEX.md: what a correct rule must flag and must not flag.
 */
import * as assert from 'node:assert/strict';
import { analyzePaths } from '../../../src/core/analyze';
import type { Finding } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';

const cache = new Map<string, Finding[]>();
async function findingsOf(dir: string): Promise<Finding[]> {
  let f = cache.get(dir);
  if (!f) {
    f = (await analyzePaths([realLog(dir)])).findings;
    cache.set(dir, f);
  }
  return f;
}
const byRule = (f: Finding[], rule: string) => f.filter((x) => x.rule === rule);
const warnings = (f: Finding[]) => f.filter((x) => x.severity === 'warning' || x.severity === 'error');

describe('rules on the real logs (INDEX.md labels)', function () {
  this.timeout(120_000);
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('keras_brats_unet_plateau: step decay at epochs 4, 8, 13, 16 (not 18: ratio 0.625), told once as one plateau schedule; no overfitting', async () => {
    const f = await findingsOf('keras_brats_unet_plateau');
    const drops = byRule(f, 'lr-step-drop');
    // ReduceLROnPlateau(factor 0.2, patience 2): recognised from the log and told as one schedule (issues 10, 11).
    assert.equal(drops.length, 1);
    assert.deepEqual(drops[0].evidence.cutEpochs, [4, 8, 13, 16]);
    assert.deepEqual(drops[0].evidence.cutLines, [6, 10, 15, 18], 'the CSV row of the first epoch with the new LR');
    assert.equal(drops[0].line, 6);
    assert.deepEqual(
      drops[0].related?.map((r) => r.line),
      [10, 15, 18],
    );
    assert.ok((drops[0].evidence.cutRatios as number[]).every((r) => Math.abs(r - 0.2) < 1e-6));
    assert.ok(drops[0].evidence.schedule === 'plateau' && !/cosine/.test(drops[0].message), drops[0].message);
    assert.deepEqual(byRule(f, 'overfitting-plateau'), []);
    assert.deepEqual(warnings(f), []);
  });

  it('keras_lstm_seq2seq_plateau05: ×0.5 cuts at 23, 31, 38, 54, 59, 62 (boundary case), one finding; no overfitting', async () => {
    const f = await findingsOf('keras_lstm_seq2seq_plateau05');
    const drops = byRule(f, 'lr-step-drop');
    assert.equal(drops.length, 1);
    assert.deepEqual(drops[0].evidence.cutEpochs, [23, 31, 38, 54, 59, 62]);
    // ReduceLROnPlateau(factor 0.5, patience 3): three evaluations without a new best before every cut.
    assert.equal(drops[0].evidence.schedule, 'plateau');
    assert.match(drops[0].message, /cut the LR 6 times \(×0\.5 each\).*each after val_loss had not improved for 3 evaluations/);
    assert.equal(drops[0].related?.length, 5);
    assert.deepEqual(byRule(f, 'overfitting-plateau'), []);
  });

  it('pl_csv_resnet18_onecycle: OneCycle annealing to ~0 is not a step decay; no overfitting', async () => {
    const f = await findingsOf('pl_csv_resnet18_onecycle');
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
    assert.deepEqual(byRule(f, 'overfitting-plateau'), []);
    assert.deepEqual(warnings(f), []);
  });

  it('hf_tinyllama_lora_sft: healthy (warmup + cosine tail, eval loss falling): no warning', async () => {
    const f = await findingsOf('hf_tinyllama_lora_sft');
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
    assert.deepEqual(byRule(f, 'overfitting-plateau'), []);
    assert.deepEqual(warnings(f), []);
  });

  it('hf_codebert_cls_gradspikes: eval-loss overfitting from epoch 3; grad-norm spikes; linear tail is not a drop', async () => {
    const f = await findingsOf('hf_codebert_cls_gradspikes');
    const o = byRule(f, 'overfitting-plateau');
    assert.equal(o.length, 1);
    // The eval loss overfits from epoch 3 but eval F1 keeps improving (0.9663 at epoch 3 → 0.9718 at
    // epoch 10, trainer_state.json log_history): a loss/metric disagreement, said as such, not "stop".
    assert.equal(o[0].severity, 'information');
    assert.equal(o[0].evidence.disagreement, true);
    assert.equal(o[0].evidence.taskMetric, 'eval_f1');
    assert.equal(o[0].evidence.metricAtLossBest, 0.9662921348314607);
    assert.equal(o[0].evidence.metricBest, 0.9717514124293786);
    assert.doesNotMatch(o[0].message, /stop early on/);
    assert.equal(o[0].evidence.bestEpoch, 3);
    assert.equal(o[0].evidence.bestStep, 1626);
    assert.equal(o[0].evidence.evalsAfter, 7);
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
    const g = byRule(f, 'loss-spike').filter((x) => x.evidence.metric === 'grad_norm');
    assert.equal(g.length, 1);
    assert.equal(g[0].evidence.step, 3500, 'largest grad-norm spike: 108.5 at step 3500');
    assert.deepEqual(
      warnings(f).filter((x) => x.scenario === 'divergence'),
      [],
      'noisy near-zero train loss is not a divergence',
    );
  });

  it('hf_chatglm_ptuning_noeval: linear decay to exactly 0 is not a step decay; no eval, no overfitting finding', async () => {
    const f = await findingsOf('hf_chatglm_ptuning_noeval');
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
    assert.deepEqual(byRule(f, 'overfitting-plateau'), []);
  });

  it('yolov8cls_skin_lesion: overfitting with best val/loss at epoch 59 (1-based, as the file writes it)', async () => {
    const f = await findingsOf('yolov8cls_skin_lesion');
    const o = byRule(f, 'overfitting-plateau');
    assert.equal(o.length, 1);
    assert.equal(o[0].evidence.bestEpoch, 59);
    assert.equal(o[0].evidence.evalsAfter, 21);
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
    assert.deepEqual(byRule(f, 'finetune-lr-high'), []);
  });

  it('yolov5_driving_healthy: healthy fine-tune, no warning at all', async () => {
    const f = await findingsOf('yolov5_driving_healthy');
    assert.deepEqual(warnings(f), []);
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
  });

  it('tb_yolov5_helmet: no step decay; the summed val loss overfits mildly after epoch 77', async () => {
    const f = await findingsOf('tb_yolov5_helmet');
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
    for (const o of byRule(f, 'overfitting-plateau')) assert.equal(o.evidence.bestStep ?? o.evidence.bestEpoch, 77);
    // TensorBoard and results.csv of one run: one finding, the other file related. Fitness (0.1·mAP@.5 +
    // 0.9·mAP@.5:.95) does not get worse after epoch 77: a loss/metric disagreement (INDEX: "mAP fluctuates").
    const o = byRule(f, 'overfitting-plateau');
    assert.equal(o.length, 1);
    assert.equal(o[0].related?.length, 1);
    assert.equal(o[0].severity, 'information');
    assert.equal(o[0].evidence.disagreement, true);
  });

  it('mlflow_yolov8seg_tooth: summed val loss best at step 42, then overfitting; no step decay', async () => {
    const f = await findingsOf('mlflow_yolov8seg_tooth');
    const o = byRule(f, 'overfitting-plateau');
    assert.equal(o.length, 1);
    assert.equal(o[0].evidence.bestStep, 42);
    // INDEX: "val-loss overfit k=42 → 99, mAP flat/up": judged on fitness, said as a disagreement.
    assert.equal(o[0].evidence.disagreement, true);
    assert.equal(o[0].evidence.taskMetric, 'fitness (0.1·mAP50 + 0.9·mAP50-95)');
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
  });

  it('wandb_reclor_roberta_nan_loss: NaN loss at every report while dev acc rises: one warning about the loss value, not "diverged"', async () => {
    const f = await findingsOf('wandb_reclor_roberta_nan_loss');
    const n = byRule(f, 'nonfinite');
    assert.equal(n.length, 1);
    assert.equal(n[0].severity, 'warning');
    assert.equal(n[0].evidence.stillLearning, 'val_acc');
    // dev acc 0.286 (step 200) → 0.364 (step 965), read from the `dev acc:` lines.
    assert.match(n[0].message, /0\.286 → 0\.364/);
    assert.deepEqual(warnings(f).filter((x) => x.severity === 'error'), []);
  });

  it('tb_keras_xception_food101: constant LR; overfitting onset at epoch 21', async () => {
    const f = await findingsOf('tb_keras_xception_food101');
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
    const o = byRule(f, 'overfitting-plateau');
    assert.equal(o.length, 1);
    assert.equal(o[0].evidence.bestEpoch, 21);
  });

  it('detectron2_maskrcnn_appended_restarts: restarts and re-warmups are not step decays', async () => {
    const f = await findingsOf('detectron2_maskrcnn_appended_restarts');
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
    assert.deepEqual(warnings(f), []);
  });

  it('text_convnext_imagenet_450ep_gradnorm_nan: 5 NaN grad norms are AMP skips (information); rounding tail is not a drop', async () => {
    const f = await findingsOf('text_convnext_imagenet_450ep_gradnorm_nan');
    const n = byRule(f, 'nonfinite');
    assert.equal(n.length, 1);
    assert.equal(n[0].severity, 'information');
    assert.equal(n[0].evidence.metric, 'grad_norm');
    assert.equal(n[0].evidence.count, 5);
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
    assert.deepEqual(byRule(f, 'overfitting-plateau'), []);
    assert.deepEqual(warnings(f), []);
  });

  it('swin_log_cifar100_finetune_gradnorm_nan: an evaluation printed batch by batch is judged on its mean: no overfitting (INDEX: test loss minimal at the end)', async () => {
    const f = await findingsOf('swin_log_cifar100_finetune_gradnorm_nan');
    assert.deepEqual(byRule(f, 'overfitting-plateau'), []);
  });

  it('text_paddle_hdrunet_initloss: the opening 2.9e5 transient is neither a spike nor an explosion', async () => {
    const f = await findingsOf('text_paddle_hdrunet_initloss');
    assert.deepEqual(warnings(f), []);
    assert.deepEqual(byRule(f, 'lr-step-drop'), []);
  });
});
