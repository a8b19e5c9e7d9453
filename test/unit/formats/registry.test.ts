import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { detectFormat, FORMATS, isLogCandidate, runKeyOf } from '../../../src/core/formats/registry';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';

describe('registry', () => {
  it('lists every format id once', () => {
    const ids = FORMATS.map((f) => f.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, 20);
  });

  describe('detectFormat on real heads (content, not only the name)', function () {
    before(function () {
      skipWithoutRealLogs(this);
    });
    const cases: Array<[string[], string]> = [
      [['keras_brats_unet_plateau', 'training.log'], 'keras-csv'],
      [['keras_lstm_seq2seq_plateau05', 'training_log.csv'], 'keras-csv'],
      [['pl_csv_resnet18_onecycle', 'metrics.csv'], 'lightning-csv'],
      [['hf_codebert_cls_gradspikes', 'trainer_state.json'], 'hf-trainer-state'],
      [['yolov8cls_skin_lesion', 'results.csv'], 'ultralytics-csv'],
      [['tb_yolov5_helmet', 'results.csv'], 'ultralytics-csv'],
      [['detectron2_maskrcnn_appended_restarts', 'metrics.json'], 'detectron2-json'],
      [['mlflow_yolov8seg_tooth', 'mlflow_run', 'metrics', 'val', 'box_loss'], 'mlflow'],
      [['tb_yolov5_helmet', 'events.out.tfevents.1671637532.gakko.30470.0'], 'tensorboard'],
      [['text_convnext_imagenet_450ep_gradnorm_nan', '450_act3_mobilenetv3_small.log'], 'plain'],
      [['text_paddle_hdrunet_initloss', 'HDRUNet_v1.log'], 'plain'],
      [['ultralytics_console_yolo11l_3phase', 'yolol-phase1.md'], 'ultralytics-console'],
    ];
    for (const [p, want] of cases) {
      it(`${p.join('/')} → ${want}`, () => {
        const head = fs.readFileSync(realLog(...p)).subarray(0, 65536).toString('utf8');
        assert.equal(detectFormat(realLog(...p), head)?.id, want);
      });
    }
    it('a Keras CSV renamed to a neutral name is still Keras (content wins)', () => {
      const head = fs.readFileSync(realLog('keras_brats_unet_plateau', 'training.log'), 'utf8');
      assert.equal(detectFormat('/tmp/whatever.txt', head)?.id, 'keras-csv');
    });
  });

  it('detects by content: HF console, JSONL kinds, fastai, timm; nothing for prose', () => {
    assert.equal(detectFormat('out.txt', "blah\n{'loss': 0.5, 'learning_rate': 1e-05, 'epoch': 0.1}\n")?.id, 'hf-console');
    assert.equal(detectFormat('a.json', '{"current_steps": 1, "total_steps": 9, "loss": 1}\n')?.id, 'llamafactory-jsonl');
    assert.equal(detectFormat('x.json', '{"data_time": 0.1, "iteration": 19, "lr": 0.1, "total_loss": 1.2}\n')?.id, 'detectron2-json');
    assert.equal(detectFormat('h.csv', 'epoch,train_loss,valid_loss,accuracy,time\n0,1,1,0.5,00:01\n')?.id, 'fastai-csv');
    assert.equal(detectFormat('s.csv', 'epoch,train_loss,eval_loss,eval_top1,eval_top5,lr\n')?.id, 'timm-csv');
    assert.equal(detectFormat('notes.md', 'Just some prose about training.\n'), undefined);
  });

  it('isLogCandidate', () => {
    for (const p of [
      'runs/a/train.log',
      'lightning_logs/version_0/metrics.csv',
      'out/checkpoint-500/trainer_state.json',
      'saves/trainer_log.jsonl',
      'output/metrics.json',
      'work_dirs/x/vis_data/scalars.json',
      'work_dir/20220101.log.json',
      'runs/exp/events.out.tfevents.1671637532.gakko.30470.0',
      'mlruns/1/abc/metrics/train/loss',
      'logs/training_log.txt',
      'runs/detect/train/results.csv',
    ])
      assert.equal(isLogCandidate(p), true, p);
    // Folders (node_modules/, .git/) are core/files' rule: test/unit/files/discovery.test.ts.
    for (const p of [
      'requirements.txt',
      'README.txt',
      'package.json',
      'config.json',
      'src/model.py',
      'data/labels.csv',
      'mlruns/1/abc/params/lr',
      'mlruns/1/abc/meta.yaml',
    ])
      assert.equal(isLogCandidate(p), false, p);
  });

  it('runKeyOf', () => {
    assert.equal(runKeyOf('/w/mlruns/1/abc/metrics/train/loss'), '/w/mlruns/1/abc');
    assert.equal(runKeyOf('/w/mlruns/1/abc/metrics/lr'), '/w/mlruns/1/abc');
    assert.equal(runKeyOf('/w/logs/train/events.out.tfevents.1.h.v2'), '/w/logs');
    assert.equal(runKeyOf('/w/logs/validation/events.out.tfevents.2.h.v2'), '/w/logs');
    assert.equal(runKeyOf('/w/runs/exp2/events.out.tfevents.1.h'), '/w/runs/exp2/events.out.tfevents.1.h');
    assert.equal(runKeyOf('/w/lightning_logs/version_0/metrics.csv'), '/w/lightning_logs/version_0/metrics.csv');
  });
});
