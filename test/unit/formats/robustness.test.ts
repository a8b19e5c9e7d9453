/**
 * Bad input never throws or hangs: random bytes, mutated real files, NUL bytes, invalid UTF-8, huge
 * lines, and truncated copies of every real log (written to os.tmpdir()). Runs from FUZZ_RUNS
 * (default 200).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { LogFile, parseLogText } from '../../../src/core/logfile';
import { detectFormat, FORMATS } from '../../../src/core/formats/registry';
import type { MetricEvent } from '../../../src/core/types';
import { hasRealLogs, realLog, skipWithoutRealLogs } from '../../helpers/paths';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

const REAL = [
  ['keras_brats_unet_plateau', 'training.log'],
  ['keras_lstm_seq2seq_plateau05', 'training_log.csv'],
  ['pl_csv_resnet18_onecycle', 'metrics.csv'],
  ['hf_tinyllama_lora_sft', 'trainer_state.json'],
  ['yolov8cls_skin_lesion', 'results.csv'],
  ['yolov5_driving_healthy', 'results.csv'],
  ['detectron2_maskrcnn_appended_restarts', 'metrics.json'],
  ['mlflow_yolov8seg_tooth', 'mlflow_run', 'metrics', 'lr', 'pg0'],
  ['text_paddle_hdrunet_initloss', 'HDRUNet_v1.log'],
  ['tb_keras_xception_food101', 'validation', 'events.out.tfevents.1711673172.EABVSENG524DDIE.12172.2.v2'],
  ['tb_yolov5_helmet', 'events.out.tfevents.1671637532.gakko.30470.0'],
  ['bearpaw_abn_resnet50_imagenet', 'log.txt'],
  ['mmengine_mmdet_balloon_warmup_cosine', '20230609_081929.log'],
  ['mmcv_maskrcnn_balloon_warmup_never_ends', '20230208_162410.log'],
  ['yolov7_results_txt_tomato_valobj', 'results.txt'],
  ['keras_history_json_braintumor_plateau', 'training_history.json'],
  ['json_list_grokking_slingshot', 'training_log.json'],
];

/** A file its writer rewrites whole (trainer_state.json, a JSON history): read as one document. */
function isDocument(p: readonly string[]): boolean {
  const f = realLog(...p);
  return detectFormat(f, fs.readFileSync(f).subarray(0, 65536).toString('utf8'))?.kind === 'document';
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-fuzz-'));
}

/** Writes `bytes` under the same relative name (so name-based sniffing still applies) and reads it. */
async function readBytes(dir: string, rel: string, bytes: Buffer): Promise<MetricEvent[]> {
  const f = path.join(dir, rel);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, bytes);
  const lf = new LogFile(f, { chunkSize: 4096, budget: 1 << 20 });
  const out: MetricEvent[] = [];
  for (let i = 0; i < 10_000; i++) {
    const up = await lf.poll();
    for (const e of up.events) out.push(e);
    if (!up.more) return out;
  }
  throw new Error('LogFile did not finish');
}

function checkEvents(evs: readonly MetricEvent[]): void {
  for (const e of evs) {
    assert.equal(typeof e.name, 'string');
    assert.equal(typeof e.value, 'number');
    assert.ok(Number.isInteger(e.line) && e.line >= 1, `line ${e.line}`);
  }
}

