/**
 * The language server's composition root: it builds the workspace, ingest, the publication scheduler
 * and the feature context, and wires each LSP message to its handler (src/server/features). Nothing
 * here decides anything about logs, configs or findings.
 */
import { fileURLToPath } from 'url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  NotebookDocuments,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RunQueries } from '../core/query/run-queries';
import { onRecovered } from '../core/recovered';
import { AnalysisWorkspace } from '../core/workspace';
import { OnceLog } from '../shared/log-once';
import { ExplainRequest, RunDataRequest, RunsRequest, RunStatusRequest, ServerInfoRequest, StatusNotification } from '../shared/protocol';
import type { FeatureContext } from './context';
import { codeActions } from './features/code-actions';
import { DiagnosticPublisher, FindingsPublication, shownLineCount } from './features/diagnostics';
import { explain } from './features/explain';
import { hover } from './features/hover';
import { runData } from './features/run-data';
import { runs } from './features/runs';
import { SERVER_VERSION, serverInfo } from './features/server-info';
import { runStatus, status } from './features/status';
import { Ingest } from './ingest';
import { followDocuments } from './documents';
import { OpenNotebooks } from './notebooks';
import { displayPath, uriOf } from './paths';
import { PublishScheduler } from './publish';
import { analyzerOptions, DEFAULT_SETTINGS, normaliseSettings, type TraindxSettings } from './settings';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const notebooks = new NotebookDocuments(TextDocument);
const openNotebooks = new OpenNotebooks(notebooks);
const workspace = new AnalysisWorkspace();
const errors = new OnceLog((m) => connection.console.warn(m));
// Errors core recovered from (a reader or fix writer that threw): logged once per place, never lost.
onRecovered((where, message) => connection.console.warn(`traindx recovered from an error in ${where}: ${message}`));
let settings: TraindxSettings = DEFAULT_SETTINGS;
let roots: string[] = [];
let hasConfigurationCapability = false;

const ctx: FeatureContext = {
  workspace,
  queries: new RunQueries(workspace),
  document: (uri) => documents.get(uri),
  displayPath: (file) => displayPath(roots, file),
  thresholds: () => analyzerOptions(settings).thresholds ?? {},
  cellOf: (uri) => openNotebooks.cellOf(uri),
  notebookCells: (file) => openNotebooks.cells(file),
  errors,
};

const publication = new FindingsPublication(
  new DiagnosticPublisher((uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics })),
  (m) => connection.console.error(m),
  (m) => void connection.window.showWarningMessage(m),
);
const ingest: Ingest = new Ingest(
  workspace,
  (file) => documents.get(uriOf(file))?.getText() ?? openNotebooks.text(file),
  {
    changed: () => scheduler.schedule(),
    idle: () => scheduler.flushIfIdle(),
    watchStateChanged: () => sendStatus(),
    warn: (log, show) => {
      connection.console.warn(log);
      void connection.window.showWarningMessage(show);
    },
    info: (m) => connection.console.info(m),
  },
  errors,
);
const scheduler: PublishScheduler = new PublishScheduler(
  () => ingest.bulkReading(),
  () => {
    publication.publish(
      workspace,
      settings.enable,
      (uri) => {
        const doc = documents.get(uri);
        return doc ? shownLineCount(doc) : undefined;
      },
      (file, index) => openNotebooks.cellUri(file, index),
    );
    sendStatus();
  },
);

function sendStatus(): void {
  const watch = { watchedFiles: ingest.watchedFiles, limitReached: ingest.limitReached };
  void connection.sendNotification(StatusNotification, status(ctx, watch, ingest.lastUpdatedRun));
}

function applySettings(raw: unknown): void {
  settings = normaliseSettings(raw);
  workspace.setOptions(analyzerOptions(settings));
}

connection.onInitialize((params): InitializeResult => {
  hasConfigurationCapability = Boolean(params.capabilities.workspace?.configuration);
  roots = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
  if (roots.length === 0 && params.rootUri) roots = [fileURLToPath(params.rootUri)];
  const initSettings = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
  if (initSettings !== undefined) applySettings(initSettings);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      // Every cell (markdown too): findings name cells by their index among all of them.
      notebookDocumentSync: { notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' } }] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
    },
    serverInfo: { name: 'traindx', version: SERVER_VERSION },
  };
});

connection.onInitialized(async () => {
  if (hasConfigurationCapability) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'traindx' });
    applySettings(await connection.workspace.getConfiguration('traindx'));
  }
  ingest.startWatcher(roots, settings);
});

connection.onDidChangeConfiguration(async (change) => {
  const raw = hasConfigurationCapability
    ? await connection.workspace.getConfiguration('traindx')
    : (change.settings as { traindx?: unknown } | undefined)?.traindx;
  const previousWatch = JSON.stringify(settings.watch);
  applySettings(raw);
  if (previousWatch !== JSON.stringify(settings.watch)) await ingest.restartWatcher(roots, settings);
  scheduler.schedule();
});

followDocuments(documents, ingest, () => scheduler.schedule());
openNotebooks.follow(ingest, () => scheduler.schedule());

connection.onHover((params) => hover(ctx, params));
connection.onCodeAction((params) => codeActions(ctx, params));
connection.onRequest(RunDataRequest, (params) => runData(ctx, params));
connection.onRequest(ExplainRequest, (params) => explain(ctx, params));
connection.onRequest(RunsRequest, () => runs(ctx));
connection.onRequest(RunStatusRequest, (params) => runStatus(ctx, params));
connection.onRequest(ServerInfoRequest, () => serverInfo(ctx, ingest.watchedFiles));

process.on('uncaughtException', (err) => {
  // A bug must cost one analysis, not the server and everything it has read.
  connection.console.error(`traindx internal error: ${err.stack ?? err.message}`);
});

documents.listen(connection);
notebooks.listen(connection);
connection.listen();
