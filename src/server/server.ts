import { fileURLToPath, pathToFileURL } from 'url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Hover,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as fs from 'fs';
import * as path from 'path';
import { advance } from '../core/run/incremental';
import { canonicalName } from '../core/run/names';
import { getScenario } from '../core/scenarios';
import type { Finding } from '../core/types';
import { AnalysisWorkspace } from '../core/workspace';
import { readMlflowParamsDir } from '../core/config/mlflow-params';
import { mlflowParamsFolderOf } from '../core/files/layout';
import { readConfig } from '../core/config/read-config';
import { fixTargetOf, quickFixActions, suppressActions, type FixEnv } from './code-actions';
import { configKeyHover } from './config-hover';
import { DiagnosticPublisher } from './diagnostics';
import { findingHover, seriesHover } from './hover';
import {
  ExplainRequest,
  RunDataRequest,
  RunsRequest,
  ServerInfoRequest,
  StatusNotification,
  type DiagnosticData,
  type ExplainParams,
  type ExplainResult,
  type RunData,
  type RunSummary,
  type ServerInfo,
  type StatusParams,
} from './protocol';
import { FilePoller } from './file-poller';
import { runData } from './run-data';
import { analyzerOptions, DEFAULT_SETTINGS, normaliseSettings, type TraindxSettings } from './settings';
import { globToRegExp, RunWatcher } from './watcher';

/** Typing in a config re-analyses after this pause. */
const CONFIG_DEBOUNCE_MS = 150;

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const workspace = new AnalysisWorkspace();
const publisher = new DiagnosticPublisher((uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }));
let settings: TraindxSettings = DEFAULT_SETTINGS;
let roots: string[] = [];
let watcher: RunWatcher | undefined;
let hasConfigurationCapability = false;
let lastRunKey: string | undefined;
const configTimers = new Map<string, NodeJS.Timeout>();
const loggedErrors = new Set<string>();

const poller = new FilePoller(async (file) => {
  reading++;
  try {
    // Only regular files are read: opening a FIFO named like a log blocks until a writer comes, holding
    // one of libuv's few thread-pool threads (a handful of them stall every file read of the server).
    const st = await fs.promises.stat(file).catch(() => undefined);
    if (st && !st.isFile()) return;
    const key = await workspace.updateLog(file);
    if (key) {
      lastRunKey = key;
      await readParamsOnce(file);
      schedulePublish();
    }
  } finally {
    readDone();
  }
});

/** MLflow runs: their params/ folder is their config, read when the run is first seen. */
const paramsRead = new Set<string>();
async function readParamsOnce(file: string): Promise<void> {
  const dir = mlflowParamsFolderOf(file);
  if (!dir || paramsRead.has(dir)) return;
  paramsRead.add(dir);
  const read = await readMlflowParamsDir(dir);
  if (read) workspace.setConfig(dir, read.config, read.text);
}

connection.onInitialize((params): InitializeResult => {
  hasConfigurationCapability = Boolean(params.capabilities.workspace?.configuration);
  roots = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
  if (roots.length === 0 && params.rootUri) roots = [fileURLToPath(params.rootUri)];
  const initSettings = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
  if (initSettings !== undefined) applySettings(normaliseSettings(initSettings));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'traindx', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  if (hasConfigurationCapability) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'traindx' });
    applySettings(normaliseSettings(await connection.workspace.getConfiguration('traindx')));
  }
  startWatcher();
});

connection.onDidChangeConfiguration(async (change) => {
  const raw = hasConfigurationCapability
    ? await connection.workspace.getConfiguration('traindx')
    : (change.settings as { traindx?: unknown } | undefined)?.traindx;
  const previous = settings;
  applySettings(normaliseSettings(raw));
  if (JSON.stringify(previous.watch) !== JSON.stringify(settings.watch)) {
    await watcher?.stop();
    startWatcher();
  }
  schedulePublish();
});

function applySettings(s: TraindxSettings): void {
  settings = s;
  workspace.setOptions(analyzerOptions(s));
}

