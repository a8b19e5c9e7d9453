/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded as is by VS Code */
// Minimal extension for the harness self-test: one command, one diagnostic on lines containing "NaN" in
// .log files (so the suite can wait on onDidChangeDiagnostics like the real one will).
const vscode = require('vscode');

function activate(context) {
  const diags = vscode.languages.createDiagnosticCollection('traindx-fixture');
  const check = (doc) => {
    if (!doc.fileName.endsWith('.log')) return;
    const out = [];
    for (let i = 0; i < doc.lineCount; i++) {
      const line = doc.lineAt(i);
      if (line.text.includes('NaN')) out.push(new vscode.Diagnostic(line.range, 'loss is NaN', vscode.DiagnosticSeverity.Warning));
    }
    diags.set(doc.uri, out);
  };
  context.subscriptions.push(
    diags,
    vscode.commands.registerCommand('traindxFixture.hello', () => `hello from ${process.version}`),
    vscode.commands.registerCommand('traindxFixture.showPanel', () => {
      const panel = vscode.window.createWebviewPanel('traindxFixture', 'Fixture Panel', vscode.ViewColumn.Active, {
        enableScripts: false,
      });
      panel.webview.html = '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" ' +
        'content="default-src \'none\';"></head><body><h1 id="hello">Hello from the fixture webview</h1></body></html>';
    }),
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
  );
  vscode.workspace.textDocuments.forEach(check);
}

module.exports = { activate, deactivate() {} };
