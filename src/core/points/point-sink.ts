/**
 * Where parsers write points without building a MetricEvent per value (the batch path). A parser
 * asks for a column once per series (a CSV header column, a printed key) and keeps it; every point
 * is then one `push`. `AnalysisWorkspace` passes the Run (run/run.ts `RunSink`); `EventSink`
 * (formats/event.ts) turns the points back into MetricEvents for `parseLine` / `parseLogText` callers.
 *
 * Below both the parsers (core/formats) and the run model (core/run), which each implement or call it.
 */
export interface PointSink {
  /** The writer for canonical `name` as written `rawName` (cheap to call again: sinks cache it). */
  column(name: string, rawName: string): PointColumn;
  /** The file was truncated/rewritten: forget the points written so far for it. */
  reset?(): void;
}

export interface PointColumn {
  push(value: number, step: number | undefined, epoch: number | undefined, line: number): void;
}
