import * as vscode from 'vscode';
import type { PanelState } from '../shared/webview-messages';
import { RunPanel, type PanelBackend } from './run-panel';

/**
 * Opens a TensorBoard event file as its run view. It is binary: VS Code would show its "binary file"
 * placeholder, which is where a click on one of its findings in Problems used to land (issue 12). The
 * view explains the file's first finding and marks every finding on the curves.
 */
export function registerTensorBoardEditor(extensionUri: vscode.Uri, backend: PanelBackend): vscode.Disposable {
  const provider: vscode.CustomReadonlyEditorProvider = {
    openCustomDocument: (uri) => ({ uri, dispose: () => undefined }),
    resolveCustomEditor: async (document, panel) => {
      const uri = document.uri.toString();
      const run = await backend.runData({ uri });
      const inFile = run?.findings.find((f) => vscode.Uri.file(f.file).toString() === uri);
      const state: PanelState = inFile
        ? { explain: { scenario: inFile.scenario, uri, line: inFile.line - 1 }, uri, tab: 'explain' }
        : { uri, tab: 'explain' };
      await RunPanel.attach(panel, extensionUri, backend, state);
    },
  };
  return vscode.window.registerCustomEditorProvider('traindx.tensorboard', provider, { supportsMultipleEditorsPerDocument: true });
}
