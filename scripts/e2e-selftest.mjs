#!/usr/bin/env node
// Proves the real-VS-Code harness on the throwaway fixture extension (test/integration/fixture-ext):
// each run must end with the expected exit code (a failing test must make the harness fail).
// Needs: npx tsc -p . (compiled runner in out/) and bash scripts/setup-e2e.sh.
// Usage: node scripts/e2e-selftest.mjs   (about 2 min)
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fx = 'test/integration/fixture-ext';
const ext = [`--extensionDevelopmentPath=${fx}`, `--extensionTestsPath=${fx}/suite/index.js`];
const vsix = join(root, '.vscode-test', 'e2e', 'fixture.vsix');
const node = process.execPath;
mkdirSync(dirname(vsix), { recursive: true });

const runs = [
  { name: 'route A, passing suite', want: 0, cmd: [node, 'out/test/integration/runner/run-route-a.js', `${fx}/workspace-pass`, ...ext] },
  { name: 'route A, failing test', want: 1, expect: /1 failing[\s\S]*'fail' !== 'pass'/, cmd: [node, 'out/test/integration/runner/run-route-a.js', `${fx}/workspace-fail`, ...ext] },
  { name: 'test-electron + fake-vscode, passing', want: 0, env: { TRAINDX_VSCODE: 'out/test/integration/runner/fake-vscode.js' },
    cmd: [node, 'out/test/integration/runner/run-electron.js', `${fx}/workspace-pass`, ...ext] },
  { name: 'test-electron + fake-vscode, failing', want: 1, expect: /Test run failed with code 1/, env: { TRAINDX_VSCODE: 'out/test/integration/runner/fake-vscode.js' },
    cmd: [node, 'out/test/integration/runner/run-electron.js', `${fx}/workspace-fail`, ...ext] },
  { name: 'package fixture .vsix', want: 0, cwd: fx, cmd: [node, join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--out', vsix] },
  { name: 'route B smoke with the .vsix', want: 0, cmd: [node, 'out/test/e2e/run.js', `--vsix=${vsix}`] },
  { name: 'route B smoke without installing it', want: 1, expect: /not among installed extensions/, env: { TRAINDX_E2E_NO_INSTALL: '1' },
    cmd: [node, 'out/test/e2e/run.js', `--vsix=${vsix}`, '--grep=Extensions view'] },
  { name: 'route B helpers (squiggle, Problems, hover, command, webview)', want: 0,
    cmd: [node, 'out/test/e2e/run.js', `--vsix=${vsix}`, `--workspace=${fx}/workspace-pass`, `out/${fx}/ui-selftest.e2e.js`] },
];

const results = [];
for (const r of runs) {
  console.log(`\n##### ${r.name} (expect exit ${r.want})`);
  const t0 = Date.now();
  const p = spawnSync(r.cmd[0], r.cmd.slice(1), {
    cwd: r.cwd ? join(root, r.cwd) : root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...r.env },
    encoding: 'utf8', maxBuffer: 64 << 20,
  });
  process.stdout.write(p.stdout ?? '');
  process.stderr.write(p.stderr ?? '');
  const code = p.status ?? 128;
  // A failure must be the expected one (not, say, a missing file), or the check would be vacuous.
  const why = r.expect && !r.expect.test(`${p.stdout}${p.stderr}`) ? ` but output lacks ${r.expect}` : '';
  results.push({ ...r, code, why, s: (Date.now() - t0) / 1000 });
}
console.log('\n##### harness self-test');
let bad = 0;
for (const r of results) {
  const ok = r.code === r.want && !r.why;
  if (!ok) bad++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${r.name}: exit ${r.code} (want ${r.want})${r.why} in ${r.s.toFixed(1)} s`);
}
process.exit(bad === 0 ? 0 : 1);
