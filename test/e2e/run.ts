/**
 * `npm run test:e2e`: route B. Packages the repo with vsce (or takes a given .vsix), then runs the UI tests
 * (out/test/e2e/**\/*.e2e.js) with mocha against code-server + headless Chromium.
 *
 *   node out/test/e2e/run.js [--vsix=PATH] [--workspace=DIR] [--grep=RE] [files…]
 * Env equivalents: TRAINDX_VSIX, TRAINDX_E2E_WORKSPACE. Needs `bash scripts/setup-e2e.sh` first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot, toolchain } from '../integration/runner/code-server';
import { packageVsix } from './vsix';

function findE2eFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return findE2eFiles(p);
    return d.name.endsWith('.e2e.js') ? [p] : [];
  }).sort();
}

async function main(): Promise<number> {
  const root = repoRoot();
  const files: string[] = [];
  let grep: string | undefined;
  for (const arg of process.argv.slice(2)) {
    const m = /^--([^=]+)=(.*)$/.exec(arg);
    if (m?.[1] === 'vsix') process.env.TRAINDX_VSIX = path.resolve(m[2]);
    else if (m?.[1] === 'workspace') process.env.TRAINDX_E2E_WORKSPACE = path.resolve(m[2]);
    else if (m?.[1] === 'grep') grep = m[2];
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else files.push(path.resolve(arg));
  }
  toolchain(root); // fail early with the setup hint
  const t0 = Date.now();
  if (!process.env.TRAINDX_VSIX) {
    const out = path.join(root, '.vscode-test', 'e2e', 'traindx-under-test.vsix');
    console.log(`[test:e2e] packaging ${root} -> ${path.relative(root, out)}`);
    // Same flags as the project's own `npm run package` (e.g. --no-dependencies for a bundled extension).
    const pkgScript = String((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts ?? {}).package ?? '');
    const extra = pkgScript.includes('--no-dependencies') ? ['--no-dependencies'] : [];
    process.env.TRAINDX_VSIX = packageVsix(out, root, extra);
    console.log(`[test:e2e] packaged in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const specs = files.length > 0 ? files : findE2eFiles(path.join(root, 'out', 'test', 'e2e'));
  if (specs.length === 0) throw new Error('no compiled e2e tests (out/test/e2e/**/*.e2e.js): run `npx tsc -p .` first');

  // mocha 12 is an ES module; require() returns its namespace.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('mocha') as { Mocha?: unknown; default?: unknown };
  const MochaCtor = (mod.Mocha ?? mod.default ?? mod) as new (o: object) => {
    addFile(f: string): void;
    run(cb: (failures: number) => void): void;
  };
  const mocha = new MochaCtor({ ui: 'bdd', reporter: 'spec', timeout: 180_000, grep });
  for (const f of specs) mocha.addFile(f);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  console.log(`[test:e2e] ${failures === 0 ? 'passed' : `${failures} failed`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[test:e2e] ${(e as Error).stack ?? e}`);
    process.exit(2);
  },
);
