/**
 * Size of the packaged extension: traindx.vsix built with `vsce package --no-dependencies` into
 * bench/data/ (only when absent or older than the bundles in dist/), and the size of each bundle inside
 * it. Target < 1.5 MB. Peer: the same files uncompressed (what the .vsix holds before zipping).
 *
 * `vsce package` runs `vscode:prepublish` (esbuild.mjs --production), which rewrites dist/ minified,
 * and walks every file under the folder before .vscodeignore filters them. So it runs on a staging copy
 * of what the package is made from (bench/data/vsix-stage: package.json, docs, src, media, syntaxes,
 * l10n, examples; node_modules found above it): the shared dist/ is never rewritten under others' feet
 * (nor raced by their rebuilds), and benchmark data is not walked.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Bench, BenchRow } from './report';
import { DATA, ROOT } from './lib/gen';
import { now } from './lib/stats';

const MB = 1e6;

interface Entry {
  name: string;
  compressed: number;
  size: number;
}

/** The entries of a zip file, from its central directory. */
export function zipEntries(file: string): Entry[] {
  const buf = fs.readFileSync(file);
  // End of central directory: signature 0x06054b50, within the last 64 kB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    out.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), compressed, size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** What the package is made from (see .vscodeignore), and what builds it. */
const STAGED = ['package.json', 'package.nls.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'esbuild.mjs', 'tsconfig.json', 'src', 'media', 'syntaxes', 'l10n', 'examples'];

function newestBundle(): number {
  let t = 0;
  for (const f of ['dist/client.js', 'dist/server.js', 'dist/media/main.js', 'dist/media/main.css', 'package.json']) {
    try {
      t = Math.max(t, fs.statSync(path.join(ROOT, f)).mtimeMs);
    } catch {
      // missing: vsce will say so
    }
  }
  return t;
}

export const bench: Bench = async () => {
  const vsix = path.join(DATA, 'traindx.vsix');
  fs.mkdirSync(DATA, { recursive: true });
  let built = false;
  const stale = !fs.existsSync(vsix) || fs.statSync(vsix).mtimeMs < newestBundle();
  let buildMs = NaN;
  if (stale) {
    const t0 = now();
    const stage = path.join(DATA, 'vsix-stage');
    fs.rmSync(stage, { recursive: true, force: true });
    fs.mkdirSync(stage, { recursive: true });
    for (const f of STAGED) {
      const from = path.join(ROOT, f);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(stage, f), { recursive: true, filter: (p) => !p.endsWith('.pyc') && !p.includes('__pycache__') });
    }
    try {
      // `npx @vscode/vsce` from the repository's node_modules (the stage has none of its own).
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '-o', vsix], { cwd: stage, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    } finally {
      fs.rmSync(stage, { recursive: true, force: true });
    }
    buildMs = now() - t0;
    built = true;
  }
  const size = fs.statSync(vsix).size;
  const entries = zipEntries(vsix);
  const raw = entries.reduce((n, e) => n + e.size, 0);
  const rows: BenchRow[] = [
    {
      name: `traindx.vsix (${entries.length} files; ${built ? `built in ${(buildMs / 1000).toFixed(1)} s` : 'reused, newer than dist/'})`,
      value: size / MB,
      unit: 'MB',
      peer: { name: 'its files uncompressed', value: raw / MB, unit: 'MB' },
      ratio: size / raw,
      ratioLabel: 'compressed / uncompressed',
      target: '< 1.5 MB',
      pass: size < 1.5 * MB,
    },
  ];
  const groups: [string, (n: string) => boolean][] = [
    ['extension/dist/client.js', (n) => n === 'extension/dist/client.js'],
    ['extension/dist/server.js', (n) => n === 'extension/dist/server.js'],
    ['extension/dist/media/main.js', (n) => n === 'extension/dist/media/main.js'],
    ['extension/dist/media/*.css', (n) => n.startsWith('extension/dist/media/') && n.endsWith('.css')],
    ['extension/examples/**', (n) => n.startsWith('extension/examples/')],
    ['everything else', () => true],
  ];
  const seen = new Set<string>();
  for (const [label, match] of groups) {
    const es = entries.filter((e) => !seen.has(e.name) && match(e.name));
    for (const e of es) seen.add(e.name);
    if (es.length === 0) continue;
    rows.push({
      name: `  ${label}${es.length > 1 ? ` (${es.length} files)` : ''}: compressed in the .vsix`,
      value: es.reduce((n, e) => n + e.compressed, 0) / MB,
      unit: 'MB',
      peer: { name: 'uncompressed', value: es.reduce((n, e) => n + e.size, 0) / MB, unit: 'MB' },
    });
  }
  return rows;
};
