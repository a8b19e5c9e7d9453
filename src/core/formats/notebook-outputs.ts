/**
 * The saved outputs of a notebook's code cells read as training logs: what `fit`/`train` printed while
 * the cell ran, kept in the `.ipynb` by Jupyter.
 *
 * - Text outputs (stdout/stderr streams) are printed logs: Keras `fit`
 *   (`Epoch 3/50` then `… - loss: 0.31 - val_loss: 0.45`, with the `\r`/`\b` progress-bar residue a
 *   saved stream keeps), plain prints, and the HF Trainer's dict prints (`{'loss': …, 'epoch': …}`)
 *   are read by the same parsers as a log file (plain.ts, hf-console.ts).
 * - HTML outputs: the HF Trainer's progress table (`NotebookProgressCallback`: Epoch or Step, Training
 *   Loss, Validation Loss, then the eval metrics, `eval_` dropped and title-cased) and fastai's
 *   (`epoch train_loss valid_loss <metrics> time`). Any other HTML table (a DataFrame) is not a log.
 *
 * A notebook usually trains more than once (a baseline, then a better model; freeze then unfreeze), so
 * what a cell printed is cut into segments, one per training: a new segment starts at each HTML table
 * and wherever the printed epoch goes back (`Epoch 1/16` after `Epoch 4/4`). Each segment is a run of
 * its own; mixing them would read two trainings as one.
 *
 * Every value keeps the 1-based line of the `.ipynb` text its output line is stored on.
 */
import type { MetricEvent } from '../types';
import { canonicalName } from '../run/names';
import { ev } from './event';
import { hfConsole } from './hf-console';
import { PlainParser } from './plain';
import { parseNumber } from './numbers';

/** One line of a saved output and the 1-based line of the `.ipynb` text holding it. */
export interface OutputLine {
  text: string;
  line: number;
}

export interface CellOutput {
  /** `text`: a stream (what was printed); `html`: a display's `text/html`. */
  kind: 'text' | 'html';
  lines: OutputLine[];
}

/** The values one training printed in one cell. */
export type OutputSegment = MetricEvent[];

/** The trainings a cell's outputs show, in order (none when it printed no metrics). */
export function segmentsOfOutputs(outputs: readonly CellOutput[]): OutputSegment[] {
  const segments: OutputSegment[] = [];
  let current: MetricEvent[] = [];
  let lastEpoch: number | undefined;
  const close = () => {
    // A print without a loss (a metric computed once, a dataset's size) is no training's progress.
    if (current.some((e) => /loss/i.test(e.name))) segments.push(current);
    current = [];
    lastEpoch = undefined;
  };
  const plain = new PlainParser();
  const dicts = hfConsole.createParser('');
  for (const output of outputs) {
    if (output.kind === 'html') {
      const table = trainerTable(output.lines);
      if (table.some((e) => /loss/i.test(e.name))) {
        close();
        segments.push(table);
      }
      continue;
    }
    for (const { text, line } of output.lines) {
      const events = text.includes("{'") ? dicts.parseLine(text, line) : plain.parseLine(text, line);
      for (const e of events) {
        if (e.epoch !== undefined) {
          // A printed epoch going back is the next training starting (its context restarts too).
          if (lastEpoch !== undefined && e.epoch < lastEpoch) close();
          lastEpoch = e.epoch;
        }
        current.push(e);
      }
    }
  }
  close();
  return segments;
}

/** A Trainer table of thousands of rows is ~1 MB; a larger HTML output is not one (and the row search stays linear-bounded). */
const MAX_TABLE_HTML = 4 * 1024 * 1024;
const MAX_ROW_HTML = 64 * 1024;
const CELL = /<t([hd])\b[^>]*>([\s\S]*?)<\/t[hd]>/gi;

/**
 * The rows of a Trainer/fastai progress table. The HTML is joined (the table spans many output lines);
 * each value keeps the line its `<td>` is on. Only a table whose first column is the epoch or step and
 * that has a loss column is read: any other table is data, not a training log.
 */
