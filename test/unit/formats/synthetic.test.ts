/**
 * Each format on small inputs written exactly as its writer emits them (LOG_FORMATS.md), covering
 * what the real logs do not: NaN/inf tokens, NA/None cells, header rewrites, 1-based epochs, …
 */
import { strict as assert } from 'node:assert';
import { parseLogText } from '../../../src/core/logfile';
import { plain } from '../../../src/core/formats/plain';
import type { MetricEvent } from '../../../src/core/types';

function parse(path: string, text: string): { format?: string; events: MetricEvent[]; messages: string[] } {
  return parseLogText(path, text);
}
const pick = (evs: MetricEvent[], name: string): Array<[number, number | undefined, number | undefined]> =>
  evs.filter((e) => e.name === name).map((e) => [e.value, e.epoch, e.step]);

describe('formats on writer-exact samples', () => {
  it('hf-console: dicts after tqdm bars, nan/inf, final summary kept apart', () => {
    const text = [
      " 27%|██▋       | 20/75 [00:10<00:28,  1.93it/s]{'loss': 0.6899, 'grad_norm': 0.7468545436859131, 'learning_rate': 0.00018986666666666668, 'epoch': 0.16}",
      "{'loss': nan, 'grad_norm': inf, 'learning_rate': 2e-05, 'epoch': 0.32}",
      "{'eval_loss': 0.3951033353805542, 'eval_runtime': 3.2785, 'eval_samples_per_second': 152.511, 'eval_steps_per_second': 9.761, 'epoch': 1.0}",
      "{'train_runtime': 60.12, 'train_samples_per_second': 24.9, 'train_steps_per_second': 6.2, 'train_loss': 0.4234, 'epoch': 3.0}",
    ].join('\n');
    const r = parse('out.txt', text);
    assert.equal(r.format, 'hf-console');
    assert.deepEqual(pick(r.events, 'train_loss'), [
      [0.6899, 0.16, undefined],
      [NaN, 0.32, undefined],
    ]);
    assert.deepEqual(pick(r.events, 'grad_norm')[1], [Infinity, 0.32, undefined]);
    assert.deepEqual(pick(r.events, 'val_loss'), [[0.3951033353805542, 1.0, undefined]]);
    assert.deepEqual(pick(r.events, 'final_train_loss'), [[0.4234, 3.0, undefined]]);
    assert.equal(r.events.filter((e) => /runtime|per_second/.test(e.rawName)).length, 0);
  });

  it('hf-trainer-state: NaN/Infinity tokens, line of each key', () => {
    const text = `{
  "epoch": 1.0,
  "global_step": 20,
  "log_history": [
    {
      "epoch": 0.5,
      "grad_norm": NaN,
      "learning_rate": 1e-05,
      "loss": Infinity,
      "step": 10
    },
    {
      "epoch": 1.0,
      "eval_loss": -Infinity,
      "step": 20
    }
  ]
}
`;
    const r = parse('trainer_state.json', text);
    assert.equal(r.format, 'hf-trainer-state');
    assert.deepEqual(
      r.events.map((e) => [e.name, e.value, e.step, e.epoch, e.line]),
      [
        ['grad_norm', NaN, 10, 0.5, 7],
        ['lr', 1e-5, 10, 0.5, 8],
        ['train_loss', Infinity, 10, 0.5, 9],
        ['val_loss', -Infinity, 20, 1.0, 14],
      ],
    );
  });

  it('hf-trainer-state: a truncated document yields the complete entries and a message', () => {
    const text = '{\n  "log_history": [\n    {\n      "loss": 1.5,\n      "step": 1\n    },\n    {\n      "loss": 1.';
    const r = parse('trainer_state.json', text);
    assert.deepEqual(pick(r.events, 'train_loss'), [[1.5, undefined, 1]]); // not the cut-off `1.`
    assert.ok(r.messages.length > 0);
  });

  it('lightning-csv: sparse rows, empty epoch on LR rows, header rewritten mid-file, nan', () => {
    const text = [
      'epoch,lr-AdamW,step,train_loss_step',
      ',0.001,49,',
      '0,,49,2.5',
      'epoch,lr-AdamW,step,train_loss_step,val_loss',
      '0,,99,,nan',
      '1,,149,1.5,',
    ].join('\r\n');
    const r = parse('lightning_logs/version_0/metrics.csv', text);
    assert.equal(r.format, 'lightning-csv');
    assert.deepEqual(pick(r.events, 'lr'), [[0.001, undefined, 49]]);
    assert.deepEqual(pick(r.events, 'train_loss_step'), [
      [2.5, 0, 49],
      [1.5, 1, 149],
    ]);
    assert.deepEqual(pick(r.events, 'val_loss'), [[NaN, 0, 99]]);
  });

  it('keras-csv: NA cells, 0-based epochs, tf.keras lr column', () => {
    const text = 'epoch,acc,loss,lr,val_acc,val_loss\n0,0.39,1.65,0.001,NA,NA\n1,0.5,1.2,0.001,0.6,inf\n';
    const r = parse('training.log', text);
    assert.equal(r.format, 'keras-csv');
    assert.deepEqual(pick(r.events, 'val_loss'), [[Infinity, 1, undefined]]);
    assert.deepEqual(pick(r.events, 'train_acc').map((x) => x[1]), [0, 1]);
    assert.deepEqual(pick(r.events, 'lr').length, 2);
  });

  it('timm-csv: summary.csv with a second header from a resumed run', () => {
    const text = [
      'epoch,train_loss,eval_loss,eval_top1,eval_top5,lr',
      '0,1.52,0.63,78.36,99.28,0.05',
      'epoch,train_loss,eval_loss,eval_top1,eval_top5,lr',
      '1,1.22,0.57,81.39,99.24,0.04522542485937369',
    ].join('\r\n');
    const r = parse('output/train/20240101-000000-resnet50-224/summary.csv', text);
    assert.equal(r.format, 'timm-csv');
    assert.deepEqual(pick(r.events, 'val_acc'), [
      [78.36, 0, undefined],
      [81.39, 1, undefined],
    ]);
    assert.equal(pick(r.events, 'val_loss').length, 2);
  });

  it('fastai-csv: None cells, mm:ss time skipped, fine_tune second table', () => {
    const text = [
      'epoch,train_loss,valid_loss,accuracy,time',
      '0,0.497177,None,0.816720,09:27',
      'epoch,train_loss,valid_loss,accuracy,time',
      '0,0.341843,0.265538,0.896040,51:34',
      '1,0.245558,nan,0.906640,51:41',
    ].join('\n');
    const r = parse('history.csv', text);
    assert.equal(r.format, 'fastai-csv');
    assert.deepEqual(pick(r.events, 'val_loss'), [
      [0.265538, 0, undefined],
      [NaN, 1, undefined],
    ]);
    assert.equal(r.events.filter((e) => e.rawName === 'time').length, 0);
  });

  it('ultralytics-csv: current layout (1-based epochs kept as written, time skipped) and early 8.0.x starting at 0', () => {
    const cur = [
      'epoch,time,train/box_loss,train/cls_loss,train/dfl_loss,metrics/precision(B),metrics/recall(B),metrics/mAP50(B),metrics/mAP50-95(B),val/box_loss,val/cls_loss,val/dfl_loss,lr/pg0,lr/pg1,lr/pg2',
      '1,93.2846,1.01057,8.41319,0.0121,0.00244,0.86448,0.0944,0.07018,0.71757,6.46749,0.01197,0.00043342,0.00043342,0.00043342',
      '2,116.739,0.90306,7.39181,0.0104,0.00258,0.95769,0.22315,0.17406,0.75367,5.7891,nan,0.000866017,0.000866017,0.000866017',
    ].join('\n');
    const r = parse('runs/detect/train/results.csv', cur);
    assert.equal(r.format, 'ultralytics-csv');
    assert.deepEqual(pick(r.events, 'lr').map((x) => x[1]), [1, 2]);
    assert.equal(r.events.filter((e) => e.rawName === 'time').length, 0);
    assert.ok(Number.isNaN(r.events.find((e) => e.rawName === 'val/dfl_loss' && e.epoch === 2)?.value));
    const legacy = [
      '                  epoch,         train/box_loss,                 lr/pg0',
      '                      0,                 1.6878,               0.070545',
      '                      1,                 1.5878,               0.060545',
    ].join('\n');
    const l = parse('results.csv', legacy);
    assert.deepEqual(pick(l.events, 'lr').map((x) => x[1]), [0, 1]);
  });

  it('generic-csv: step column, quoted cells', () => {
    const r = parse('my.csv', 'global_step,loss,note\n10,0.5,"a, b"\n20,0.25,x\n');
    assert.equal(r.format, 'generic-csv');
    assert.deepEqual(pick(r.events, 'train_loss'), [
      [0.5, undefined, 10],
      [0.25, undefined, 20],
    ]);
  });

  it('mlflow: "timestamp value step" with nan/inf', () => {
    const r = parse('mlruns/1/abc/metrics/val_loss', '1628697792090 332.68 0\n1628697795789 nan 1\n1628697799319 -inf 2\n');
    assert.equal(r.format, 'mlflow');
    assert.deepEqual(pick(r.events, 'val_loss'), [
      [332.68, undefined, 0],
      [NaN, undefined, 1],
      [-Infinity, undefined, 2],
    ]);
  });

  it('llamafactory-jsonl: current_steps as step, progress fields skipped', () => {
    const text =
      '{"current_steps": 10, "total_steps": 93, "loss": 4.169, "lr": 2.25e-06, "epoch": 0.3292181069958848, "percentage": 10.75, "elapsed_time": "0:04:02", "remaining_time": "0:33:29", "throughput": 13174.21, "total_tokens": 3189568}\n' +
      '{"current_steps": 20, "total_steps": 93, "eval_loss": NaN, "epoch": 0.6}\n';
    const r = parse('saves/x/trainer_log.jsonl', text);
    assert.equal(r.format, 'llamafactory-jsonl');
    assert.deepEqual(
      r.events.map((e) => [e.name, e.value, e.step]),
      [
        ['train_loss', 4.169, 10],
        ['lr', 2.25e-6, 10],
        ['val_loss', NaN, 20],
      ],
    );
  });

  it('mmengine-json: scalars.json train + val records, 1-based epochs kept as written', () => {
    const text =
      '{"lr": 0.02, "base_lr": 0.02, "data_time": 0.0123, "loss": 1.2345, "loss_cls": 0.5, "time": 0.41, "epoch": 1, "iter": 50, "memory": 3456, "step": 50}\n' +
      '{"coco/bbox_mAP": 0.792, "data_time": 0.229, "time": 0.349, "step": 1}\n';
    const r = parse('work_dirs/x/20240101_000000/vis_data/scalars.json', text);
    assert.equal(r.format, 'mmengine-json');
    assert.deepEqual(pick(r.events, 'lr'), [[0.02, 1, 50]]);
    assert.deepEqual(pick(r.events, 'base_lr'), [[0.02, 1, 50]]);
    assert.deepEqual(pick(r.events, 'coco/bbox_mAP'), [[0.792, 1, undefined]]);
    assert.equal(r.events.filter((e) => ['memory', 'time', 'data_time', 'iter'].includes(e.rawName)).length, 0);
  });

  it('mmengine-json: mmcv 1.x log.json, mode val gets val_ names', () => {
    const text =
      '{"env_info": "sys.platform: linux", "seed": 0}\n' +
      '{"mode": "train", "epoch": 1, "iter": 20, "lr": 0.05, "memory": 5082, "data_time": 0.48623, "loss": 5.7752, "grad_norm": 2.36381, "time": 0.84397}\n' +
      '{"mode": "val", "epoch": 1, "iter": 100, "lr": 0.05, "loss": 4.5, "top1_acc": 0.1}\n';
    const r = parse('work_dir/20220101_000000.log.json', text);
    assert.equal(r.format, 'mmengine-json');
    assert.deepEqual(pick(r.events, 'val_loss'), [[4.5, 1, 100]]);
    assert.deepEqual(pick(r.events, 'train_loss'), [[5.7752, 1, 20]]);
  });

  it('detectron2-json: NaN AP value kept', () => {
    const text =
      '{"data_time": 0.027, "eta_seconds": 8898.9, "iteration": 19, "lr": 1.931e-06, "total_loss": 2.725}\n' +
      '{"bbox/AP": NaN, "iteration": 19}\n';
    const r = parse('output/metrics.json', text);
    assert.equal(r.format, 'detectron2-json');
    assert.ok(Number.isNaN(r.events.find((e) => e.rawName === 'bbox/AP')?.value));
  });

  it('jsonl: generic JSON lines with nested objects', () => {
    const r = parse('log.jsonl', '{"step": 1, "train": {"loss": 0.5}, "lr": 0.1}\n{"step": 2, "val_loss": Infinity}\n');
    assert.equal(r.format, 'jsonl');
    assert.deepEqual(
      r.events.map((e) => [e.name, e.value, e.step]),
      [
        ['train_loss', 0.5, 1],
        ['lr', 0.1, 1],
        ['val_loss', Infinity, 2],
      ],
    );
  });
});

