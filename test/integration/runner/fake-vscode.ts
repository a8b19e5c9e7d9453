#!/usr/bin/env node
/**
 * A stand-in for the VS Code binary, for `@vscode/test-electron`'s `runTests({ vscodeExecutablePath })` on
 * machines without a desktop VS Code (offline CI). It takes the command line test-electron builds
 *   [folder] --extensionDevelopmentPath=DIR --extensionTestsPath=PATH [--user-data-dir=…] [other flags]
 * runs the suite through route A (code-server + headless Chromium) and exits with the suite's code.
 * Flags that only matter to Electron (sandbox, updates, profile folders) are accepted and ignored.
 *
 * Use: TRAINDX_VSCODE=out/test/integration/runner/fake-vscode.js npm run test:electron
 * (run-electron makes this file executable; or `chmod +x` it yourself).
 */
import * as path from 'path';
import { makeTempDir } from './code-server';
import { runRouteA, EXIT_HARNESS } from './run-route-a';

/** Electron/VS Code flags that take a separate value when not written as --flag=value. */
const VALUE_FLAGS = new Set([
  'extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'locale', 'log',
  'folder-uri', 'file-uri', 'profile',
]);

export interface FakeArgs {
  extensionDevelopmentPaths: string[];
  extensionTestsPath?: string;
  folders: string[];
  ignored: string[];
}

export function parseVSCodeArgs(argv: string[]): FakeArgs {
  const out: FakeArgs = { extensionDevelopmentPaths: [], folders: [], ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      out.folders.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq < 0 ? undefined : eq);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    if (value === undefined && VALUE_FLAGS.has(key) && i + 1 < argv.length) value = argv[++i];
    if (key === 'extensionDevelopmentPath' && value) out.extensionDevelopmentPaths.push(value);
    else if (key === 'extensionTestsPath' && value) out.extensionTestsPath = value;
    else out.ignored.push(value === undefined ? arg : `--${key}=${value}`);
  }
  return out;
}

async function main(): Promise<number> {
  const a = parseVSCodeArgs(process.argv.slice(2));
  if (a.extensionDevelopmentPaths.length === 0 || !a.extensionTestsPath) {
    console.error('fake-vscode: only test runs are supported: need --extensionDevelopmentPath=… and --extensionTestsPath=…');
    return EXIT_HARNESS;
  }
  if (a.extensionDevelopmentPaths.length > 1) {
    console.error(`fake-vscode: several extensionDevelopmentPath given; the web workbench loads only the first (${a.extensionDevelopmentPaths[0]})`);
  }
  if (a.folders.length > 1) console.error(`fake-vscode: several folders given; opening only ${a.folders[0]}`);
  const workspace = a.folders[0] ? path.resolve(a.folders[0]) : makeTempDir('traindx-empty-ws-');
  return runRouteA({
    extensionDevelopmentPath: path.resolve(a.extensionDevelopmentPaths[0]),
    extensionTestsPath: path.resolve(a.extensionTestsPath),
    workspace,
    label: 'fake-vscode',
  });
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(EXIT_HARNESS);
    },
  );
}
