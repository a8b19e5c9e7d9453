import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ServerInfo } from '../../../src/shared/protocol';

/**
 * The user's path, inside a real VS Code: a training job writes a log the user has not opened;
 * findings appear in the Problems panel as it grows; the flagged line's hover explains it; Explain
 * opens the run view.
 */
describe('traindx in VS Code', () => {
  const ext = vscode.extensions.getExtension('traindx.traindx');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;

  it('is installed and the workspace is open', () => {
    assert.ok(ext, 'extension traindx.traindx is present');
    assert.ok(folder, 'a workspace folder is open');
  });

  it('flags a growing, unopened log, hovers the finding and opens the explanation', async () => {
    const source = path.join(ext!.extensionPath, 'examples', 'runs', 'step-decay', 'output.log');
    const text = fs.readFileSync(source, 'utf8');
    const log = path.join(folder!, 'job-1', 'output.log');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    const uri = vscode.Uri.file(log);
    const lines = text.split('\n');
    const half = Math.floor(lines.length / 3);
    fs.writeFileSync(log, lines.slice(0, half).join('\n') + '\n');
    await ext!.activate();

    const flagged = waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'lr-schedule'));
    // The job goes on writing.
    for (let i = half; i < lines.length; i += 20) {
      fs.appendFileSync(log, lines.slice(i, i + 20).join('\n') + (i + 20 < lines.length ? '\n' : ''));
      await sleep(50);
    }
    const diags = await flagged;
    const d = diags.find((x) => codeOf(x) === 'lr-schedule')!;
    assert.equal(d.source, 'traindx');
    assert.match(d.message, /lr|learning rate/i);
    assert.ok(
      vscode.workspace.textDocuments.every((doc) => doc.uri.fsPath !== log),
      'the diagnostics came while the log was not open',
    );

    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(d.range.start.line, 1));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(hoverText, /traindx/);
    assert.match(hoverText, /command:traindx\.explain/);

    await vscode.commands.executeCommand('traindx.explain', { scenario: 'lr-schedule', uri: uri.toString(), line: d.range.start.line });
    const opened = await waitFor(() =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('traindx.run')),
    );
    assert.match(opened.label, /traindx/);
  });
});

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

function waitForDiagnostics(uri: vscode.Uri, ok: (ds: readonly vscode.Diagnostic[]) => boolean, ms = 30_000): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const ds = vscode.languages.getDiagnostics(uri);
      if (!ok(ds)) return false;
      sub.dispose();
      clearTimeout(timer);
      resolve(ds);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no matching diagnostics on ${uri.fsPath} after ${ms} ms; have: ${JSON.stringify(vscode.languages.getDiagnostics(uri))}`));
    }, ms);
    check();
  });
}

async function waitFor<T>(get: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(100);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe('traindx survives its server crashing', () => {
  it('restarts a killed language server and publishes findings again', async function () {
    this.timeout(90_000);
    const before = await vscode.commands.executeCommand<ServerInfo>('traindx.serverInfo');
    assert.ok(before && before.pid > 0);
    process.kill(before.pid, 'SIGKILL');
    // The client notices, restarts the server; a new log must be analysed by the new process.
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const ext = vscode.extensions.getExtension('traindx.traindx')!;
    const log = path.join(folder, 'job-after-crash', 'output.log');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    const uri = vscode.Uri.file(log);
    const flagged = waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'lr-schedule'), 60_000);
    const after = await waitFor(async () => {
      try {
        const info = await vscode.commands.executeCommand<ServerInfo>('traindx.serverInfo');
        return info && info.pid !== before.pid ? info : undefined;
      } catch {
        return undefined;
      }
    }, 30_000);
    assert.notEqual(after.pid, before.pid);
    fs.copyFileSync(path.join(ext.extensionPath, 'examples', 'runs', 'step-decay', 'output.log'), log);
    await flagged;
  });
});
