import type { MetricEvent } from '../types';
import type { PointSink } from '../points/point-sink';

/** Ids reported in the CLI's `files[].format` (findings contract). */
export type FormatId =
  | 'plain'
  | 'hf-console'
  | 'lightning-csv'
  | 'keras-csv'
  | 'timm-csv'
  | 'ultralytics-csv'
  | 'yolo-results-txt'
  | 'ultralytics-console'
  | 'fastai-csv'
  | 'generic-csv'
  | 'tsv'
  | 'hf-trainer-state'
  | 'jsonl'
  | 'json-history'
  | 'detectron2-json'
  | 'mmengine-json'
  | 'mmengine-log'
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

// The sink parsers write into lives below formats and run (which both use it): points/point-sink.ts.
export type { PointColumn, PointSink } from '../points/point-sink';

/** A line parser that writes into a sink (the same points `parseLine` returns, in the same order). */
export interface SinkLineParser extends LineParser {
  parseLineTo(line: string, lineNo: number, sink: PointSink): void;
}

/**
 * A line parser that reads bytes: `buf[start, end)` holds whole lines, each ended by `\n` (the last
 * may end at `end` instead). Returns the number of lines read. Points and line numbers are the same as
 * `parseLine` over the UTF-8 decoded lines with one trailing `\r` removed and empty lines skipped.
 */
export interface ByteLineParser extends SinkLineParser {
  parseBytes(buf: Uint8Array, start: number, end: number, firstLineNo: number, sink: PointSink): number;
}

/**
 * A byte-line parser whose state between two lines can be carried to a fresh parser of the same format
 * (in a worker thread), so that ranges of one large file are read in parallel (core/parallel): each
 * range is read by a parser restored from the state at the start of the file's data, and is kept only
 * if that state is still the same at its end (a CSV table without a second header).
 */
export interface SplittableParser extends ByteLineParser {
  /** The state to start a range with, as plain data (structured-cloneable); undefined: not yet splittable. */
  checkpoint(): ParserCheckpoint | undefined;
  /** Puts a fresh parser into the state `checkpoint` returned. */
  restore(state: ParserCheckpoint): void;
}

/** A SplittableParser's state as plain data (strings, numbers, arrays and objects of them). */
export type ParserCheckpoint = Readonly<Record<string, unknown>>;

export function isSplittableParser(p: object): p is SplittableParser {
  const s = p as Partial<SplittableParser>;
  return typeof s.checkpoint === 'function' && typeof s.restore === 'function' && isByteParser(p);
}

export function isSinkParser(p: object): p is SinkLineParser {
  return typeof (p as Partial<SinkLineParser>).parseLineTo === 'function';
}

export function isByteParser(p: object): p is ByteLineParser {
  return typeof (p as Partial<ByteLineParser>).parseBytes === 'function';
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
