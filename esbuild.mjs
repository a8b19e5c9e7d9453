// Bundles the extension client, the language server, the CLI and the webview script.
// One script for all entry points, as microsoft/vscode-eslint does; `vscode` is external only for the client.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

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
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
