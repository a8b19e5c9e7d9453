import js from '@eslint/js';
import path from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * The layers and what each may import (ARCHITECTURE.md, "Layers"). A relative import is resolved to
 * the file it names, so the rule holds at any folder depth; `types` are layers reachable by
 * `import type` only (erased from bundles). Anything outside the listed layers (test/, bench/,
 * scripts/) is out of reach of all of them.
 */
const LSP_AND_VSCODE = /^(vscode|vscode-languageserver.*|vscode-languageclient.*|vscode-jsonrpc.*)$/;
const ZONES = {
  'src/core': { imports: ['src/core'], types: [], deniedPackages: LSP_AND_VSCODE, why: 'core is pure TypeScript: it imports only core, never vscode or the LSP libraries' },
  'src/shared': {
    imports: ['src/shared'],
    types: ['src/core'],
    allowedPackages: /^vscode-languageserver-protocol$/,
    why: "shared holds the protocol: the protocol library's message classes and core types, nothing else",
  },
  'src/server': { imports: ['src/server', 'src/shared', 'src/core'], types: [], deniedPackages: /^(vscode|vscode-languageclient.*)$/, why: 'the server never imports the client or vscode' },
  'src/cli': { imports: ['src/cli', 'src/core'], types: [], deniedPackages: LSP_AND_VSCODE, why: 'the CLI runs the core alone' },
  'src/client': { imports: ['src/client', 'src/shared', 'src/core'], types: [], deniedPackages: /^vscode-languageserver(\/.*)?$/, why: 'the client talks to the server through src/shared/protocol only' },
  media: { imports: ['media'], types: ['src/shared', 'src/core'], deniedPackages: /^(vscode.*|fs|path|child_process)$/, why: 'the webview gets data by postMessage only: types of src/shared, no vscode, server or client code' },
};

const toPosix = (p) => p.split(path.sep).join('/');
const zoneOf = (rel) => Object.keys(ZONES).find((z) => rel === z || rel.startsWith(`${z}/`));
const packageOf = (s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]);

const layers = {
  rules: {
    zones: {
      meta: {
        type: 'problem',
        schema: [],
        messages: {
          layer: '{{from}} may not import {{to}}{{how}}: {{why}} (ARCHITECTURE.md, "Layers")',
          pkg: '{{from}} may not import the package {{name}}: {{why}} (ARCHITECTURE.md, "Layers")',
        },
      },
      create(context) {
        const from = zoneOf(toPosix(path.relative(context.cwd, context.filename)));
        if (!from) return {};
        const zone = ZONES[from];
        const check = (node, source, typeOnly) => {
          if (typeof source !== 'string') return;
          if (!source.startsWith('.') && !path.isAbsolute(source)) {
            const name = packageOf(source.replace(/^node:/, ''));
            const denied = zone.allowedPackages ? !zone.allowedPackages.test(name) && !typeOnly : zone.deniedPackages?.test(name);
            if (denied) context.report({ node, messageId: 'pkg', data: { from, name, why: zone.why } });
            return;
          }
          const target = toPosix(path.relative(context.cwd, path.resolve(path.dirname(context.filename), source)));
          const to = zoneOf(target) ?? target;
          if (zone.imports.includes(to) || (typeOnly && zone.types.includes(to))) return;
          const how = zone.types.includes(to) ? ' except by `import type`' : '';
          context.report({ node, messageId: 'layer', data: { from, to, how, why: zone.why } });
        };
        const allTypes = (specifiers) => specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
        return {
          ImportDeclaration: (n) => check(n.source, n.source.value, n.importKind === 'type' || allTypes(n.specifiers)),
          ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value, n.exportKind === 'type' || allTypes(n.specifiers)),
          ExportAllDeclaration: (n) => check(n.source, n.source.value, n.exportKind === 'type'),
          ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value, false),
          TSExternalModuleReference: (n) => n.expression.type === 'Literal' && check(n.expression, n.expression.value, false),
          TSImportType: (n) => {
            const lit = n.argument?.literal ?? n.argument;
            if (lit?.type === 'Literal') check(n, lit.value, true);
          },
          CallExpression: (n) => {
            const [arg] = n.arguments;
            if (n.callee.type === 'Identifier' && n.callee.name === 'require' && arg?.type === 'Literal') check(arg, arg.value, false);
          },
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'examples/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts', 'media/**/*.ts'],
    plugins: { layers },
    rules: { 'layers/zones': 'error' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