function startWatcher(): void {
  if (!settings.watch.enabled || !settings.enable) return;
  watcher = new RunWatcher(
    (f) => AnalysisWorkspace.isLog(f) || AnalysisWorkspace.isConfig(f),
    {
      changed: (f) => onDiskChange(f),
      removed: (f) => onDiskRemove(f),
      limitReached: (n) => {
        connection.console.warn(`traindx follows at most ${n} files (traindx.watch.maxFiles); files beyond it are not analysed.`);
        void connection.window.showWarningMessage(
          `traindx stopped following new files at ${n} (setting traindx.watch.maxFiles). Narrow the folder or raise the limit.`,
        );
        sendStatus();
      },
      systemLimit: (code) => {
        const what = code === 'ENOSPC' ? 'file watches (fs.inotify.max_user_watches)' : 'open files';
        connection.console.warn(`traindx: the system ran out of ${what} (${code}); some files are not followed.`);
        void connection.window.showWarningMessage(
          `traindx cannot follow every file: the system ran out of ${what}. Exclude folders (traindx.watch.exclude) or raise the system limit.`,
        );
      },
      ready: () => {
        connection.console.info(`traindx is following ${watcher?.count ?? 0} log and config files.`);
        scanned = true;
        sendStatus();
        flushIfIdle();
      },
    },
    settings.watch.maxFiles,
    settings.watch.exclude.map(globToRegExp),
  );
  // RunWatcher reports ready only when it watches something.
  scanned = roots.length === 0;
  watcher.start(roots);
}

function onDiskChange(file: string): void {
  if (AnalysisWorkspace.isConfig(file)) {
    // An open config is analysed from the editor's text, which may be ahead of the disk.
    if (documents.get(uriOf(file))) return;
    reading++;
    fs.promises
      .readFile(file, 'utf8')
      .then(
        (text) => {
          workspace.setConfigText(file, text);
          schedulePublish();
        },
        () => undefined,
      )
      .finally(readDone);
    return;
  }
  poller.poll(file);
}

function onDiskRemove(file: string): void {
  if (AnalysisWorkspace.isConfig(file)) workspace.removeConfig(file);
  else workspace.removeLog(file);
  schedulePublish();
}

documents.onDidOpen((e) => {
  const file = fileOf(e.document.uri);
  if (!file) return;
  if (AnalysisWorkspace.isConfig(file)) {
    workspace.setConfigText(file, e.document.getText());
    schedulePublish();
  } else if (AnalysisWorkspace.isLog(file) || e.document.languageId === 'log') {
    // Logs are read from disk (they are appended by the training job, not edited); opening one
    // outside the watched folders starts following it.
    watcher?.add(file);
    poller.poll(file);
  }
});

documents.onDidChangeContent((e) => {
  const file = fileOf(e.document.uri);
  if (!file || !AnalysisWorkspace.isConfig(file)) return;
  clearTimeout(configTimers.get(file));
  configTimers.set(
    file,
    setTimeout(() => {
      configTimers.delete(file);
      const doc = documents.get(e.document.uri);
      if (!doc) return;
      workspace.setConfigText(file, doc.getText());
      schedulePublish();
    }, CONFIG_DEBOUNCE_MS),
  );
});

documents.onDidClose((e) => {
  const file = fileOf(e.document.uri);
  if (!file || !AnalysisWorkspace.isConfig(file)) return;
  // Back to what is on disk (unsaved edits are gone with the editor).
  fs.promises.readFile(file, 'utf8').then(
    (text) => {
      workspace.setConfigText(file, text);
      schedulePublish();
    },
    () => {
      workspace.removeConfig(file);
      schedulePublish();
    },
  );
});

connection.onHover((params): Hover | null => {
  const file = fileOf(params.textDocument.uri);
  if (!file) return null;
  const line = params.position.line + 1;
  const here = workspace.findings().filter((f) => f.file === file && (f.range ? f.range.startLine <= params.position.line && params.position.line <= f.range.endLine : f.line === line));
  const doc = documents.get(params.textDocument.uri);
  // A known training key of a config: its scenario worked out with this config's numbers (read from
  // the editor's current text, so ranges match what is on screen), after any finding on the line.
  const cfg = doc && AnalysisWorkspace.isConfig(file) ? readConfig(file, doc.getText()) : undefined;
  const keyHover = cfg ? configKeyHover(cfg, params.position.line, params.position.character, params.textDocument.uri, analyzerOptions(settings).thresholds) : undefined;
  if (here.length > 0 || keyHover) {
    const value = [here.length > 0 ? findingHover(here, params.textDocument.uri) : undefined, keyHover].filter((x) => x !== undefined).join('\n\n---\n\n');
    return { contents: { kind: 'markdown', value } };
  }
  const run = workspace.runOfFile(file);
  if (!doc || !run) return null;
  const word = metricNameAt(doc, params.position.line, params.position.character);
  if (!word) return null;
  const value = seriesHover(run, word.canonical) ?? seriesHover(run, word.raw);
  return value ? { contents: { kind: 'markdown', value } } : null;
});

