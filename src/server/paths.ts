import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';

/** The file a `file:` URI names; undefined for any other scheme (untitled, virtual file systems). */
export function fileOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** A path relative to the workspace folder that holds it (absolute when none does). */
export function displayPath(roots: readonly string[], file: string): string {
  for (const root of roots) {
    const rel = path.relative(root, file);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel;
  }
  return file;
}