function trainerTable(lines: readonly OutputLine[]): MetricEvent[] {
  let html = '';
  const starts: { at: number; line: number }[] = [];
  for (const l of lines) {
    starts.push({ at: html.length, line: l.line });
    html += l.text;
    if (html.length > MAX_TABLE_HTML) return [];
  }
  if (!/<th\b[^>]*>\s*(?:epoch|step)\s*<\/th>/i.test(html)) return [];
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid].at <= offset) lo = mid;
      else hi = mid - 1;
    }
    return starts[lo]?.line ?? 1;
  };
  const out: MetricEvent[] = [];
  let header: string[] | undefined;
  for (const row of rowsOf(html)) {
    const cells = [...row.html.matchAll(CELL)].map((c) => ({ th: c[1].toLowerCase() === 'h', text: stripTags(c[2]), at: row.at + (c.index ?? 0) }));
    if (cells.length === 0) continue;
    if (!header) {
      if (!cells.every((c) => c.th)) return out;
      header = cells.map((c) => c.text);
      if (!/^(?:epoch|step)$/i.test(header[0]) || !header.some((h) => /loss/i.test(h))) return out;
      continue;
    }
    const first = parseNumber(cells[0].text);
    if (first === undefined) continue;
    const byEpoch = /^epoch$/i.test(header[0]);
    // fastai numbers epochs from 0, the Trainer from 1: kept as written, as the user sees them.
    const epoch = byEpoch ? first : undefined;
    const step = byEpoch ? undefined : first;
    for (let i = 1; i < cells.length && i < header.length; i++) {
      const raw = columnName(header[i]);
      if (raw === undefined) continue;
      // "No log" (no training loss logged yet at that evaluation) and times are not values.
      const value = parseNumber(cells[i].text);
      if (value === undefined) continue;
      out.push(ev(canonicalName(raw), raw, value, step, epoch, lineAt(cells[i].at)));
    }
  }
  return out;
}

/**
 * The logged key a column stands for: Trainer `Training Loss` → `loss`, `Validation Loss` →
 * `eval_loss`, a metric (`Accuracy`, `Matthews Correlation`) → `eval_accuracy`: the Trainer's table
 * shows evaluation metrics only. fastai writes the keys themselves (`train_loss`, `valid_loss`) and
 * its metrics are validation metrics too. Undefined for columns that are not metrics (time).
 */
function columnName(header: string): string | undefined {
  const key = header.trim().toLowerCase().replace(/\s+/g, '_');
  if (key === '' || key === 'time' || key === 'epoch' || key === 'step') return undefined;
  if (key === 'training_loss') return 'loss';
  if (key === 'validation_loss') return 'eval_loss';
  if (key === 'train_loss' || key === 'valid_loss') return key;
  if (/^(?:train|training)_/.test(key)) return key;
  return key.startsWith('eval_') || key.startsWith('valid_') ? key : `eval_${key}`;
}

/** Each `<tr>…</tr>`, found with indexOf (each character is looked at a bounded number of times). */
function* rowsOf(html: string): Generator<{ html: string; at: number }> {
  const lower = html.toLowerCase();
  let from = 0;
  let end = -1;
  for (;;) {
    const start = lower.indexOf('<tr', from);
    if (start < 0) return;
    if (end < start) end = lower.indexOf('</tr>', start);
    if (end < 0) return;
    const next = lower.indexOf('<tr', start + 3);
    // An unclosed row ends where the next one starts.
    const stop = next >= 0 && next < end ? next : end;
    // A row of a real table is short; a huge one is not read (its cell search would be quadratic).
    if (stop - start <= MAX_ROW_HTML) yield { html: html.slice(start, stop), at: start };
    from = stop;
  }
}

function stripTags(s: string): string {
  return s.replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').trim();
}
