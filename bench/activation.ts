/**
 * Extension activation cost: in a fresh Node process, `require('dist/client.js')` with a stubbed
 * `vscode` module (a Module._load hook answering every API with a recording stub) and `activate(context)`
 * — the synchronous part an editor waits for (the language server starts in the background). Peer in
 * the same run: requiring an empty module in a fresh process the same way.
 *
 * Each figure is the median over fresh child processes (`node out/bench/activation.js --child …`), so
 * every require is cold.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Bench, BenchRow } from './report';
import { ROOT } from './lib/gen';
import { median } from './lib/stats';

interface ChildResult {
  requireMs: number;
  activateMs: number;
  calls: number;
  distinctCalls: string[];
  error?: string;
}

/** A stub of anything: every property is a stub, calling or constructing one returns a stub, and every call is recorded. */
function makeStub(calls: string[]): unknown {
  const cache = new Map<string, unknown>();
  const stubAt = (name: string, fresh = false): unknown => {
    const hit = fresh ? undefined : cache.get(name);
    if (hit) return hit;
    const target = function () {
      /* stub */
    };
    // What the extension stores on a stub (item.label = …) reads back.
    const props = new Map<string | symbol, unknown>();
    const p: unknown = new Proxy(target, {
      get(_t, key) {
        if (props.has(key)) return props.get(key);
        // A string (or 0 as a number: enum members) where one is needed.
        if (key === Symbol.toPrimitive) return (hint: string) => (hint === 'number' ? 0 : name);
        if (key === 'toString') return () => name;
        if (typeof key === 'symbol') return undefined;
        // Not a thenable: `await stub` must not wait for ever.
        if (key === 'then' || key === 'toJSON' || key === 'valueOf') return undefined;
        if (key === 'prototype') return target.prototype;
        return stubAt(`${name}.${key}`);
      },
      set(_t, key, value) {
        props.set(key, value);
        return true;
      },
      defineProperty(_t, key, desc) {
        props.set(key, desc.value ?? desc.get?.());
        return true;
      },
      apply() {
        calls.push(name);
        return stubAt(`${name}()`, true);
      },
      construct() {
        calls.push(`new ${name}`);
        return stubAt(`new ${name}()`, true) as object;
      },
    });
    if (!fresh) cache.set(name, p);
    return p;
  };
  // The namespace itself is a plain object with the API's names as own properties: a bundle's
  // `import * as vscode` copies own properties (esbuild's __toESM), which a Proxy over a function lacks.
  const root: Record<string, unknown> = {};
  for (const key of apiNames()) Object.defineProperty(root, key, { enumerable: true, configurable: true, get: () => stubAt(`vscode.${key}`) });
  // Values the language client checks (it requires VS Code ^1.91 per package.json engines).
  Object.defineProperty(root, 'version', { enumerable: true, value: '1.91.0' });
  return root;
}

/** The top-level names of the `vscode` API, from @types/vscode. */
function apiNames(): string[] {
  const dts = fs.readFileSync(path.join(ROOT, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of dts.matchAll(/^\s{0,4}export (?:namespace|class|enum|const|let|function|interface) (\w+)/gm)) names.add(m[1]);
  return [...names];
}

async function child(mode: 'client' | 'empty', emptyModule: string, bundle?: string): Promise<ChildResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('module') as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const calls: string[] = [];
  const vscode = makeStub(calls);
  const load = Module._load;
  Module._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'vscode') return vscode;
    return load.call(this, request, parent, isMain);
  };
  // The server is started in the background by activate; whatever it does after we measured is not ours.
  process.on('unhandledRejection', () => undefined);
  process.on('uncaughtException', () => undefined);
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(mode === 'client' ? (bundle ?? path.join(ROOT, 'dist', 'client.js')) : emptyModule) as { activate?: (ctx: unknown) => unknown };
  const t1 = performance.now();
  let activateMs = 0;
  let error: string | undefined;
  if (mode === 'client') {
    const context = new Proxy(
      {
        subscriptions: [] as unknown[],
        extensionPath: ROOT,
        extensionUri: (vscode as { Uri: { file: (p: string) => unknown } }).Uri.file(ROOT),
        asAbsolutePath: (p: string) => path.join(ROOT, p),
        storageUri: undefined,
        globalStorageUri: undefined,
      },
      { get: (t, k) => (k in t ? (t as Record<string | symbol, unknown>)[k] : typeof k === 'string' ? (vscode as Record<string, unknown>)[`context_${k}`] : undefined) },
    );
    const a0 = performance.now();
    try {
      mod.activate?.(context);
    } catch (e) {
      error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    }
    activateMs = performance.now() - a0;
  }
  return { requireMs: t1 - t0, activateMs, calls: calls.length, distinctCalls: [...new Set(calls)].sort(), error };
}

