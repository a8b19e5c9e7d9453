import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { EXAMPLES } from '../helpers/paths';
import { ServerUnderTest } from './lsp-harness';

/**
 * The built server, spawned over stdio, follows a log it was never sent (as a training job writes
 * it on disk) and publishes the findings of the finished file at the lines read off it by hand.
 */
describe('language server over stdio', function () {
  this.timeout(60_000);
  const stepDecayLog = path.join(EXAMPLES, 'runs', 'step-decay', 'output.log');
  let dir: string;
  let server: ServerUnderTest | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-lsp-'));
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the lr-schedule finding of a growing log, at the line the core finds, and clears it on delete', async () => {
    const full = fs.readFileSync(stepDecayLog);
    // The two StepLR drops (examples/labels.json: 0.1 → 0.01 at epoch 16, → 0.001 at epoch 31), at the
    // first line that prints each new LR: `Epoch [16/45] Step [10/38] … lr=0.01` is line 61 and
    // `Epoch [31/45] Step [10/38] … lr=0.001` line 121 of the file (read by hand).
    const expected = [
      { line: 61, message: /^lr dropped 0\.1 → 0\.01 \(×0\.1\) at epoch 16/ },
      { line: 121, message: /^lr dropped 0\.01 → 0\.001 \(×0\.1\) at epoch 31/ },
    ];
    const firstLine = expected[0].line;
    // Start with everything before the first drop, cut mid-line: the partial line must wait.
    const lines = full.toString('utf8').split('\n');
    const before = lines.slice(0, firstLine - 1).join('\n') + '\n' + lines[firstLine - 1].slice(0, 7);
    const log = path.join(dir, 'run-a', 'output.log');
    fs.mkdirSync(path.dirname(log));
    fs.writeFileSync(log, before);

    server = await ServerUnderTest.start(dir);
    const s = server;
    // Grow the file in a few appends, as a training job does.
    const rest = full.subarray(Buffer.byteLength(before));
    const step = Math.ceil(rest.length / 4);
    for (let off = 0; off < rest.length; off += step) {
      fs.appendFileSync(log, rest.subarray(off, off + step));
      await new Promise((r) => setTimeout(r, 150));
    }
    await s.waitFor(
      () => s.diagnosticsOf(log).filter((d) => d.code === 'lr-schedule').length === expected.length,
      `${expected.length} lr-schedule diagnostics on ${log}`,
    );
    const got = s.diagnosticsOf(log).filter((d) => d.code === 'lr-schedule');
    assert.deepEqual(
      got.map((d) => d.range.start.line + 1),
      expected.map((f) => f.line),
    );
    assert.equal(got[0].source, 'traindx');
    got.forEach((d, i) => assert.match(typeof d.message === 'string' ? d.message : d.message.value, expected[i].message));

    const hover = (await s.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: pathToFileURL(log).href },
      position: { line: firstLine - 1, character: 2 },
    })) as Hover | null;
    assert.ok(hover, 'a hover on the flagged line');
    const md = (hover.contents as MarkupContent).value;
    assert.match(md, /command:traindx\.explain\?/);
    assert.match(md, /scenario `lr-schedule`/);

    fs.rmSync(log);
    await s.waitFor(() => s.diagnosticsOf(log).length === 0, 'diagnostics cleared after delete');
  });
});
