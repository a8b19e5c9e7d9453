import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** Files whose hovers and code actions the server answers (diagnostics reach any file regardless). */
export const DOCUMENT_SELECTOR: LanguageClientOptions['documentSelector'] = [
  { scheme: 'file', language: 'log' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
  { scheme: 'file', pattern: '**/*.{csv,jsonl,json,txt,out}' },
  // Training scripts, read from the editor's text while open (their notebook cells sync as notebooks).
  { scheme: 'file', language: 'python' },
  // Cells of Jupyter notebooks: hovers and Explain on the findings placed in them.
  { notebook: 'jupyter-notebook', language: 'python' },
];

/** The server's inspector port in development; .vscode/launch.json "Attach to Server" attaches here. */
export const SERVER_INSPECT_PORT = 6009;

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', `--inspect=${SERVER_INSPECT_PORT}`] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    synchronize: { configurationSection: 'traindx' },
    initializationOptions: { settings: vscode.workspace.getConfiguration('traindx') },
    // Hovers link to our own command only; everything from logs is escaped server-side.
    markdown: { isTrusted: { enabledCommands: ['traindx.explain'] }, supportHtml: false },
  };
  // Run from a checkout ("Run Extension"), the server always starts with its inspector open, whether or
  // not the extension host itself is being debugged; an installed extension never opens the port.
  const forceDebug = context.extensionMode === vscode.ExtensionMode.Development;
  return new LanguageClient('traindx', 'traindx', serverOptions, clientOptions, forceDebug);
}
