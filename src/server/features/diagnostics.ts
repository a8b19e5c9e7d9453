import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from '../../core/types';
import type { AnalysisWorkspace } from '../../core/workspace';
import type { DiagnosticData } from '../../shared/protocol';
import { uriOf } from '../paths';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * The end of a whole-line range for a log line we have not kept in memory: the editor clamps it to
 * the line's real length, so the squiggle covers exactly the line.
 */
const LINE_END = 2_147_483_647;

export function toDiagnostic(f: Finding): Diagnostic {
  const range = f.range
    ? { start: { line: f.range.startLine, character: f.range.startChar }, end: { line: f.range.endLine, character: f.range.endChar } }
    : { start: { line: Math.max(0, f.line - 1), character: 0 }, end: { line: Math.max(0, f.line - 1), character: LINE_END } };
  const data: DiagnosticData = { scenario: f.scenario, rule: f.rule, evidence: f.evidence };
  const diagnostic: Diagnostic = { range, severity: SEVERITY[f.severity], code: f.scenario, source: 'traindx', message: f.message, data };
  // The same event or setting seen elsewhere (another writer of the run, the other seeds' configs).
  if (f.related?.length) {
    diagnostic.relatedInformation = f.related.map((r) => ({
      location: { uri: uriOf(r.file), range: { start: { line: Math.max(0, r.line - 1), character: 0 }, end: { line: Math.max(0, r.line - 1), character: LINE_END } } },
      message: r.message ?? 'the same, seen here',
    }));
  }
  return diagnostic;
}

/** Publishes only what changed since the last publication, and clears files that lost all findings. */
export class DiagnosticPublisher {
  private readonly last = new Map<string, string>();

  constructor(private readonly send: (uri: string, diagnostics: Diagnostic[]) => void) {}

  publish(byUri: Map<string, Finding[]>): void {
    for (const [uri, findings] of byUri) {
      const diagnostics = findings.map(toDiagnostic);
      const key = JSON.stringify(diagnostics);
      if (this.last.get(uri) === key) continue;
      this.last.set(uri, key);
      this.send(uri, diagnostics);
    }
    for (const uri of [...this.last.keys()]) {
      if (byUri.has(uri)) continue;
      this.last.delete(uri);
      this.send(uri, []);
    }
  }
}

/**
 * The findings the editor can show where they belong. A growing log is read from disk before the
 * editor reloads it, so a finding on a just-appended line would point past the end of the editor's
 * text, and VS Code would clamp it onto the last (empty) line and move it down with every append
 * (issue 12). Such a finding is held back until the editor's version has its line: the server
 * re-publishes when the document changes. Findings with a range (configs) are read from the editor's
 * text already and always shown.
 */
export function onShownLines(findings: Finding[], lines: number | undefined): Finding[] {
  if (lines === undefined) return findings;
  return findings.filter((f) => f.range !== undefined || f.line <= lines);
}

/** The lines of a document's text that have content (a final newline opens no line of its own). */
export function shownLineCount(doc: TextDocument): number {
  const last = doc.lineCount - 1;
  const lastIsEmpty = doc.getText({ start: { line: last, character: 0 }, end: { line: last, character: 1 } }) === '';
  return lastIsEmpty ? last : doc.lineCount;
}

/**
 * A notebook open in the editor shows cells, not its `.ipynb` text: a finding placed in a cell
 * (Finding.cell) goes to that cell's document at its range there. The rest stay on the file.
 */
export function inCells(file: string, findings: Finding[], cellUri: (file: string, index: number) => string | undefined): { inFile: Finding[]; byCell: Map<string, Finding[]> } {
  const inFile: Finding[] = [];
  const byCell = new Map<string, Finding[]>();
  for (const f of findings) {
    const uri = f.cell ? cellUri(file, f.cell.index) : undefined;
    if (!uri || !f.cell) {
      inFile.push(f);
      continue;
    }
    byCell.set(uri, [...(byCell.get(uri) ?? []), { ...f, range: f.cell.range, line: f.cell.range.startLine + 1 }]);
  }
  return { inFile, byCell };
}

/**
 * Publishes every finding of the workspace as diagnostics of the file it points into (nothing when
 * traindx is switched off), and logs each rule that threw, once per distinct failure.
 */
export class FindingsPublication {
  private readonly loggedErrors = new Set<string>();

  constructor(
    private readonly publisher: DiagnosticPublisher,
    private readonly logError: (message: string) => void,
    /** Tells the user, once per rule: a rule that fails (an odd threshold setting, a bug) must not go quiet unseen. */
    private readonly tellUser: (message: string) => void = () => undefined,
  ) {}
  private readonly toldRules = new Set<string>();

  /**
   * `shownLines(uri)` is how many lines the editor's version of an open document has (undefined when
   * it is not open): see `onShownLines`.
   */
  publish(
    workspace: AnalysisWorkspace,
    enabled: boolean,
    shownLines: (uri: string) => number | undefined = () => undefined,
    /** The document of a notebook's cell while the notebook is open in the editor (see inCells). */
    cellUri: (file: string, index: number) => string | undefined = () => undefined,
  ): void {
    if (!enabled) {
      this.publisher.publish(new Map());
      return;
    }
    const byUri = new Map<string, Finding[]>();
    for (const [file, findings] of workspace.findingsByFile()) {
      const uri = uriOf(file);
      const { inFile, byCell } = inCells(file, findings, cellUri);
      const shown = onShownLines(inFile, shownLines(uri));
      if (shown.length > 0) byUri.set(uri, shown);
      for (const [cell, list] of byCell) byUri.set(cell, [...(byUri.get(cell) ?? []), ...list]);
    }
    this.publisher.publish(byUri);
    for (const e of workspace.ruleErrors()) {
      const key = `${e.rule}: ${e.message}`;
      if (this.loggedErrors.has(key)) continue;
      this.loggedErrors.add(key);
      this.logError(`rule ${e.rule} failed and was skipped: ${e.message}`);
      if (this.toldRules.has(e.rule)) continue;
      this.toldRules.add(e.rule);
      this.tellUser(`traindx: the rule ${e.rule} failed and gives no findings (${e.message}). Check its settings (traindx.thresholds, traindx.rules); details in the traindx output.`);
    }
  }
}
