/**
 * What the run queries answer: plain JSON, so the same objects cross the LSP connection and reach the
 * webview through postMessage unchanged.
 */
import type { Finding, ScenarioId } from '../types';

/** One run as a list of runs shows it: what it is, how far it got, and its findings. */
export interface RunSummary {
  runKey: string;
  files: string[];
  points: number;
  lastEpoch?: number;
  bestValLoss?: number;
  findings: Finding[];
}

/** How an x axis is numbered: epoch when known for every point, else step, else the point's index. */
export type XKind = 'epoch' | 'step' | 'index';

/** A scalar series of a run, without its points (TensorBoard's `list_scalars`). */
export interface ScalarInfo {
  name: string;
  /** Names as written in the log, for labels. */
  rawNames: string[];
  points: number;
  xKind: XKind;
}

/** A scalar series' points, decimated (TensorBoard's `read_scalars`). */
export interface SeriesData {
  name: string;
  /** Names as written in the log, for labels. */
  rawNames: string[];
  xKind: XKind;
  x: number[];
  /** NaN/Infinity are sent as null (JSON has neither). */
  y: (number | null)[];
}

/** A finding placed on the x axis of the plots (the point written on the finding's line). */
export interface Marker {
  x: number;
  xKind: XKind;
  scenario: ScenarioId;
  label: string;
  file: string;
  line: number;
}

/** Everything the run view draws of one run. */
export interface RunData {
  runKey: string;
  /** The run key as the user knows it (the server makes it relative to its workspace folder). */
  label: string;
  files: string[];
  series: SeriesData[];
  findings: Finding[];
  markers: Marker[];
}

/** How far a run got: its last epoch and best validation loss, when logged. */
export interface RunProgress {
  lastEpoch?: number;
  bestValLoss?: number;
}
