/**
 * A big workspace: 10 000 run folders (1 000 with `--quick`), each with a log, a config, five
 * checkpoints and three images (100 000 files). The language server is started on it over stdio and
 * timed to its first complete publication (every run analysed, then no notification for a quiet
 * second); the files it follows (`traindx/status` watchedFiles) and the kernel watches it holds are
 * printed. It must respect `traindx.watch.exclude` and `traindx.watch.maxFiles` (a limit below the
 * number of logs: the status says limitReached and a warning is shown).
 *
 * Peers in the same run: `traindx check` (the CLI, one pass, no watcher) on the same tree, and a bare
 * recursive `fs.readdir` walk (the floor of any scan of the tree).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Bench, BenchRow } from './report';
import { ensureTree, ROOT } from './lib/gen';
import { ServerUnderTest } from '../test/server/lsp-harness';
import { now, sleep } from './lib/stats';

const QUIET_MS = 1000;
/** Where the CLI runs (paths it prints are relative to it). */
const CLI_CWD = ROOT;

interface ServerResult {
  /** Start → the last notification before a quiet second, once `done` held. */
  ms: number;
  watched: number;
  runs: number;
  limitReached: boolean;
  diagnostics: number;
  urisWithDiagnostics: string[];
  inotify: number;
  warnings: string[];
  peakRssMB: number;
}

async function runServer(dir: string, settings: object, done: (s: ServerUnderTest) => boolean, what: string, timeoutMs: number): Promise<ServerResult> {
  const t0 = now();
  const server = await ServerUnderTest.start(dir, settings);
  try {
    await server.waitFor(() => done(server), what, timeoutMs);
    // Settled: nothing more for QUIET_MS.
    for (;;) {
      const last = lastArrival(server);
      await sleep(QUIET_MS);
      if (lastArrival(server) === last) break;
    }
    const st = server.lastStatus!;
    let diagnostics = 0;
    const uris: string[] = [];
    for (const [uri, d] of server.diagnostics) {
      diagnostics += d.length;
      if (d.length > 0) uris.push(uri);
    }
    return {
      ms: lastArrival(server) - t0,
      watched: st.watchedFiles,
      runs: st.runs,
      limitReached: Boolean(st.limitReached),
      diagnostics,
      urisWithDiagnostics: uris,
      inotify: inotifyWatches(server.process.pid),
      warnings: server.messages.filter((m) => m.type === 2).map((m) => m.message),
      peakRssMB: peakRss(server.process.pid),
    };
  } finally {
    await server.stop();
  }
}

function lastArrival(s: ServerUnderTest): number {
  let t = s.statuses[s.statuses.length - 1]?.at ?? 0;
  for (const a of s.arrived.values()) if (a > t) t = a;
  return t;
}

/** inotify watches held by a process (Linux: `inotify wd:` lines of its inotify fds' fdinfo). */
function inotifyWatches(pid: number | undefined): number {
  if (!pid) return NaN;
  let n = 0;
  try {
    for (const fd of fs.readdirSync(`/proc/${pid}/fdinfo`)) {
      const info = fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
      for (let i = info.indexOf('inotify wd:'); i >= 0; i = info.indexOf('inotify wd:', i + 1)) n++;
    }
  } catch {
    return NaN;
  }
  return n;
}

function peakRss(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function walk(dir: string): Promise<number> {
  let n = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const e of await fs.promises.readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) stack.push(path.join(d, e.name));
      else n++;
    }
  }
  return n;
}

