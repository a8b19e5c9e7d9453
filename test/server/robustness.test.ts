/**
 * The built server over stdio keeps working beside files that cannot be read as logs (FIFOs named
 * like logs, a folder named `*.log`, a dangling symlink, garbage with NUL bytes, invalid UTF-8 and a
 * huge line) and odd requests (non-file URIs, positions past the end, unknown scenarios): it still
 * publishes the findings of the good log, follows its appends and answers hovers.
 *
 * A rule that throws is proven at the unit level (test/unit/robustness/rule-errors.test.ts): no log is
 * known to make a shipped rule throw, and the product has no test seam to inject one.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { HoverRequest, type Hover } from 'vscode-languageserver-protocol/node';
import type { ScenarioId } from '../../src/core/types';
import { ExplainRequest, RunDataRequest } from '../../src/shared/protocol';
import { ServerUnderTest } from './lsp-harness';

function lines(from: number, to: number, nanFrom: number): string {
  let s = '';
  for (let e = from; e < to; e++) s += `epoch: ${e} train_loss: ${e >= nanFrom ? 'nan' : (2 / (e + 1)).toFixed(4)} val_loss: ${(2.1 / (e + 1)).toFixed(4)} lr: 0.001\n`;
  return s;
}

describe('server robustness: odd files and requests do not stop it', function () {
  this.timeout(60_000);
  let dir: string;
  let server: ServerUnderTest | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-lsp-rob-'));
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('FIFOs, a folder named *.log, a dangling symlink and garbage beside a good log: the good log is analysed and followed', async () => {
    // More FIFOs than libuv has thread-pool threads (4): reading any of them would stall every read.
    const fifos = Array.from({ length: 6 }, (_, i) => path.join(dir, `pipe${i}`, 'train.log'));
    for (const f of fifos) {
      fs.mkdirSync(path.dirname(f));
      spawnSync('mkfifo', [f]);
    }
    if (!fs.existsSync(fifos[0])) console.warn('  (mkfifo unavailable; FIFO part not exercised)');
    fs.mkdirSync(path.join(dir, 'folder', 'output.log'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'gone'));
    fs.symlinkSync(path.join(dir, 'nowhere.log'), path.join(dir, 'gone', 'train.log'));
    fs.mkdirSync(path.join(dir, 'junk'));
    fs.writeFileSync(
      path.join(dir, 'junk', 'train.log'),
      Buffer.concat([Buffer.from('epoch: 0 loss: \0\0nan\n'), Buffer.from([0xff, 0xfe, 0xc3, 0x0a]), Buffer.from(`${'z'.repeat(2 << 20)}\nloss: inf\n`)]),
    );
    const good = path.join(dir, 'good', 'train.log');
    fs.mkdirSync(path.dirname(good));
    fs.writeFileSync(good, lines(0, 10, 1000));

    server = await ServerUnderTest.start(dir);
    const s = server;
    await new Promise((r) => setTimeout(r, 500));
    fs.appendFileSync(good, lines(10, 20, 12));
    await s.waitFor(() => s.diagnosticsOf(good).some((d) => d.code === 'divergence'), 'divergence on the good log after its appends');

    const uri = pathToFileURL(good).href;
    const odd = [
      { textDocument: { uri: 'untitled:Untitled-1' }, position: { line: 0, character: 0 } },
      { textDocument: { uri: 'vscode-vfs://github/x/y/train.log' }, position: { line: 0, character: 0 } },
      { textDocument: { uri }, position: { line: 1_000_000, character: 1_000_000 } },
      { textDocument: { uri: pathToFileURL(fifos[0]).href }, position: { line: 0, character: 0 } },
      { textDocument: { uri: pathToFileURL(path.join(dir, 'folder', 'output.log')).href }, position: { line: 0, character: 0 } },
    ];
    for (const p of odd) await s.connection.sendRequest(HoverRequest.type, p);
    // A scenario id the client should never send (the type says ScenarioId; the wire does not).
    const explain = await s.connection.sendRequest(ExplainRequest, { scenario: 'no-such-scenario' as ScenarioId, uri, line: 3 });
    assert.equal(explain, null);
    assert.equal(await s.connection.sendRequest(RunDataRequest, { uri: 'file:///nowhere/at/all.log' }), null);
    assert.equal(await s.connection.sendRequest(RunDataRequest, { runKey: '../../etc/passwd' }), null);

    const d = s.diagnosticsOf(good).find((x) => x.code === 'divergence');
    assert.ok(d);
    const h = (await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: d.range.start })) as Hover | null;
    assert.ok(h, 'the good log still hovers');
    // Still following: a rewrite without NaN, right after the last read, clears the finding.
    fs.writeFileSync(`${good}.tmp`, lines(0, 20, 1000));
    fs.renameSync(`${good}.tmp`, good);
    await s.waitFor(() => !s.diagnosticsOf(good).some((x) => x.code === 'divergence'), 'the divergence finding cleared after the log was replaced');
    assert.equal(s.process.exitCode, null, 'the server is alive');
    assert.doesNotMatch(s.stderr.join(''), /internal error/);
  });

  it('the last append of a fast burst is read (chokidar drops changes within 50 ms of the one before)', async () => {
    const log = path.join(dir, 'burst', 'train.log');
    fs.mkdirSync(path.dirname(log));
    fs.writeFileSync(log, lines(0, 5, 1000));
    server = await ServerUnderTest.start(dir);
    const s = server;
    await new Promise((r) => setTimeout(r, 800));
    // A training job's final writes: appends a few ms apart, the NaNs in the very last one.
    for (let e = 5; e < 12; e++) {
      fs.appendFileSync(log, lines(e, e + 1, 1000));
      await new Promise((r) => setTimeout(r, 3));
    }
    fs.appendFileSync(log, lines(12, 20, 12));
    await s.waitFor(() => s.diagnosticsOf(log).some((d) => d.code === 'divergence'), 'divergence from the burst’s last append, with no later write', 5000);
  });
});

/** A run that diverges at epoch `nanFrom` (a divergence finding once the NaN is read). */
function goodRun(dir: string): string {
  const good = path.join(dir, 'good', 'train.log');
  fs.mkdirSync(path.dirname(good), { recursive: true });
  fs.writeFileSync(good, lines(0, 10, 1000));
  return good;
}

