/**
 * Where things are in a `.ipynb` text (nbformat 4): each cell's source lines and saved outputs, with the
 * `.ipynb` line each is stored on. It answers the two questions a notebook's findings need: which cell
 * (and which line of it) a position of the `.ipynb` text is in, and which call of a cell trained (its
 * `fit`/`train`), to place there what the cell's outputs showed.
 */
import { parseTree } from 'jsonc-parser';
import type { Node as JsonNode } from 'jsonc-parser';
import { LineIndex } from '../config/tree';
import type { CellOutput, OutputLine } from '../formats/notebook-outputs';
import type { SourceRange } from '../types';
import { dottedName, parsePython, rangeOf } from './syntax';

export interface SourceLine {
  /** The line as decoded, without its newline. */
  text: string;
  /** 0-based line of the `.ipynb` text holding the JSON string of this line. */
  line: number;
  /** Offset of that JSON string's opening quote. */
  jsonOffset: number;
  /** What the same JSON string decodes to before this line (a one-string `source` holds them all). */
  prefix: string;
}

export interface LayoutCell {
  /** 0-based position among all the notebook's cells (markdown included), as an editor shows them. */
  index: number;
  kind: string;
  source: SourceLine[];
  outputs: CellOutput[];
  /** The first and last 1-based `.ipynb` lines of the outputs (0 when there are none). */
  outputLines: [number, number];
}

export interface NotebookLayout {
  cells: LayoutCell[];
  /** The `.ipynb` text and its line starts. */
  lines: LineIndex;
}

/** Where a finding is among a notebook's cells: the cell's 0-based index and the range within its source. */
export interface CellPlace {
  cell: number;
  range: SourceRange;
}

/** The cells of a notebook's text; undefined when it is not a notebook. */
export function notebookLayout(text: string): NotebookLayout | undefined {
  const root = parseTree(text);
  const cells = root?.type === 'object' ? property(root, 'cells') : undefined;
  if (!cells || cells.type !== 'array') return undefined;
  const index = new LineIndex(text);
  const lineOf = (node: JsonNode) => index.position(node.offset).line;
  const out: LayoutCell[] = [];
  (cells.children ?? []).forEach((cell, i) => {
    if (cell.type !== 'object') return;
    const kind = property(cell, 'cell_type')?.value;
    const source: SourceLine[] = [];
    for (const part of stringsOf(property(cell, 'source'))) {
      let consumed = '';
      for (const piece of (part.value as string).replace(/\n$/, '').split('\n')) {
        source.push({ text: piece, line: lineOf(part), jsonOffset: part.offset, prefix: consumed });
        consumed += `${piece}\n`;
      }
    }
    const outputs = kind === 'code' ? outputsOf(property(cell, 'outputs'), lineOf) : [];
    // A loop, not Math.min(...lines): a long training prints 100 000s of lines (too many arguments).
    let first = 0;
    let last = 0;
    for (const o of outputs) {
      for (const l of o.lines) {
        if (first === 0 || l.line < first) first = l.line;
        if (l.line > last) last = l.line;
      }
    }
    out.push({ index: i, kind: typeof kind === 'string' ? kind : 'unknown', source, outputs, outputLines: [first, last] });
  });
  return { cells: out, lines: index };
}

/** A saved output's lines: a stream's text (what was printed) or a display's `text/html` (the Trainer's table). */
function outputsOf(node: JsonNode | undefined, lineOf: (n: JsonNode) => number): CellOutput[] {
  const out: CellOutput[] = [];
  for (const o of node?.type === 'array' ? (node.children ?? []) : []) {
    if (o.type !== 'object') continue;
    const type = property(o, 'output_type')?.value;
    if (type === 'stream') {
      out.push({ kind: 'text', lines: linesOf(stringsOf(property(o, 'text')), lineOf) });
      continue;
    }
    const data = property(o, 'data');
    if (!data || data.type !== 'object') continue;
    const html = property(data, 'text/html');
    if (html) {
      out.push({ kind: 'html', lines: linesOf(stringsOf(html), lineOf) });
      continue;
    }
    // A result's text is what the cell returned (`TrainOutput(…)`, `trainer.evaluate()`'s dict, a
    // metric's value): a summary, not the progress of a training. A display's text stands for a richer output.
  }
  return out;
}

/**
 * The output's text cut at its newlines, each line on the `.ipynb` line of the string that ends it (a
 * stream saved as a list holds one line per string, or pieces of one line across strings).
 */
function linesOf(parts: JsonNode[], lineOf: (n: JsonNode) => number): OutputLine[] {
  const out: OutputLine[] = [];
  let pending = '';
  let last = 1;
  for (const part of parts) {
    const pieces = (part.value as string).split('\n');
    last = lineOf(part) + 1;
    for (let k = 0; k < pieces.length - 1; k++) {
      out.push({ text: pending + pieces[k], line: last });
      pending = '';
    }
    pending += pieces[pieces.length - 1];
  }
  if (pending !== '') out.push({ text: pending, line: last });
  return out;
}

function stringsOf(node: JsonNode | undefined): JsonNode[] {
  if (!node) return [];
  if (node.type === 'string') return [node];
  if (node.type !== 'array') return [];
  return (node.children ?? []).filter((c) => c.type === 'string' && typeof c.value === 'string');
}

function property(node: JsonNode, key: string): JsonNode | undefined {
  const prop = node.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key);
  return prop?.children?.[1];
}

/** The cell whose saved outputs hold this 1-based `.ipynb` line. */
export function cellOfOutputLine(layout: NotebookLayout, line: number): LayoutCell | undefined {
  return layout.cells.find((c) => c.outputLines[0] > 0 && c.outputLines[0] <= line && line <= c.outputLines[1]);
}

