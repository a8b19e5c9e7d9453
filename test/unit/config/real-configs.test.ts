import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { readConfig, readMlflowParams } from '../../../src/core/config/read-config';
import { analyzePaths } from '../../../src/core/analyze';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { checkAllRanges, expectSetting } from './helpers';

function read(...parts: string[]) {
  const file = realLog(...parts);
  const text = fs.readFileSync(file, 'utf8');
  return { file, text, cfg: readConfig(file, text) };
}

describe('config/readConfig on real files in ../shared/real-logs', function () {
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('reads the Lightning hparams.yaml of pl_csv_resnet18_onecycle as a plain config', () => {
    const { text, cfg } = read('pl_csv_resnet18_onecycle', 'hparams.yaml');
    assert.ok(cfg);
    assert.equal(cfg.style, 'plain');
    expectSetting(text, cfg.lr, 0.002, 'lr', '0.002');
    expectSetting(text, cfg.batchSize, 512, 'batch_size', '512');
    checkAllRanges(cfg, text);
  });

  it('reads the Ultralytics YOLOv8 args.yaml of yolov8cls_skin_lesion', () => {
    const { text, cfg } = read('yolov8cls_skin_lesion', 'args.yaml');
    assert.ok(cfg);
    assert.equal(cfg.style, 'ultralytics');
    expectSetting(text, cfg.lr, 0.01, 'lr0', '0.01');
    expectSetting(text, cfg.epochs, 80, 'epochs');
    expectSetting(text, cfg.batchSize, 16, 'batch');
    expectSetting(text, cfg.earlyStopping, 100, 'patience');
    expectSetting(text, cfg.warmup, 3, 'warmup_epochs', '3.0');
    expectSetting(text, cfg.optimizer, 'auto', 'optimizer');
    assert.match(String(cfg.pretrained?.value), /yolov8m-cls\.pt$/, 'model: …pt means pretrained weights');
    expectSetting(text, cfg.freeze, false, 'freeze', 'null');
    assert.deepEqual(cfg.builtIn, { ema: true, gradClip: 10, restoreBest: true, nominalBatch: 64, monitor: 'fitness', recipeLr: { sgd: 0.01, adam: 0.001, source: "Ultralytics' own lr0" } });
    checkAllRanges(cfg, text);
  });

  for (const run of ['tb_yolov5_helmet', 'yolov5_driving_healthy']) {
    it(`reads the YOLOv5 opt.yaml of ${run} (hyp.lr0, weights, freeze: [0])`, () => {
      const { text, cfg } = read(run, 'opt.yaml');
      assert.ok(cfg);
      assert.equal(cfg.style, 'ultralytics');
      expectSetting(text, cfg.lr, 0.01, 'hyp.lr0', '0.01');
      expectSetting(text, cfg.batchSize, 16, 'batch_size');
      expectSetting(text, cfg.optimizer, 'SGD', 'optimizer');
      expectSetting(text, cfg.pretrained, 'yolov5s.pt', 'weights');
      expectSetting(text, cfg.freeze, 0, 'freeze', '- 0');
      checkAllRanges(cfg, text);
    });
  }

  it('reads the older YOLOv5 opt.yaml of yolov5_results_txt_pv_plateau (hyp a path, img_size, notest) as Ultralytics', async () => {
    const { text, cfg } = read('yolov5_results_txt_pv_plateau', 'opt.yaml');
    assert.ok(cfg);
    assert.equal(cfg.style, 'ultralytics');
    expectSetting(text, cfg.epochs, 200, 'epochs');
    expectSetting(text, cfg.batchSize, 16, 'batch_size');
    expectSetting(text, cfg.pretrained, 'weights/yolov5s.pt', 'weights');
    assert.equal(cfg.lr, undefined, 'the LR is in the hyp file it names');
    // YOLOv5 keeps best.pt on fitness whatever the options: no early-stopping hint on its 200 epochs.
    assert.equal(cfg.builtIn?.restoreBest, true);
    checkAllRanges(cfg, text);
    const { findings } = await analyzePaths([realLog('yolov5_results_txt_pv_plateau')]);
    assert.deepEqual(findings.map((f) => f.rule), []);
  });

  it('refuses the Hugging Face model config.json of hf_codebert_cls_gradspikes (a model, not training, config)', () => {
    assert.equal(read('hf_codebert_cls_gradspikes', 'config.json').cfg, undefined);
  });

  it('reads the PEFT adapter_config.json of hf_tinyllama_lora_sft as "base frozen, pretrained" only', () => {
    // Decision: a LoRA adapter beside a log says the run fine-tuned a frozen pretrained base, which the
    // fine-tuning rules need; it carries no LR, batch or schedule, so every other field stays absent.
    const { text, cfg } = read('hf_tinyllama_lora_sft', 'adapter_config.json');
    assert.ok(cfg);
    assert.equal(cfg.style, 'plain');
    expectSetting(text, cfg.freeze, 'LORA', 'peft_type', '"LORA"');
    expectSetting(text, cfg.pretrained, true, 'peft_type', '"LORA"');
    assert.equal(cfg.lr, undefined);
    assert.equal(cfg.batchSize, undefined);
  });

  it('reads the Keras model_metadata.json of keras_lstm_seq2seq_plateau05 for its lr and batch size', () => {
    const { text, cfg } = read('keras_lstm_seq2seq_plateau05', 'model_metadata.json');
    assert.ok(cfg);
    expectSetting(text, cfg.lr, 0.005, 'learning_rate', '0.005');
    expectSetting(text, cfg.batchSize, 64, 'batch_size', '64');
  });

  it('refuses logs and run metadata: trainer_state.json, detectron2 metrics.json, MLflow meta.yaml', () => {
    assert.equal(read('hf_tinyllama_lora_sft', 'trainer_state.json').cfg, undefined);
    assert.equal(read('hf_codebert_cls_gradspikes', 'trainer_state.json').cfg, undefined);
    assert.equal(read('detectron2_maskrcnn_appended_restarts', 'metrics.json').cfg, undefined);
    assert.equal(read('mlflow_yolov8seg_tooth', 'mlflow_run', 'meta.yaml').cfg, undefined);
  });
});

