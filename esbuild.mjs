// Bundles the extension client, the language server, the CLI and the webview script.
// One script for all entry points, as microsoft/vscode-eslint does; `vscode` is external only for the client.
// `--watch` rebuilds on change and prints one line per build for .vscode/tasks.json's problem matcher;
// `--watch --tsc` also runs `tsc --watch` (the type check and out/ for the tests): `npm run watch`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTsc = process.argv.includes('--tsc');

/**
 * In watch mode: `[watch] build started` when a rebuild begins and `[watch] build finished` once every
 * bundle of it is written, with each error as `file:line:column: error: text` on one line (the
 * background problem matcher of .vscode/tasks.json reads exactly these).
 */
const building = new Set();
const watchReport = {
  name: 'watch-report',
  setup(build) {
    const out = build.initialOptions.outfile;
    build.onStart(() => {
      if (building.size === 0) console.log('[watch] build started');
      building.add(out);
    });
    build.onEnd((result) => {
      for (const e of result.errors) {
        const at = e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ` : '';
        console.log(`${at}error: ${e.text}`);
      }
      building.delete(out);
      if (building.size === 0) console.log('[watch] build finished');
    });
  },
};

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // jsonc-parser's UMD build requires files at run time that a bundle does not have; its ESM build bundles.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...node, entryPoints: ['src/client/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  // The language client, loaded by client.js after activation returns (see src/client/connection.ts).
  { ...node, entryPoints: ['src/client/connection.ts'], outfile: 'dist/client-lsp.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/server/server.ts'], outfile: 'dist/server.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The worker thread that reads ranges of a large log for the server and the CLI (src/core/parallel).
  { ...node, entryPoints: ['src/core/parallel/parse-worker.ts'], outfile: 'dist/parse-worker.js' },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: ['media/src/main.ts'],
    outfile: 'dist/media/main.js',
  },
];

if (watch) {
  // Every bundle counts as building from the start, so the first one done does not end the first build.
  console.log('[watch] build started');
  for (const b of builds) building.add(b.outfile);
  const contexts = await Promise.all(builds.map((b) => esbuild.context({ ...b, plugins: [watchReport] })));
  await Promise.all(contexts.map((c) => c.watch()));
  if (withTsc) {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const child = spawn(process.execPath, [tsc, '-p', '.', '--watch', '--preserveWatchOutput'], { stdio: 'inherit' });
    // Stopping the watch (Ctrl+C, or VS Code ending the task) stops both.
    for (const signal of ['SIGINT', 'SIGTERM']) {
      process.on(signal, () => {
        child.kill(signal);
        process.exit(130);
      });
    }
  }
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
