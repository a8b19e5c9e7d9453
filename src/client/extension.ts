import * as vscode from 'vscode';
import { SCENARIO_IDS } from '../core/types';
import { OnceLog } from '../shared/log-once';
import type { ExplainParams, ExplainResult, RunDataParams, StatusParams, TraindxRequests } from '../shared/protocol';
import type { PanelState } from '../shared/webview-messages';
import type { ServerConnection } from './connection';
import { activeFileUri } from './active-file';
import { openExamples } from './examples';
import { RunsTree } from './runs-tree';
import { RunPanel, type PanelBackend } from './run-panel';
import { RunStatus } from './status';
import { registerTensorBoardEditor } from './tensorboard-editor';

let server: Promise<ServerConnection> | undefined;

/**
 * Activation stays cheap: it registers commands and views, and the language client (most of the
 * client's code) is loaded and started after activate returns; every command waits for it only when
 * used.
 */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('traindx', { log: true });
  const status = new RunStatus();
  context.subscriptions.push(output, status);

  const errors = new OnceLog((m) => output.warn(m));
  /** The run the status bar shows: what "Show Run View" opens when no editor names a run. */
  let activeRunKey: string | undefined;
  let lastStatus: StatusParams | undefined;
  /** The run of the last file the user had in front of them. */
  let lookedAt: string | undefined;
  /** The status bar describes the active editor's run; the run that changed last when it names none. */
  const showStatus = async (): Promise<void> => {
    const s = lastStatus;
    if (!s) return;
    // With no file in front (the run view, a terminal), the run the user looked at last stays.
    const file = activeFileUri();
    const params: RunDataParams | undefined = file ? { uri: file.toString() } : lookedAt ? { runKey: lookedAt } : undefined;
    const open = params ? await (await requests()).runStatus(params).catch((err: unknown) => errors.report('run status failed', JSON.stringify(params), err)) : undefined;
    if (open) lookedAt = open.runKey;
    const run = open ?? s.activeRun;
    activeRunKey = run?.runKey;
    status.update(s, run);
  };
  const tree = new RunsTree(() => requests().then((r) => r.runs()));
  // A refresh fails while the server restarts; the next status after the restart refreshes again.
  const treeView = vscode.window.createTreeView('traindx.runs', { treeDataProvider: tree, showCollapseAll: true });
  // A hidden view is refreshed when it is shown again, not on every append.
  let treeStale = true;
  const refreshTree = throttle(() => {
    if (!treeView.visible) {
      treeStale = true;
      return;
    }
    treeStale = false;
    void tree.refresh().catch((err: unknown) => errors.report('runs view refresh failed', 'traindx/runs', err));
  }, 500);
  context.subscriptions.push(
    tree,
    treeView,
    treeView.onDidChangeVisibility((e) => {
      if (e.visible && treeStale) refreshTree();
    }),
  );
  server = new Promise<ServerConnection>((resolve, reject) =>
    setImmediate(() => {
      try {
        // A run-time require of the separately bundled client: esbuild leaves a computed path alone.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const lsp = require(context.asAbsolutePath('dist/client-lsp.js')) as typeof import('./connection');
        const c = lsp.connect(context, output, {
          status: (s: StatusParams) => {
            lastStatus = s;
            void showStatus();
            refreshTree();
            void RunPanel.refresh();
          },
          stopped: (reason) => status.stopped(reason),
        });
        c.ready.then(() => resolve(c), reject);
      } catch (err) {
        output.error(`traindx could not load its language client: ${(err as Error).message}`);
        reject(err);
      }
    }),
  );
  const requests = (): Promise<TraindxRequests> => server as Promise<ServerConnection>;
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(() => void showStatus()),
    vscode.window.tabGroups.onDidChangeTabs(() => void showStatus()),
  );

  const backend: PanelBackend = {
    explain: async (params) => (await requests()).explain(params),
    runData: async (params) => (await requests()).runData(params),
    learn: async () => {
      const r = await requests();
      const all = await Promise.all(SCENARIO_IDS.map((scenario) => r.explain({ scenario })));
      return all.filter((x): x is ExplainResult => x !== null);
    },
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('traindx.explain', async (arg?: ExplainParams) => {
      const explain = arg && typeof arg.scenario === 'string' ? arg : await pickScenario(backend);
      if (explain) await RunPanel.show(context.extensionUri, backend, { explain, tab: 'explain' });
    }),
    vscode.commands.registerCommand('traindx.showRun', async (uri?: string) => {
      // The given run (runs view), else the file in the active editor, else the status bar's run.
      const target = typeof uri === 'string' ? uri : activeFileUri()?.toString();
      const state: PanelState = target ? { uri: target, tab: 'explain' } : { runKey: activeRunKey, tab: 'explain' };
      await RunPanel.show(context.extensionUri, backend, state);
    }),
    vscode.commands.registerCommand('traindx.openExamples', () => openExamples(context)),
    vscode.commands.registerCommand('traindx.serverInfo', async () => {
      const info = await (await requests()).serverInfo();
      output.info(`traindx server: pid ${info.pid}, node ${info.node}, ${info.watchedFiles} files followed, ${info.runs} runs`);
      for (const e of info.ruleErrors) output.warn(`rule ${e.rule} failed and was skipped: ${e.message}`);
      output.show(true);
      return info;
    }),
    // The Run tab beside Learn shows the status bar's run, as "Show Run View" does without an editor.
    vscode.commands.registerCommand('traindx.learn', () => RunPanel.show(context.extensionUri, backend, { runKey: activeRunKey, tab: 'learn' })),
    vscode.commands.registerCommand('traindx.restartServer', async () => {
      output.info('Restarting the traindx language server');
      await (await server)?.restart();
    }),
    registerTensorBoardEditor(context.extensionUri, backend),
    vscode.window.registerWebviewPanelSerializer(RunPanel.viewType, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: PanelState | undefined) => RunPanel.revive(panel, context.extensionUri, backend, state),
    }),
  );
}

/** The scenarios by title (their ids are for rules and settings); none is tied to a run. */
async function pickScenario(backend: PanelBackend): Promise<ExplainParams | undefined> {
  const scenarios = await backend.learn();
  const pick = await vscode.window.showQuickPick(
    scenarios.map((r) => ({ label: r.scenario.title, description: r.scenario.id, scenario: r.scenario.id })),
    { placeHolder: vscode.l10n.t('Which scenario should traindx explain?'), matchOnDescription: true },
  );
  return pick ? { scenario: pick.scenario } : undefined;
}

/** Calls `fn` at most once per `ms`, trailing: a burst of appends refreshes the tree once. */
function throttle(fn: () => void, ms: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
}

export async function deactivate(): Promise<void> {
  // A server that never started was reported when it failed; there is nothing to stop.
  const c = await server?.catch(() => undefined);
  await c?.stop();
}