describe('config/readMlflowParams on the real MLflow params of mlflow_yolov8seg_tooth', function () {
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('reads the Ultralytics args logged as MLflow params', () => {
    const dir = realLog('mlflow_yolov8seg_tooth', 'mlflow_run', 'params');
    const params: Record<string, string> = {};
    for (const name of fs.readdirSync(dir)) params[name] = fs.readFileSync(`${dir}/${name}`, 'utf8');
    const cfg = readMlflowParams(dir, params);
    assert.ok(cfg);
    assert.equal(cfg.style, 'ultralytics');
    assert.equal(cfg.file, dir);
    assert.equal(cfg.lr?.value, 0.01);
    assert.equal(cfg.lr?.key, 'lr0');
    assert.deepEqual(cfg.lr?.valueRange, { startLine: 0, startChar: 0, endLine: 0, endChar: 4 }, 'the whole params/lr0 file');
    assert.equal(cfg.batchSize?.value, 16);
    assert.equal(cfg.epochs?.value, 100);
    assert.equal(cfg.earlyStopping?.value, 100);
    assert.deepEqual(cfg.builtIn, { ema: true, gradClip: 10, restoreBest: true, nominalBatch: 64, monitor: 'fitness', recipeLr: { sgd: 0.01, adam: 0.001, source: "Ultralytics' own lr0" } }, 'Ultralytics always keeps an EMA, clips at 10 and saves best.pt');
    assert.equal(cfg.restoreBest, undefined, 'no key says it');
    assert.equal(cfg.warmup?.value, 3);
    assert.equal(cfg.pretrained?.value, 'yolov8n-seg.pt');
    assert.equal(cfg.freeze?.value, false, 'None');
    assert.equal(cfg.scheduler?.value, 'linear', 'cos_lr False');
  });
});
