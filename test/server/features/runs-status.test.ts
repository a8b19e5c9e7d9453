import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { runs } from '../../../src/server/features/runs';
import { serverInfo } from '../../../src/server/features/server-info';
import { runStatus, status } from '../../../src/server/features/status';
import { EXAMPLES } from '../../helpers/paths';
import { contextOf, uri, withoutLightningCsv, workspaceOf, type TestContext } from './feature-context';

const SEEDS = path.join(EXAMPLES, 'runs', 'seeds');

/** The last printed epoch and the lowest printed val_loss of a log (`ep 040 | … | val_loss 1.1031 | …`), by a regex of this test. */
function printed(log: string): { lastEpoch: number; bestValLoss: number } {
  let lastEpoch = -1;
  let bestValLoss = Infinity;
  for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
    const e = /^ep (\d+) \|/.exec(line);
    if (e) lastEpoch = Number(e[1]);
    const v = /\| val_loss ([\d.]+) \|/.exec(line);
    if (v) bestValLoss = Math.min(bestValLoss, Number(v[1]));
  }
  return { lastEpoch, bestValLoss };
}

describe('runs, status and server info features (in-process)', () => {
  const logs = fs.readdirSync(SEEDS).sort().map((d) => path.join(SEEDS, d, 'output.log'));
  let ctx: TestContext;
  before(async () => {
    ctx = contextOf(await workspaceOf([SEEDS]), [SEEDS]);
  });

  it('lists every run with the last epoch and best val_loss its log prints', () => {
    const listed = runs(ctx);
    assert.deepEqual(listed.map((r) => r.files), logs.map((l) => [l]));
    for (const r of listed) assert.deepEqual({ lastEpoch: r.lastEpoch, bestValLoss: r.bestValLoss }, printed(r.files[0]), r.runKey);
    const ensemble = listed.flatMap((r) => r.findings).filter((f) => f.scenario === 'ensemble');
    assert.equal(ensemble.length, 1, 'the group finding is listed once, under the run whose log it points into');
  });

  it('the status names the run that changed last, with its progress and findings; none when no run did', () => {
    const key = ctx.queries.runKeyOf(logs[0]);
    assert.ok(key);
    const s = status(ctx, { watchedFiles: 7, limitReached: false }, key);
    const inLog = ctx.workspace.findings().filter((f) => f.file === logs[0]).length;
    assert.deepEqual(s.activeRun, { runKey: key, epoch: printed(logs[0]).lastEpoch, bestValLoss: printed(logs[0]).bestValLoss, findings: inLog });
    assert.equal(s.runs, logs.length);
    assert.equal(s.watchedFiles, 7);
    assert.equal(status(ctx, { watchedFiles: 7, limitReached: true }, undefined).activeRun, undefined);
    assert.equal(status(ctx, { watchedFiles: 7, limitReached: true }, '/gone/output.log').activeRun, undefined);
  });

  it('server info counts the runs of this process', () => {
    const info = serverInfo(ctx, 12);
    assert.deepEqual({ pid: info.pid, runs: info.runs, watchedFiles: info.watchedFiles }, { pid: process.pid, runs: logs.length, watchedFiles: 12 });
  });
});

describe('the status of the open run, counted as Problems lists findings', () => {
  it('counts no hints (Problems does not list them), and names the run of the file asked for', async () => {
    const dirs = ['step-decay', 'cosine'].map((d) => path.join(EXAMPLES, 'runs', d));
    const ctx = contextOf(await workspaceOf(dirs, withoutLightningCsv), dirs);
    const all = ctx.workspace.findings();
    assert.ok(all.some((f) => f.severity === 'hint'), 'the example configs carry hints (no-early-stopping)');
    const s = status(ctx, { watchedFiles: 4, limitReached: false }, undefined);
    assert.equal(s.findings, all.filter((f) => f.severity !== 'hint').length);
    const log = path.join(dirs[0], 'output.log');
    const open = runStatus(ctx, { uri: uri(log) });
    assert.ok(open);
    assert.equal(open.runKey, ctx.queries.runKeyOf(log));
    assert.equal(open.findings, all.filter((f) => f.file === log && f.severity !== 'hint').length);
    assert.ok(open.findings > 0);
    assert.equal(runStatus(ctx, { uri: uri('/elsewhere/notes.md') }), null, 'a file of no run');
  });
});
