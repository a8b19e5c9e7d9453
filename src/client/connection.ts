import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { ExplainRequest, RunDataRequest, RunsRequest, RunStatusRequest, ServerInfoRequest, StatusNotification, type StatusParams, type TraindxRequests } from '../shared/protocol';
import { createLanguageClient } from './language-client';

/**
 * The language client, bundled apart (dist/client-lsp.js) and loaded after activation returns:
 * vscode-languageclient is most of the client's code and ~40 ms to load, which activation must not
 * pay (extension.ts). The protocol's message objects are used here only, so the activation bundle
 * (dist/client.js) imports the protocol's types and never vscode-jsonrpc.
 */
export interface ServerConnection extends TraindxRequests {
  /** Settles when the server is up (rejects when it could not start). */
  ready: Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface ConnectionEvents {
  status(s: StatusParams): void;
  stopped(reason: string): void;
}

export function connect(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, events: ConnectionEvents): ServerConnection {
  const client = createLanguageClient(context, output);
  return {
    ready: start(client, output, events),
    runData: (params) => client.sendRequest(RunDataRequest, params),
    explain: (params) => client.sendRequest(ExplainRequest, params),
    runs: () => client.sendRequest(RunsRequest),
    runStatus: (params) => client.sendRequest(RunStatusRequest, params),
    serverInfo: () => client.sendRequest(ServerInfoRequest),
    restart: () => client.restart(),
    stop: () => client.stop(),
  };
}

async function start(c: LanguageClient, output: vscode.LogOutputChannel, events: ConnectionEvents): Promise<void> {
  let runs = 0;
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped) events.stopped(vscode.l10n.t('traindx: the language server stopped. Run "traindx: Restart Server".'));
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
    events.stopped(vscode.l10n.t('traindx: the language server could not start. See the traindx output.'));
    throw err;
  }
  c.onNotification(StatusNotification, (s) => events.status(s));
}
