/**
 * Self-test of the route B helpers (test/e2e/ui.ts) against the fixture extension: squiggle, Problems,
 * hover, command, webview. Run:
 *   (cd test/integration/fixture-ext && node ../../../node_modules/@vscode/vsce/vsce package --out /tmp/fixture.vsix)
 *   node out/test/e2e/run.js --vsix=/tmp/fixture.vsix \
 *     --workspace=test/integration/fixture-ext/workspace-pass out/test/integration/fixture-ext/ui-selftest.e2e.js
 */
import * as assert from 'assert';
import * as path from 'path';
import { hoverAt, openFile, openWorkbench, readProblems, runCommand, screenshot, waitForSquiggle, webviewFrame,
  Workbench } from '../../e2e/ui';

describe('route B helpers on the fixture extension', function () {
  this.timeout(120_000);
  let wb: Workbench;

  before(async () => {
    const vsix = process.env.TRAINDX_VSIX;
    assert.ok(vsix, 'TRAINDX_VSIX must be set');
    wb = await openWorkbench({ vsix, workspace: process.env.TRAINDX_E2E_WORKSPACE ?? path.join(__dirname, 'workspace-pass') });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`      screenshot: ${await screenshot(wb.page, 'selftest')}`);
  });

  after(async () => wb?.close());

  it('shows a warning squiggle, a Problems row and a hover for the NaN line', async () => {
    await openFile(wb.page, 'train.log');
    const squiggle = await waitForSquiggle(wb.page, 'warning');
    const rows = await readProblems(wb.page, { atLeast: 2 });
    assert.ok(rows.some((r) => /loss is NaN/.test(r) && /Ln 3/.test(r)), JSON.stringify(rows));
    const hover = await hoverAt(wb.page, squiggle);
    assert.match(hover, /loss is NaN/);
  });

  it('opens a webview through a command and reads its DOM', async () => {
    await runCommand(wb.page, 'Traindx Fixture: Show Panel');
    const h1 = webviewFrame(wb.page).locator('#hello');
    await h1.waitFor({ timeout: 20_000 });
    assert.strictEqual(await h1.textContent(), 'Hello from the fixture webview');
    await screenshot(wb.page, 'fixture-webview');
  });
});
