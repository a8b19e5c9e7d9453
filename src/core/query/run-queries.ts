import * as path from 'path';
import type { Finding } from '../types';
import type { AnalysisWorkspace } from '../workspace';
import { progressOf } from './progress';
import { runData } from './run-data';
import { MAX_POINTS, scalarInfo, seriesData } from './series-data';
import type { RunData, RunProgress, RunSummary, ScalarInfo, SeriesData } from './types';

/**
 * Read-only questions about the runs an AnalysisWorkspace holds, in the spirit of TensorBoard's
 * DataProvider (tensorboard/data/provider.py: list_runs, list_scalars, read_scalars): list the runs,
 * list a run's scalar series, read a series decimated, and a run's findings. Every question names its
 * run; nothing here remembers the last one asked about.
 */
export class RunQueries {
  constructor(private readonly workspace: AnalysisWorkspace) {}

  /** Every run, sorted by key, with how far it got and its findings. */
  listRuns(): RunSummary[] {
    return this.workspace
      .runKeys()
      .sort()
      .flatMap((runKey) => {
        const run = this.workspace.run(runKey);
        if (!run) return [];
        return [{ runKey, files: [...run.files], points: run.pointCount(), ...progressOf(run), findings: this.findings(runKey) }];
      });
  }

  /**
   * The run a file belongs to: a log's own run, or for any other file (a config) the first run read
   * that has a log beside or below it.
   */
  runKeyOf(file: string): string | undefined {
    if (this.workspace.hasLog(file)) return this.workspace.runKeyOfFile(file);
    const dir = path.dirname(file) + path.sep;
    return this.workspace.runKeys().find((k) => this.workspace.run(k)?.files.some((f) => f.startsWith(dir)));
  }

  /** The scalar series of a run, without their points (empty for an unknown run). */
  listScalars(runKey: string): ScalarInfo[] {
    const run = this.workspace.run(runKey);
    if (!run) return [];
    return run.names().flatMap((n) => {
      const s = run.series(n);
      return s ? [scalarInfo(s)] : [];
    });
  }

  /** The points of some series of a run (all when `names` is not given), at most `maxPoints` each. */
  readScalars(runKey: string, names?: readonly string[], maxPoints = MAX_POINTS): SeriesData[] {
    const run = this.workspace.run(runKey);
    if (!run) return [];
    return (names ?? run.names()).flatMap((n) => {
      const s = run.series(n);
      return s ? [seriesData(s, maxPoints)] : [];
    });
  }

  /** The findings in a run's log files (config findings point into the config, not the run). */
  findings(runKey: string): Finding[] {
    const run = this.workspace.run(runKey);
    if (!run) return [];
    // The runs of one notebook share its file: a notebook run's findings are those of its own cell.
    const cell = this.workspace.notebookCellOfRun(runKey);
    return this.workspace.findings().filter((f) => run.files.includes(f.file) && (cell === undefined || f.cell?.index === cell));
  }

  progress(runKey: string): RunProgress | undefined {
    const run = this.workspace.run(runKey);
    return run ? progressOf(run) : undefined;
  }

  /** Everything the run view draws of a run; `label` is how the user knows its key. */
  runData(runKey: string, label: string): RunData | undefined {
    const run = this.workspace.run(runKey);
    return run ? runData(runKey, label, run, this.findings(runKey)) : undefined;
  }
}
