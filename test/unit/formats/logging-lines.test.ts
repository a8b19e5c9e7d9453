/**
 * Python `logging` output and Swin/DeiT/GluonCV loggers read by the plain format: the series each real
 * log of INDEX.md entries 25, 34, 37 and 38 gets (exactly: no file names, line numbers, model reprs,
 * data dumps or progress-bar percentages), and the line shapes behind each rule.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLogText } from '../../../src/core/logfile';
import { stripLogPrefix } from '../../../src/core/formats/plain';
import type { MetricEvent } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { same, viaFile } from './byte-path-helpers';

const of = (evs: readonly MetricEvent[], name: string): MetricEvent[] => evs.filter((e) => e.name === name);
const names = (evs: readonly MetricEvent[]): string[] => [...new Set(evs.map((e) => e.name))].sort();

describe('plain: logging-style real logs', function () {
  this.timeout(60_000);
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('Swin (entry 37): train loss, lr, wd, grad_norm, loss_scale and test Loss/Acc@1/Acc@5 only', async () => {
    const { format, events } = await viaFile(realLog('swin_log_cifar100_finetune_gradnorm_nan', 'log_rank0.txt'));
    assert.equal(format, 'plain');
    assert.deepEqual(names(events), ['grad_norm', 'loss_scale', 'lr', 'train_loss', 'val_Acc@5', 'val_Max_accuracy', 'val_acc', 'val_loss', 'wd']);
    // 1560 train lines (every 10 of 390 iterations, 40 epochs), none lost with the `(main.py 223)` prefix gone.
    assert.equal(of(events, 'train_loss').length, 1560);
    assert.equal(of(events, 'train_loss')[0].value, 4.6055);
    // Loss components stay apart: grad_norm and loss_scale are not summed into a loss.
    assert.equal(of(events, 'loss_scale')[0].value, 65536);
    // The one per-step inf grad norm (epoch 23, iteration 10) is read, not the 163 running averages.
    const inf = of(events, 'grad_norm').filter((e) => !Number.isFinite(e.value));
    assert.deepEqual(inf.map((e) => e.epoch), [23]);
    // Pre-training evaluation: loss ln(100) = 4.6055 (INDEX), and ` * Acc@1 90.330` at epoch 39.
    assert.equal(of(events, 'val_loss')[0].value, 4.6055);
    assert.deepEqual(of(events, 'val_acc').slice(-1).map((e) => [e.epoch, e.value]), [[39, 90.33]]);
  });

  it('GluonCV (entry 38): accuracy and lr per 50 batches, validation top1/top5 as val; no Batch, time cost or model repr', async () => {
    const { events } = await viaFile(realLog('gluoncv_keyvalue_asymmnet_imagenet_noloss', 'log.txt'));
    assert.deepEqual(names(events), ['lr', 'train_acc', 'val_acc', 'val_top5']);
    assert.equal(of(events, 'lr').length, 4320);
    const top1 = of(events, 'val_acc');
    assert.equal(top1.length, 360);
    assert.deepEqual([top1[0].value, top1[0].epoch], [0.171816, 0]);
    // Max 0.7542 at epoch 358 (INDEX).
    const best = top1.reduce((m, e) => (e.value > m.value ? e : m));
    assert.deepEqual([best.epoch, best.value], [358, 0.754232]);
  });

  it('W&B output.log of a HF-example script (entry 34): accuracies and NaN losses at their global steps, no paths or example dumps', async () => {
    const { events } = await viaFile(realLog('wandb_reclor_roberta_nan_loss', 'files', 'output.log'));
    assert.deepEqual(names(events), ['train_acc', 'val_acc', 'val_average_acc', 'val_loss']);
    // `Average loss: nan` is a spelling of the validation loss here (names.ts), kept as its own variant;
    // `eval_loss = nan` (the script's `%s = %s` evaluation lines) is a measurement, not a setting.
    assert.deepEqual([...new Set(of(events, 'val_loss').map((e) => e.rawName))], ['eval_loss', 'loss', 'Average_loss', 'average_loss']);
    assert.equal(of(events, 'val_loss').filter((e) => e.rawName === 'eval_loss').length, 5);
    // `eval_acc = 0.28658<00:00,  4.48it/s]` keeps the tail of the bar it overwrote (INDEX trap): of
    // the five evaluation lines only the clean last one (`eval_acc = 0.364`) is read.
    assert.deepEqual(events.filter((e) => e.rawName === 'eval_acc').map((e) => e.value), [0.364]);
    const dev = of(events, 'val_acc').filter((e) => e.rawName === 'acc');
    // `dev acc:` values (the `eval_acc = 0.28658<00:00, 4.48it/s]` tqdm residue is not read).
    assert.deepEqual(dev.map((e) => e.value), [0.286, 0.27, 0.272, 0.324, 0.364]);
    assert.deepEqual(dev.map((e) => e.step), [200, 400, 600, 800, 965]);
    // `Epoch:  20%|██ | 1/5` is a progress bar, not epoch 20.
    assert.ok(events.every((e) => e.epoch === undefined));
    assert.ok(of(events, 'val_loss').every((e) => Number.isNaN(e.value)));
  });

  it('PaddlePaddle BasicSR (entry 25): glog lines and the network repr give nothing', async () => {
    const { events } = await viaFile(realLog('text_paddle_hdrunet_initloss', 'HDRUNet_v1.log'));
    assert.deepEqual(names(events), ['l_pix', 'lr', 'needed', 'val_PSNR']);
    // `Total epochs needed: 98 for iters 600,000` still reads as one point (a known leftover).
    assert.equal(of(events, 'needed').length, 1);
  });
});

describe('plain: logging prefixes and non-measurements', () => {
  it('strips the prefixes of Swin/DeiT, HF examples, BasicSR, basicConfig and glog', () => {
    const cases: Array<[string, string]> = [
      ['[2026-04-24 21:02:08 swin_tiny_patch4_window7_224] (main.py 223): INFO Train: [0/40][0/390]\teta 0:08:21', 'Train: [0/40][0/390]\teta 0:08:21'],
      ['12/21/2022 19:15:41 - INFO - __main__ -   eval_loss = nan', 'eval_loss = nan'],
      ['2024-01-05 10:00:01,123 - INFO - loss: 0.5', 'loss: 0.5'],
      ['23-05-05 21:26:52.413 - INFO: [epoch:  0, iter:     100, lr:(2.000e-04,)] l_pix: 2.9331e+05', '[epoch:  0, iter:     100, lr:(2.000e-04,)] l_pix: 2.9331e+05'],
      ['INFO:root:epoch 3 loss 0.25 acc 0.9', 'epoch 3 loss 0.25 acc 0.9'],
      ['W0505 21:25:39.030349 315949 gpu_resources.cc:61] Please NOTE: device: 0', 'Please NOTE: device: 0'],
    ];
    for (const [line, message] of cases) assert.equal(stripLogPrefix(line), message, line);
    // Lines without a prefix are left alone (a metric line that starts with a number or a capital).
    for (const line of ['Epoch 3/20 loss: 0.4', '3/20 loss 0.4', 'Test: [0/79] Loss 4.6']) assert.equal(stripLogPrefix(line), line);
  });

  it('reads the message behind the prefix, not the prefix', () => {
    const text = [
      '[2026-04-24 21:02:08 swin_tiny] (main.py 223): INFO Train: [3/40][10/390]\teta 0:08:21 lr 0.000012\t wd 0.0500\tloss 4.5120 (4.5800)\tgrad_norm inf (inf)',
      '[2026-04-24 21:02:09 swin_tiny] (main.py 272): INFO Test: [0/79]\tTime 2.693 (2.693)\tLoss 3.9460 (3.9460)\tAcc@1 26.000 (26.000)',
      '12/21/2022 19:15:41 - INFO - __main__ -   train acc: 0.26, dev acc: 0.286, loss: 1.25, global steps: 200',
    ].join('\n');
    const { events } = parseLogText('/x/log.txt', text);
    assert.deepEqual(
      events.map((e) => [e.name, e.value, e.epoch ?? null, e.step ?? null]),
      [
        ['lr', 0.000012, 3, null],
        ['wd', 0.05, 3, null],
        ['train_loss', 4.512, 3, null], // the value, not the running average in parentheses
        ['grad_norm', Infinity, 3, null],
        ['val_loss', 3.946, 3, null],
        ['val_acc', 26, 3, null],
        ['train_acc', 0.26, 3, 200],
        ['val_acc', 0.286, 3, 200],
        ['val_loss', 1.25, 3, 200],
      ],
    );
  });

  it('HF example evaluation lines `eval_loss = 0.41` are measurements; `Num examples = 4638` is a setting', () => {
    const text = [
      '12/21/2022 19:15:41 - INFO - __main__ -   ***** Eval results *****',
      '12/21/2022 19:15:41 - INFO - __main__ -     eval_loss = 0.4125',
      '12/21/2022 19:15:41 - INFO - __main__ -     eval_acc = 0.812',
      '12/21/2022 19:15:41 - INFO - __main__ -     Num examples = 4638',
      'eval_f1 = 0.77',
      'LR = 0.004',
      'val_steps = 500',
    ].join('\n');
    const { events } = parseLogText('/x/log.txt', text);
    assert.deepEqual(events.map((e) => [e.name, e.value]), [['val_loss', 0.4125], ['val_acc', 0.812], ['eval_f1', 0.77]]);
  });

  it('call arguments, tuple values, number lists, config dumps, counts and phrases are not metrics', () => {
    const text = [
      '    (proj): Conv2d(3, 96, kernel_size=(4, 4), stride=(4, 4))',
      '            (qkv): Linear(in_features=96, out_features=288, bias=True)',
      '      dim=96, input_resolution=(56, 56), depth=2',
      'optimizer: AdamW(lr=0.001429, momentum=0.9) with parameter groups 167 weight(decay=0.0)',
      'input_ids: 3 37128 10939 1635 227 5 2918',
      'PRINT_FREQ: 10',
      'query_len: 22',
      'label: 0',
      'number of params: 27596254',
      '[Epoch 0] speed: 3815 samples/sec\ttime cost: 343.580997',
      'Epoch[0] Batch [49]\tSpeed: 2489.3 samples/sec\taccuracy=0.001182\tlr=0.041613',
    ].join('\n');
    const { events } = parseLogText('/x/log.txt', text);
    assert.deepEqual(
      events.map((e) => [e.name, e.value]),
      [
        ['train_acc', 0.001182],
        ['lr', 0.041613],
      ],
    );
  });

  it('a phase word after the epoch names the line: `[Epoch 0] validation: top1=…`', () => {
    const { events } = parseLogText('/x/log.txt', '[Epoch 0] training: accuracy=0.065053\n[Epoch 0] validation: top1=0.171816 top5=0.379668\n');
    assert.deepEqual(events.map((e) => [e.name, e.epoch]), [['train_acc', 0], ['val_acc', 0], ['val_top5', 0]]);
  });

  it('keeps what looked like these and is a value: BasicSR 1-tuples, one pair per line, a bare Loss', () => {
    const text = [
      '23-05-05 21:26:52.413 - INFO: [epoch:  0, iter:     100, lr:(2.000e-04,)] l_pix: 2.9331e+05',
      'val_loss: 0.31',
      'Epoch 2 | Loss 1.25 | Acc 0.5',
    ].join('\n');
    const { events } = parseLogText('/x/log.txt', text);
    assert.deepEqual(
      events.map((e) => [e.name, e.value]),
      [['lr', 2e-4], ['l_pix', 2.9331e5], ['val_loss', 0.31], ['train_loss', 1.25], ['train_acc', 0.5]],
    );
  });
});

describe('plain: the byte path reads these lines as the string path does', () => {
  it('phase words, settings, counts and epoch counters', async () => {
    const text = [
      'val: 1 epoch: 3 loss: 0.5',
      'epoch: 4 loss: 0.4',
      'PRINT_FREQ: 10',
      'query_len: 22',
      'Train: [5/40] loss: 0.3',
      'lr: 0.1 label: 3 acc: 0.5',
      '[Epoch 6] validation: top1=0.5',
      'eval_loss = 0.61',
      'Batch size = 4096',
    ].join('\n') + '\n';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-logging-'));
    try {
      const file = path.join(dir, 'train.log');
      fs.writeFileSync(file, text);
      const bytes = await viaFile(file, 7);
      same(bytes.events, parseLogText(file, text).events, 'byte vs string');
      assert.deepEqual(
        bytes.events.map((e) => [e.name, e.epoch]),
        [['train_loss', 3], ['train_loss', 4], ['train_loss', 5], ['lr', 5], ['train_acc', 5], ['val_acc', 6], ['val_loss', 6]],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
