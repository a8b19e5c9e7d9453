/**
 * traindx's own LSP messages: one typed object per request and notification, used by the server
 * (src/server/server.ts), the client (src/client/connection.ts) and the tests. The parameter and
 * result shapes are plain JSON: the same objects go on to the webview through postMessage.
 *
 * Imports: the message classes of `vscode-languageserver-protocol` (its environment-free entry, which
 * is vscode-jsonrpc's common API: no Node transport, no client or server), and types only from the
 * core. Only the language-client bundle (dist/client-lsp.js) and the server import the objects; the
 * activation bundle and the webview import types alone, which esbuild erases.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { RunData, RunSummary } from '../core/query/types';
import type { Scenario } from '../core/scenarios/scenario';
import type { Finding, ScenarioId } from '../core/types';

export type { Marker, RunData, RunSummary, SeriesData } from '../core/query/types';

/** Which run to read: the run of a file (a log, or a config beside a run's log), or a run by key. */
export type RunDataParams = { uri: string } | { runKey: string };

/** The run's curves, findings and markers; null when no run is known for what the params name. */
export const RunDataRequest = new RequestType<RunDataParams, RunData | null, void>('traindx/runData');

export interface ExplainParams {
  scenario: ScenarioId;
  /** The log or config the finding is in, when the explanation is opened from a finding. */
  uri?: string;
  /** 0-based line of the finding. */
  line?: number;
}

export interface ExplainResult {
  scenario: Scenario;
  finding?: Finding;
  run?: RunData;
  /** For `ensemble`: every sibling run of the group, to overlay their curves. */
  group?: RunData[];
  /** The finding's file relative to its workspace folder, for display. */
  findingLabel?: string;
}

/** A scenario's explanation, with the finding and run it was opened from; null for an unknown scenario. */
export const ExplainRequest = new RequestType<ExplainParams, ExplainResult | null, void>('traindx/explain');

/** Every run followed, for the runs tree. */
export const RunsRequest = new RequestType0<RunSummary[], void>('traindx/runs');

/** What `traindx: Show Server Info` prints: which process analyses, and how much it follows. */
export interface ServerInfo {
  pid: number;
  version: string;
  node: string;
  watchedFiles: number;
  runs: number;
  ruleErrors: { rule: string; message: string }[];
}

export const ServerInfoRequest = new RequestType0<ServerInfo, void>('traindx/serverInfo');

/** A run's progress for the status bar; `findings` counts what Problems lists (no hints). */
export interface RunStatus {
  runKey: string;
  epoch?: number;
  bestValLoss?: number;
  findings: number;
}

export interface StatusParams {
  watchedFiles: number;
  runs: number;
  /** Findings Problems lists (errors, warnings, infos: VS Code does not list hints). */
  findings: number;
  /** Set when the watcher stopped at its file limit. */
  limitReached?: boolean;
  /**
   * The most recently updated run (a fact pushed to the client, not request state): the status bar
   * shows it when the active editor is no run's file.
   */
  activeRun?: RunStatus;
}

/** The status of the run a file (the active editor's) belongs to; null when it is no run's. */
export const RunStatusRequest = new RequestType<RunDataParams, RunStatus | null, void>('traindx/runStatus');

/** Sent after each publication of diagnostics and when the watcher's state changes. */
export const StatusNotification = new NotificationType<StatusParams>('traindx/status');

/** What a diagnostic carries in `data`, for hovers, quick fixes and the run view. */
export interface DiagnosticData {
  scenario: ScenarioId;
  rule: string;
  evidence: Finding['evidence'];
}

/** The requests the client makes, as typed calls (src/client/connection.ts implements them). */
export interface TraindxRequests {
  runData(params: RunDataParams): Promise<RunData | null>;
  explain(params: ExplainParams): Promise<ExplainResult | null>;
  runs(): Promise<RunSummary[]>;
  runStatus(params: RunDataParams): Promise<RunStatus | null>;
  serverInfo(): Promise<ServerInfo>;
}