/** Where quick fixes read the text they edit: the open editor's, else the disk's. */
const fixEnv: FixEnv = {
  textOf: (f) => {
    const doc = documents.get(uriOf(f));
    if (doc) return doc.getText();
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return undefined;
    }
  },
  isConfig: (f) => AnalysisWorkspace.isConfig(f),
  configForLog: (f) => workspace.configForLog(f),
  uriOf,
};

connection.onCodeAction((params): CodeAction[] => {
  const actions: CodeAction[] = [];
  const file = fileOf(params.textDocument.uri);
  const target = file ? fixTargetOf(file, fixEnv) : undefined;
  for (const d of params.context.diagnostics) {
    if (d.source !== 'traindx') continue;
    const data = d.data as DiagnosticData | undefined;
    if (!data) continue;
    actions.push(...quickFixActions(d, data, target));
    actions.push({
      title: `Explain: ${getScenario(data.scenario).title}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title: 'Explain', command: 'traindx.explain', arguments: [{ scenario: data.scenario, uri: params.textDocument.uri, line: d.range.start.line }] },
    });
    if (file && target && target.uri === params.textDocument.uri) actions.push(...suppressActions(d, data, file, target.uri, target.text));
  }
  return actions;
});

connection.onRequest(RunDataRequest, (params: { uri?: string; runKey?: string }): RunData | null => {
  const key = params.runKey ?? (params.uri ? runKeyOfUri(params.uri) : lastRunKey);
  return key ? runDataOf(key) : null;
});

connection.onRequest(ExplainRequest, (params: ExplainParams): ExplainResult => {
  const scenario = getScenario(params.scenario);
  const file = params.uri ? fileOf(params.uri) : undefined;
  let finding: Finding | undefined;
  if (file !== undefined) {
    const inFile = workspace.findings().filter((f) => f.file === file && f.scenario === params.scenario);
    finding = inFile.find((f) => f.line - 1 === params.line) ?? inFile[0];
  }
  const key = file ? runKeyOfUri(params.uri as string) : undefined;
  return {
    scenario,
    finding,
    findingLabel: finding ? displayPath(finding.file) : undefined,
    run: key ? (runDataOf(key) ?? undefined) : undefined,
    group: groupOf(finding),
  };
});

/** The sibling runs an `ensemble` finding lists in its evidence, for the overlaid plot. */
function groupOf(finding: Finding | undefined): RunData[] | undefined {
  const files = finding?.scenario === 'ensemble' ? finding.evidence.files : undefined;
  if (!Array.isArray(files)) return undefined;
  const keys = new Set(files.map((f) => workspace.runKeyOfFile(String(f))));
  const group = [...keys].filter((k): k is string => k !== undefined).map((k) => runDataOf(k)).filter((r): r is RunData => r !== null);
  return group.length > 1 ? group : undefined;
}

connection.onRequest(
  ServerInfoRequest,
  (): ServerInfo => ({
    pid: process.pid,
    version: '0.1.0',
    node: process.version,
    watchedFiles: watcher?.count ?? 0,
    runs: workspace.runKeys().length,
    ruleErrors: [...workspace.ruleErrors()],
  }),
);

connection.onRequest(RunsRequest, (): RunSummary[] => {
  const findings = workspace.findings();
  return workspace
    .runKeys()
    .sort()
    .map((key) => {
      const run = workspace.run(key) as NonNullable<ReturnType<typeof workspace.run>>;
      return { runKey: key, files: [...run.files], points: run.pointCount(), ...progressOf(run), findings: findings.filter((f) => run.files.includes(f.file)) };
    });
});

/** How far a run got: its last epoch and best validation loss, when logged. */
function progressOf(run: NonNullable<ReturnType<typeof workspace.run>>): { lastEpoch?: number; bestValLoss?: number } {
  let lastEpoch = -Infinity;
  for (const name of run.names()) {
    const s = run.series(name);
    if (s && Number.isFinite(s.epoch(s.length - 1))) lastEpoch = Math.max(lastEpoch, s.epoch(s.length - 1));
  }
  const val = run.series('val_loss');
  // The lowest value so far, carried over appends (a publication costs the new points, not the series).
  const best = val
    ? advance(
        val,
        'server-best-value',
        () => ({ best: Infinity }),
        (st, a, b) => {
          for (let i = a; i < b; i++) if (val.value(i) < st.best) st.best = val.value(i);
        },
      ).best
    : Infinity;
  return { lastEpoch: Number.isFinite(lastEpoch) ? lastEpoch : undefined, bestValLoss: Number.isFinite(best) ? best : undefined };
}

function runKeyOfUri(uri: string): string | undefined {
  const file = fileOf(uri);
  if (!file) return undefined;
  if (workspace.hasLog(file)) return workspace.runKeyOfFile(file);
  // A config: the run whose log sits beside or below it.
  const dir = path.dirname(file) + path.sep;
  return workspace.runKeys().find((k) => workspace.run(k)?.files.some((f) => f.startsWith(dir)));
}

function runDataOf(key: string): RunData | null {
  const run = workspace.run(key);
  if (!run) return null;
  const findings = workspace.findings().filter((f) => run.files.includes(f.file));
  return runData(key, displayPath(key), run, findings);
}

let publishQueued = false;
let publishTimer: NodeJS.Timeout | undefined;
/** What the last publication cost (ms of this thread) and when it ended (performance.now()). */
let lastPublishCost = 0;
let lastPublishEnd = 0;
/** Reads of logs and configs under way, and whether the watcher's first scan has been reported. */
let reading = 0;
let scanned = true;
/**
 * While files are being read in bulk (the watcher's first scan of a big workspace, or many runs
 * changing at once), a publication waits until this many times the last one's cost has passed since it
 * ended, so publishing takes at most 1 / (1 + factor) of the server's time: each publication sorts
 * every finding and grows with the runs read so far, and one per file read made the first scan of
 * 10 000 runs quadratic. With nothing else being read (an append to a followed log) it goes out at once.
 */
const PUBLISH_COST_FACTOR = 4;

function bulkReading(): boolean {
  return !scanned || reading > 0;
}

function readDone(): void {
  reading--;
  flushIfIdle();
}

/** When the bulk reading is over, a publication held back goes out now. */
function flushIfIdle(): void {
  if (publishTimer && !bulkReading()) {
    clearTimeout(publishTimer);
    publishTimer = undefined;
    setImmediate(runPublish);
  }
}

/** Coalesces the analyses of a burst of appends into one publication. */
function schedulePublish(): void {
  if (publishQueued) return;
  publishQueued = true;
  // Decided after the reads of this turn have finished (the caller is usually inside one).
  setImmediate(() => {
    const wait = lastPublishEnd + PUBLISH_COST_FACTOR * lastPublishCost - performance.now();
    if (bulkReading() && wait > 1) publishTimer = setTimeout(runPublish, wait);
    else runPublish();
  });
}

function runPublish(): void {
  publishTimer = undefined;
  if (!publishQueued) return;
  publishQueued = false;
  const t0 = performance.now();
  publishNow();
  lastPublishEnd = performance.now();
  lastPublishCost = lastPublishEnd - t0;
}

function publishNow(): void {
  if (!settings.enable) {
    publisher.publish(new Map());
    return;
  }
  const byUri = new Map<string, Finding[]>();
  for (const [file, findings] of workspace.findingsByFile()) byUri.set(uriOf(file), findings);
  publisher.publish(byUri);
  for (const e of workspace.ruleErrors()) {
    const key = `${e.rule}: ${e.message}`;
    if (loggedErrors.has(key)) continue;
    loggedErrors.add(key);
    connection.console.error(`rule ${e.rule} failed and was skipped: ${e.message}`);
  }
  sendStatus();
}

function sendStatus(): void {
  const findings = workspace.findings();
  const status: StatusParams = { watchedFiles: watcher?.count ?? 0, runs: workspace.runKeys().length, findings: findings.length, limitReached: watcher?.limitReached };
  const run = lastRunKey ? workspace.run(lastRunKey) : undefined;
  if (run && lastRunKey) {
    const progress = progressOf(run);
    status.activeRun = {
      runKey: lastRunKey,
      epoch: progress.lastEpoch,
      bestValLoss: progress.bestValLoss,
      findings: findings.filter((f) => run.files.includes(f.file)).length,
    };
  }
  void connection.sendNotification(StatusNotification, status);
}

/** The metric name under the cursor in a log line: `val_loss=0.3`, `'eval_loss': 0.3`, a CSV header cell. */
function metricNameAt(doc: TextDocument, line: number, character: number): { raw: string; canonical: string } | undefined {
  const text = doc.getText({ start: { line, character: 0 }, end: { line, character: 10_000 } });
  const re = /[A-Za-z_][\w./-]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index <= character && character <= m.index + m[0].length) {
      const raw = m[0];
      return { raw, canonical: canonicalName(raw) };
    }
  }
  return undefined;
}

/** A path relative to the workspace folder that holds it (absolute when none does). */
function displayPath(file: string): string {
  for (const root of roots) {
    const rel = path.relative(root, file);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel;
  }
  return file;
}

function fileOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

process.on('uncaughtException', (err) => {
  // A bug must cost one analysis, not the server and everything it has read.
  connection.console.error(`traindx internal error: ${err.stack ?? err.message}`);
});

documents.listen(connection);
connection.listen();
