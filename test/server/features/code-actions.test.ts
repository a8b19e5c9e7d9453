import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { getScenario } from '../../../src/core/scenarios';
import { codeActions, fixEnv } from '../../../src/server/features/code-actions';
import { toDiagnostic } from '../../../src/server/features/diagnostics';
import { EXAMPLES, REPO_ROOT } from '../../helpers/paths';
import { contextOf, uri, withoutLightningCsv, workspaceOf, type TestContext } from './feature-context';

const ROOT = path.join(EXAMPLES, 'runs');
const LOG = path.join(ROOT, 'step-decay', 'output.log');

describe('code actions wiring (in-process)', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = contextOf(await workspaceOf([path.join(ROOT, 'step-decay')], withoutLightningCsv), [ROOT]);
  });

  it("offers one Explain per traindx diagnostic, naming the diagnostic's file and line, and nothing for others' diagnostics", () => {
    const finding = ctx.workspace.findings().find((f) => f.file === LOG && f.scenario === 'lr-schedule');
    assert.ok(finding);
    const d = toDiagnostic(finding);
    const foreign: Diagnostic = { ...d, source: 'pylint', data: d.data };
    const actions = codeActions(ctx, { textDocument: { uri: uri(LOG) }, range: d.range, context: { diagnostics: [d, foreign] } });
    const explains = actions.filter((a) => a.command?.command === 'traindx.explain');
    assert.equal(explains.length, 1);
    assert.equal(explains[0].title, `Explain: ${getScenario('lr-schedule').title}`);
    assert.deepEqual(explains[0].command?.arguments, [{ scenario: 'lr-schedule', uri: uri(LOG), line: finding.line - 1 }]);
    assert.ok(actions.every((a) => a.diagnostics?.every((x) => x.source === 'traindx') ?? true));
  });

  it('reads fix targets from the open editor first, else from what ingest read, never from the disk', () => {
    const config = path.join(ROOT, 'step-decay', 'config.yaml');
    const closed = fixEnv(ctx).textOf(config);
    assert.equal(closed, fs.readFileSync(config, 'utf8'));
    ctx.open(config, 'edited: true\n');
    const env = fixEnv(ctx);
    assert.equal(env.textOf(config), 'edited: true\n');
    // A file the workspace never read (deleted, refused as a FIFO or device): no text, no fix.
    const missing = path.join(ROOT, 'step-decay', 'no-such-config.yaml');
    assert.equal(env.textOf(missing), undefined);
  });

  it('offers "Log the update-to-weight ratio" on the optimizer step of an open training script, as a refactoring', () => {
    const script = path.join(REPO_ROOT, 'test', 'fixtures', 'python', 'tiny-plain-loop.py');
    const doc = ctx.open(script);
    const line = doc.getText().split('\n').findIndex((l) => l.trim() === 'optimizer.step()');
    const at = { start: { line, character: 14 }, end: { line, character: 14 } };
    const actions = codeActions(ctx, { textDocument: { uri: uri(script) }, range: at, context: { diagnostics: [] } });
    assert.deepEqual(actions.map((a) => [a.title.split(' (')[0], a.kind]), [['Log the update-to-weight ratio', 'refactor.rewrite']]);
    const edits = actions[0].edit?.changes?.[uri(script)];
    assert.equal(edits?.length, 2);
    assert.equal(edits[0].range.start.line, line, 'the lines before the step go above it');
    const elsewhere = { start: { line: line - 1, character: 14 }, end: { line: line - 1, character: 14 } };
    assert.deepEqual(codeActions(ctx, { textDocument: { uri: uri(script) }, range: elsewhere, context: { diagnostics: [] } }), [], 'nothing on loss.backward()');
  });
});
