/**
 * Rules every test file keeps, checked over the sources of test/:
 * - a skip says why (test/helpers/paths.ts `skipBecause` / `skipWithoutRealLogs`): no bare
 *   `this.skip()` / `ctx.skip()`, no `it.skip`, `describe.skip`, `xit`, `xdescribe`, no pending `it('…')`;
 * - a fast-check property can be replayed: every `fc.assert(…)` takes its parameters from
 *   test/helpers/fc.ts `fcParams` (seed and path reported, FC_SEED / FC_PATH replay, FUZZ_RUNS).
 * Files not yet converted are listed with their owner below; remove an entry once it is converted
 * (the last case fails while an entry is stale).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

const TEST_ROOT = path.join(REPO_ROOT, 'test');

/** Files still to convert, by rule (owned by other areas when this check was written). */
const NOT_YET: Record<'skip' | 'fc', readonly string[]> = {
  skip: [
    'test/unit/cli/contract.test.ts', // formats area
    'test/unit/formats/own-writers.test.ts', // formats area
    'test/e2e/smoke.e2e.ts', // e2e area
  ],
  fc: [
    'test/unit/config/fuzz.test.ts', // config area
    'test/unit/formats/byte-path.test.ts', // formats area
    'test/unit/formats/jsonl-bytes.test.ts', // formats area
    'test/unit/formats/plain-bytes.test.ts', // formats area
    'test/unit/formats/robustness.test.ts', // formats area
  ],
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'fixtures') out.push(...sources(p));
    } else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const rel = (p: string): string => path.relative(REPO_ROOT, p).split(path.sep).join('/');

/** Code with comments and string contents blanked (so a rule quoted in a comment is not a hit). */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, (m) => ' '.repeat(m.length))
    .replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, (m) => `${m[0]}${' '.repeat(m.length - 2)}${m[0]}`);
}

/** Lines (1-based) where a skip does not say why. */
function silentSkips(text: string): number[] {
  const c = code(text);
  const hits: number[] = [];
  const patterns = [/\b(?:this|ctx)\.skip\(\s*\)/g, /\b(?:it|describe|context)\.skip\(/g, /\bx(?:it|describe)\(/g, /\bit\(\s*(['"`])\s*\1\s*\)/g];
  for (const re of patterns) for (const m of c.matchAll(re)) hits.push(c.slice(0, m.index).split('\n').length);
  return hits.sort((a, b) => a - b);
}

/** Lines (1-based) of `fc.assert(` calls whose arguments do not use fcParams. */
function unreplayableAsserts(text: string): number[] {
  const c = code(text);
  const hits: number[] = [];
  for (const m of c.matchAll(/\bfc\.assert\(/g)) {
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < c.length; end++) {
      if (c[end] === '(') depth++;
      else if (c[end] === ')' && --depth === 0) break;
    }
    if (!/\bfcParams\b/.test(c.slice(m.index, end))) hits.push(c.slice(0, m.index).split('\n').length);
  }
  return hits;
}

describe('suite hygiene: skips say why, properties can be replayed', () => {
  // The helpers themselves, and their own tests (which pass parameters through), are not checked.
  const own = ['test/helpers/paths.ts', 'test/unit/suite-hygiene.test.ts', 'test/unit/fc-params.test.ts'];
  const files = sources(TEST_ROOT).filter((f) => !own.includes(rel(f)));

  it('the checks see what they look for (and not in comments or strings)', () => {
    assert.deepEqual(silentSkips("x;\nif (a) this.skip();\nit.skip('t', f);\nxit('u', f);\nit('pending');\n// this.skip()\nconst s = 'ctx.skip()';"), [2, 3, 4, 5]);
    assert.deepEqual(silentSkips('skipBecause(this, `why`);\nskipWithoutRealLogs(this);'), []);
    assert.deepEqual(unreplayableAsserts('fc.assert(fc.property(a, (x) => f(x)), { numRuns: 5 });\nfc.assert(fc.property(a, g), fcParams(5));'), [1]);
  });

  it('every skip prints its reason', () => {
    const bad = files
      .filter((f) => !NOT_YET.skip.includes(rel(f)))
      .flatMap((f) => silentSkips(fs.readFileSync(f, 'utf8')).map((line) => `${rel(f)}:${line}`));
    assert.deepEqual(bad, [], 'use skipBecause(ctx, reason) from test/helpers/paths.ts');
  });

  it('every fast-check property reports its seed and path and can be replayed', () => {
    const bad = files
      .filter((f) => !NOT_YET.fc.includes(rel(f)))
      .flatMap((f) => unreplayableAsserts(fs.readFileSync(f, 'utf8')).map((line) => `${rel(f)}:${line}`));
    assert.deepEqual(bad, [], 'pass fcParams(…) from test/helpers/fc.ts');
  });

  it('the files not yet converted are still unconverted (drop an entry once it is done)', () => {
    const stale = [
      ...NOT_YET.skip.filter((f) => !fs.existsSync(path.join(REPO_ROOT, f)) || silentSkips(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')).length === 0),
      ...NOT_YET.fc.filter((f) => !fs.existsSync(path.join(REPO_ROOT, f)) || unreplayableAsserts(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')).length === 0),
    ];
    assert.deepEqual(stale, []);
  });
});
