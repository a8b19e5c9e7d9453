/**
 * Messages between the extension host (src/client/run-panel.ts) and the run view's webview
 * (media/src). JSON only, as a discriminated union on `type`; types only, so the webview bundle
 * shares them without any runtime import.
 */
import type { ExplainParams, ExplainResult, RunData } from './protocol';

/** Data the webview keeps with setState so a reload or restart restores the same view. */
export interface PanelState {
  explain?: ExplainParams;
  /** The log or config whose run is shown when no finding is (active editor, runs view). */
  uri?: string;
  /** The run shown when no file names it (the status bar's active run). */
  runKey?: string;
  tab?: 'explain' | 'learn';
  /** The Learn tab's answers so far: quiz item id → the user's True/False. */
  quiz?: Record<string, boolean>;
}

/**
 * What the host posts to the webview: `show` replaces what the panel shows (a new finding, run or
 * tab), `run` is fresh data for the run shown (it grew), `learn` the scenarios of the Learn tab.
 */
export type ToWebview =
  | { type: 'show'; state: PanelState; explain: ExplainResult | null; run: RunData | null }
  | { type: 'run'; run: RunData }
  | { type: 'learn'; result: ExplainResult[] };

/** What the webview posts back. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'reveal'; file: string; line: number }
  | { type: 'state'; state: PanelState }
  /** Explain one of the run's findings (the run view was opened on a run, not on a finding). */
  | { type: 'explain'; scenario: string; file: string; line: number };
