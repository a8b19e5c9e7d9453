/* global require, exports, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded as is by VS Code */
// Test entry in the shape @vscode/test-electron and route A expect: exports run(): Promise<void>.
const fs = require('fs');
const path = require('path');
const mochaModule = require('mocha'); // mocha 12 is ESM; Node's require(esm) gives its namespace
const Mocha = mochaModule.Mocha || mochaModule.default || mochaModule;

exports.run = function run() {
  // mocha prints printf-style; pre-format it for the web workbench's log relay (runner/host-console.ts).
  require('../../../../out/test/integration/runner/host-console').formatMochaOutput(Mocha);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
};
