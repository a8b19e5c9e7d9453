/**
 * A notebook's saved outputs as runs: one run per training its cells printed (formats/notebook-outputs.ts
 * cuts a cell's outputs into trainings), keyed `<file>#cell-<n>` (1-based cell, as the user counts;
 * `#cell-<n>.<k>` for the k-th training of a cell that trained more than once). Each run's config is
 * the notebook's code up to that cell: what had run when the cell ran, in the notebook's order.
 *
 * What a run's rules find on its output lines is placed on the cell's training call (`fit`/`train`),
 * where the user reads and edits it; the output line is kept as `cell.outputLine`. A cell that runs an LR
 * range test (`lr_find`, `find_learning_rate`…) gives no run: its loss is meant to blow up.
 */
import type { TrainingConfig } from '../config/training-config';
import { eventsToSink } from '../formats/event';
import { segmentsOfOutputs } from '../formats/notebook-outputs';
import { Run } from '../run/run';
import type { CellLocation, Finding } from '../types';
import { recovered } from '../recovered';
import { readNotebook } from './notebook';
import { ipynbLineOf, notebookLayout, placeOfOutput, placeOfRange, runsLrRangeTest, type NotebookLayout } from './notebook-layout';

export interface NotebookRun {
  key: string;
  run: Run;
  /** The notebook's code up to the run's cell read as a training script (undefined when it is not one). */
  config: TrainingConfig | undefined;
  /** Where the run's own findings are shown: the cell's training call. */
  place: CellLocation;
  /** The 1-based `.ipynb` line of that call. */
  line: number;
}

/** The runs of a notebook's saved outputs (none when it printed no metrics, or is not a notebook). */
export function notebookRuns(file: string, text: string): NotebookRun[] {
  try {
    return readRuns(file, text);
  } catch (err) {
    // Bad input never throws out of core: the notebook's outputs are then not read.
    recovered('notebookRuns', err);
    return [];
  }
}

function readRuns(file: string, text: string): NotebookRun[] {
  const layout = notebookLayout(text);
  if (!layout) return [];
  const out: NotebookRun[] = [];
  for (const cell of layout.cells) {
    const segments = segmentsOfOutputs(cell.outputs);
    // An LR range test's printout is the loss blowing up by design, not a training to judge.
    if (segments.length === 0 || runsLrRangeTest(cell)) continue;
    // Only the cells that printed metrics cost a read of the code before them.
    const config = readNotebook(file, text, cell.index);
    segments.forEach((events, k) => {
      const key = `${file}#cell-${cell.index + 1}${segments.length > 1 ? `.${k + 1}` : ''}`;
      const run = new Run(key);
      eventsToSink(events, run.sinkFor(file));
      const { range } = placeOfOutput(cell, k, segments.length);
      out.push({ key, run, config, place: { index: cell.index, range }, line: ipynbLineOf(cell, range.startLine) });
    });
  }
  return out;
}

/** A finding of a notebook run's rules, moved from its output line to the run's training call. */
export function onTrainingCall(f: Finding, file: string, run: NotebookRun): Finding {
  if (f.file !== file || f.range !== undefined || f.cell) return f;
  return { ...f, line: run.line, cell: { ...run.place, outputLine: f.line } };
}

/** A finding on a notebook's code (its range in the `.ipynb` text) with the cell it is in. */
export function inCell(f: Finding, layout: NotebookLayout | undefined): Finding {
  if (!layout || !f.range || f.cell) return f;
  const place = placeOfRange(layout, f.range);
  return place ? { ...f, cell: { index: place.cell, range: place.range } } : f;
}
