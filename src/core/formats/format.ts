import type { MetricEvent } from '../types';

/** Ids reported in the CLI's `files[].format` (findings contract). */
export type FormatId =
  | 'plain'
  | 'hf-console'
  | 'lightning-csv'
  | 'keras-csv'
  | 'timm-csv'
  | 'ultralytics-csv'
  | 'fastai-csv'
  | 'generic-csv'
  | 'hf-trainer-state'
  | 'jsonl'
  | 'detectron2-json'
  | 'mmengine-json'
  | 'llamafactory-jsonl'
  | 'tensorboard'
  | 'mlflow';

/**
 * A parser of complete lines. It may keep state between lines (a CSV header, the current epoch of a
 * printed log); `reset()` returns it to the state before the first line (file truncated/rewritten).
 */
export interface LineParser {
  parseLine(line: string, lineNo: number): MetricEvent[];
}

/**
 * A parser of a whole document that its writer rewrites at once (HF trainer_state.json). Called with
 * the full text each time the file changes; the caller replaces the file's previous points.
 */
export interface DocumentParser {
  parseDocument(text: string): MetricEvent[];
}

/** A parser of binary records (TensorBoard). Bytes arrive in arbitrary chunks. */
export interface ChunkParser {
  /** Consumes bytes; returns the events of every complete record. Incomplete tails are kept. */
  push(bytes: Uint8Array): MetricEvent[];
  /** Human-readable notes on skipped data (bad CRC, unknown record) since the last call. */
  drainMessages(): string[];
}

interface FormatBase {
  id: FormatId;
  /**
   * Confidence in [0, 1] that a file with this name (basename or path) and these first bytes is in
   * this format. The highest confidence above 0 wins.
   */
  sniff(path: string, head: string): number;
}

export interface LineFormat extends FormatBase {
  kind: 'lines';
  createParser(path: string): LineParser;
}
export interface DocumentFormat extends FormatBase {
  kind: 'document';
  createParser(path: string): DocumentParser;
}
export interface ChunkFormat extends FormatBase {
  kind: 'chunks';
  createParser(path: string): ChunkParser;
}

export type LogFormat = LineFormat | DocumentFormat | ChunkFormat;
