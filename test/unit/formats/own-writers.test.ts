/**
 * The example runs' own writers (examples/lib/tbwriter.py, writers.py) against the analyzer's parsers:
 * - the TensorBoard files of step-decay-tb (PyTorch SummaryWriter style, written by the step-decay
 *   training) and overfit-keras-tb (Keras/TF2 style) read back with the exact values of the same run's
 *   CSV logs, within float32 rounding;
 * - the MLflow store of update-ratio-high agrees with the same run's plain output.log;
 * - detectron2 metrics.json of warmup-multistep carries the WarmupMultiStepLR of its config.yaml;
 * - the Python CRC-32C and records reproduce the LOG_FORMATS.md section 4 test vectors byte for byte
 *   (needs a python3; skipped with a message otherwise).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LogFile } from '../../../src/core/logfile';
import type { MetricEvent } from '../../../src/core/types';
import { EXAMPLES } from '../../helpers/paths';

const RUNS = path.join(EXAMPLES, 'runs');

async function readLog(file: string): Promise<{ format?: string; events: MetricEvent[]; messages: string[] }> {
  const lf = new LogFile(file);
  const events: MetricEvent[] = [];
  const messages: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const up = await lf.poll();
    events.push(...up.events);
    messages.push(...up.messages);
    if (!up.more) break;
  }
  return { format: lf.format, events, messages };
}

function eventFile(dir: string): string {
  const names = fs.readdirSync(dir).filter((n) => n.startsWith('events.out.tfevents.'));
  assert.equal(names.length, 1, `one event file in ${dir}`);
  return path.join(dir, names[0]);
}

/** Rows of a CSV file written by csv.DictWriter (CRLF, no quoting needed for these files). */
function csvRows(file: string): Record<string, string>[] {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const head = lines[0].split(',');
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(head.map((h, i) => [h, cells[i] ?? '']));
  });
}

function series(events: MetricEvent[], raw: string): MetricEvent[] {
  return events.filter((e) => e.rawName === raw);
}

/** `tb` holds float32 values; `expected` the float64 values the CSV logger printed with repr(). */
function assertFloat32Equal(tb: MetricEvent[], expected: number[], what: string): void {
  assert.equal(tb.length, expected.length, `${what}: number of points`);
  tb.forEach((e, i) => assert.equal(e.value, Math.fround(expected[i]), `${what} #${i}: ${e.value} vs ${expected[i]}`));
}

const exists = (p: string) => fs.existsSync(p);

