/**
 * `npm run test:electron`: the integration suite through the unmodified `@vscode/test-electron` runner.
 * - With internet: downloads a desktop VS Code (cached in .vscode-test/) and runs the suite in Electron
 *   (needs a display: `xvfb-run -a npm run test:electron` on Linux CI). TRAINDX_VSCODE_VERSION picks the
 *   version (default: stable).
 * - TRAINDX_VSCODE=<executable>: use that VS Code binary instead, no download. Offline, point it at
 *   out/test/integration/runner/fake-vscode.js to run the same suite through code-server (route A).
 *
 * Args (all optional): [workspace-fixture] [--extensionDevelopmentPath=DIR] [--extensionTestsPath=PATH]
 * [--no-copy]; same defaults as run-route-a. Exit: 0 pass, non-zero otherwise.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { optionsFromArgs } from './run-route-a';

async function main(): Promise<number> {
  // --timeout is accepted and ignored: test-electron has no overall timeout.
  const { workspace, extensionDevelopmentPath, extensionTestsPath } = optionsFromArgs(process.argv.slice(2));

  const vscodeExecutablePath = process.env.TRAINDX_VSCODE ? path.resolve(process.env.TRAINDX_VSCODE) : undefined;
  if (vscodeExecutablePath) {
    if (!fs.existsSync(vscodeExecutablePath)) throw new Error(`TRAINDX_VSCODE does not exist: ${vscodeExecutablePath}`);
    // tsc does not set the executable bit on a compiled script such as fake-vscode.js.
    if (vscodeExecutablePath.endsWith('.js')) fs.chmodSync(vscodeExecutablePath, 0o755);
  }
  const t0 = Date.now();
  try {
    await runTests({
      vscodeExecutablePath,
      version: vscodeExecutablePath ? undefined : process.env.TRAINDX_VSCODE_VERSION,
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions'],
    });
    console.log(`[test:electron] passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return 0;
  } catch (e) {
    console.error(`[test:electron] ${(e as Error).message} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
