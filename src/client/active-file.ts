import * as vscode from 'vscode';

/**
 * The file the user is looking at: the active text editor's, else the active tab's. A TensorBoard
 * event file is binary: VS Code shows it in a placeholder (or our custom editor) that is no text
 * editor, but its tab still names the file.
 */
export function activeFileUri(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file') return doc.uri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri.scheme === 'file' ? input.uri : undefined;
  return undefined;
}