/** `traindx check DIR --format json`; `workers` sets TRAINDX_WORKERS (undefined: the CLI decides). */
function cli(dir: string, workers?: number): { ms: number; findings: number; files: number; json: string } {
  const t0 = now();
  const env = { ...process.env };
  if (workers === undefined) delete env.TRAINDX_WORKERS;
  else env.TRAINDX_WORKERS = String(workers);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', dir, '--format', 'json', '--fail-on', 'never'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env,
    cwd: CLI_CWD,
  });
  const ms = now() - t0;
  if (r.status !== 0) throw new Error(`traindx check failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const out = JSON.parse(r.stdout) as { findings: unknown[]; files: unknown[] };
  return { ms, findings: out.findings.length, files: out.files.length, json: r.stdout };
}

/** Files with findings in `traindx check --format json` output, and how many each (absolute paths). */
function findingsByFile(json: string): Map<string, number> {
  const out = JSON.parse(json) as { findings: { file: string }[] };
  const m = new Map<string, number>();
  for (const f of out.findings) {
    const file = path.resolve(CLI_CWD, f.file);
    m.set(file, (m.get(file) ?? 0) + 1);
  }
  return m;
}

const none = (): boolean => false;
/** `**\/exp000*`: the first ten experiment folders, 100 runs. */
const isExcluded = (file: string): boolean => /\/exp000\d\//.test(file);
const excludedRuns = 100;

export const bench: Bench = async ({ quick }) => {
  const runs = quick ? 1000 : 10_000;
  // Outside the repository: 100 000 files under it would slow down every tool that walks it (vsce package).
  const dir = path.join(os.tmpdir(), 'traindx-bench', 'scale', `${runs}runs`);
  const tg = now();
  const tree = ensureTree(dir, { runs, checkpoints: 5, images: 3, logLines: 200 });
  if (tree.generated) console.log(`  (generated ${tree.files} files in ${dir} in ${((now() - tg) / 1000).toFixed(1)} s)`);
  const timeout = quick ? 120_000 : 1_800_000;
  const rows: BenchRow[] = [];

  // 1. Defaults: everything analysed.
  // The CLI first: its findings per file are what a complete publication of the server holds.
  const check = cli(dir);
  const single = cli(dir, 0);
  const expected = findingsByFile(check.json);
  const complete = (skip: (file: string) => boolean) => (s: ServerUnderTest) =>
    (s.lastStatus?.runs ?? 0) >= tree.logs - (skip === none ? 0 : excludedRuns) &&
    [...expected].every(([file, n]) => skip(file) || s.diagnosticsOf(file).length === n);
  const all = await runServer(dir, {}, complete(none), `the diagnostics traindx check finds (${check.findings} in ${expected.size} files)`, timeout);
  const tw = now();
  const walked = await walk(dir);
  const walkMs = now() - tw;
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  rows.push({
    name: `server: start → first complete publication, ${runs} runs / ${tree.files} files (${all.diagnostics} diagnostics)`,
    value: all.ms / 1000,
    unit: 's',
    peer: { name: `traindx check on the same tree (${check.findings} findings)`, value: check.ms / 1000, unit: 's' },
    ratio: all.ms / check.ms,
    ratioLabel: 'server / CLI',
  });
  rows.push({
    name: `  traindx check in worker threads (${cpus} CPUs; output identical: ${check.json === single.json})`,
    value: check.ms / 1000,
    unit: 's',
    peer: { name: 'one thread (TRAINDX_WORKERS=0)', value: single.ms / 1000, unit: 's' },
    ratio: single.ms / check.ms,
    ratioLabel: 'speedup',
  });
  rows.push({ name: `  bare recursive fs.readdir walk (${walked} files)`, value: walkMs / 1000, unit: 's', peer: { name: 'server', value: all.ms / 1000, unit: 's' }, ratio: all.ms / walkMs, ratioLabel: 'server / walk' });
  rows.push({
    name: `  files the watcher follows (logs + configs; the tree has ${tree.files})`,
    value: all.watched,
    unit: 'files',
    peer: { name: 'logs + configs in the tree', value: 2 * runs, unit: 'files' },
    target: 'only logs and configs followed, all runs analysed',
    pass: all.watched === 2 * runs && all.runs === runs,
  });
  rows.push({ name: '  kernel inotify watches held by the server', value: all.inotify, unit: 'watches', peer: { name: 'folders in the tree', value: runs * 3 + Math.ceil(runs / 10) + 1, unit: 'folders' } });
  rows.push({ name: '  server peak RSS', value: all.peakRssMB, unit: 'MB' });

  // 2. traindx.watch.exclude: the first ten experiment folders (100 runs) are not followed.
  const ex = await runServer(dir, { watch: { exclude: ['**/exp000*'] } }, complete(isExcluded), 'the diagnostics outside the exclude', timeout);
  const leaked = ex.urisWithDiagnostics.filter((u) => isExcluded(u)).length;
  rows.push({
    name: `  watch.exclude ['**/exp000*'] (${excludedRuns} runs): runs analysed (diagnostics inside excluded: ${leaked})`,
    value: ex.runs,
    unit: 'runs',
    peer: { name: 'runs outside the exclude', value: runs - excludedRuns, unit: 'runs' },
    target: 'exclude respected',
    pass: ex.runs === runs - excludedRuns && ex.watched === 2 * (runs - excludedRuns) && leaked === 0,
  });

  // 3. traindx.watch.maxFiles below the number of logs.
  const maxFiles = Math.floor(runs / 2);
  const lim = await runServer(dir, { watch: { maxFiles } }, (s) => s.logs.some((l) => l.includes('is following')), 'the watcher ready', timeout);
  rows.push({
    name: `  watch.maxFiles ${maxFiles} (< ${runs} logs): files followed, limitReached=${lim.limitReached}, warnings shown ${lim.warnings.length}`,
    value: lim.watched,
    unit: 'files',
    peer: { name: 'maxFiles', value: maxFiles, unit: 'files' },
    target: 'limit kept, status limitReached and a warning',
    pass: lim.watched <= maxFiles && lim.limitReached && lim.warnings.length === 1,
  });
  rows.push({ name: `  server with the limit: start → settled (${lim.runs} runs)`, value: lim.ms / 1000, unit: 's', peer: { name: 'without', value: all.ms / 1000, unit: 's' } });
  return rows;
};
