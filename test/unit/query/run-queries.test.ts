import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { RunQueries } from '../../../src/core/query/run-queries';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { EXAMPLES, realLog, skipWithoutRealLogs } from '../../helpers/paths';

const STEP_DECAY = path.join(EXAMPLES, 'runs', 'step-decay');

describe('run queries (TensorBoard DataProvider-like questions over a workspace)', () => {
  it('lists the scalar series of a run with their point counts, and nothing for an unknown run', async () => {
    const ws = new AnalysisWorkspace();
    const log = path.join(STEP_DECAY, 'output.log');
    const key = await ws.updateLog(log);
    assert.ok(key);
    const q = new RunQueries(ws);
    const scalars = q.listScalars(key);
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    const valLoss = scalars.find((s) => s.name === 'val_loss');
    assert.deepEqual(valLoss && { points: valLoss.points, xKind: valLoss.xKind }, { points: lines.filter((l) => l.includes('val_loss=')).length, xKind: 'epoch' });
    assert.ok(scalars.some((s) => s.name === 'lr'));
    assert.deepEqual(q.listScalars('/no/such/run'), []);
    assert.deepEqual(q.readScalars('/no/such/run'), []);
    assert.equal(q.runData('/no/such/run', 'x'), undefined);
    assert.equal(q.progress('/no/such/run'), undefined);
  });

  it('finds the run of a config by the log beside it, and of a log by the log itself', async () => {
    const ws = new AnalysisWorkspace();
    const log = path.join(STEP_DECAY, 'output.log');
    await ws.updateLog(log);
    const q = new RunQueries(ws);
    assert.equal(q.runKeyOf(log), ws.runKeyOfFile(log));
    assert.equal(q.runKeyOf(path.join(STEP_DECAY, 'config.yaml')), ws.runKeyOfFile(log));
    assert.equal(q.runKeyOf(path.join(EXAMPLES, 'runs', 'cosine', 'config.yaml')), undefined);
  });

  it('a plateau schedule told once is marked at each of its cuts (real Keras ReduceLROnPlateau run, issue 11)', async function () {
    skipWithoutRealLogs(this);
    const ws = new AnalysisWorkspace();
    const key = await ws.updateLog(realLog('keras_lstm_seq2seq_plateau05', 'training_log.csv'));
    assert.ok(key);
    const data = new RunQueries(ws).runData(key, 'x');
    const cuts = (data?.markers ?? []).filter((m) => m.scenario === 'lr-schedule');
    assert.deepEqual(
      cuts.map((m) => m.x),
      [23, 31, 38, 54, 59, 62],
    );
    assert.match(cuts[0].label, /^reduce-on-plateau cut the LR 6 times/);
    assert.match(cuts[1].label, /^cut 2 of 6: 0\.0025 → 0\.00125 at epoch 31$/);
  });

  it('reads a long series decimated: at most the budget, first and last kept, and every spike kept (real HF Trainer run)', async function () {
    skipWithoutRealLogs(this);
    const file = realLog('hf_codebert_cls_gradspikes', 'trainer_state.json');
    const history = (JSON.parse(fs.readFileSync(file, 'utf8')) as { log_history: { grad_norm?: number; epoch: number }[] }).log_history.filter(
      (h) => h.grad_norm !== undefined,
    );
    const ws = new AnalysisWorkspace();
    const key = await ws.updateLog(file);
    assert.ok(key);
    const [full] = new RunQueries(ws).readScalars(key, ['grad_norm']);
    assert.equal(full.x.length, history.length, 'under the default budget every point is sent');
    const [s] = new RunQueries(ws).readScalars(key, ['grad_norm'], 60);
    assert.ok(s.x.length <= 62 && s.x.length > 30, `${s.x.length} points`);
    // HF logs a fractional epoch with every entry: the x axis is the epoch.
    assert.equal(s.xKind, 'epoch');
    assert.deepEqual([s.x[0], s.x[s.x.length - 1]], [history[0].epoch, history[history.length - 1].epoch]);
    const norms = history.map((h) => h.grad_norm as number);
    assert.equal(Math.max(...(s.y as number[])), Math.max(...norms), 'the largest grad-norm spike survives');
    assert.equal(Math.min(...(s.y as number[])), Math.min(...norms));
  });
});
