import * as path from 'path';
import * as fs from 'fs';
import Mocha from 'mocha';
import { formatMochaOutput } from '../runner/host-console';

/**
 * Entry point VS Code calls with --extensionTestsPath (the same for @vscode/test-electron and the
 * code-server route of E2E.md): runs every *.test.js beside this file inside the extension host.
 */
export function run(): Promise<void> {
  // The web workbench forwards the host console without printf formatting; format mocha's output first.
  formatMochaOutput(Mocha);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
