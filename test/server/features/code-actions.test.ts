import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { getScenario } from '../../../src/core/scenarios';
import { codeActions, fixEnv } from '../../../src/server/features/code-actions';
import { toDiagnostic } from '../../../src/server/features/diagnostics';
import { EXAMPLES } from '../../helpers/paths';
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
});
