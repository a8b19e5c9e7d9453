import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StatusNotification, type StatusParams as Status } from '../../src/shared/protocol';
import { ServerUnderTest } from './lsp-harness';

/** A printed log of 60 steps; `nan` puts a `loss=nan` on its last step line (a divergence error). */
function log(nan: boolean): string {
  const lines: string[] = [];
  for (let s = 1; s <= 60; s++) lines.push(`Epoch [${Math.ceil(s / 20)}/3] Step [${((s - 1) % 20) + 1}/20] loss=${nan && s === 60 ? 'nan' : (2 / s + 0.3).toFixed(4)} lr=1.0e-3`);
  return `${lines.join('\n')}\n`;
}

/** `n` run folders under `dir/<group>/`, each a log (every third diverged), a config, checkpoints. */
function runs(dir: string, group: string, n: number): string[] {
  const logs: string[] = [];
  for (let i = 0; i < n; i++) {
    const run = path.join(dir, group, `run${i}`);
    fs.mkdirSync(path.join(run, 'ckpt'), { recursive: true });
    fs.writeFileSync(path.join(run, 'train.log'), log(i % 3 === 0));
    fs.writeFileSync(path.join(run, 'config.yaml'), `lr: 0.001\nbatch_size: 32\nseed: ${i}\n`);
    for (let c = 0; c < 3; c++) fs.writeFileSync(path.join(run, 'ckpt', `e${c}.pt`), 'x');
    logs.push(path.join(run, 'train.log'));
  }
  return logs;
}

/** What the server says besides diagnostics: its status notifications and the messages it shows. */
function listen(s: ServerUnderTest): { statuses: Status[]; shown: { type: number; message: string }[] } {
  const seen = { statuses: [] as Status[], shown: [] as { type: number; message: string }[] };
  s.connection.onNotification(StatusNotification, (p: Status) => {
    seen.statuses.push(p);
  });
  s.connection.onNotification('window/showMessage', (p: { type: number; message: string }) => {
    seen.shown.push(p);
  });
  s.connection.onRequest('window/showMessageRequest', (p: { type: number; message: string }) => {
    seen.shown.push(p);
    return null;
  });
  return seen;
}

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The watcher on a workspace of many runs: excludes and the file limit kept and said, appends still prompt. */
describe('language server: many runs, excludes and the file limit', function () {
  this.timeout(90_000);
  let dir: string;
  let server: ServerUnderTest | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-scale-'));
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes every run of a 60-run workspace, follows only logs and configs, and an append after it is published promptly', async () => {
    const logs = runs(dir, 'sweep', 60);
    server = await ServerUnderTest.start(dir);
    const s = server;
    const seen = listen(s);
    const diverged = logs.filter((_, i) => i % 3 === 0);
    await s.waitFor(() => diverged.every((l) => s.diagnosticsOf(l).some((d) => d.code === 'divergence')), 'a divergence diagnostic on every diverged log', 60_000);
    await until(() => seen.statuses.some((st) => st.runs === 60 && st.watchedFiles === 120), 'a status with 60 runs and 120 files followed');
    // A healthy log that starts diverging: published without waiting on the first scan's pace.
    const healthy = logs[1];
    assert.equal(s.diagnosticsOf(healthy).length, 0);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    fs.appendFileSync(healthy, 'Epoch [3/3] Step [20/20] loss=nan lr=1.0e-3\nEpoch [3/3] Step [20/20] loss=nan lr=1.0e-3\n');
    await s.waitFor(() => s.diagnosticsOf(healthy).some((d) => d.code === 'divergence'), 'the appended divergence', 10_000);
    assert.ok(Date.now() - t0 < 5_000, `published ${Date.now() - t0} ms after the append`);
  });

  it('does not follow folders matching traindx.watch.exclude', async () => {
    const kept = runs(dir, 'keep', 12);
    const skipped = runs(dir, 'old-runs', 9);
    server = await ServerUnderTest.start(dir, { watch: { exclude: ['**/old-runs'] } });
    const s = server;
    const seen = listen(s);
    await s.waitFor(() => kept.filter((_, i) => i % 3 === 0).every((l) => s.diagnosticsOf(l).length > 0), 'diagnostics on the kept diverged logs');
    await until(() => seen.statuses.some((st) => st.watchedFiles === 24 && st.runs === 12), 'a status with 12 runs and 24 files followed');
    await new Promise((r) => setTimeout(r, 500));
    for (const l of skipped) assert.equal(s.diagnosticsOf(l).length, 0, `${l} is excluded`);
    assert.equal(seen.statuses[seen.statuses.length - 1].runs, 12);
  });

  it('stops at traindx.watch.maxFiles below the number of logs: the status says so and one warning is shown', async () => {
    runs(dir, 'sweep', 20);
    server = await ServerUnderTest.start(dir, { watch: { maxFiles: 7 } });
    const seen = listen(server);
    await until(() => seen.statuses.some((st) => st.limitReached === true), 'a status with limitReached');
    await until(() => seen.shown.some((m) => m.type === 2 && /maxFiles/.test(m.message)), 'the warning');
    await new Promise((r) => setTimeout(r, 500));
    const last = seen.statuses[seen.statuses.length - 1];
    assert.equal(last.watchedFiles, 7);
    assert.equal(last.limitReached, true);
    assert.ok(last.runs <= 7, `${last.runs} runs analysed`);
    assert.equal(seen.shown.filter((m) => m.type === 2).length, 1, 'one warning, not one per file beyond the limit');
  });
});
