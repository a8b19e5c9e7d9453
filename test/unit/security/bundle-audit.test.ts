/**
 * No network and no child processes: an audit of the shipped bundles (dist/client.js, dist/client-lsp.js, dist/server.js,
 * dist/cli.js, dist/media/main.js, as `node esbuild.mjs` builds them).
 *
 * Each `require("…")` of a Node built-in is attributed to the bundled module it sits in (esbuild's
 * `// node_modules/…` / `// src/…` markers of a non-minified build) and the forbidden ones must be
 * exactly the allow-list below, so adding `http`, `net`, `child_process`… anywhere (our code or a new
 * dependency) fails this test, and so does a dependency that stops needing an allowed one (keep the
 * list precise).
 *
 * What vscode-languageclient needs, precisely (checked against node_modules):
 * - client-lsp.js, vscode-languageclient/lib/node/main.js → child_process: `LanguageClient` starts the
 *   server with `cp.fork(dist/server.js)` (our ServerOptions use TransportKind.ipc; its stdio/pipe/
 *   socket and `command` branches use `cp.spawn`).
 * - client-lsp.js, vscode-languageclient/lib/node/processes.js → child_process: `terminate()`, which the
 *   client calls when the forked server does not exit on shutdown (kills its process tree with
 *   `/bin/sh`+`kill` on Linux/macOS, `taskkill` on Windows).
 * - client-lsp.js and server.js, vscode-jsonrpc/lib/node/main.js → net: the pipe and socket transports
 *   (`createClientPipeTransport`, `createServerSocketTransport`…), chosen by `--pipe`/`--socket`; we
 *   use node IPC (client) and IPC/stdio (server), which do not open sockets.
 * - server.js, vscode-languageserver/lib/node/files.js → child_process: the exported
 *   `Files.resolveGlobalNodePath/resolveGlobalYarnPath` helpers (`spawnSync('npm'|'yarn')`); traindx
 *   never calls them (test/server/security.test.ts also watches a live server: no process, no socket).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, skipBecause } from '../../helpers/paths';

const FORBIDDEN = new Set(['http', 'https', 'http2', 'net', 'tls', 'dgram', 'child_process', 'cluster', 'worker_threads', 'inspector', 'vm', 'repl']);

/** bundle → "module → built-in" entries allowed (see the header for why each is there). */
const ALLOWED: Record<string, string[]> = {
  'client.js': [],
  // The language client, loaded by client.js after activation (src/client/connection.ts).
  'client-lsp.js': [
    'node_modules/vscode-jsonrpc/lib/node/main.js → net',
    'node_modules/vscode-languageclient/lib/node/main.js → child_process',
    'node_modules/vscode-languageclient/lib/node/processes.js → child_process',
  ],
  // A large log's backlog is read in ranges by worker threads running dist/parse-worker.js (src/core/parallel):
  // threads of our own process executing our own code, no new process and no network.
  'server.js': [
    'node_modules/vscode-jsonrpc/lib/node/main.js → net',
    'node_modules/vscode-languageserver/lib/node/files.js → child_process',
    'src/core/parallel/worker-pool.ts → worker_threads',
  ],
  // `traindx check` splits many runs across worker threads running this same bundle (src/cli/parallel.ts),
  // and reads a large log's backlog in ranges as the server does; threads of our own process.
  'cli.js': ['src/core/parallel/worker-pool.ts → worker_threads', 'src/cli/parallel.ts → worker_threads'],
  'parse-worker.js': ['src/core/parallel/parse-worker.ts → worker_threads'],
  'media/main.js': [],
};

const BUNDLES = Object.keys(ALLOWED);

interface Use {
  module: string;
  what: string;
  line: number;
}