describe('robustness', function () {
  this.timeout(600_000);

  it(`random bytes under every log name: no throw, no hang (${RUNS} runs)`, async () => {
    const dir = tmpDir();
    const names = ['a.log', 'metrics.csv', 'trainer_state.json', 'x.jsonl', 'metrics.json', 'scalars.json', 'events.out.tfevents.1.h', 'mlruns/0/r/metrics/loss', 'results.csv', 'summary.csv'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.uint8Array({ maxLength: 3000 }), async (name, b) => {
        checkEvents(await readBytes(dir, name, Buffer.from(b)));
      }),
      { numRuns: RUNS },
    );
  });

  it(`every sniffer and parser on random strings (NUL, invalid surrogates, NaN words) (${RUNS} runs)`, () => {
    const words = fc.constantFrom('nan', 'NaN', 'inf', '-Infinity', 'Epoch 3/20', '{"a": NaN}', "{'loss': ", ',', '\r', '\0', '\ud800', 'loss: ', '|', '"', 'epoch,step,loss\n');
    const text = fc.array(fc.oneof(fc.string({ maxLength: 20 }), words), { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom('a.log', 'metrics.csv', 'trainer_state.json', 'x.jsonl', 'mlruns/0/r/metrics/lr'), (t, name) => {
        for (const f of FORMATS) {
          const s = f.sniff(name, t);
          assert.ok(s >= 0 && s <= 1);
          if (f.kind === 'lines') {
            const p = f.createParser(name);
            let n = 0;
            for (const line of t.split('\n')) checkEvents(p.parseLine(line, ++n));
          } else if (f.kind === 'document') {
            checkEvents(f.createParser(name).parseDocument(t));
          } else {
            checkEvents(f.createParser(name).push(Buffer.from(t, 'latin1')));
          }
        }
        checkEvents(parseLogText(name, t).events);
      }),
      { numRuns: RUNS },
    );
  });

  it('huge lines (> 1 MiB) are skipped with a message; later lines still parse', async () => {
    const dir = tmpDir();
    const f = path.join(dir, 'train.log');
    fs.writeFileSync(f, `epoch: 0 loss: 1.0\n${'x'.repeat(3 << 20)}\nepoch: 1 loss: 0.5\n`);
    const lf = new LogFile(f);
    const evs: MetricEvent[] = [];
    const msgs: string[] = [];
    for (;;) {
      const up = await lf.poll();
      evs.push(...up.events);
      msgs.push(...up.messages);
      if (!up.more) break;
    }
    assert.deepEqual(
      evs.map((e) => [e.name, e.value, e.line]),
      [
        ['train_loss', 1, 1],
        ['train_loss', 0.5, 3],
      ],
    );
    assert.ok(msgs.some((m) => /line 2: longer than/.test(m)));
    const t = parseLogText('train.log', `loss: 1\n${'y'.repeat((1 << 20) + 5)}\nloss: 2`);
    assert.deepEqual(t.events.map((e) => e.value), [1, 2]);
    assert.ok(t.messages.some((m) => /:2: longer than/.test(m)));
  });

  it('NUL bytes and invalid UTF-8 inside a CSV are just bad cells', async () => {
    const dir = tmpDir();
    const b = Buffer.concat([Buffer.from('epoch,loss,val_loss\n0,0.5,0.6\n1,\0\0,0.'), Buffer.from([0xff, 0xfe]), Buffer.from('\n2,0.25,nan\n')]);
    const evs = await readBytes(dir, 'history.csv', b);
    assert.deepEqual(
      evs.filter((e) => e.name === 'train_loss').map((e) => e.value),
      [0.5, 0.25],
    );
  });

  describe('on real logs', function () {
    before(function () {
      skipWithoutRealLogs(this);
    });

    it(`mutated real files: no throw, no hang (${RUNS} runs)`, async () => {
      if (!hasRealLogs()) return;
      const dir = tmpDir();
      const files = REAL.map((p) => ({ rel: path.join(...p), bytes: fs.readFileSync(realLog(...p)) }));
      const mutation = fc.record({
        file: fc.nat({ max: files.length - 1 }),
        edits: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.uint8Array({ minLength: 0, maxLength: 8 }), fc.nat({ max: 16 })), {
          maxLength: 8,
        }),
        cut: fc.double({ min: 0, max: 1, noNaN: true }),
      });
      await fc.assert(
        fc.asyncProperty(mutation, async (m) => {
          const src = files[m.file];
          let b = src.bytes.subarray(0, Math.floor(src.bytes.length * (0.05 + 0.95 * m.cut)));
          for (const [at, insert, del] of m.edits) {
            const i = Math.floor(at * b.length);
            b = Buffer.concat([b.subarray(0, i), Buffer.from(insert), b.subarray(Math.min(b.length, i + del))]);
          }
          checkEvents(await readBytes(dir, src.rel, b));
        }),
        { numRuns: RUNS },
      );
    });

    it('truncated copies give a prefix of the full file’s events (short final record/line waits)', async () => {
      const dir = tmpDir();
      for (const p of REAL) {
        const full = fs.readFileSync(realLog(...p));
        const all = await readBytes(path.join(dir, 'full'), path.join(...p), full);
        for (const frac of [0.1, 0.37, 0.5, 0.83]) {
          const cut = Math.floor(full.length * frac);
          const part = await readBytes(path.join(dir, String(frac)), path.join(...p), full.subarray(0, cut));
          const rel = path.join(...p);
          if (isDocument(p)) {
            // A document cut mid-way: the complete entries before the cut are read.
            assert.ok(part.length > 0 && part.length < all.length, `${rel} @${frac}`);
            const n = part.length;
            assert.deepEqual(part.map((e) => e.value), all.slice(0, n).map((e) => e.value), rel);
            continue;
          }
          assert.ok(part.length <= all.length, `${rel} @${frac}`);
          const key = (e: MetricEvent): string => `${e.name}|${e.value}|${e.step}|${e.epoch}|${e.line}`;
          assert.deepEqual(part.map(key), all.slice(0, part.length).map(key), `${rel} @${frac}`);
        }
      }
    });

    it('a growing copy read while it is appended equals reading it whole', async () => {
      const dir = tmpDir();
      for (const p of REAL) {
        const full = fs.readFileSync(realLog(...p));
        const rel = path.join(...p);
        if (isDocument(p)) continue; // rewritten whole, not appended
        const whole = await readBytes(path.join(dir, 'whole'), rel, full);
        const f = path.join(dir, 'grow', rel);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, '');
        const lf = new LogFile(f, { chunkSize: 1000 });
        const got: MetricEvent[] = [];
        const step = Math.max(1, Math.floor(full.length / 17));
        for (let at = 0; at < full.length; at += step) {
          fs.appendFileSync(f, full.subarray(at, Math.min(full.length, at + step)));
          for (;;) {
            const up = await lf.poll();
            assert.equal(up.reset, false, rel);
            got.push(...up.events);
            if (!up.more) break;
          }
        }
        assert.equal(got.length, whole.length, rel);
        assert.deepEqual(got.map((e) => e.value), whole.map((e) => e.value), rel);
      }
    });
  });
});
