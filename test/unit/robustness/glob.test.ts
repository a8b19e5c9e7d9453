/**
 * Issue 13, item 3: `traindx.watch.exclude` globs come from a workspace's settings; a glob built to
 * make a backtracking matcher explode must cost no more than an ordinary one. Also: which settings an
 * untrusted workspace may not set.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlob } from '../../../src/server/glob';
import { REPO_ROOT } from '../../helpers/paths';

describe('watch.exclude globs (issue 13)', () => {
  it('match whole names anywhere in the path, as files.exclude does', () => {
    const cases: [string, string, boolean][] = [
      ['out', '/w/out/train.log', true],
      ['out', '/w/layout/train.log', false],
      ['**/tmp/*', '/w/a/tmp/b/c.log', true],
      ['**/tmp/*', '/w/a/tmpx/b/c.log', false],
      ['runs/old-*', '/w/runs/old-2023/train.log', true],
      ['runs/old-*', '/w/runs/new-2023/train.log', false],
      ['*.bak', '/w/x/train.log.bak', true],
      ['*.bak', '/w/x/train.log', false],
      ['a?c', '/w/abc/f', true],
      ['a?c', '/w/abbc/f', false],
      ['**/ckpt/**/*.yaml', '/w/r/ckpt/1/2/config.yaml', true],
      ['**/ckpt/**/*.yaml', '/w/r/ckpt/1/2/config.json', false],
      ['/w/data', '/w/data/x.log', true],
      ['', '/w/x', false],
    ];
    for (const [glob, file, want] of cases) assert.equal(compileGlob(glob)(file), want, `${glob} on ${file}`);
  });

  it('globs built to backtrack cost milliseconds on deep paths and long names', () => {
    const deep = `/${Array.from({ length: 200 }, (_, i) => `d${i}`).join('/')}/x.log`;
    const longName = `/w/${'a'.repeat(250)}/x.log`;
    const globs = [`${'**/'.repeat(50)}nomatch`, `**/${'a*'.repeat(40)}b`, `${'**/x/'.repeat(30)}nomatch`, `${'*'.repeat(900)}b`];
    for (const g of globs) {
      const matches = compileGlob(g);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 100; i++) {
        assert.equal(matches(deep), false);
        assert.equal(matches(longName), false);
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      // The old RegExp took minutes on the first of these, picomatch minutes on the second.
      assert.ok(ms < 2000, `${g.slice(0, 40)}…: 200 matches took ${ms.toFixed(0)} ms`);
    }
  });

  it('an untrusted workspace cannot set what decides how much the server reads', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { supported: boolean | string; restrictedConfigurations?: string[] } };
    };
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    // VS Code honours restrictedConfigurations only with "limited" support.
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual([...(untrusted.restrictedConfigurations ?? [])].sort(), ['traindx.watch.exclude', 'traindx.watch.maxFiles']);
  });
});
