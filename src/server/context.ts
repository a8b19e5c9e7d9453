import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { RunQueries } from '../core/query/run-queries';
import type { Thresholds } from '../core/rules/rule';
import type { AnalysisWorkspace } from '../core/workspace';
import type { OnceLog } from '../shared/log-once';

/**
 * What every LSP feature handler reads: the workspace and its run queries, the editor's open
 * documents, and the current settings. Plain values, so a handler is tested in-process with an
 * AnalysisWorkspace and no connection (test/server/features).
 */
export interface FeatureContext {
  readonly workspace: AnalysisWorkspace;
  readonly queries: RunQueries;
  /** The editor's document at `uri`, when it is open. */
  document(uri: string): TextDocument | undefined;
  /** A file as the user knows it: relative to its workspace folder. */
  displayPath(file: string): string;
  /** The rule thresholds in force (defaults with the user's overrides). */
  thresholds(): Thresholds;
  /** The notebook file and cell index (0-based among all its cells) of a notebook cell's document URI, while it is open. */
  cellOf?(uri: string): { file: string; index: number } | undefined;
  /** An open notebook's cells as the editor has them: document URI, whether it is code, text. */
  notebookCells?(file: string): { uri: string; code: boolean; text: string }[] | undefined;
  /** Where expected, repeating errors go (logged once per kind). */
  readonly errors: OnceLog;
}
