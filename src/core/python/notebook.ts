/**
 * Jupyter notebooks (nbformat 4 `.ipynb`) as training scripts: the code cells, in order, are one
 * script (an optimizer defined in cell 3 and its scheduler in cell 5 read together). Every setting's
 * range is mapped back into the `.ipynb` text (the JSON string of the cell's source line), where the
 * CLI reports it; `cellLineOf` maps a line of the concatenated code to its cell and line for an editor
 * that shows cells as documents of their own.
 *
 * IPython magics and shell escapes (`%pip install …`, `!nvidia-smi`) are not Python: their lines are
 * blanked (same line count, so positions stay put) before parsing.
 */
import { parseTree } from 'jsonc-parser';
import type { Node as JsonNode } from 'jsonc-parser';
import type { Setting, TrainingConfig } from '../config/training-config';
import { LineIndex } from '../config/tree';
import type { SourceRange } from '../types';
import { readPythonScript } from './read-script';
import { recovered } from '../recovered';

/** One line of the concatenated code: which cell it came from, and where its JSON string is. */
interface CodeLine {
  cell: number;
  lineInCell: number;
  /** Offset of the JSON string literal (its opening quote) holding this line in the `.ipynb` text. */
  jsonOffset: number;
  /** The line as decoded (without its newline). */
  text: string;
  /** What the same JSON string decodes to before this line (a single-string `source` holds several lines). */
  prefix: string;
}

export interface NotebookCode {
  /** The code cells joined, one `\n` between cells. */
  code: string;
  lines: CodeLine[];
}

export function isNotebookFile(file: string): boolean {
  return /\.ipynb$/i.test(file);
}

/**
 * The code of a notebook's code cells (those up to cell index `throughCell` when given: what had run
 * when that cell ran, in the notebook's order); undefined when the text is not a notebook.
 */
export function notebookCode(text: string, throughCell = Infinity): NotebookCode | undefined {
  const root = parseTree(text);
  const cells = root?.type === 'object' ? property(root, 'cells') : undefined;
  if (!cells || cells.type !== 'array') return undefined;
  const lines: CodeLine[] = [];
  (cells.children ?? []).forEach((cell, index) => {
    if (index > throughCell || cell.type !== 'object' || property(cell, 'cell_type')?.value !== 'code') return;
    const source = property(cell, 'source');
    // nbformat allows `source` as one string or a list of lines (each but the last ending in `\n`).
    const parts = source?.type === 'array' ? (source.children ?? []) : source?.type === 'string' ? [source] : [];
    let lineInCell = 0;
    for (const part of parts) {
      if (part.type !== 'string' || typeof part.value !== 'string') continue;
      // A multi-line string part (single-string `source`) splits into lines sharing the literal: their
      // offsets within it are found by re-encoding the decoded prefix.
      let consumed = '';
      for (const piece of part.value.replace(/\n$/, '').split('\n')) {
        lines.push({ cell: index, lineInCell: lineInCell++, jsonOffset: part.offset, text: piece, prefix: consumed });
        consumed += `${piece}\n`;
      }
    }
  });
  const code = lines.map((l) => (/^\s*[%!]/.test(l.text) ? ' '.repeat(l.text.length) : l.text)).join('\n');
  return { code, lines };
}

function property(node: JsonNode, key: string): JsonNode | undefined {
  const prop = node.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key);
  return prop?.children?.[1];
}

/** Cell index and 0-based line within the cell of a line of the concatenated code. */
export function cellLineOf(nb: NotebookCode, line: number): { cell: number; line: number } | undefined {
  const l = nb.lines[line];
  return l ? { cell: l.cell, line: l.lineInCell } : undefined;
}

/**
 * Reads a notebook's code cells (up to `throughCell`, see notebookCode) as one training script, ranges
 * pointing into the `.ipynb` text.
 */
export function readNotebook(file: string, text: string, throughCell = Infinity): TrainingConfig | undefined {
  try {
    const nb = notebookCode(text, throughCell);
    if (!nb) return undefined;
    const cfg = readPythonScript(file, nb.code);
    if (!cfg) return undefined;
    const ipynb = new LineIndex(text);
    const map = (r: SourceRange): SourceRange => {
      const s = ipynb.position(offsetIn(nb, r.startLine, r.startChar));
      const e = ipynb.position(offsetIn(nb, r.endLine, r.endChar));
      return { startLine: s.line, startChar: s.char, endLine: e.line, endChar: e.char };
    };
    const remap = (s: Setting<unknown>) => {
      s.range = map(s.range);
      s.valueRange = map(s.valueRange);
    };
    for (const v of Object.values(cfg)) if (v && typeof v === 'object' && 'valueRange' in v) remap(v as Setting<unknown>);
    if (cfg.sweep) {
      if (cfg.sweep.methodSetting) remap(cfg.sweep.methodSetting);
      if (cfg.sweep.trials) remap(cfg.sweep.trials);
      for (const p of cfg.sweep.parameters) p.range = map(p.range);
    }
    return cfg;
  } catch (err) {
    recovered('readNotebook', err);
    return undefined;
  }
}

/** Offset in the `.ipynb` text of a (line, char) of the concatenated code: inside the line's JSON string. */
function offsetIn(nb: NotebookCode, line: number, char: number): number {
  const l = nb.lines[Math.min(line, nb.lines.length - 1)];
  if (!l) return 0;
  const before = l.prefix + l.text.slice(0, Math.min(char, l.text.length));
  // The string literal's characters up to here: the quote, then each decoded character as JSON writes it.
  return l.jsonOffset + 1 + (JSON.stringify(before).length - 2);
}

/**
 * For an editor that syncs a notebook as cell documents (LSP notebook sync): the cells' texts read as
 * one script. Ranges in the returned config are in the joined code (`code`, magics blanked); `toCell` maps one to its cell
 * index and the range within that cell (a range spanning cells is clipped to its first cell).
 */
export function readCells(file: string, cells: readonly string[]): { config: TrainingConfig; code: string; toCell(r: SourceRange): { cell: number; range: SourceRange } } | undefined {
  const starts: number[] = [];
  let line = 0;
  for (const c of cells) {
    starts.push(line);
    line += c.split('\n').length;
  }
  const code = cells.map((c) => c.split('\n').map((l) => (/^\s*[%!]/.test(l) ? ' '.repeat(l.length) : l)).join('\n')).join('\n');
  const config = readPythonScript(file, code);
  if (!config) return undefined;
  const cellAt = (l: number) => {
    let i = 0;
    while (i + 1 < starts.length && starts[i + 1] <= l) i++;
    return i;
  };
  const toCell = (r: SourceRange) => {
    const cell = cellAt(r.startLine);
    const last = starts[cell] + cells[cell].split('\n').length - 1;
    const endLine = Math.min(r.endLine, last);
    const endChar = r.endLine > last ? cells[cell].split('\n')[last - starts[cell]].length : r.endChar;
    return { cell, range: { startLine: r.startLine - starts[cell], startChar: r.startChar, endLine: endLine - starts[cell], endChar } };
  };
  return { config, code, toCell };
}