function inChild(mode: 'client' | 'empty', emptyModule: string, bundle?: string): ChildResult {
  const r = spawnSync(process.execPath, [__filename, '--child', mode, emptyModule, ...(bundle ? [bundle] : [])], { encoding: 'utf8', timeout: 30_000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`activation child (${mode}) gave no result: ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(line) as ChildResult;
}

/**
 * The client bundle as `vscode:prepublish` builds it for the .vsix (esbuild.mjs --production: minified,
 * no source map), written to `dir` so dist/ (the development build others test against) is left alone.
 */
async function productionClient(dir: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const outfile = path.join(dir, 'dist', 'client.js');
  await esbuild.build({
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: false,
    minify: true,
    logLevel: 'warning',
    mainFields: ['module', 'main'],
    entryPoints: [path.join(ROOT, 'src', 'client', 'extension.ts')],
    outfile,
    external: ['vscode'],
  });
  return outfile;
}

export const bench: Bench = async ({ quick }) => {
  const n = quick ? 7 : 21;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-act-'));
  const emptyModule = path.join(tmp, 'empty.js');
  fs.writeFileSync(emptyModule, 'module.exports = {};\n');
  const dev: ChildResult[] = [];
  const prod: ChildResult[] = [];
  const empty: ChildResult[] = [];
  let prodBytes = 0;
  try {
    const prodBundle = await productionClient(tmp);
    prodBytes = fs.statSync(prodBundle).size;
    for (let i = 0; i < n; i++) {
      prod.push(inChild('client', emptyModule, prodBundle));
      dev.push(inChild('client', emptyModule));
      empty.push(inChild('empty', emptyModule));
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const err = [...prod, ...dev].find((c) => c.error)?.error;
  if (err) throw new Error(`activate threw with the stubbed vscode: ${err}`);
  const total = (rs: ChildResult[]): number => median(rs.map((c) => c.requireMs + c.activateMs));
  const emptyMs = median(empty.map((c) => c.requireMs));
  const devBytes = fs.statSync(path.join(ROOT, 'dist', 'client.js')).size;
  const p = total(prod);
  const rows: BenchRow[] = [
    {
      name: `activation, synchronous part: require the .vsix client bundle (production build, ${(prodBytes / 1e6).toFixed(2)} MB) + activate() (median of ${n} fresh processes)`,
      value: p,
      unit: 'ms',
      peer: { name: 'require of an empty module', value: emptyMs, unit: 'ms' },
      ratio: p / emptyMs,
      ratioLabel: 'activation / empty require',
      target: '< 30 ms',
      pass: p < 30,
    },
    { name: '  of which require', value: median(prod.map((c) => c.requireMs)), unit: 'ms' },
    {
      name: `  of which activate() (${prod[0].calls} vscode API calls, e.g. ${prod[0].distinctCalls.filter((c) => c.startsWith('vscode.window') || c.startsWith('vscode.commands')).slice(0, 3).join(', ')})`,
      value: median(prod.map((c) => c.activateMs)),
      unit: 'ms',
    },
    { name: `  same with the development build dist/client.js (${(devBytes / 1e6).toFixed(2)} MB, not minified)`, value: total(dev), unit: 'ms' },
  ];
  return rows;
};

if (process.argv[2] === '--child') {
  void child(process.argv[3] as 'client' | 'empty', process.argv[4], process.argv[5]).then((r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    // The language client would go on starting the server; this process has measured what it must.
    process.exit(0);
  });
}
