/**
 * The full-count fuzzing of DESIGN.md/issue 6: every parser on 100 000 generated inputs (random bytes
 * under every log name, random strings with NUL/invalid surrogates/NaN words, mutated real logs),
 * no throw and no hang. CI runs the same tests with a lower FUZZ_RUNS; here the count is the real one.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import type { Bench, BenchRow } from './report';

const SUITES = ['out/test/unit/formats/robustness.test.js', 'out/test/unit/config/fuzz.test.js'];

export const bench: Bench = async ({ quick }) => {
  const runs = quick ? 5_000 : 100_000;
  const root = path.resolve(__dirname, '..', '..');
  const rows: BenchRow[] = [];
  for (const suite of SUITES) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--no-config', '--timeout', '0', '--reporter', 'dot', suite], {
      cwd: root,
      env: { ...process.env, FUZZ_RUNS: String(runs) },
      encoding: 'utf8',
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const passing = /(\d+) passing/.exec(r.stdout)?.[1] ?? '0';
    const failing = /(\d+) failing/.exec(r.stdout)?.[1] ?? '0';
    rows.push({
      name: `fuzz ${path.basename(suite, '.test.js')}: ${runs} inputs per generator (${passing} tests passing, ${failing} failing)`,
      value: seconds,
      unit: 's',
      target: 'no throw, no hang, every test passing',
      pass: r.status === 0 && failing === '0',
    });
  }
  return rows;
};
