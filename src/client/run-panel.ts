import * as crypto from 'crypto';
import * as vscode from 'vscode';
import type { ExplainParams, ExplainResult, RunData, RunDataParams } from '../shared/protocol';
import type { FromWebview, PanelState, ToWebview } from '../shared/webview-messages';
import { webviewPage } from './webview-html';

export interface PanelBackend {
  explain(params: ExplainParams): Promise<ExplainResult | null>;
  runData(params: RunDataParams): Promise<RunData | null>;
  learn(): Promise<ExplainResult[]>;
}

/** The run a panel state names: the finding's file, else the file or run it was opened on. */
function runOfState(state: PanelState): RunDataParams | undefined {
  const uri = state.explain?.uri ?? state.uri;
  if (uri) return { uri };
  return state.runKey ? { runKey: state.runKey } : undefined;
}

/**
 * The run view: the scenario's explanation beside the run's curves. One panel, reused; the webview
 * gets data only through postMessage and renders it with textContent (media/src).
 */
export class RunPanel {
  static readonly viewType = 'traindx.run';
  private static current: RunPanel | undefined;
  private state: PanelState = {};
  /** Whether the webview's current document said 'ready' (it is replaced each time a hidden panel is shown). */
  private ready = false;
  /** The last message of each kind: what a freshly loaded document is sent to show the same view. */
  private readonly last = new Map<ToWebview['type'], ToWebview>();
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly backend: PanelBackend,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = renderHtml(panel.webview, extensionUri);
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    // Without retainContextWhenHidden a hidden webview has no document and postMessage drops what is
    // sent to it; the document loaded when the panel is shown again says 'ready' and gets replay().
    panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready = false;
    }, null, this.disposables);
    panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m), null, this.disposables);
  }

  static async show(extensionUri: vscode.Uri, backend: PanelBackend, state: PanelState): Promise<RunPanel> {
    if (!RunPanel.current) {
      const panel = vscode.window.createWebviewPanel(RunPanel.viewType, vscode.l10n.t('traindx'), vscode.ViewColumn.Beside, {
        ...webviewOptions(extensionUri),
        retainContextWhenHidden: false,
      });
      RunPanel.current = new RunPanel(panel, extensionUri, backend);
    } else {
      RunPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    await RunPanel.current.load(state);
    return RunPanel.current;
  }

  /** Restores a panel VS Code kept across a reload (registered as a WebviewPanelSerializer). */
  static async revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, backend: PanelBackend, state: PanelState | undefined): Promise<void> {
    RunPanel.current = new RunPanel(panel, extensionUri, backend);
    await RunPanel.current.load(state ?? {});
  }

  /** The training run grew: redraw its curves if this panel shows it. */
  static async refresh(): Promise<void> {
    const p = RunPanel.current;
    if (!p || !p.panel.visible) return;
    const which = runOfState(p.state);
    const run = which ? await p.backend.runData(which) : null;
    if (run) p.post({ type: 'run', run });
  }

  private async load(state: PanelState): Promise<void> {
    this.state = state;
    this.last.clear(); // a replay must not mix in the previous finding's run
    const result = state.explain ? await this.backend.explain(state.explain) : null;
    if (result) {
      this.panel.title = vscode.l10n.t('traindx: {0}', result.scenario.title);
      this.post({ type: 'explain', result, state });
    }
    this.post({ type: 'learn', result: await this.backend.learn(), show: state.tab === 'learn' });
    const which = runOfState(state);
    if (!result?.run && which) {
      const run = await this.backend.runData(which);
      if (run) this.post({ type: 'run', run });
    }
  }

  private post(m: ToWebview): void {
    this.last.set(m.type, m);
    if (this.ready) void this.panel.webview.postMessage(m);
  }

  /** Sends a new document the explanation, the Learn items and the run, on the tab it was left on. */
  private replay(): void {
    const explain = this.last.get('explain');
    if (explain?.type === 'explain') void this.panel.webview.postMessage({ ...explain, state: this.state });
    const learn = this.last.get('learn');
    if (learn?.type === 'learn') void this.panel.webview.postMessage({ ...learn, show: this.state.tab === 'learn' });
    const run = this.last.get('run');
    if (run) void this.panel.webview.postMessage(run);
  }

  private onMessage(m: FromWebview): void {
    if (m.type === 'ready') {
      this.ready = true;
      this.replay();
    } else if (m.type === 'state') {
      this.state = m.state;
    } else if (m.type === 'reveal' && typeof m.file === 'string' && Number.isInteger(m.line)) {
      const uri = vscode.Uri.file(m.file);
      void vscode.window.showTextDocument(uri, { selection: new vscode.Range(m.line - 1, 0, m.line - 1, 0), viewColumn: vscode.ViewColumn.One });
    }
  }

  private dispose(): void {
    if (RunPanel.current === this) RunPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'media'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** The page: no inline script, a nonce on our one script, nothing from the network (see webview-html.ts). */
export function renderHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = crypto.randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'media', 'main.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'media', 'main.css'));
  return webviewPage({ cspSource: webview.cspSource, nonce, scriptUri: script.toString(), styleUri: style.toString() });
}
