/**
 * Route A: runs an extension's integration suite (a module exporting `run(): Promise<void>`, the same one
 * @vscode/test-electron loads) inside the Node extension host of a real VS Code server (code-server),
 * driven by headless Chromium. Exits with the suite's code: 0 pass, 1 fail; 2 harness error; 3 timeout.
 *
 * CLI:  node out/test/integration/runner/run-route-a.js [workspace-fixture]
 *         [--extensionDevelopmentPath=DIR] [--extensionTestsPath=PATH] [--timeout=MS] [--no-copy]
 * Defaults: the repo root, out/test/integration/suite/index.js, test/integration/workspace (copied to a
 * temp folder first, so tests may write to it). Env: TRAINDX_E2E_TIMEOUT (ms), TRAINDX_E2E_VERBOSE=1
 * (server + browser output), TRAINDX_E2E_KEEP=1 (keep temp folders), TRAINDX_E2E_HEADED=1.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  copyWorkspace,
  launchChromium,
  remoteUri,
  repoRoot,
  resultsDir,
  stamp,
  startCodeServer,
  workbenchUrl,
  CodeServer,
} from './code-server';
import type { Browser, Page } from 'playwright-core';

export interface RouteAOptions {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  /** Folder opened in the workbench, used as is (copy it first if tests must not touch the original). */
  workspace: string;
  timeoutMs?: number;
  /** Name used for screenshots/logs in test-results/. */
  label?: string;
}

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_HARNESS = 2;
export const EXIT_TIMEOUT = 3;

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

function log(msg: string): void {
  console.log(`[route-a] ${msg}`);
}

/** Workbench chatter that reaches codeAutomationLog alongside the suite's output (hidden unless verbose). */
const NOISE = [
  /^\[(ChatModelSelection|AgentHost[^\]]*|AccountPolicyGate|reconnection-grace-time|Service Worker)\]/,
  /^(Ignoring fetching|Updating) additional builtin extensions/,
  /^Resol(ving|ved) connection token/,
  /^Creating a socket/,
];

/**
 * Relays the workbench log, which carries the extension host's console (the suite's output), to our
 * stdout/stderr. Arguments arrive already joined; see host-console.ts for printf-style placeholders.
 */
