import * as fs from 'fs';
import * as path from 'path';

/** Repository root, found from the compiled location (out/test/helpers) or the source one. */
export const REPO_ROOT = findRoot(__dirname);

/** Real logs from public repositories, read in place (never copied into the repository). */
export const REAL_LOGS = path.resolve(REPO_ROOT, '..', 'shared', 'real-logs');

export const EXAMPLES = path.join(REPO_ROOT, 'examples');

/** Short public training outputs (notebook exports, posts, committed trainer states), read in place like the real logs. */
export const REAL_OUTPUTS = path.resolve(REPO_ROOT, '..', 'shared', 'real-outputs');

export function hasRealOutputs(): boolean {
  return fs.existsSync(path.join(REAL_OUTPUTS, 'INDEX.md'));
}

/** Skips the current mocha suite, saying why, when the shared public outputs are absent. */
export function skipWithoutRealOutputs(ctx: Mocha.Context): void {
  if (!hasRealOutputs()) skipBecause(ctx, `${REAL_OUTPUTS} is absent; these tests need ../shared/real-outputs`);
}

/** Real notebooks with saved outputs from public repositories (INDEX.md there), read in place. */
export const REAL_NOTEBOOKS = path.resolve(REPO_ROOT, '..', 'shared', 'real-notebooks');

/** Path of a notebook in ../shared/real-notebooks; call `skipWithoutRealNotebooks` first. */
export function realNotebook(...parts: string[]): string {
  return path.join(REAL_NOTEBOOKS, ...parts);
}

/** Skips the current mocha suite, saying why, when the shared real notebooks are absent. */
export function skipWithoutRealNotebooks(ctx: Mocha.Context): void {
  if (!fs.existsSync(path.join(REAL_NOTEBOOKS, 'INDEX.md'))) skipBecause(ctx, `${REAL_NOTEBOOKS} is absent; real-notebook tests need ../shared/real-notebooks`);
}

export function hasRealLogs(): boolean {
  return fs.existsSync(path.join(REAL_LOGS, 'INDEX.md'));
}

/** Path of a file in ../shared/real-logs; call `skipWithoutRealLogs` first. */
export function realLog(...parts: string[]): string {
  return path.join(REAL_LOGS, ...parts);
}

/** Skips the current mocha suite, saying why, when the shared real logs are absent. */
export function skipWithoutRealLogs(ctx: Mocha.Context): void {
  if (!hasRealLogs()) skipBecause(ctx, `${REAL_LOGS} is absent; real-log tests need ../shared/real-logs`);
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
