import * as crypto from 'crypto';
import * as vscode from 'vscode';
import type { ExplainParams, ExplainResult, RunData, RunDataParams } from '../shared/protocol';
import type { FromWebview, PanelState, ToWebview } from '../shared/webview-messages';
import { isBinaryLog } from './run-groups';
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
  /** The panel the commands show and reuse. */
  private static current: RunPanel | undefined;
  /** Every open run view: the commands' panel and those opened on TensorBoard files (tensorboard-editor.ts). */
  private static readonly open = new Set<RunPanel>();
  private state: PanelState = {};
  /** Whether the webview's current document said 'ready' (it is replaced each time a hidden panel is shown). */
  private ready = false;
  /** What the panel shows and the Learn items: what a freshly loaded document is sent to show the same view. */
  private shown: Extract<ToWebview, { type: 'show' }> | undefined;
  private learn: ExplainResult[] | undefined;
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
    RunPanel.open.add(this);
  }

  static async show(extensionUri: vscode.Uri, backend: PanelBackend, state: PanelState): Promise<RunPanel> {
    if (!RunPanel.current) {
      const panel = vscode.window.createWebviewPanel(RunPanel.viewType, vscode.l10n.t('traindx'), vscode.ViewColumn.Beside, {
        ...webviewOptions(extensionUri),
        retainContextWhenHidden: false,
      });
      RunPanel.current = new RunPanel(panel, extensionUri, backend);
    } else {
      // In the column it is already in: "beside" the active group would open one more column each time.
      RunPanel.current.panel.reveal(undefined, true);
    }
    await RunPanel.current.load(state);
    return RunPanel.current;
  }

  /** Restores a panel VS Code kept across a reload (registered as a WebviewPanelSerializer). */
  static async revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, backend: PanelBackend, state: PanelState | undefined): Promise<void> {
    RunPanel.current = new RunPanel(panel, extensionUri, backend);
    await RunPanel.current.load(state ?? {});
  }

  /** Shows a run in a panel VS Code made for us (the custom editor of a TensorBoard file); not reused by the commands. */
  static async attach(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, backend: PanelBackend, state: PanelState): Promise<void> {
    await new RunPanel(panel, extensionUri, backend).load(state);
  }

  /** The training runs grew: redraw the curves of every visible run view. */
  static async refresh(): Promise<void> {
    await Promise.all([...RunPanel.open].map((p) => p.refreshRun()));
  }

  private async refreshRun(): Promise<void> {
    if (!this.panel.visible) return;
    const which = runOfState(this.state);
    const run = which ? await this.backend.runData(which) : null;
    if (!run || !this.shown) return;
    this.shown = { ...this.shown, run };
    this.post({ type: 'run', run });
  }

  private async load(opened: PanelState): Promise<void> {
    // A new subject keeps the Learn tab's answers.
    const state: PanelState = { ...opened, quiz: opened.quiz ?? this.state.quiz };
    this.state = state;
    const explain = state.explain ? await this.backend.explain(state.explain) : null;
    if (explain) this.panel.title = vscode.l10n.t('traindx: {0}', explain.scenario.title);
    const which = runOfState(state);
    const run = explain?.run ?? (which ? await this.backend.runData(which) : null);
    if (!explain) this.panel.title = run ? vscode.l10n.t('traindx: {0}', run.label) : vscode.l10n.t('traindx');
    this.shown = { type: 'show', state, explain, run };
    this.post(this.shown);
    // The scenarios do not change while the extension runs: read once.
    if (!this.learn) {
      this.learn = await this.backend.learn();
      this.post({ type: 'learn', result: this.learn });
    }
  }

  private post(m: ToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }

  /** Sends a new document what the panel shows, on the tab it was left on, and the Learn items. */
  private replay(): void {
    if (this.shown) void this.panel.webview.postMessage({ ...this.shown, state: this.state });
    if (this.learn) void this.panel.webview.postMessage({ type: 'learn', result: this.learn });
  }

  private onMessage(m: FromWebview): void {
    if (m.type === 'ready') {
      this.ready = true;
      this.replay();
    } else if (m.type === 'state') {
      this.state = m.state;
    } else if (m.type === 'explain' && typeof m.scenario === 'string' && typeof m.file === 'string' && Number.isInteger(m.line)) {
      const explain = { scenario: m.scenario as ExplainParams['scenario'], uri: vscode.Uri.file(m.file).toString(), line: m.line - 1 };
      void this.load({ ...this.state, explain, tab: 'explain' });
    } else if (m.type === 'reveal' && typeof m.file === 'string' && Number.isInteger(m.line) && !isBinaryLog(m.file)) {
      // (A TensorBoard file has no line to show: its run view is where its events are.)
      const uri = vscode.Uri.file(m.file);
      void vscode.window.showTextDocument(uri, { selection: new vscode.Range(m.line - 1, 0, m.line - 1, 0), viewColumn: vscode.ViewColumn.One });
    }
  }

  private dispose(): void {
    if (RunPanel.current === this) RunPanel.current = undefined;
    RunPanel.open.delete(this);
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
