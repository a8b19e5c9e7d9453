/* global require, describe, it, Buffer */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by mocha in the extension host */
const assert = require('assert');
const vscode = require('vscode');

describe('harness fixture', () => {
  it('runs in a Node extension host with the extension active', async () => {
    const ext = vscode.extensions.getExtension('traindx-test.traindx-harness-fixture');
    assert.ok(ext, 'fixture extension not loaded');
    await ext.activate();
    const reply = await vscode.commands.executeCommand('traindxFixture.hello');
    assert.match(reply, /^hello from v\d+/);
    console.log(`    ext host ${process.version}, remoteName=${vscode.env.remoteName}, uiKind=${vscode.env.uiKind}`);
  });

  it('sees a diagnostic on a .log file in the opened workspace', async () => {
    const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    assert.ok(folder, 'no workspace folder opened');
    const uri = vscode.Uri.joinPath(folder.uri, 'train.log');
    const changed = new Promise((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) { sub.dispose(); resolve(); }
      });
    });
    await vscode.window.showTextDocument(uri);
    if (vscode.languages.getDiagnostics(uri).length === 0) await changed;
    const diags = vscode.languages.getDiagnostics(uri);
    assert.deepStrictEqual(diags.map((d) => d.range.start.line), [2]);
  });

  it('reads the expected marker from the workspace (workspace-fail makes this fail)', async () => {
    const folder = vscode.workspace.workspaceFolders[0];
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, 'expect.txt'));
    assert.strictEqual(Buffer.from(bytes).toString('utf8').trim(), 'pass');
  });
});
