/**
 * Every Node bundle `node esbuild.mjs` writes is in the packaged extension: a bundle left out of the
 * .vscodeignore whitelist is missing from the .vsix, and whatever loads it fails only there (the parse
 * worker: dist/parse-worker.js, started by the server for large logs).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../helpers/paths';

describe('packaged bundles', () => {
  it('whitelists in .vscodeignore every dist/*.js that esbuild.mjs builds', () => {
    const build = fs.readFileSync(path.join(REPO_ROOT, 'esbuild.mjs'), 'utf8');
    const outfiles = [...build.matchAll(/outfile:\s*'(dist\/[^']+\.js)'/g)].map((m) => m[1]);
    assert.ok(outfiles.includes('dist/server.js') && outfiles.includes('dist/parse-worker.js'), outfiles.join(', '));
    const ignore = fs.readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    const kept = (f: string): boolean => ignore.includes(`!${f}`) || (f.startsWith('dist/media/') && ignore.includes('!dist/media/*.js'));
    // The CLI is run from the repository (README), not from the extension.
    const missing = outfiles.filter((f) => f !== 'dist/cli.js' && !kept(f));
    assert.deepEqual(missing, []);
  });
});
