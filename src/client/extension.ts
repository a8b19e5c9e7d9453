import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { SCENARIO_IDS } from '../core/types';
import {
  ExplainRequest,
  RunDataRequest,
  RunsRequest,
  ServerInfoRequest,
  StatusNotification,
  type ExplainParams,
  type ExplainResult,
  type RunData,
  type RunSummary,
  type ServerInfo,
  type StatusParams,
} from '../server/protocol';
import { openExamples } from './examples';
import { createLanguageClient } from './language-client';
import { RunsTree } from './runs-tree';
import { RunPanel, type PanelBackend } from './run-panel';
import { RunStatus } from './status';
import type { PanelState } from './webview-messages';

let client: LanguageClient | undefined;

/**
 * Activation stays cheap: the language server starts in the background and every command waits for
 * it only when used.
 */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('traindx', { log: true });
  const status = new RunStatus();
  context.subscriptions.push(output, status);

  client = createLanguageClient(context, output);
  const tree = new RunsTree(async () => (await started, (client as LanguageClient).sendRequest<RunSummary[]>(RunsRequest)));
  const started = startClient(client, status, output, throttle(() => void tree.refresh().catch(() => undefined), 500));
  context.subscriptions.push(tree, vscode.window.createTreeView('traindx.runs', { treeDataProvider: tree, showCollapseAll: true }));

  const backend: PanelBackend = {
    explain: async (params) => (await started, (client as LanguageClient).sendRequest<ExplainResult>(ExplainRequest, params)),
    runData: async (uri) => (await started, (client as LanguageClient).sendRequest<RunData | null>(RunDataRequest, { uri })),
    learn: async () => {
      await started;
      const c = client as LanguageClient;
      return Promise.all(SCENARIO_IDS.map((scenario) => c.sendRequest<ExplainResult>(ExplainRequest, { scenario })));
    },
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('traindx.explain', async (arg?: ExplainParams) => {
      const explain = arg && typeof arg.scenario === 'string' ? arg : await pickScenario();
      if (explain) await RunPanel.show(context.extensionUri, backend, { explain, tab: 'explain' });
    }),
    vscode.commands.registerCommand('traindx.showRun', async (uri?: string) => {
      // The given run (runs view), else the log in the active editor, else the run that changed last.
      const target = typeof uri === 'string' ? uri : vscode.window.activeTextEditor?.document.uri.toString();
      await RunPanel.show(context.extensionUri, backend, { uri: target, tab: 'explain' });
    }),
    vscode.commands.registerCommand('traindx.openExamples', () => openExamples(context)),
    vscode.commands.registerCommand('traindx.serverInfo', async () => {
      await started;
      const info = await (client as LanguageClient).sendRequest<ServerInfo>(ServerInfoRequest);
      output.info(`traindx server: pid ${info.pid}, node ${info.node}, ${info.watchedFiles} files followed, ${info.runs} runs`);
      for (const e of info.ruleErrors) output.warn(`rule ${e.rule} failed and was skipped: ${e.message}`);
      output.show(true);
      return info;
    }),
    vscode.commands.registerCommand('traindx.learn', () => RunPanel.show(context.extensionUri, backend, { tab: 'learn' })),
    vscode.commands.registerCommand('traindx.restartServer', async () => {
      output.info('Restarting the traindx language server');
      await client?.restart();
    }),
    vscode.window.registerWebviewPanelSerializer(RunPanel.viewType, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: PanelState | undefined) => RunPanel.revive(panel, context.extensionUri, backend, state),
    }),
  );
}

async function startClient(c: LanguageClient, status: RunStatus, output: vscode.LogOutputChannel, onStatus: () => void): Promise<void> {
  let runs = 0;
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped) status.stopped(vscode.l10n.t('traindx: the language server stopped. Run "traindx: Restart Server".'));
    if (e.newState === State.Running && ++runs > 1) {
      // vscode-languageclient restarts a crashed server (up to 4 times in 3 minutes); say so.
      const msg = vscode.l10n.t('traindx: the language server stopped unexpectedly and was restarted; findings are being recomputed.');
      output.warn(msg);
      vscode.window.setStatusBarMessage(msg, 10_000);
    }
  });
  try {
    await c.start();
  } catch (err) {
    output.error(`traindx could not start its language server: ${(err as Error).message}`);
    status.stopped(vscode.l10n.t('traindx: the language server could not start. See the traindx output.'));
    throw err;
  }
  c.onNotification(StatusNotification, (s: StatusParams) => {
    status.update(s);
    onStatus();
    void RunPanel.refresh();
  });
}

async function pickScenario(): Promise<ExplainParams | undefined> {
  const pick = await vscode.window.showQuickPick(
    SCENARIO_IDS.map((id) => ({ label: id })),
    { placeHolder: vscode.l10n.t('Which scenario should traindx explain?') },
  );
  return pick ? { scenario: pick.label as ExplainParams['scenario'] } : undefined;
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
  await client?.stop();
}
