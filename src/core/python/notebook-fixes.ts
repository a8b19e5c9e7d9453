/**
 * Quick fixes in a notebook's cells, as the editor shows them (one document per cell): the cells are
 * read as one script (readCells), the script's fix writer edits the joined code, and each edit is mapped
 * back into the cell it falls in. As for a config file, a fix is offered only when the edited code reads
 * back saying what the fix meant, and an edit that would span two cells is not offered.
 */
import { applyEdits, type TextEdit } from '../config/edits';
import { isStepScheduler, schedulerBaseName } from '../rules/lr-schedule';
import { replaceStepWithCosineInCode } from './fixes';
import { readCells } from './notebook';
import { readPythonScript } from './read-script';

export interface CellEdit extends TextEdit {
  /** 0-based index among the cells given. */
  cell: number;
}

export interface CellFix {
  title: string;
  edits: CellEdit[];
}

/**
 * StepLR/MultiStepLR → CosineAnnealingLR in a notebook's cells (`cells`: every cell's text in order,
 * markdown given as `''` so that indices stay the editor's). Undefined when there is no step scheduler,
 * no known epoch count (no right T_max), or the edit does not read back as cosine.
 */
export function cosineFixInCells(file: string, cells: readonly string[]): CellFix | undefined {
  const read = readCells(file, cells);
  const scheduler = read?.config.scheduler?.value;
  if (!read || !isStepScheduler(scheduler)) return undefined;
  const edits = replaceStepWithCosineInCode(read.config, read.code);
  if (edits.length === 0) return undefined;
  const after = readPythonScript(file, applyEdits(read.code, edits));
  if (!after?.scheduler || isStepScheduler(after.scheduler.value)) return undefined;
  const out: CellEdit[] = [];
  for (const e of edits) {
    const start = read.toCell({ ...e.range, endLine: e.range.startLine, endChar: e.range.startChar });
    const whole = read.toCell(e.range);
    const end = read.toCell({ ...e.range, startLine: e.range.endLine, startChar: e.range.endChar });
    if (start.cell !== end.cell) return undefined;
    out.push({ cell: whole.cell, range: whole.range, newText: e.newText });
  }
  return { title: `Replace ${schedulerBaseName(scheduler ?? '')} with cosine annealing`, edits: out };
}
