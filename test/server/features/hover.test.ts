import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Hover } from 'vscode-languageserver/node';
import { hover } from '../../../src/server/features/hover';
import { EXAMPLES } from '../../helpers/paths';
import { contextOf, uri, withoutLightningCsv, workspaceOf, type TestContext } from './feature-context';

const ROOT = path.join(EXAMPLES, 'runs');
const LOG = path.join(ROOT, 'step-decay', 'output.log');

function text(h: Hover | null): string {
  assert.ok(h, 'a hover');
  const c = h.contents;
  assert.ok(typeof c === 'object' && 'kind' in c && c.kind === 'markdown');
  return c.value;
}

describe('hover feature (in-process)', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = contextOf(await workspaceOf([path.join(ROOT, 'step-decay')], withoutLightningCsv), [ROOT]);
  });

  it("on a flagged line: the finding, with an Explain link that names this file and line", () => {
    const finding = ctx.workspace.findings().find((f) => f.file === LOG && f.scenario === 'lr-schedule');
    assert.ok(finding);
    const value = text(hover(ctx, { textDocument: { uri: uri(LOG) }, position: { line: finding.line - 1, character: 0 } }));
    const link = /\(command:traindx\.explain\?([^ )]+)/.exec(value);
    assert.ok(link, value);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), { scenario: 'lr-schedule', uri: uri(LOG), line: finding.line - 1 });
  });

  it("on a metric name of an open log: the series' point count in this run", () => {
    const lines = fs.readFileSync(LOG, 'utf8').split('\n');
    const row = lines.findIndex((l) => l.includes('val_loss='));
    const count = lines.filter((l) => l.includes('val_loss=')).length;
    ctx.open(LOG);
    const value = text(hover(ctx, { textDocument: { uri: uri(LOG) }, position: { line: row, character: lines[row].indexOf('val_loss') + 2 } }));
    assert.match(value, new RegExp(`^\\*\\*val\\\\_loss\\*\\* — ${count} points in this run`));
  });

  it('nothing past the end of an unflagged line, nor for a file that is not on disk', () => {
    ctx.open(LOG);
    assert.equal(hover(ctx, { textDocument: { uri: uri(LOG) }, position: { line: 0, character: 500 } }), null);
    assert.equal(hover(ctx, { textDocument: { uri: 'untitled:Untitled-1' }, position: { line: 0, character: 0 } }), null);
  });
});

describe('finding hover content', () => {
  it('does not repeat the diagnostic message VS Code shows above it, nor the textbook paragraph', async () => {
    const ctx = contextOf(await workspaceOf([path.join(ROOT, 'step-decay')], withoutLightningCsv), [ROOT]);
    const finding = ctx.workspace.findings().find((f) => f.file === LOG && f.scenario === 'lr-schedule');
    assert.ok(finding);
    const value = text(hover(ctx, { textDocument: { uri: uri(LOG) }, position: { line: finding.line - 1, character: 0 } }));
    const plain = value.replace(/\\(.)/g, '$1');
    assert.ok(!plain.includes(finding.message), `the message is shown by VS Code already:\n${value}`);
    assert.ok(!plain.includes('Why:'), 'the why paragraph is behind Explain');
    assert.match(plain, /traindx (warning|information|error|hint): Learning-rate schedule/);
    assert.ok(value.split('\n').length <= 6, `short:\n${value}`);
  });
});