/** Calls that train: Keras and fastai `fit`, the HF Trainer's `train`, fastai's `fine_tune`/`fit_one_cycle`, PyTorch Lightning `trainer.fit`. */
const TRAINING_CALLS = new Set(['fit', 'train', 'fine_tune', 'fit_one_cycle', 'fit_flat_cos', 'fit_sgdr']);

/**
 * Calls that run an LR range test (Smith 2017): fastai `learn.lr_find()`, Lightning's `lr_find`,
 * torch-lr-finder `LRFinder(…).range_test(…)`, the `find_learning_rate` helper of Géron's Hands-On ML
 * notebooks. Such a run raises the LR until the loss blows up: its divergence is the test's end, not a
 * training that went wrong.
 */
const LR_RANGE_TEST_CALLS = new Set(['lr_find', 'find_lr', 'find_learning_rate', 'lr_finder', 'range_test']);

/**
 * The calls of a cell that trained, in order, as ranges within the cell's source (a method call on
 * something: `model.fit(…)`, `trainer.train()`; a bare `train(…)` is the notebook's own function and
 * counts too).
 */
export function trainingCallsOf(cell: LayoutCell): SourceRange[] {
  return callsNamed(cell, TRAINING_CALLS);
}

/** Whether the cell runs an LR range test (LR_RANGE_TEST_CALLS). */
export function runsLrRangeTest(cell: LayoutCell): boolean {
  return callsNamed(cell, LR_RANGE_TEST_CALLS).length > 0;
}

/** The calls of a code cell whose last name part is one of `names`, as ranges within the cell's source. */
function callsNamed(cell: LayoutCell, names: ReadonlySet<string>): SourceRange[] {
  if (cell.kind !== 'code') return [];
  // Magics and shell escapes are not Python; blanked, line numbers kept.
  const code = cell.source.map((l) => (/^\s*[%!]/.test(l.text) ? ' '.repeat(l.text.length) : l.text)).join('\n');
  // Parsing costs more than a look for the names: most cells call none of them.
  if (![...names].some((n) => code.includes(`${n}(`) || code.includes(`${n} (`))) return [];
  const src = parsePython(code);
  const out: SourceRange[] = [];
  const cursor = src.top.cursor();
  do {
    if (cursor.name !== 'CallExpression') continue;
    const callee = cursor.node.firstChild;
    const name = callee ? dottedName(src, callee) : undefined;
    if (name && names.has(name.slice(name.lastIndexOf('.') + 1))) out.push(rangeOf(src, cursor.from, callee?.to ?? cursor.to));
  } while (cursor.next());
  return out;
}

/**
 * Where in its cell a training seen in the outputs is shown: the `segment`-th training call of the cell
 * when the cell has as many calls as trainings, its first training call otherwise, or the cell's first
 * line when no call trains there (the training ran in a function defined elsewhere).
 */
export function placeOfOutput(cell: LayoutCell, segment: number, segments: number): CellPlace {
  const calls = trainingCallsOf(cell);
  const call = calls.length === segments ? calls[segment] : calls[0];
  if (call) return { cell: cell.index, range: call };
  const first = cell.source[0]?.text ?? '';
  return { cell: cell.index, range: { startLine: 0, startChar: 0, endLine: 0, endChar: first.length } };
}

/** The 1-based `.ipynb` line of a line of a cell's source (where the CLI points). */
export function ipynbLineOf(cell: LayoutCell, lineInCell: number): number {
  const l = cell.source[Math.min(lineInCell, cell.source.length - 1)];
  return l ? l.line + 1 : 1;
}

/**
 * The cell place of a range of the `.ipynb` text that lies in a cell's source (a setting a config rule
 * flagged); undefined when it is not in any cell's source. A range spanning lines of several JSON
 * strings ends where its last line does.
 */
export function placeOfRange(layout: NotebookLayout, r: SourceRange): CellPlace | undefined {
  const start = sourcePosition(layout, r.startLine, r.startChar);
  if (!start) return undefined;
  const end = sourcePosition(layout, r.endLine, r.endChar);
  const sameCell = end && end.cell === start.cell;
  return {
    cell: start.cell,
    range: { startLine: start.line, startChar: start.char, endLine: sameCell ? end.line : start.line, endChar: sameCell ? end.char : start.char },
  };
}

function sourcePosition(layout: NotebookLayout, line: number, char: number): { cell: number; line: number; char: number } | undefined {
  const offset = layout.lines.offset(line, char);
  const text = layout.lines.text;
  for (const cell of layout.cells) {
    for (let i = 0; i < cell.source.length; i++) {
      const l = cell.source[i];
      if (l.line !== line) continue;
      // The decoded characters of this string up to `offset`: JSON escapes (`\"`, `\n`, `\u00e9`) count as one.
      const decoded = decodedLength(text, l.jsonOffset + 1, offset);
      if (decoded === undefined) continue;
      const inLine = decoded - l.prefix.length;
      if (inLine < 0 || inLine > l.text.length) continue;
      return { cell: cell.index, line: i, char: inLine };
    }
  }
  return undefined;
}

/**
 * How many characters the JSON string content `text[from, to)` decodes to (an escape, `\"` or
 * `\u00e9`, is one; an escape cut at `to` is not counted). Undefined when the span leaves the string.
 */
function decodedLength(text: string, from: number, to: number): number | undefined {
  let n = 0;
  for (let i = from; i < to; ) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 10) return undefined;
    if (c !== 92) {
      i++;
    } else {
      const width = text[i + 1] === 'u' ? 6 : 2;
      if (i + width > to) break;
      i += width;
    }
    n++;
  }
  return n;
}
