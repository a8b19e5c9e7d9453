import type { Hover, HoverParams } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { readConfig } from '../../core/config/read-config';
import { canonicalName } from '../../core/run/names';
import { AnalysisWorkspace } from '../../core/workspace';
import { configKeyHover } from '../config-hover';
import type { FeatureContext } from '../context';
import { findingHover, seriesHover } from '../hover';
import { fileOf, uriOf } from '../paths';

/**
 * The hover of a line: its findings and, on a config's training key, that key's scenario worked out
 * with this config's numbers; else, on a metric name in a log, the series' summary in its run.
 */
export function hover(ctx: FeatureContext, params: HoverParams): Hover | null {
  const uri = params.textDocument.uri;
  const cell = ctx.cellOf?.(uri);
  if (cell) return cellHover(ctx, cell, params.position.line);
  const file = fileOf(uri);
  if (!file) return null;
  const { line, character } = params.position;
  const here = ctx.workspace
    .findings()
    .filter((f) => f.file === file && (f.range ? f.range.startLine <= line && line <= f.range.endLine : f.line === line + 1));
  const doc = ctx.document(uri);
  // Read from the editor's current text, so ranges match what is on screen.
  const cfg = doc && AnalysisWorkspace.isConfig(file) ? readConfig(file, doc.getText()) : undefined;
  const keyHover = cfg ? configKeyHover(cfg, line, character, uri, ctx.thresholds()) : undefined;
  if (here.length > 0 || keyHover) {
    const value = [here.length > 0 ? findingHover(here, uri) : undefined, keyHover].filter((x) => x !== undefined).join('\n\n---\n\n');
    return { contents: { kind: 'markdown', value } };
  }
  const run = ctx.workspace.runOfFile(file);
  if (!doc || !run) return null;
  const word = metricNameAt(doc, line, character);
  if (!word) return null;
  const value = seriesHover(run, word.canonical) ?? seriesHover(run, word.raw);
  return value ? { contents: { kind: 'markdown', value } } : null;
}

/**
 * The hover of a line of a notebook cell: the findings placed on it (Finding.cell). Their Explain links
 * name the notebook file and the finding's line there, which is what the run view knows.
 */
function cellHover(ctx: FeatureContext, cell: { file: string; index: number }, line: number): Hover | null {
  const here = ctx.workspace
    .findings()
    .filter((f) => f.file === cell.file && f.cell?.index === cell.index && f.cell.range.startLine <= line && line <= f.cell.range.endLine);
  return here.length > 0 ? { contents: { kind: 'markdown', value: findingHover(here, uriOf(cell.file)) } } : null;
}

/** The metric name under the cursor in a log line: `val_loss=0.3`, `'eval_loss': 0.3`, a CSV header cell. */
export function metricNameAt(doc: TextDocument, line: number, character: number): { raw: string; canonical: string } | undefined {
  const text = doc.getText({ start: { line, character: 0 }, end: { line, character: 10_000 } });
  const re = /[A-Za-z_][\w./-]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index <= character && character <= m.index + m[0].length) {
      const raw = m[0];
      return { raw, canonical: canonicalName(raw) };
    }
  }
  return undefined;
}
