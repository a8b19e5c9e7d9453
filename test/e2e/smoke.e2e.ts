/**
 * Smoke test of the packaged extension in a real VS Code web workbench (route B): the .vsix installs,
 * the workbench loads with it, and the Extensions view and the command palette both know it.
 * Run with `npm run test:e2e` (packages the repo) or
 *   TRAINDX_VSIX=x.vsix [TRAINDX_E2E_WORKSPACE=dir] node out/test/e2e/run.js
 * Not vacuous: with TRAINDX_E2E_NO_INSTALL=1 (server started without the .vsix) it must fail.
 */
import * as assert from 'assert';
import * as path from 'path';
import { repoRoot } from '../integration/runner/code-server';
import { openWorkbench, findCommand, installedExtensionsShown, keepFailure, Workbench } from './ui';
import { installVsix, InstalledExtension } from './vsix';

describe('e2e smoke: packaged extension in the workbench', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let ext: InstalledExtension;

  before(async function () {
    const vsix = process.env.TRAINDX_VSIX;
    assert.ok(vsix, 'TRAINDX_VSIX must name the .vsix under test (node out/test/e2e/run.js sets it)');
    const workspace = process.env.TRAINDX_E2E_WORKSPACE ?? path.join(repoRoot(), 'test', 'e2e', 'workspace');
    if (process.env.TRAINDX_E2E_NO_INSTALL === '1') {
      // Negative control: learn what the .vsix contains, but start the workbench without it.
      ext = installVsix(vsix).extension;
      wb = await openWorkbench({ workspace });
    } else {
      wb = await openWorkbench({ workspace, vsix });
      ext = wb.extension!;
    }
  });

  afterEach(async function () {
    await keepFailure(wb, 'smoke', this.currentTest);
  });

  after(async () => {
    await wb?.close();
  });

  it('loads the workbench with the workspace open', async () => {
    const title = await wb.page.title();
    assert.match(title, new RegExp(path.basename(wb.workspace)));
    const rows = await wb.page.locator('.explorer-folders-view .monaco-list-row').count();
    assert.ok(rows > 0, 'explorer is empty');
  });

  it('lists the extension as installed in the Extensions view', async () => {
    const listed = (rows: string[]): boolean => rows.some((r) => r.includes(ext.displayName));
    const rows = await installedExtensionsShown(wb.page, '@installed', { until: listed });
    assert.ok(listed(rows),
      `"${ext.displayName}" not among installed extensions: ${JSON.stringify(rows)}`);
  });

  it("finds the extension's first command in the palette (F1)", async function () {
    const cmd = ext.commands[0];
    if (!cmd) this.skip();
    const rows = await findCommand(wb.page, cmd.title);
    assert.ok(rows.length > 0, `command "${cmd.title}" (${cmd.command}) not in the command palette`);
  });
});
