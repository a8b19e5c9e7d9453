import * as fs from 'fs';
import * as path from 'path';

/** Repository root, found from the compiled location (out/test/helpers) or the source one. */
export const REPO_ROOT = findRoot(__dirname);

/**
 * Data we did not make, kept beside the repository in ../shared (each folder with an INDEX.md giving
 * sources) and read in place: never copied into the repository.
 */
function sharedFolder(name: string): string {
  return path.resolve(REPO_ROOT, '..', 'shared', name);
}

/** Whether a ../shared folder is there (its INDEX.md is). */
function present(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'INDEX.md'));
}

/** Skips the current mocha suite, saying why, when a ../shared folder is absent. */
function skipWithout(ctx: Mocha.Context, dir: string): void {
  if (!present(dir)) skipBecause(ctx, `${dir} is absent; these tests need ../shared/${path.basename(dir)}`);
}

export const EXAMPLES = path.join(REPO_ROOT, 'examples');

/** Real logs from public repositories. */
export const REAL_LOGS = sharedFolder('real-logs');
/** Short public training outputs (notebook exports, posts, committed trainer states). */
export const REAL_OUTPUTS = sharedFolder('real-outputs');
/** Real notebooks with saved outputs from public repositories. */
export const REAL_NOTEBOOKS = sharedFolder('real-notebooks');

export const hasRealLogs = (): boolean => present(REAL_LOGS);
export const hasRealOutputs = (): boolean => present(REAL_OUTPUTS);

export const skipWithoutRealLogs = (ctx: Mocha.Context): void => skipWithout(ctx, REAL_LOGS);
export const skipWithoutRealOutputs = (ctx: Mocha.Context): void => skipWithout(ctx, REAL_OUTPUTS);
export const skipWithoutRealNotebooks = (ctx: Mocha.Context): void => skipWithout(ctx, REAL_NOTEBOOKS);

/** Path of a file in ../shared/real-logs; call `skipWithoutRealLogs` first. */
export function realLog(...parts: string[]): string {
  return path.join(REAL_LOGS, ...parts);
}

/** Path of a notebook in ../shared/real-notebooks; call `skipWithoutRealNotebooks` first. */
export function realNotebook(...parts: string[]): string {
  return path.join(REAL_NOTEBOOKS, ...parts);
}

/** Skips the current test or suite and prints why: a skip nobody can explain hides a missing check. */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  console.warn(`  (skipped: ${reason})`);
  ctx.skip();
}

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'core'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`repository root not found above ${start}`);
    dir = up;
  }
}