/** Issue 13: the server keeps diagnosing a real log beside hostile files and answers a hover within 5 s. */
describe('server robustness: a hostile workspace (issue 13)', function () {
  this.timeout(60_000);
  let dir: string;
  let server: ServerUnderTest | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-lsp-hostile-'));
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function stillDiagnoses(s: ServerUnderTest, good: string): Promise<void> {
    await new Promise((r) => setTimeout(r, 500));
    fs.appendFileSync(good, lines(10, 20, 12));
    await s.waitFor(() => s.diagnosticsOf(good).some((d) => d.code === 'divergence'), 'divergence on the good log beside the hostile files');
    const d = s.diagnosticsOf(good).find((x) => x.code === 'divergence');
    assert.ok(d);
    const t0 = Date.now();
    const h = (await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: pathToFileURL(good).href }, position: d.range.start })) as Hover | null;
    assert.ok(h, 'the good log hovers');
    assert.ok(Date.now() - t0 < 5000, `hover took ${Date.now() - t0} ms`);
    assert.equal(s.process.exitCode, null, 'the server is alive');
  }

  it('config.yaml FIFOs (more than libuv has pool threads) and config.yaml -> /dev/zero links are not read', async () => {
    for (let i = 0; i < 6; i++) {
      const sub = path.join(dir, `fifo${i}`);
      fs.mkdirSync(sub);
      spawnSync('mkfifo', [path.join(sub, 'config.yaml')]);
      const zero = path.join(dir, `zero${i}`);
      fs.mkdirSync(zero);
      if (fs.existsSync('/dev/zero')) fs.symlinkSync('/dev/zero', path.join(zero, 'config.yaml'));
    }
    if (!fs.existsSync(path.join(dir, 'fifo0', 'config.yaml'))) console.warn('  (mkfifo unavailable; FIFO part not exercised)');
    const good = goodRun(dir);
    server = await ServerUnderTest.start(dir);
    await stillDiagnoses(server, good);
  });

  it('a watch.exclude glob built to backtrack does not pin the server', async () => {
    // Each `**` became `.*` in one regular expression: matching a deep path that fails at its end
    // backtracked through every split (minutes per path).
    const deep = path.join(dir, ...Array.from({ length: 30 }, (_, i) => `d${i}`));
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'x.txt'), '');
    const good = goodRun(dir);
    server = await ServerUnderTest.start(dir, { watch: { exclude: [`${'**/'.repeat(12)}nomatch`, `**/${'a*'.repeat(20)}b`] } });
    await stillDiagnoses(server, good);
  });
});

describe('server robustness: symlinked logs (issue 13)', function () {
  this.timeout(60_000);
  let dir: string;
  let outside: string;
  let server: ServerUnderTest | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-lsp-link-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-lsp-link-target-'));
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('follows appends to the target of a symlinked log, as the CLI reads them', async () => {
    // A scratch disk's log linked into the project (`ln -s /scratch/job/out.txt run/train.log`).
    const target = path.join(outside, 'out.txt');
    fs.writeFileSync(target, lines(0, 10, 1000));
    const link = path.join(dir, 'run', 'train.log');
    fs.mkdirSync(path.dirname(link));
    fs.symlinkSync(target, link);
    server = await ServerUnderTest.start(dir);
    const s = server;
    await new Promise((r) => setTimeout(r, 800));
    fs.appendFileSync(target, lines(10, 20, 12));
    await s.waitFor(() => s.diagnosticsOf(link).some((d) => d.code === 'divergence'), 'divergence from the appends to the link target', 8000);
  });

  it('a symlinked log replaced by a regular file is read again from the new file', async () => {
    const target = path.join(outside, 'out.txt');
    fs.writeFileSync(target, lines(0, 20, 12));
    const link = path.join(dir, 'run', 'train.log');
    fs.mkdirSync(path.dirname(link));
    fs.symlinkSync(target, link);
    server = await ServerUnderTest.start(dir);
    const s = server;
    await s.waitFor(() => s.diagnosticsOf(link).some((d) => d.code === 'divergence'), 'divergence from the linked log');
    fs.writeFileSync(`${link}.tmp`, lines(0, 20, 1000));
    fs.renameSync(`${link}.tmp`, link);
    await s.waitFor(() => !s.diagnosticsOf(link).some((d) => d.code === 'divergence'), 'the finding gone once the link is replaced by a clean log', 8000);
  });
});
