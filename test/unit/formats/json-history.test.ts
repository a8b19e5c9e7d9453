/**
 * JSON histories: Keras `History.history` (dict of lists) and lists of per-evaluation records — the
 * real logs of INDEX.md entries 35 and 36 against their labels, the line of every value, documents
 * written as `json.dump` writes them (with and without `indent`) and documents cut short.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { fcParams } from '../../helpers/fc';
import { parseLogText } from '../../../src/core/logfile';
import { isLogCandidate } from '../../../src/core/formats/registry';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import type { MetricEvent } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { viaFile } from './byte-path-helpers';

const of = (evs: readonly MetricEvent[], name: string): MetricEvent[] => evs.filter((e) => e.name === name);
/** The numbers written on a line of JSON text. */
const numbersOn = (line: string): number[] => (line.match(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g) ?? []).map(Number);
const argmin = (evs: readonly MetricEvent[]): MetricEvent => evs.reduce((m, e) => (e.value < m.value ? e : m));

describe('json-history: real logs', function () {
  this.timeout(60_000);
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('Keras history.json (brain tumour): 30 epochs per key, LR halves at 15, 18, …, 28, val loss min at 15', async () => {
    const f = realLog('keras_history_json_braintumor_plateau', 'training_history.json');
    const { format, events } = await viaFile(f);
    assert.equal(format, 'json-history');
    for (const n of ['train_acc', 'train_loss', 'val_acc', 'val_loss', 'lr']) assert.equal(of(events, n).length, 30, n);
    const lr = of(events, 'lr');
    assert.equal(lr[0].rawName, 'learning_rate');
    assert.deepEqual(lr.map((e) => e.epoch), [...Array(30).keys()]);
    const drops = lr.filter((e, i) => i > 0 && e.value / lr[i - 1].value <= 0.5).map((e) => e.epoch);
    assert.deepEqual(drops, [15, 18, 20, 22, 24, 26, 28]);
    assert.equal(lr[22].value, 6.25000029685907e-5); // a JS-style number as written
    const vl = argmin(of(events, 'val_loss'));
    assert.equal(vl.epoch, 15);
    assert.ok(Math.abs(vl.value - 0.38106) < 1e-5);
    // Every value carries the line it is written on (the file wraps three values per line, CRLF).
    const lines = fs.readFileSync(f, 'utf8').split('\n');
    for (const e of events) assert.ok(numbersOn(lines[e.line - 1]).includes(e.value), `${e.rawName}[${e.epoch}] = ${e.value} on line ${e.line}`);
    assert.equal(of(events, 'train_loss')[0].value, 3.8498194217681885);
  });

  it('JSON list of records (grokking): 401 evaluations at their step, val loss max at 1200 then min at 19700', async () => {
    const { format, events } = await viaFile(realLog('json_list_grokking_slingshot', 'training_log.json'));
    assert.equal(format, 'json-history');
    const vl = of(events, 'val_loss');
    assert.equal(vl.length, 401);
    assert.deepEqual([vl[0].step, vl[400].step], [0, 40000]);
    assert.ok(vl.every((e) => e.epoch === undefined && e.line === 1));
    const max = vl.reduce((m, e) => (e.value > m.value ? e : m));
    assert.equal(max.step, 1200);
    assert.equal(argmin(vl).step, 19700);
    assert.equal(of(events, 'train_acc').find((e) => e.value === 1)?.step, 200);
    assert.equal(of(events, 'step').length, 0);
  });
});

describe('json-history: names, documents', function () {
  this.timeout(120_000);

  it('history and training-log JSON names are logs, so never read as configs', () => {
    for (const n of ['history.json', 'training_history.json', 'model_history.json', 'training_log.json', 'train_log.json', 'train-log.json']) {
      assert.ok(isLogCandidate(`/r/${n}`), n);
      assert.ok(!AnalysisWorkspace.isConfig(`/r/${n}`), n);
    }
    for (const n of ['config.json', 'hparams.json', 'historyless.json', 'log.json']) assert.ok(!isLogCandidate(`/r/${n}`), n);
  });

  /** Python's json.dump of a dict of lists, with or without indent. */
  function dumpDict(h: Record<string, number[]>, indent: boolean): string {
    return indent ? JSON.stringify(h, null, 4) : JSON.stringify(h).replace(/,/g, ', ').replace(/:/g, ': ');
  }

  const history = fc.dictionary(
    fc.constantFrom('loss', 'val_loss', 'accuracy', 'val_accuracy', 'lr', 'auc'),
    // JSON.stringify writes -0 as `0` (Python writes `-0.0`): generate +0 only.
    fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v)), { maxLength: 40 }),
    { minKeys: 1 },
  );

  it('a dict of lists: value i of key k is a point of k at epoch i on its own line; whatever the indent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-history-'));
    await fc.assert(
      fc.asyncProperty(history, fc.boolean(), async (h, indent) => {
        const keys = Object.keys(h).filter((k) => h[k].length > 0);
        fc.pre(keys.length > 0);
        const text = dumpDict(h, indent);
        const f = path.join(dir, 'history.json');
        fs.writeFileSync(f, text);
        const { format, events } = await viaFile(f, 64);
        assert.equal(format, 'json-history');
        const want = Object.keys(h).flatMap((k) => h[k].map((v, i) => [k, v, i]));
        assert.deepEqual(events.map((e) => [e.rawName, e.value, e.epoch]), want);
        const lines = text.split('\n');
        for (const e of events) assert.ok(numbersOn(lines[e.line - 1]).includes(e.value), `line ${e.line}`);
      }),
      fcParams(150),
    );
  });

  it('a list of records: epoch/step keys as written, else the index is the epoch; other values skipped', () => {
    const counted = parseLogText('/r/training_log.json', '[{"epoch": 1, "loss": 0.5, "note": "x", "extra": {"a": 1}}, {"epoch": 2, "loss": NaN, "time": 12.5}]');
    assert.equal(counted.format, 'json-history');
    assert.deepEqual(counted.events.map((e) => [e.name, e.value, e.epoch, e.step]), [['train_loss', 0.5, 1, undefined], ['train_loss', NaN, 2, undefined]]);
    const indexed = parseLogText('/r/train_log.json', '[\n  {"loss": 0.9, "val_loss": 1.0},\n  {"loss": 0.7, "val_loss": Infinity}\n]\n');
    assert.deepEqual(indexed.events.map((e) => [e.name, e.value, e.epoch, e.line]), [
      ['train_loss', 0.9, 0, 2],
      ['val_loss', 1.0, 0, 2],
      ['train_loss', 0.7, 1, 3],
      ['val_loss', Infinity, 1, 3],
    ]);
  });

  it('a document cut anywhere (even inside a number) yields a prefix of the points of the whole', () => {
    fc.assert(
      fc.property(history, fc.boolean(), fc.nat(), (h, indent, cutAt) => {
        const text = dumpDict(h, indent);
        const whole = parseLogText('/r/history.json', text).events.map((e) => [e.rawName, e.value, e.epoch]);
        const cut = text.slice(0, cutAt % (text.length + 1));
        const part = parseLogText('/r/history.json', cut).events.map((e) => [e.rawName, e.value, e.epoch]);
        assert.deepEqual(part, whole.slice(0, part.length));
      }),
      fcParams(300),
    );
  });
});