/** Every built-in the bundle requires or imports, with the bundled module it comes from. */
function builtinUses(code: string): Use[] {
  const uses: Use[] = [];
  let module = '(bundle prelude)';
  const lines = code.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const marker = /^\s*\/\/ ((?:node_modules|src|media|test)\/\S+)\s*$/.exec(l);
    if (marker) {
      module = marker[1];
      continue;
    }
    const re = /\b(?:require|import)\s*\(\s*(['"`])((?:node:)?[\w/]+)\1\s*\)|\bfrom\s*(['"])((?:node:)?[\w/]+)\3|process\.(binding|dlopen|_linkedBinding)\s*\(/g;
    for (let m = re.exec(l); m; m = re.exec(l)) {
      const what = (m[2] ?? m[4] ?? `process.${m[5]}`).replace(/^node:/, '').split('/')[0];
      uses.push({ module, what, line: i + 1 });
    }
  }
  return uses;
}

/** Code without string and template literals' contents and comments, roughly (for call scans). */
function codeOnly(code: string): string {
  return code
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1')
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
}

describe('security: bundle audit (no network, no child processes, no eval)', () => {
  const dist = path.join(REPO_ROOT, 'dist');
  const code = new Map<string, string>();

  before(function () {
    for (const b of BUNDLES) {
      const f = path.join(dist, b);
      if (!fs.existsSync(f)) {
        skipBecause(this, `${f} is absent; run node esbuild.mjs first`);
      }
      code.set(b, fs.readFileSync(f, 'utf8'));
    }
    if (!/^\s*\/\/ src\//m.test(code.get('server.js') as string)) {
      skipBecause(this, 'dist/ is a minified --production build; the audit attributes requires by the module markers of `node esbuild.mjs`');
    }
  });

  for (const b of BUNDLES) {
    it(`${b}: forbidden built-ins are exactly the allow-list`, () => {
      const uses = builtinUses(code.get(b) as string);
      assert.ok(b === 'media/main.js' || uses.length > 0, 'the scan finds requires at all');
      const forbidden = [...new Set(uses.filter((u) => FORBIDDEN.has(u.what) || u.what.startsWith('process.')).map((u) => `${u.module} → ${u.what}`))].sort();
      assert.deepEqual(forbidden, [...ALLOWED[b]].sort(), `${b}: forbidden modules required (update the audit only with a reason)`);
      const ours = uses.filter((u) => /^(src|media)\//.test(u.module) && FORBIDDEN.has(u.what) && !ALLOWED[b].includes(`${u.module} → ${u.what}`));
      assert.deepEqual(ours, [], 'our own code requires a forbidden module');
    });

    it(`${b}: no eval, no new Function, no string timers`, () => {
      const c = codeOnly(code.get(b) as string);
      const hits = [
        ...c.matchAll(/(?<![\w$.])eval\s*\(|\bnew\s+Function\s*\(|(?<![\w$.])Function\s*\(\s*""|\bset(?:Timeout|Interval)\s*\(\s*""/g),
      ].map((m) => c.slice(Math.max(0, (m.index ?? 0) - 60), (m.index ?? 0) + 60));
      assert.deepEqual(hits, []);
    });
  }

  it('media/main.js: no network API, no HTML parsing sinks, no dynamic import, no require', () => {
    const c = codeOnly(code.get('media/main.js') as string);
    const bad = /\bfetch\s*\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts|\bimport\s*\(|\brequire\s*\(|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser/g;
    const hits = [...c.matchAll(bad)].map((m) => c.slice(Math.max(0, (m.index ?? 0) - 60), (m.index ?? 0) + 60));
    assert.deepEqual(hits, []);
  });

  it('the allow-listed child_process use in client-lsp.js is the LanguageClient starting our server (cp.fork)', () => {
    const c = code.get('client-lsp.js') as string;
    assert.match(c, /\/\/ src\/client\/language-client\.ts[\s\S]*TransportKind\.ipc/, 'our client uses node IPC');
    assert.match(c, /cp\.fork\(node\.module/, 'vscode-languageclient forks the server module');
    // Our own client code starts no process itself.
    const ours = c.split(/^\s*\/\/ /m).filter((s) => s.startsWith('src/'));
    assert.ok(ours.length > 0);
    for (const s of ours) assert.doesNotMatch(codeOnly(s), /\b(?:fork|spawn|spawnSync|exec|execSync|execFile|execFileSync)\s*\(/, s.split('\n')[0]);
  });

  it('the scan would catch a forbidden module (self-test on a synthetic bundle)', () => {
    const fake = ['// src/core/evil.ts', 'var http = require("node:https");', 'var x = __toESM(require("child_process"));', '// node_modules/x/y.js', "import('net')"].join('\n');
    const u = builtinUses(fake);
    assert.deepEqual(
      u.map((x) => `${x.module} → ${x.what}`),
      ['src/core/evil.ts → https', 'src/core/evil.ts → child_process', 'node_modules/x/y.js → net'],
    );
    assert.equal(codeOnly('a = "eval(1)"; // eval(2)\nb = x.eval(3)').match(/(?<![\w$.])eval\s*\(/), null);
  });
});
