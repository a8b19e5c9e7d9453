import * as fs from 'fs';
import * as vscode from 'vscode';
import { copyExamplesKeepingEdits } from './examples-copy';

/**
 * Opens the example runs shipped in the extension (real CPU training runs, see examples/README.md).
 * They are copied to the extension's storage first: the installed extension folder is read-only in
 * some setups, and the runs are meant to be poked at (append lines, apply quick fixes).
 */
export async function openExamples(context: vscode.ExtensionContext): Promise<void> {
  const source = vscode.Uri.joinPath(context.extensionUri, 'examples', 'runs');
  if (!fs.existsSync(source.fsPath)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The example runs are not part of this installation.'));
    return;
  }
  const target = vscode.Uri.joinPath(context.globalStorageUri, 'example-runs');
  const existed = await copyExamplesKeepingEdits(source.fsPath, target.fsPath);
  const choice = await vscode.window.showInformationMessage(
    existed
      ? vscode.l10n.t('The example runs are in {0} (your changes to them are kept).', target.fsPath)
      : vscode.l10n.t('traindx copied the example runs to {0}.', target.fsPath),
    vscode.l10n.t('Open in New Window'),
    vscode.l10n.t('Add to Workspace'),
  );
  if (choice === vscode.l10n.t('Open in New Window')) await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: true });
  else if (choice === vscode.l10n.t('Add to Workspace')) vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: target, name: 'traindx examples' });
}
