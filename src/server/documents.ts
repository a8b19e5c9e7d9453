/**
 * Open documents in, for ingest: an opened or edited config is read from the editor's text (it may be
 * ahead of the disk), an opened log is followed. A log's edit or close also republishes: findings held
 * back until the editor's version of a growing log showed their line (features/diagnostics.ts
 * `onShownLines`) can go out then.
 */
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisWorkspace } from '../core/workspace';
import type { Ingest } from './ingest';
import { fileOf } from './paths';

export function followDocuments(documents: TextDocuments<TextDocument>, ingest: Ingest, republish: () => void): void {
  documents.onDidOpen((e) => {
    const file = fileOf(e.document.uri);
    if (file) ingest.opened(file, e.document.languageId, e.document.getText());
  });
  documents.onDidChangeContent((e) => {
    const file = fileOf(e.document.uri);
    if (file) ingest.edited(file, () => documents.get(e.document.uri)?.getText());
    if (file && !AnalysisWorkspace.isConfig(file)) republish();
  });
  documents.onDidClose((e) => {
    const file = fileOf(e.document.uri);
    if (file) ingest.closed(file);
    if (file && !AnalysisWorkspace.isConfig(file)) republish();
  });
}
