import * as fs from 'fs';

/**
 * Copies the example runs into `target` without touching what is already there: a previous copy may
 * hold the user's edits (lines appended, quick fixes applied), which "Open the Example Runs" used to
 * delete. Files missing from the copy (deleted, or new in this version) are copied. Returns whether a
 * copy was there before.
 */
export async function copyExamplesKeepingEdits(source: string, target: string): Promise<boolean> {
  const existed = fs.existsSync(target);
  await fs.promises.mkdir(target, { recursive: true });
  await fs.promises.cp(source, target, { recursive: true, force: false, errorOnExist: false });
  return existed;
}
