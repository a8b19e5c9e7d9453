/**
 * Notebooks open in the editor (LSP notebook document sync): the editor's cells, edited and not yet
 * saved, are the notebook's config; its saved outputs stay on disk (a sync carries no outputs) and are
 * read again when the notebook is saved. Findings of a notebook go to its cells' documents
 * (`vscode-notebook-cell:` URIs), at the place core gave them among the cells (Finding.cell).
 *
 * The cells are handed to core as the `.ipynb` text they would save to (sources only), so the config
 * is read, placed in cells and fixed exactly as a notebook on disk is; cell indices are the editor's
 * (markdown cells included: the sync carries every cell).
 */
import type { NotebookDocuments } from 'vscode-languageserver/node';
import { NotebookCellKind, type NotebookDocument } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Ingest } from './ingest';
import { fileOf } from './paths';

export class OpenNotebooks {
  /** Open notebooks by the file they are (their URI as the editor spells it). */
  private readonly uris = new Map<string, string>();

  constructor(private readonly notebooks: NotebookDocuments<TextDocument>) {}

  /** Feeds ingest from the editor's notebooks: opened, edited (cells added, removed or typed in), closed. */
  follow(ingest: Ingest, republish: () => void): void {
    this.notebooks.onDidOpen((nb) => {
      const file = fileOf(nb.uri);
      if (!file) return;
      this.uris.set(file, nb.uri);
      ingest.opened(file, 'jupyter-notebook', this.textOf(nb));
    });
    this.notebooks.onDidChange((e) => {
      const file = fileOf(e.notebookDocument.uri);
      if (file) ingest.edited(file, () => this.text(file));
    });
    this.notebooks.onDidClose((nb) => {
      const file = fileOf(nb.uri);
      if (!file) return;
      this.uris.delete(file);
      ingest.closed(file);
      // Its diagnostics move from the cells back to the file.
      republish();
    });
  }

  /** The `.ipynb` text the editor's cells of an open notebook stand for; undefined when it is not open. */
  text(file: string): string | undefined {
    const nb = this.notebook(file);
    return nb ? this.textOf(nb) : undefined;
  }

  /** The document URI of an open notebook's cell (0-based among all its cells). */
  cellUri(file: string, index: number): string | undefined {
    return this.notebook(file)?.cells[index]?.document;
  }

  /** An open notebook's cells as the editor has them (unsaved text included). */
  cells(file: string): { uri: string; code: boolean; text: string }[] | undefined {
    return this.notebook(file)?.cells.map((c) => ({ uri: c.document, code: c.kind === NotebookCellKind.Code, text: this.notebooks.getCellTextDocument(c)?.getText() ?? '' }));
  }

  /** Which open notebook, and which of its cells, a cell document is. */
  cellOf(uri: string): { file: string; index: number } | undefined {
    const nb = this.notebooks.findNotebookDocumentForCell(uri);
    const file = nb ? fileOf(nb.uri) : undefined;
    const index = nb ? nb.cells.findIndex((c) => c.document === uri) : -1;
    return file !== undefined && index >= 0 ? { file, index } : undefined;
  }

  private notebook(file: string): NotebookDocument | undefined {
    const uri = this.uris.get(file);
    return uri === undefined ? undefined : this.notebooks.getNotebookDocument(uri);
  }

  private textOf(nb: NotebookDocument): string {
    const cells = nb.cells.map((cell) => {
      const text = this.notebooks.getCellTextDocument(cell)?.getText() ?? '';
      const lines = text.split('\n');
      return {
        cell_type: cell.kind === NotebookCellKind.Code ? 'code' : 'markdown',
        metadata: {},
        source: lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)),
        ...(cell.kind === NotebookCellKind.Code ? { outputs: [], execution_count: null } : {}),
      };
    });
    return `${JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;
  }
}