describe('own writers of the example runs', function () {
  this.timeout(60_000);

  it('step-decay-tb (PyTorch simple_value) has the Lightning CSV values of the same run (step-decay), per epoch', async function () {
    const dir = path.join(RUNS, 'step-decay');
    if (!exists(path.join(RUNS, 'step-decay-tb', 'tb'))) this.skip();
    const tb = await readLog(eventFile(path.join(RUNS, 'step-decay-tb', 'tb')));
    assert.equal(tb.format, 'tensorboard');
    assert.deepEqual(tb.messages, []);
    const rows = csvRows(path.join(dir, 'lightning_logs', 'version_0', 'metrics.csv'));
    const col = (key: string) => rows.filter((r) => r[key] !== '').map((r) => Number(r[key]));
    const epochs = col('lr-SGD').length;
    assert.equal(epochs, 45);
    assertFloat32Equal(series(tb.events, 'train/lr'), col('lr-SGD'), 'train/lr vs lr-SGD');
    assertFloat32Equal(series(tb.events, 'train/loss'), col('train_loss_epoch'), 'train/loss vs train_loss_epoch');
    assertFloat32Equal(series(tb.events, 'val/loss'), col('val_loss'), 'val/loss vs val_loss');
    assertFloat32Equal(series(tb.events, 'val/acc'), col('val_acc'), 'val/acc vs val_acc');
    // global_step = 0-based epoch; canonical names; the LR steps 0.1 → 0.01 → 0.001 at epochs 15 and 30.
    const lr = series(tb.events, 'train/lr');
    assert.deepEqual(lr.map((e) => e.step), [...Array(epochs).keys()]);
    assert.deepEqual([...new Set(tb.events.map((e) => e.name))].sort(), ['lr', 'train_acc', 'train_loss', 'val_acc', 'val_loss']);
    assert.deepEqual([lr[14].value, lr[15].value, lr[29].value, lr[30].value], [0.1, 0.01, 0.01, 0.001].map(Math.fround));
    // train/acc against the plain log of the same run (printed with 4 decimals).
    const plainAcc = [...fs.readFileSync(path.join(dir, 'output.log'), 'utf8').matchAll(/train_acc=([\d.]+)/g)].map((m) => Number(m[1]));
    const acc = series(tb.events, 'train/acc');
    assert.equal(acc.length, plainAcc.length);
    acc.forEach((e, i) => assert.ok(Math.abs(e.value - plainAcc[i]) <= 5e-5 + 1e-7, `train/acc #${i}`));
  });

  it('overfit-keras-tb (TF2 tensor_content, train/ + validation/) has the CSVLogger values of the same run', async function () {
    const dir = path.join(RUNS, 'overfit-keras-tb');
    if (!exists(dir)) this.skip();
    const train = await readLog(eventFile(path.join(dir, 'logs', 'train')));
    const val = await readLog(eventFile(path.join(dir, 'logs', 'validation')));
    assert.ok(/\.v2$/.test(eventFile(path.join(dir, 'logs', 'train'))));
    for (const r of [train, val]) {
      assert.equal(r.format, 'tensorboard');
      assert.deepEqual(r.messages, []);
    }
    const rows = csvRows(path.join(dir, 'training.log'));
    const col = (key: string) => rows.map((r) => Number(r[key]));
    assertFloat32Equal(series(train.events, 'epoch_loss'), col('loss'), 'train epoch_loss vs loss');
    assertFloat32Equal(series(train.events, 'epoch_accuracy'), col('accuracy'), 'train epoch_accuracy vs accuracy');
    assertFloat32Equal(series(train.events, 'epoch_learning_rate'), rows.map(() => 0.0005), 'epoch_learning_rate');
    assertFloat32Equal(series(val.events, 'epoch_loss'), col('val_loss'), 'validation epoch_loss vs val_loss');
    assertFloat32Equal(series(val.events, 'epoch_accuracy'), col('val_accuracy'), 'validation epoch_accuracy vs val_accuracy');
    // Names the rules see: the validation folder turns epoch_loss into val_loss; epoch = step = CSV epoch.
    const vl = series(val.events, 'epoch_loss');
    assert.ok(vl.every((e) => e.name === 'val_loss'));
    assert.deepEqual(vl.map((e) => e.epoch), col('epoch'));
    assert.ok(series(train.events, 'epoch_loss').every((e) => e.name === 'train_loss'));
    assert.ok(series(train.events, 'epoch_learning_rate').every((e) => e.name === 'lr'));
  });

  it('update-ratio-high/mlruns (MLflow file store) agrees with the plain log of the same run', async function () {
    const ml = path.join(RUNS, 'update-ratio-high', 'mlruns', '0');
    if (!exists(ml)) this.skip();
    const runDir = fs.readdirSync(ml).filter((n) => /^[0-9a-f]{32}$/.test(n));
    assert.equal(runDir.length, 1);
    const metrics = path.join(ml, runDir[0], 'metrics');
    const ratio = await readLog(path.join(metrics, 'train', 'update_ratio'));
    assert.equal(ratio.format, 'mlflow');
    assert.ok(ratio.events.every((e) => e.rawName === 'train/update_ratio' && e.name === 'update_ratio'));
    const plain = fs.readFileSync(path.join(RUNS, 'update-ratio-high', 'output.log'), 'utf8');
    const printed = [...plain.matchAll(/update_ratio=([\d.e+-]+)/g)].map((m) => Number(m[1]));
    assert.equal(ratio.events.length, printed.length);
    ratio.events.forEach((e, i) => assert.ok(Math.abs(e.value / printed[i] - 1) < 1e-3, `update_ratio #${i}: ${e.value} vs ${printed[i]}`));
    const valLoss = await readLog(path.join(metrics, 'val', 'loss'));
    const printedVal = [...plain.matchAll(/ val_loss=([\d.]+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(valLoss.events.map((e) => e.value.toFixed(4)), printedVal.map((v) => v.toFixed(4)));
    assert.equal(fs.readFileSync(path.join(ml, runDir[0], 'params', 'lr'), 'utf8'), '0.25');
  });

  it('warmup-multistep metrics.json (detectron2) carries the WarmupMultiStepLR of its config', async function () {
    const out = path.join(RUNS, 'warmup-multistep', 'output');
    if (!exists(out)) this.skip();
    const r = await readLog(path.join(out, 'metrics.json'));
    assert.equal(r.format, 'detectron2-json');
    const cfg = fs.readFileSync(path.join(out, 'config.yaml'), 'utf8');
    const num = (k: string) => Number(new RegExp(`^  ${k}: (\\S+)$`, 'm').exec(cfg)![1]);
    const [base, warmIters, warmFactor, gamma] = [num('BASE_LR'), num('WARMUP_ITERS'), num('WARMUP_FACTOR'), num('GAMMA')];
    const steps = [.../^ {2}STEPS:\n((?: {2}- \d+\n)+)/m.exec(cfg)![1].matchAll(/\d+/g)].map((m) => Number(m[0]));
    const lrAt = (it: number) => {
      const a = it / warmIters;
      const warm = it < warmIters ? warmFactor * (1 - a) + a : 1;
      return base * warm * gamma ** steps.filter((s) => it >= s).length;
    };
    const lr = r.events.filter((e) => e.name === 'lr');
    assert.ok(lr.length >= 70);
    assert.equal(lr[0].step, 19);
    for (const e of lr) assert.ok(Math.abs(e.value - lrAt(e.step!)) <= 1e-12 * base, `lr at iteration ${e.step}`);
  });

  it('the Python writer reproduces the CRC check value and the LOG_FORMATS test vectors byte for byte', function () {
    const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import struct'], { encoding: 'utf8' }).status === 0);
    const lib = path.join(EXAMPLES, 'lib');
    if (!python || !exists(path.join(lib, 'tbwriter.py'))) {
      console.warn('  (skipped: no python3 to run examples/lib/tbwriter.py)');
      this.skip();
    }
    const code = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(lib)})`,
      'import tbwriter as t',
      'print(json.dumps({"crc": t.crc32c(b"123456789"), "records": [r.hex(" ") for r in t.test_vectors()]}))',
    ].join('\n');
    const res = spawnSync(python!, ['-c', code], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    const got = JSON.parse(res.stdout) as { crc: number; records: string[] };
    assert.equal(got.crc, 0xe3069283);
    assert.deepEqual(got.records, [
      '18 00 00 00 00 00 00 00 a3 7f 4b 22 09 00 00 00 40 fc 54 d9 41 1a 0d 62 72 61 69 6e 2e 45 76 65 6e 74 3a 32 ec ed 8f 9d',
      '1a 00 00 00 00 00 00 00 12 9b d8 2d 09 00 00 60 40 fc 54 d9 41 10 0a 2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 00 3f 44 b8 88 95',
      '34 00 00 00 00 00 00 00 5e 33 17 5c 09 00 00 80 40 fc 54 d9 41 10 03 2a 27 0a 25 0a 0a 65 70 6f 63 68 5f 6c 6f 73 73 ' +
        '42 0a 08 01 12 00 22 04 00 00 80 3e 4a 0b 0a 09 0a 07 73 63 61 6c 61 72 73 a0 ec c1 99',
    ]);
  });
});
