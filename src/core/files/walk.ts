import * as fs from 'fs';
import * as path from 'path';
import { isSkippedFolder } from './skipped-folders';

export interface WalkResult {
  files: string[];
  /** True when `limit` stopped the walk short. */
  truncated: boolean;
  /** Paths that could not be read, with the reason. */
  problems: string[];
}

/**
 * Lists the files under `roots` (files are taken as given) that `keep` accepts, depth first in a
 * stable order, without entering skipped folders (skipped-folders.ts) or following symlinked ones (a
 * link loop must not hang the walk).
 */
export async function walkFiles(roots: readonly string[], keep: (file: string) => boolean, limit = 100_000): Promise<WalkResult> {
  const files: string[] = [];
  const problems: string[] = [];
  let truncated = false;
  // Files named on the command line are always kept; `keep` filters what folders contain.
  const stack = [...roots].reverse().map((r) => ({ p: path.resolve(r), explicit: true }));
  while (stack.length > 0) {
    const { p, explicit } = stack.pop() as { p: string; explicit: boolean };
    let st: fs.Stats;
    try {
      st = await fs.promises.lstat(p);
      if (st.isSymbolicLink()) {
        const target = await fs.promises.stat(p);
        if (target.isDirectory()) continue;
        st = target;
      }
    } catch (err) {
      problems.push(`${p}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      continue;
    }
    if (st.isFile()) {
      if (explicit || keep(p)) {
        if (files.length >= limit) {
          truncated = true;
          break;
        }
        files.push(p);
      }
      continue;
    }
    if (!st.isDirectory()) continue;
    let entries: string[];
    try {
      entries = await fs.promises.readdir(p);
    } catch (err) {
      problems.push(`${p}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      continue;
    }
    entries.sort();
    for (let i = entries.length - 1; i >= 0; i--) {
      const name = entries[i];
      if (isSkippedFolder(name)) continue;
      stack.push({ p: path.join(p, name), explicit: false });
    }
  }
  return { files, truncated, problems };
}
