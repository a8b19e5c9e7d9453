/**
 * Every parser on the real logs in ../shared/real-logs (read in place), asserting facts from
 * INDEX.md: point counts, first/last values, step-decay LR values, NaN counts, epoch numbering.
 */
import { strict as assert } from 'node:assert';
import { LogFile } from '../../../src/core/logfile';
import type { MetricEvent } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';

async function readAll(path: string): Promise<{ format?: string; events: MetricEvent[]; messages: string[] }> {
  const lf = new LogFile(path);
  const events: MetricEvent[] = [];
  const messages: string[] = [];
  for (;;) {
    const up = await lf.poll();
    for (const e of up.events) events.push(e);
    messages.push(...up.messages);
    if (!up.more) break;
  }
  return { format: lf.format, events, messages };
}

const of = (evs: MetricEvent[], name: string): MetricEvent[] => evs.filter((e) => e.name === name);
const raw = (evs: MetricEvent[], rawName: string): MetricEvent[] => evs.filter((e) => e.rawName === rawName);
const close = (a: number, b: number, rel = 1e-3): void =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)), `${a} ≉ ${b}`);
function argmin(evs: MetricEvent[]): MetricEvent {
  return evs.reduce((m, e) => (e.value < m.value ? e : m));
}
function argmax(evs: MetricEvent[]): MetricEvent {
  return evs.reduce((m, e) => (e.value > m.value ? e : m));
}
/** Epochs where the LR first shows a new value lower than the previous one by ratio ≤ r. */
function drops(lr: MetricEvent[], r: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < lr.length; i++) if (lr[i].value / lr[i - 1].value <= r) out.push(lr[i].epoch ?? -1);
  return out;
}

