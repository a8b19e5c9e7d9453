import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import { cosineFixInCells } from '../../core/python/notebook-fixes';
import { isPythonFile } from '../../core/python/read-script';
import { updateRatioActionAt } from '../../core/python/update-ratio';
import { getScenario } from '../../core/scenarios';
import { AnalysisWorkspace } from '../../core/workspace';
import type { DiagnosticData } from '../../shared/protocol';
import { fixTargetOf, quickFixActions, suppressActions, toLsp, type FixEnv } from '../code-actions';
import type { FeatureContext } from '../context';
import { fileOf, uriOf } from '../paths';

/**
 * Where quick fixes read the text they edit: the open editor's, else the text ingest last read from
 * disk (the one the findings came from). Never the disk itself: a synchronous read on the server's
 * only thread blocks every request when the config was swapped for a FIFO, and reads a device forever.
 */
export function fixEnv(ctx: FeatureContext): FixEnv {
  return {
    textOf: (f) => {
      const doc = ctx.document(uriOf(f));
      if (doc) return doc.getText();
      // Undefined when the config was deleted or refused since it was analysed: no fix is offered.
      return ctx.workspace.configText(f);
    },
    isConfig: (f) => AnalysisWorkspace.isConfig(f),
    configForLog: (f) => ctx.workspace.configForLog(f),
    uriOf,
  };
}

/** For each traindx diagnostic of the request: its quick fixes, an Explain action, and suppressions. */
export function codeActions(ctx: FeatureContext, params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  // In a notebook cell: the Explain action, for the notebook's run (no edit of a cell is offered yet).
  const cell = ctx.cellOf?.(params.textDocument.uri);
  const uri = cell ? uriOf(cell.file) : params.textDocument.uri;
  const file = cell ? undefined : fileOf(uri);
  const target = file ? fixTargetOf(file, fixEnv(ctx)) : undefined;
  for (const d of params.context.diagnostics) {
    if (d.source !== 'traindx') continue;
    const data = d.data as DiagnosticData | undefined;
    if (!data) continue;
    actions.push(...quickFixActions(d, data, target));
    if (cell && data.rule === 'lr-step-scheduler') actions.push(...cellFixActions(ctx, cell.file, d));
    actions.push({
      title: `Explain: ${getScenario(data.scenario).title}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title: 'Explain', command: 'traindx.explain', arguments: [{ scenario: data.scenario, uri, line: cell ? notebookLine(ctx, cell, data.scenario, d.range.start.line) : d.range.start.line }] },
    });
    if (file && target && target.uri === uri) actions.push(...suppressActions(d, data, file, target.uri, target.text));
  }
  const doc = file && isPythonFile(file) ? ctx.document(uri) : undefined;
  if (doc) {
    // Not a fix of a finding: on the optimizer step of a loop, code that logs what the update-ratio rule reads.
    const ratio = updateRatioActionAt(doc.getText(), params.range.start.line, params.range.start.character);
    if (ratio) actions.push({ title: ratio.title, kind: CodeActionKind.RefactorRewrite, edit: { changes: { [uri]: ratio.edits.map(toLsp) } } });
  }
  return actions;
}

/** The StepLR → cosine edit of a notebook's scheduler cell, on the editor's cells (core/python/notebook-fixes.ts). */
function cellFixActions(ctx: FeatureContext, file: string, d: Diagnostic): CodeAction[] {
  const cells = ctx.notebookCells?.(file);
  if (!cells) return [];
  const fix = cosineFixInCells(file, cells.map((c) => (c.code ? c.text : '')));
  if (!fix) return [];
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) {
    const uri = cells[e.cell].uri;
    (changes[uri] ??= []).push({ range: { start: { line: e.range.startLine, character: e.range.startChar }, end: { line: e.range.endLine, character: e.range.endChar } }, newText: e.newText });
  }
  return [{ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes } }];
}

/** The 0-based `.ipynb` line of the finding a cell's diagnostic shows (what Explain looks findings up by). */
function notebookLine(ctx: FeatureContext, cell: { file: string; index: number }, scenario: string, lineInCell: number): number {
  const f = ctx.workspace.findings().find((x) => x.file === cell.file && x.scenario === scenario && x.cell?.index === cell.index && x.cell.range.startLine === lineInCell);
  return f ? f.line - 1 : lineInCell;
}