describe('plain format', () => {
  const lines = (text: string): MetricEvent[] => parse('train.log', text).events;
  const plainLines = (text: string): MetricEvent[] => {
    const p = plain.createParser('train.log');
    return text.split('\n').flatMap((l, i) => p.parseLine(l, i + 1));
  };

  it('Keras progress: Epoch N/M header carried (as printed), ANSI and \\r redraws ignored', () => {
    const evs = lines(
      'Epoch 34/200\n' +
        '\x1b[1m 10/250\x1b[0m \x1b[32m━━\x1b[0m 1s - accuracy: 0.5000 - loss: 0.9\r\x1b[1m250/250\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[1m0s\x1b[0m 2ms/step - accuracy: 0.8673 - loss: 0.3285 - val_accuracy: 0.8625 - val_loss: nan - learning_rate: 1.0000e-04\n',
    );
    assert.deepEqual(
      evs.map((e) => [e.name, e.value, e.epoch]),
      [
        ['train_acc', 0.8673, 34],
        ['train_loss', 0.3285, 34],
        ['val_acc', 0.8625, 34],
        ['val_loss', NaN, 34],
        ['lr', 1e-4, 34],
      ],
    );
  });

  it('Keras 2 style, tutorial style and pipe style', () => {
    const evs = lines(
      [
        'Epoch 3/20',
        '366/366 [==============================] - 2s 3ms/step - loss: 0.6133 - categorical_accuracy: 0.8858 - val_loss: 0.1989',
        'Epoch [1/5], Step [100/600], Loss: 2.2214',
        'Epoch   1/100 | train_loss 0.4752 | val_loss 0.2839 | val_MAE 0.5677 | lr 2.0e-04 | 15.1s',
        'ep 001 | lr 1.00e-03 | train_loss 1.2139 | val_loss 1.1978 | val_acc 0.5795',
      ].join('\n'),
    );
    assert.deepEqual(
      evs.filter((e) => e.name === 'train_loss').map((e) => [e.value, e.epoch, e.line]),
      [
        [0.6133, 3, 2],
        [2.2214, 1, 3],
        [0.4752, 1, 4],
        [1.2139, 1, 5],
      ],
    );
    assert.deepEqual(evs.filter((e) => e.name === 'lr').map((e) => e.value), [2e-4, 1e-3]);
  });

  it('timm train/test lines: Train: N is the epoch, test lines are validation', () => {
    const evs = lines(
      [
        'Train: 3 [ 100/ 500 ( 20%)]  Loss: 8.863 (8.86)  Time: 1.663s,    9.62/s  (1.663s,    9.62/s)  LR: 5.000e-04  Data: 0.460 (0.460)',
        'Test: [  29/29]  Time: 0.041 (0.064)  Loss:  0.5951 (0.5882)  Acc@1: 81.2500 (87.5000)  Acc@5: 100.0000 (99.3750)',
      ].join('\n'),
    );
    assert.deepEqual(
      evs.map((e) => [e.name, e.value, e.epoch]),
      [
        ['train_loss', 8.863, 3],
        ['lr', 5e-4, 3],
        ['val_loss', 0.5951, 3],
        ['val_acc', 81.25, 3],
        ['val_Acc@5', 100, 3],
      ],
    );
  });

  it('nanoGPT, detectron2 console, Lightning bar, mmengine text', () => {
    // A file made of these lines is an mmengine log (its prefix says so, see mmengine-log); mixed into
    // another printed log, the mmengine line is still read by the plain parser.
    const evs = plainLines(
      [
        'step 100: train loss 4.2312, val loss 4.2500',
        'iter 100: loss 4.1000, time 12.34ms, mfu 5.10%',
        '[09/02 02:37:24 d2.utils.events]:  eta: 0:05:22  iter: 19  total_loss: 1.986  loss_cls: 0.595  time: 1.1678  lr: 1.6068e-05  max_mem: 2725M',
        'Epoch 0: 100%|█| 1563/1563 [01:57<00:00, 13.25it/s, v_num=0, train_loss=1.590, train_acc=0.688, val_loss=1.420]',
        '2023/01/01 12:00:00 - mmengine - INFO - Epoch(train)  [1][  50/7330]  lr: 2.0000e-02  eta: 1:00:00  time: 0.4100  data_time: 0.0123  memory: 3456  loss: 1.2345',
      ].join('\n'),
    );
    const got = evs.map((e) => [e.name, e.value, e.step ?? null, e.line]);
    assert.deepEqual(got, [
      ['train_loss', 4.2312, 100, 1],
      ['val_loss', 4.25, 100, 1],
      ['train_loss', 4.1, 100, 2],
      ['mfu', 5.1, 100, 2],
      ['train_loss', 1.986, 19, 3],
      ['loss_cls', 0.595, 19, 3],
      ['lr', 1.6068e-5, 19, 3],
      ['train_loss', 1.59, 19, 4],
      ['train_acc', 0.688, 19, 4],
      ['val_loss', 1.42, 19, 4],
      ['lr', 0.02, 19, 5],
      ['train_loss', 1.2345, 19, 5],
    ]);
  });

  it('prose, settings and option dumps yield nothing', () => {
    const evs = lines(
      [
        'Start training for 450 epochs',
        'Training time 4 days, 13:34:08',
        'Accuracy of the model on the 50000 test images: 69.0%',
        'LR = 0.00400000',
        '  lr_G: 0.0002',
        'Epoch 5: val_loss improved from 0.30000 to 0.20000, saving model to best.h5',
      ].join('\n'),
    );
    assert.deepEqual(evs, []);
  });

  it('NaN/inf tokens in every spelling are kept', () => {
    const evs = lines('loss: nan  val_loss: NaN  grad_norm: inf  lr: -inf  x: Infinity  y=-Infinity');
    assert.deepEqual(evs.map((e) => e.value), [NaN, NaN, Infinity, -Infinity, Infinity, -Infinity]);
  });
});
