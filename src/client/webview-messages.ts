/**
 * Messages between the extension host and the run view's webview (media/src). JSON only; no vscode
 * import so the webview bundle can share these types.
 */
import type { ExplainParams, ExplainResult, RunData } from '../server/protocol';

/** Data the webview keeps with setState so a reload or restart restores the same view. */
export interface PanelState {
  explain?: ExplainParams;
  /** The log whose run is shown when no finding is (status bar, command). */
  uri?: string;
  tab?: 'explain' | 'learn';
}

/** What the host posts to the webview. */
export type ToWebview =
  | { type: 'explain'; result: ExplainResult; state: PanelState }
  | { type: 'run'; run: RunData }
  | { type: 'learn'; result: ExplainResult[]; show: boolean };

/** What the webview posts back. */
export type FromWebview = { type: 'ready' } | { type: 'reveal'; file: string; line: number } | { type: 'state'; state: PanelState };
