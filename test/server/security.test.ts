/**
 * The built server over stdio, fed logs and a sweep config whose paths and keys are script, HTML and
 * Markdown-link payloads: every hover is inert Markdown (each special character of the data escaped,
 * no `](` link but our own `command:traindx.explain`, no HTML). The server runs under a preload that
 * records any child process, socket, HTTP or fetch use: a whole session must record none.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { DidOpenTextDocumentNotification, HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { escapeMarkdown } from '../../src/server/markdown';
import { ownCommandLinks, PATH_PAYLOADS, PAYLOADS, unescapedLinkOpeners, unescapedSpecials } from '../unit/security/payloads';
import { ServerUnderTest } from './lsp-harness';

const PRELOAD = `
const report = (what) => { try { process.stderr.write('TRAINDX-AUDIT ' + what + '\\n'); } catch {} };
const wrap = (mod, name, fns) => { let m; try { m = require(name); } catch { return; } for (const f of fns) { const orig = m[f]; if (typeof orig !== 'function') continue; m[f] = function (...a) { report(name + '.' + f + ' ' + String(a[0]).slice(0, 80)); return orig.apply(this, a); }; } };
wrap(null, 'child_process', ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync']);
wrap(null, 'net', ['connect', 'createConnection', 'createServer']);
wrap(null, 'tls', ['connect', 'createServer']);
wrap(null, 'dgram', ['createSocket']);
wrap(null, 'http', ['request', 'get', 'createServer']);
wrap(null, 'https', ['request', 'get', 'createServer']);
wrap(null, 'http2', ['connect', 'createServer']);
const net = require('net'); const sc = net.Socket.prototype.connect; net.Socket.prototype.connect = function (...a) { report('net.Socket.connect'); return sc.apply(this, a); };
if (typeof globalThis.fetch === 'function') { const f = globalThis.fetch; globalThis.fetch = function (...a) { report('fetch ' + String(a[0])); return f.apply(this, a); }; }
`;

function divergedLog(): string {
  return Array.from({ length: 20 }, (_, e) => `epoch: ${e} train_loss: ${e >= 12 ? 'nan' : (2 / (e + 1)).toFixed(4)} val_loss: ${(2.1 / (e + 1)).toFixed(4)} lr: 0.001`).join('\n') + '\n';
}

function assertInert(md: string, what: string): void {
  const own = ownCommandLinks(md);
  for (const at of unescapedLinkOpeners(md)) assert.ok(own.some(([a, b]) => at >= a && at < b), `${what}: a link that is not ours: …${md.slice(Math.max(0, at - 40), at + 60)}…`);
  assert.deepEqual(
    unescapedSpecials(md).filter((s) => s.ch === '<' || s.ch === '>'),
    [],
    `${what}: raw HTML in ${md}`,
  );
  for (const p of PAYLOADS) assert.ok(!md.includes(p), `${what}: raw payload ${p}`);
}

describe('server security: hostile names are shown as text; no process, no socket', function () {
  this.timeout(60_000);
  let dir: string;
  let server: ServerUnderTest | undefined;
  let preload: string;
  let savedOptions: string | undefined;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-lsp-sec-'));
    preload = path.join(dir, 'audit-preload.js');
    fs.writeFileSync(preload, PRELOAD);
    savedOptions = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `${savedOptions ?? ''} --require ${preload}`.trim();
  });
  after(async () => {
    await server?.stop();
    if (savedOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = savedOptions;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hovers on flagged logs in payload-named folders and on payload sweep keys are inert Markdown', async () => {
    const ws = path.join(dir, 'ws');
    const logs = PATH_PAYLOADS.map((p) => path.join(ws, p, 'train.log'));
    for (const l of logs) {
      fs.mkdirSync(path.dirname(l), { recursive: true });
      fs.writeFileSync(l, divergedLog());
    }
    const sweep = path.join(ws, 'sweep.yaml');
    const yaml = ['method: grid', 'parameters:', ...PAYLOADS.flatMap((p) => [`  ${JSON.stringify(p)}:`, `    values: [${JSON.stringify(p)}, 2, 3, 4, 5]`])].join('\n') + '\n';
    fs.writeFileSync(sweep, yaml);

    server = await ServerUnderTest.start(ws);
    const s = server;
    await s.waitFor(() => logs.every((l) => s.diagnosticsOf(l).some((d) => d.code === 'divergence')), 'divergence on every payload-named log');
    await s.waitFor(() => s.diagnosticsOf(sweep).some((d) => d.code === 'search-strategy'), 'search-strategy on the sweep');
    assert.ok(String(s.diagnosticsOf(sweep)[0].message).includes(PAYLOADS[0]), 'the diagnostic message is plain text (VS Code shows it as text)');

    let hovers = 0;
    for (const l of logs) {
      const d = s.diagnosticsOf(l).find((x) => x.code === 'divergence');
      assert.ok(d);
      const h = (await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: pathToFileURL(l).href }, position: d.range.start })) as Hover | null;
      assert.ok(h, `a hover on ${l}`);
      const md = (h.contents as MarkupContent).value;
      assertInert(md, l);
      assert.equal(ownCommandLinks(md).length, 1, md);
      hovers++;
    }

    const uri = pathToFileURL(sweep).href;
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: yaml } });
    const lines = yaml.split('\n');
    let keyHovers = 0;
    for (let line = 0; line < lines.length; line++) {
      for (let character = 0; character < lines[line].length; character += 4) {
        const h = (await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } })) as Hover | null;
        if (!h) continue;
        const md = (h.contents as MarkupContent).value;
        assertInert(md, `sweep.yaml ${line}:${character}`);
        if (md.includes(escapeMarkdown(PAYLOADS[2]))) keyHovers++;
        hovers++;
      }
    }
    assert.ok(hovers > logs.length, 'hovers on the sweep too');
    assert.ok(keyHovers > 0, 'some hover names a payload (escaped)');

    const audit = s.stderr.join('').split('\n').filter((l) => l.startsWith('TRAINDX-AUDIT'));
    assert.deepEqual(audit, [], 'the server started a process or opened a socket');
    assert.ok(s.process.exitCode === null, 'the server is alive');
  });
});