describe('formats on real logs (../shared/real-logs)', function () {
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('Keras CSVLogger training.log (BraTS): 24 epochs, ReduceLROnPlateau ×0.2 at 4, 8, 13, 16', async () => {
    const { format, events } = await readAll(realLog('keras_brats_unet_plateau', 'training.log'));
    assert.equal(format, 'keras-csv');
    const lr = of(events, 'lr');
    assert.equal(lr.length, 24);
    assert.deepEqual(lr.map((e) => e.epoch), [...Array(24).keys()]);
    assert.deepEqual(drops(lr, 0.5), [4, 8, 13, 16]);
    close(lr[4].value, 2e-4);
    close(lr[8].value, 4e-5);
    close(lr[13].value, 8e-6);
    close(lr[16].value, 1.6e-6);
    close(lr[18].value, 1e-6);
    const vl = argmin(of(events, 'val_loss'));
    assert.equal(vl.epoch, 13);
    close(vl.value, 0.034474);
    assert.equal(of(events, 'val_acc').length, 24);
    assert.equal(of(events, 'train_loss').length, 24);
  });

  it('Keras CSVLogger (LSTM): learning_rate halves at epochs 23, 31, 38, 54, 59, 62', async () => {
    const { format, events } = await readAll(realLog('keras_lstm_seq2seq_plateau05', 'training_log.csv'));
    assert.equal(format, 'keras-csv');
    const lr = of(events, 'lr');
    assert.equal(lr.length, 63);
    assert.equal(lr[0].rawName, 'learning_rate');
    assert.deepEqual(drops(lr, 0.5), [23, 31, 38, 54, 59, 62]);
    const vl = argmin(of(events, 'val_loss'));
    assert.equal(vl.epoch, 55);
    close(vl.value, 0.80173);
    close(argmax(of(events, 'val_acc')).value, 0.9004);
  });

  it('TensorBoard (Keras train/ and validation/): 27 epochs, constant LR 1e-4, val loss min at 21', async () => {
    const tr = await readAll(realLog('tb_keras_xception_food101', 'train', 'events.out.tfevents.1711660177.EABVSENG524DDIE.12172.1.v2'));
    assert.equal(tr.format, 'tensorboard');
    assert.deepEqual(tr.messages, []);
    for (const n of ['train_loss', 'train_acc', 'lr']) assert.equal(of(tr.events, n).length, 27, n);
    for (const e of of(tr.events, 'lr')) close(e.value, 1e-4, 1e-6);
    assert.deepEqual(of(tr.events, 'train_loss').map((e) => e.epoch), [...Array(27).keys()]);
    const va = await readAll(
      realLog('tb_keras_xception_food101', 'validation', 'events.out.tfevents.1711673172.EABVSENG524DDIE.12172.2.v2'),
    );
    const vl = of(va.events, 'val_loss');
    assert.equal(vl.length, 27);
    assert.equal(argmin(vl).epoch, 21);
    close(argmin(vl).value, 1.0043);
    close(vl[26].value, 1.0636);
    assert.equal(of(va.events, 'val_acc').length, 27);
    const it = raw(va.events, 'evaluation_loss_vs_iterations');
    assert.equal(it.length, 27);
    assert.equal(it[0].step, 1003);
    assert.equal(it[26].step, 18192);
  });

  it('Lightning metrics.csv: 55 lr-SGD points (one-cycle), sparse rows, _epoch → canonical', async () => {
    const { format, events } = await readAll(realLog('pl_csv_resnet18_onecycle', 'metrics.csv'));
    assert.equal(format, 'lightning-csv');
    const lr = of(events, 'lr');
    assert.equal(lr.length, 55);
    assert.equal(lr[0].rawName, 'lr-SGD');
    assert.equal(lr[0].step, 49);
    assert.equal(lr[0].epoch, undefined); // LR rows have an empty epoch cell
    close(lr[0].value, 4.83e-3);
    const peak = argmax(lr);
    assert.equal(peak.step, 849);
    close(peak.value, 0.09997);
    close(lr[54].value, 1.52e-5, 1e-2);
    assert.equal(lr[54].step, 2749);
    const vl = of(events, 'val_loss');
    assert.equal(vl.length, 35);
    close(vl.find((e) => e.epoch === 7)?.value ?? NaN, 2.112);
    assert.equal(argmin(vl).epoch, 34);
    assert.equal(of(events, 'train_loss').length, 35); // train_loss_epoch
    assert.equal(of(events, 'train_loss_step').length, 55);
    close(of(events, 'test_acc')[0].value, 0.9001);
  });

  it('HF trainer_state.json (TinyLlama LoRA): 186 train logs, 14 evals, warmup, key lines', async () => {
    const path = realLog('hf_tinyllama_lora_sft', 'trainer_state.json');
    const { format, events } = await readAll(path);
    assert.equal(format, 'hf-trainer-state');
    const lr = of(events, 'lr');
    assert.equal(lr.length, 186);
    assert.equal(lr[0].step, 15);
    close(lr[0].value, 2.456e-6);
    close(argmax(lr).value, 1e-5);
    const el = of(events, 'val_loss');
    assert.equal(el.length, 14);
    close(el[0].value, 1.6223);
    close(el[13].value, 1.1219);
    assert.equal(el[13].step, 2800);
    // The line of each event is the line of its key in the JSON text.
    const text = (await import('node:fs')).readFileSync(path, 'utf8').split('\n');
    for (const e of [lr[0], el[13], of(events, 'train_loss')[100]]) {
      assert.match(text[e.line - 1], new RegExp(`"${e.rawName}"`));
    }
  });

  it('HF trainer_state.json (CodeBERT): 542 train, 10 eval, grad-norm spike 108.5 at step 3500', async () => {
    const { events } = await readAll(realLog('hf_codebert_cls_gradspikes', 'trainer_state.json'));
    assert.equal(of(events, 'train_loss').length, 542);
    assert.equal(of(events, 'val_loss').length, 10);
    const g = argmax(of(events, 'grad_norm'));
    assert.equal(g.step, 3500);
    close(g.value, 108.5);
    const best = argmin(of(events, 'val_loss'));
    close(best.value, 0.1567);
    assert.equal(best.step, 1626);
    assert.equal(best.epoch, 3);
    assert.equal(of(events, 'val_acc').length, 10);
  });

  it('HF trainer_state.json (ChatGLM, no eval): 300 logs, LR reaches exactly 0', async () => {
    const { events } = await readAll(realLog('hf_chatglm_ptuning_noeval', 'trainer_state.json'));
    const lr = of(events, 'lr');
    assert.equal(lr.length, 300);
    assert.equal(lr[299].value, 0);
    assert.equal(lr[299].step, 3000);
    const loss = of(events, 'train_loss');
    close(loss[0].value, 4.2601);
    close(loss[299].value, 0.0028);
    assert.equal(of(events, 'val_loss').length, 0);
  });

  it('Ultralytics YOLOv8 classify results.csv (padded): 80 epochs 1-based as written, warmup', async () => {
    const { format, events } = await readAll(realLog('yolov8cls_skin_lesion', 'results.csv'));
    assert.equal(format, 'ultralytics-csv');
    const lr = of(events, 'lr');
    assert.equal(lr.length, 80);
    assert.equal(lr[0].rawName, 'lr/pg0');
    assert.equal(lr[0].epoch, 1);
    assert.equal(lr[79].epoch, 80);
    close(lr[0].value, 2.3724e-4);
    close(lr[2].value, 6.9558e-4);
    const vl = argmin(of(events, 'val_loss'));
    close(vl.value, 1.3306);
    assert.equal(vl.epoch, 59); // as written (1-based)
    close(argmax(of(events, 'val_acc')).value, 0.842, 1e-2);
    assert.equal(of(events, 'lr/pg1').length, 80);
  });

  it('YOLOv5 results.csv: 100 epochs 0-based, x/lr1 warmup to 8.81e-3 at epoch 12', async () => {
    const { format, events } = await readAll(realLog('yolov5_driving_healthy', 'results.csv'));
    assert.equal(format, 'ultralytics-csv');
    const lr1 = raw(events, 'x/lr1');
    assert.equal(lr1.length, 100);
    assert.equal(lr1[0].epoch, 0);
    assert.equal(argmax(lr1).epoch, 12);
    close(argmax(lr1).value, 8.81e-3, 1e-2);
    close(of(events, 'lr')[0].value, 0.0937); // x/lr0, the bias group
    assert.equal(events.length, 1300);
  });

  it('TensorBoard (YOLOv5, simple_value): 13 scalar tags × 150 epochs, images skipped', async () => {
    const { format, events, messages } = await readAll(realLog('tb_yolov5_helmet', 'events.out.tfevents.1671637532.gakko.30470.0'));
    assert.equal(format, 'tensorboard');
    assert.deepEqual(messages, []);
    const tags = new Set(events.map((e) => e.rawName));
    assert.equal(tags.size, 13);
    for (const t of tags) assert.equal(raw(events, t).length, 150, t);
    const obj = argmin(raw(events, 'val/obj_loss'));
    assert.equal(obj.step, 65);
    close(obj.value, 0.00897, 1e-2);
    close(raw(events, 'x/lr1')[0].value, 0.0007, 1e-5);
    assert.ok(raw(events, 'train/cls_loss').every((e) => e.value === 0));
  });

  it('MLflow file store: metric name = path below metrics/, 100 / 101 points', async () => {
    const lr = await readAll(realLog('mlflow_yolov8seg_tooth', 'mlflow_run', 'metrics', 'lr', 'pg0'));
    assert.equal(lr.format, 'mlflow');
    assert.equal(lr.events.length, 100);
    assert.ok(lr.events.every((e) => e.name === 'lr' && e.rawName === 'lr/pg0'));
    close(lr.events[0].value, 2.53e-4, 1e-2);
    close(lr.events[2].value, 7.51e-4, 1e-2);
    close(lr.events[99].value, 1.53e-5, 1e-2);
    assert.deepEqual(lr.events.map((e) => e.step), [...Array(100).keys()]);
    const map = await readAll(realLog('mlflow_yolov8seg_tooth', 'mlflow_run', 'metrics', 'metrics', 'mAP50-95B'));
    assert.equal(map.events.length, 101);
    assert.equal(map.events[0].rawName, 'metrics/mAP50-95B');
    const vseg = await readAll(realLog('mlflow_yolov8seg_tooth', 'mlflow_run', 'metrics', 'val', 'seg_loss'));
    assert.equal(argmin(vseg.events).step, 42);
  });

  it('detectron2 metrics.json: 6 appended launches reported, iteration as step', async () => {
    const { format, events, messages } = await readAll(realLog('detectron2_maskrcnn_appended_restarts', 'metrics.json'));
    assert.equal(format, 'detectron2-json');
    const resets = messages.filter((m) => /a new launch/.test(m));
    // INDEX.md: resets at 0-based lines 1, 15, 16, 17, 18 → 1-based 2, 16, 17, 18, 19.
    assert.deepEqual(resets.map((m) => Number(/line (\d+)/.exec(m)?.[1])), [2, 16, 17, 18, 19]);
    const loss = of(events, 'train_loss');
    assert.equal(loss.length, 118); // one of the 119 lines has no losses
    const final = loss.slice(loss.findIndex((e) => e.line === 19));
    assert.equal(final.length, 101);
    close(final[final.length - 1].value, 0.219, 1e-2);
    const min = argmin(final);
    close(min.value, 0.213, 1e-2);
    assert.equal(min.step, 1839);
    const lr = of(events, 'lr').filter((e) => e.line >= 19);
    close(lr.find((e) => e.step === 19)?.value ?? NaN, 1.61e-5, 1e-2);
    close(lr.find((e) => e.step === 319)?.value ?? NaN, 7.99e-5, 1e-2);
  });

  it('plain text (ConvNeXt MetricLogger): 450 epochs, grad_norm NaN ×5, test Acc@1 as val_acc', async () => {
    const { format, events } = await readAll(
      realLog('text_convnext_imagenet_450ep_gradnorm_nan', '450_act3_mobilenetv3_small.log'),
    );
    assert.equal(format, 'plain');
    const nan = of(events, 'grad_norm').filter((e) => Number.isNaN(e.value));
    assert.deepEqual(
      nan.map((e) => e.epoch),
      [40, 125, 159, 221, 305],
    );
    const acc = raw(events, 'Acc@1');
    assert.equal(acc.length, 450);
    assert.ok(acc.every((e) => e.name === 'val_acc'));
    close(acc[0].value, 1.66);
    close(acc[449].value, 69.048);
    assert.equal(acc[449].epoch, 449);
    // `Averaged stats` lines: one train loss per epoch besides the per-200-iteration ones.
    const lr = of(events, 'lr');
    close(lr.find((e) => e.line === 512)?.value ?? NaN, 1.99e-4, 1e-2);
    assert.ok(of(events, 'train_loss').every((e) => Number.isFinite(e.value)));
    // The test loss goes to val_loss, never to train_loss.
    assert.equal(raw(events, 'loss').filter((e) => e.name === 'val_loss').length, 450 * 7);
    assert.equal(of(events, 'lr').filter((e) => e.line === 304 || e.line === 2470).length, 0); // `LR = 0.004` settings
  });

  it('plain text (PaddlePaddle BasicSR): 1214 l_pix + lr, 12 PSNR, iteration with thousands commas', async () => {
    const { format, events } = await readAll(realLog('text_paddle_hdrunet_initloss', 'HDRUNet_v1.log'));
    assert.equal(format, 'plain');
    const pix = raw(events, 'l_pix');
    assert.equal(pix.length, 1214);
    close(pix[0].value, 2.9331e5);
    assert.equal(pix[0].step, 100);
    assert.equal(pix[1213].step, 121400);
    assert.equal(pix[1213].epoch, 19);
    const lr = of(events, 'lr');
    assert.equal(lr.length, 1214);
    close(lr[1213].value, 1.723e-4);
    const psnr = raw(events, 'PSNR');
    assert.equal(psnr.length, 12);
    close(psnr[0].value, 15.157);
    close(argmax(psnr).value, 37.35, 1e-2);
    assert.equal(psnr[0].step, 10000);
  });
});
