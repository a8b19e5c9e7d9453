/**
 * Custom requests between the client and the language server, and the shapes they carry. Plain JSON
 * only: the same objects go on to the webview through postMessage.
 */
import type { Finding, ScenarioId } from '../core/types';
import type { Scenario } from '../core/scenarios/scenario';

export const RunDataRequest = 'traindx/runData';
export const ExplainRequest = 'traindx/explain';
export const StatusNotification = 'traindx/status';
export const RunsRequest = 'traindx/runs';
export const ServerInfoRequest = 'traindx/serverInfo';

/** What `traindx: Show Server Info` prints: which process analyses, and how much it follows. */
export interface ServerInfo {
  pid: number;
  version: string;
  node: string;
  watchedFiles: number;
  runs: number;
  ruleErrors: { rule: string; message: string }[];
}

/** One run in the runs tree: what it is, how far it got, and its findings. */
export interface RunSummary {
  runKey: string;
  files: string[];
  points: number;
  lastEpoch?: number;
  bestValLoss?: number;
  findings: Finding[];
}

export interface SeriesData {
  name: string;
  /** Names as written in the log, for labels. */
  rawNames: string[];
  /** x: epoch when known for every point, else step, else index. */
  xKind: 'epoch' | 'step' | 'index';
  x: number[];
  /** NaN/Infinity are sent as null (JSON has neither). */
  y: (number | null)[];
}

/** A finding placed on the x axis of the plots (the point written on the finding's line). */
export interface Marker {
  x: number;
  xKind: SeriesData['xKind'];
  scenario: ScenarioId;
  label: string;
  file: string;
  line: number;
}

export interface RunData {
  runKey: string;
  /** The run key as the user knows it: relative to its workspace folder. */
  label: string;
  files: string[];
  series: SeriesData[];
  findings: Finding[];
  markers: Marker[];
}

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

export interface StatusParams {
  watchedFiles: number;
  runs: number;
  findings: number;
  /** Set when the watcher stopped at its file limit. */
  limitReached?: boolean;
  /** The most recently updated run, for the status bar. */
  activeRun?: { runKey: string; epoch?: number; bestValLoss?: number; findings: number };
}

/** What a diagnostic carries in `data`, for hovers, quick fixes and the run view. */
export interface DiagnosticData {
  scenario: ScenarioId;
  rule: string;
  evidence: Finding['evidence'];
}