function relayHostLog(level: unknown, message: unknown): void {
  const parts = Array.isArray(message) ? message : [message];
  const text = parts.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ');
  if (process.env.TRAINDX_E2E_VERBOSE !== '1') {
    if (level === 'trace' || level === 'debug') return;
    if (NOISE.some((re) => re.test(text))) return;
  }
  if (level === 'error' || level === 'warn') process.stderr.write(text + '\n');
  else process.stdout.write(text + '\n');
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

async function saveFailureArtifacts(page: Page | undefined, server: CodeServer | undefined, label: string,
  hostLogs?: unknown): Promise<void> {
  const dir = resultsDir();
  const base = path.join(dir, stamp(label));
  if (page) {
    try {
      await page.screenshot({ path: `${base}.png`, timeout: 10_000 });
      log(`screenshot: ${path.relative(process.cwd(), `${base}.png`)}`);
    } catch (e) {
      log(`no screenshot: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (server) {
    try {
      fs.copyFileSync(server.logFile, `${base}.server.log`);
    } catch {
      /* no log */
    }
  }
  if (Array.isArray(hostLogs) && hostLogs.length > 0) {
    // codeAutomationExit's second argument: [{ relativePath, contents }] from the workbench's log folder.
    const out = hostLogs
      .map((l: { relativePath?: string; contents?: string }) => `===== ${l.relativePath}\n${l.contents ?? ''}`)
      .join('\n');
    fs.writeFileSync(`${base}.workbench-logs.txt`, out);
  }
}

/** Runs the suite once and resolves with the exit code (never throws). */
export async function runRouteA(opts: RouteAOptions): Promise<number> {
  const label = opts.label ?? 'route-a';
  const timeoutMs = opts.timeoutMs ?? (Number(process.env.TRAINDX_E2E_TIMEOUT) || DEFAULT_TIMEOUT_MS);
  const verbose = process.env.TRAINDX_E2E_VERBOSE === '1';
  const t0 = Date.now();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let code = EXIT_HARNESS;
  let hostLogs: unknown;
  try {
    for (const [k, p] of [['extensionDevelopmentPath', opts.extensionDevelopmentPath],
      ['extensionTestsPath', opts.extensionTestsPath], ['workspace', opts.workspace]]) {
      if (!fs.existsSync(p)) throw new Error(`${k} does not exist: ${p}`);
    }
    server = await startCodeServer();
    log(`code-server on ${server.url} (pid ${server.pid}) after ${Date.now() - t0} ms`);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();

    let settle!: (c: number) => void;
    const exited = new Promise<number>((r) => (settle = r));
    // Both must exist before the workbench loads: the extension host's console goes to codeAutomationLog,
    // and codeAutomationExit(code, logs) is called when the suite's run() settles.
    await page.exposeFunction('codeAutomationLog', relayHostLog);
    await page.exposeFunction('codeAutomationExit', (c: number, logs?: unknown) => {
      hostLogs = logs;
      settle(typeof c === 'number' ? c : EXIT_FAIL);
    });
    if (verbose) {
      page.on('console', (m) => process.stderr.write(`[browser:${m.type()}] ${m.text()}\n`));
    }
    page.on('pageerror', (e) => process.stderr.write(`[browser:pageerror] ${e.message}\n`));

    const url = workbenchUrl(server, opts.workspace, [
      ['extensionDevelopmentPath', remoteUri(server, opts.extensionDevelopmentPath)],
      ['extensionTestsPath', remoteUri(server, opts.extensionTestsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ]);
    if (verbose) log(`opening ${url}`);
    await page.goto(url, { waitUntil: 'domcontentloaded' });

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((r) => {
      timer = setTimeout(() => r(EXIT_TIMEOUT), timeoutMs);
    });
    code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code === EXIT_TIMEOUT) {
      log(`TIMEOUT: the suite did not finish within ${timeoutMs} ms (TRAINDX_E2E_TIMEOUT to change). ` +
        'If no test output appeared at all, the workbench ignored the payload (is --vscode-option ' +
        'enable-smoke-test-driver supported?) or the extension failed to activate.');
      log(`code-server output (tail):\n${server.logTail(30)}`);
    }
  } catch (e) {
    code = EXIT_HARNESS;
    log(`HARNESS ERROR: ${(e as Error).stack ?? String(e)}`);
  }
  if (code !== EXIT_PASS) await saveFailureArtifacts(page, server, label, hostLogs);
  try {
    await browser?.close();
  } catch {
    /* already closed */
  }
  await server?.stop();
  log(`exit ${code} (${code === EXIT_PASS ? 'pass' : code === EXIT_FAIL ? 'tests failed' : code === EXIT_TIMEOUT ? 'timeout' : 'harness error'}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return code;
}

export interface CliArgs {
  workspace?: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  timeoutMs?: number;
  copy: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  const a: CliArgs = { copy: true };
  for (const arg of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      a.workspace = arg;
      continue;
    }
    const [, k, v] = m;
    if (k === 'extensionDevelopmentPath') a.extensionDevelopmentPath = v;
    else if (k === 'extensionTestsPath') a.extensionTestsPath = v;
    else if (k === 'timeout') a.timeoutMs = Number(v);
    else if (k === 'no-copy') a.copy = false;
    else throw new Error(`unknown option ${arg}`);
  }
  return a;
}

/** Placeholder so the default workspace exists before the suite's author fills it. */
function ensureDefaultWorkspace(dir: string): void {
  if (fs.existsSync(dir)) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'README.md'),
    '# Integration test workspace\n\nOpened by the route A runner (copied to a temp folder first). ' +
    'Put the logs and configs the integration suite needs here.\n');
}

/**
 * The command line (see the header; run-electron takes the same) resolved against the defaults: the
 * workspace fixture created if it is the default and absent, then copied to a temp folder unless
 * `--no-copy`.
 */
export function optionsFromArgs(argv: string[]): RouteAOptions {
  const root = repoRoot();
  const a = parseArgs(argv);
  const defaultWs = path.join(root, 'test', 'integration', 'workspace');
  if (!a.workspace) ensureDefaultWorkspace(defaultWs);
  const src = path.resolve(a.workspace ?? defaultWs);
  const workspace = a.copy ? copyWorkspace(src) : src;
  return {
    extensionDevelopmentPath: path.resolve(a.extensionDevelopmentPath ?? root),
    extensionTestsPath: path.resolve(a.extensionTestsPath ?? path.join(root, 'out', 'test', 'integration', 'suite', 'index.js')),
    workspace,
    timeoutMs: a.timeoutMs,
  };
}

async function main(): Promise<void> {
  const code = await runRouteA(optionsFromArgs(process.argv.slice(2)));
  process.exit(code);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(EXIT_HARNESS);
  });
}
