import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** Files whose hovers and code actions the server answers (diagnostics reach any file regardless). */
export const DOCUMENT_SELECTOR: LanguageClientOptions['documentSelector'] = [
  { scheme: 'file', language: 'log' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
  { scheme: 'file', pattern: '**/*.{csv,jsonl,json,txt,out}' },
];

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    synchronize: { configurationSection: 'traindx' },
    initializationOptions: { settings: vscode.workspace.getConfiguration('traindx') },
    // Hovers link to our own command only; everything from logs is escaped server-side.
    markdown: { isTrusted: { enabledCommands: ['traindx.explain'] }, supportHtml: false },
  };
  return new LanguageClient('traindx', 'traindx', serverOptions, clientOptions);
}
