import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticPublisher, FindingsPublication, shownLineCount } from '../../../src/server/features/diagnostics';
import { PublishScheduler } from '../../../src/server/publish';
import { EXAMPLES } from '../../helpers/paths';
import { withoutLightningCsv, workspaceOf } from './feature-context';
import type { AnalysisWorkspace } from '../../../src/core/workspace';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('diagnostics publication (in-process)', () => {
  it('sends each flagged file once, nothing when unchanged, and clears every file when traindx is switched off', async () => {
    const ws = await workspaceOf([path.join(EXAMPLES, 'runs', 'step-decay')], withoutLightningCsv);
    const sent: [string, Diagnostic[]][] = [];
    const p = new FindingsPublication(new DiagnosticPublisher((uri, ds) => sent.push([uri, ds])), () => assert.fail('no rule fails here'));
    p.publish(ws, true);
    const flagged = [...new Set(ws.findings().map((f) => pathToFileURL(f.file).href))].sort();
    assert.deepEqual(sent.map(([u]) => u).sort(), flagged);
    const log = pathToFileURL(path.join(EXAMPLES, 'runs', 'step-decay', 'output.log')).href;
    const logLines = sent.find(([u]) => u === log)?.[1].map((d) => d.range.start.line + 1);
    assert.deepEqual(logLines, ws.findings().filter((f) => pathToFileURL(f.file).href === log).map((f) => f.line));
    sent.length = 0;
    p.publish(ws, true);
    assert.equal(sent.length, 0);
    p.publish(ws, false);
    assert.deepEqual(sent.map(([u, ds]) => [u, ds.length]).sort(), flagged.map((u) => [u, 0]));
  });
});

describe('publish scheduler', () => {
  it('coalesces the changes of one turn into one publication', async () => {
    let published = 0;
    const s = new PublishScheduler(() => false, () => published++);
    s.schedule();
    s.schedule();
    s.schedule();
    assert.equal(published, 0, 'not inside the turn that changed');
    await tick();
    assert.equal(published, 1);
  });

  it('during a bulk read, holds a publication back (paced by the last one\'s cost) until the reading ends', async () => {
    let bulk = false;
    let published = 0;
    const s = new PublishScheduler(() => bulk, () => {
      published++;
      const until = performance.now() + 20; // a publication that costs 20 ms
      while (performance.now() < until);
    });
    s.schedule();
    await tick();
    assert.equal(published, 1);
    bulk = true;
    s.schedule();
    await tick();
    assert.equal(published, 1, 'held back: 4 × 20 ms have not passed');
    s.flushIfIdle();
    await tick();
    assert.equal(published, 1, 'still reading');
    bulk = false;
    s.flushIfIdle();
    await tick();
    assert.equal(published, 2);
  });
});

describe('diagnostics of a log open in the editor while it grows', () => {
  it('hold a finding back until the editor\'s version of the log has its line, then publish it there', async () => {
    const dir = path.join(EXAMPLES, 'runs', 'step-decay');
    const ws = await workspaceOf([dir], withoutLightningCsv);
    const log = path.join(dir, 'output.log');
    const logUri = pathToFileURL(log).href;
    const logFindings = ws.findings().filter((f) => f.file === log);
    assert.ok(logFindings.length > 0, 'the example run has findings in its log');
    const last = Math.max(...logFindings.map((f) => f.line));
    const text = fs.readFileSync(log, 'utf8');
    const lines = text.split('\n');
    // The editor still shows the log as it was before the last flagged line was appended.
    const before = TextDocument.create(logUri, 'log', 1, lines.slice(0, last - 1).join('\n') + '\n');
    assert.equal(shownLineCount(before), last - 1);
    const sent = new Map<string, Diagnostic[]>();
    const p = new FindingsPublication(new DiagnosticPublisher((uri, ds) => sent.set(uri, ds)), () => assert.fail('no rule fails here'));
    p.publish(ws, true, (uri) => (uri === logUri ? shownLineCount(before) : undefined));
    const shown = (sent.get(logUri) ?? []).map((d) => d.range.start.line + 1);
    assert.ok(!shown.includes(last), 'the finding past the editor\'s text is not clamped onto its last line');
    assert.ok(shown.every((l) => l <= last - 1));
    // The editor reloads the file: the finding appears on its own line.
    const after = TextDocument.create(logUri, 'log', 2, text);
    p.publish(ws, true, (uri) => (uri === logUri ? shownLineCount(after) : undefined));
    assert.deepEqual((sent.get(logUri) ?? []).map((d) => d.range.start.line + 1), logFindings.map((f) => f.line));
  });
});

describe('a rule that fails', () => {
  it('is logged once per error and told to the user once per rule, naming the settings to check', () => {
    const logged: string[] = [];
    const told: string[] = [];
    const errors = [
      { rule: 'update-ratio', message: 'window must be positive' },
      { rule: 'update-ratio', message: 'window must be positive' },
      { rule: 'update-ratio', message: 'another message' },
    ];
    // Only what publish reads of a workspace: no findings, and the rule errors of the last analysis.
    const ws = { findingsByFile: () => new Map(), ruleErrors: () => errors } as unknown as AnalysisWorkspace;
    const p = new FindingsPublication(new DiagnosticPublisher(() => undefined), (m) => logged.push(m), (m) => told.push(m));
    p.publish(ws, true);
    p.publish(ws, true);
    assert.equal(logged.length, 2, logged.join('\n'));
    assert.equal(told.length, 1, told.join('\n'));
    assert.match(told[0], /update-ratio failed.*traindx\.thresholds/);
  });
});
