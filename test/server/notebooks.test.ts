/**
 * Notebooks over LSP (the built server over stdio): a notebook on disk gets its findings on the file; once
 * the editor opens it (notebookDocument/didOpen, every cell synced), they move into its cells'
 * documents, at the cell's training call; cells edited and not saved are what the config is read from,
 * across cells (an optimizer in one cell, its scheduler in a later one). A training script opened in the
 * editor is read from the editor's text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { realNotebook, skipWithoutRealNotebooks } from '../helpers/paths';
import { ServerUnderTest } from './lsp-harness';

interface Cell {
  kind: 1 | 2;
  text: string;
}

const cellUri = (file: string, i: number) => `vscode-notebook-cell:${pathToFileURL(file).pathname}#W${i}sZmlsZQ%3D%3D`;

async function openNotebook(s: ServerUnderTest, file: string, cells: Cell[]): Promise<void> {
  await s.connection.sendNotification('notebookDocument/didOpen', {
    notebookDocument: { uri: pathToFileURL(file).href, notebookType: 'jupyter-notebook', version: 1, cells: cells.map((c, i) => ({ kind: c.kind, document: cellUri(file, i) })) },
    cellTextDocuments: cells.map((c, i) => ({ uri: cellUri(file, i), languageId: c.kind === 2 ? 'python' : 'markdown', version: 1, text: c.text })),
  });
}

/** The cells of an `.ipynb` as the editor syncs them, read with JSON.parse (not with traindx's reader). */
function cellsOfFile(file: string): Cell[] {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
  return nb.cells.map((c) => ({ kind: c.cell_type === 'code' ? 2 : 1, text: Array.isArray(c.source) ? c.source.join('') : c.source }));
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();

describe('server: notebooks', function () {
  this.timeout(60000);
  let server: ServerUnderTest | undefined;
  let tmp: string | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  });

  it('a real notebook\'s output findings: on the file while closed, on the training cell once open', async function () {
    skipWithoutRealNotebooks(this);
    const file = realNotebook('huggingface-notebooks', 'examples_nucleotide_transformer_dna_sequence_modelling.ipynb');
    server = await ServerUnderTest.start(path.dirname(file));
    const s = server;
    await s.waitFor(() => s.diagnosticsOf(file).length > 0, 'findings on the closed notebook');
    const onFile = s.diagnosticsOf(file);
    assert.deepEqual(codes(onFile), ['early-stopping', 'weight-averaging']);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    for (const d of onFile) assert.match(lines[d.range.start.line], /"train_results = trainer\.train\(\)/);

    const cells = cellsOfFile(file);
    await openNotebook(s, file, cells);
    // Cell 38 (index 37) is `train_results = trainer.train()`: the findings move there, the file is cleared.
    const trainCell = cellUri(file, 37);
    assert.equal(cells[37].text, 'train_results = trainer.train()');
    await s.waitFor(() => (s.diagnostics.get(trainCell)?.length ?? 0) === 2 && s.diagnosticsOf(file).length === 0, 'findings in the cell');
    for (const d of s.diagnostics.get(trainCell) ?? []) {
      assert.deepEqual(d.range, { start: { line: 0, character: 16 }, end: { line: 0, character: 29 } }, 'trainer.train');
    }
  });

  it('cells edited and unsaved: an optimizer in one cell and its MultiStepLR in a later one flag the scheduler cell; the edit to cosine clears it', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-nb-'));
    const file = path.join(tmp, 'train.ipynb');
    // On disk: an empty notebook; everything below is the editor's unsaved text.
    fs.writeFileSync(file, JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    server = await ServerUnderTest.start(tmp);
    const s = server;
    const cells: Cell[] = [
      { kind: 1, text: '# ResNet on CIFAR-10' },
      { kind: 2, text: 'import torch\nEPOCHS = 60' },
      { kind: 2, text: 'opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)' },
      { kind: 2, text: 'sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[30, 45])' },
      { kind: 2, text: 'for epoch in range(EPOCHS):\n    train(epoch)\n    sched.step()' },
    ];
    await openNotebook(s, file, cells);
    const scheduler = cellUri(file, 3);
    await s.waitFor(() => (s.diagnostics.get(scheduler) ?? []).some((d) => d.code === 'lr-schedule'), 'the step-schedule finding in the scheduler cell');
    const d = (s.diagnostics.get(scheduler) ?? []).find((x) => x.code === 'lr-schedule');
    assert.ok(d);
    assert.equal(d.range.start.line, 0);
    assert.ok(cells[3].text.slice(d.range.start.character, d.range.end.character).length > 0, 'a range inside the cell');
    assert.equal(s.diagnosticsOf(file).length, 0, 'nothing on the .ipynb itself while it is open');
    // The cell's hover explains it; its code actions offer Explain (on the notebook's run).
    const hover = (await s.connection.sendRequest('textDocument/hover', { textDocument: { uri: scheduler }, position: { line: 0, character: d.range.start.character + 1 } })) as { contents: { value: string } } | null;
    assert.match(hover?.contents.value ?? '', /traindx hint: Learning\\-rate schedule/);
    assert.equal(await s.connection.sendRequest('textDocument/hover', { textDocument: { uri: cellUri(file, 2) }, position: { line: 0, character: 3 } }), null, 'the optimizer cell has no finding');
    const actions = (await s.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: scheduler }, range: d.range, context: { diagnostics: [d] } })) as {
      title: string;
      edit?: { changes?: Record<string, { range: Diagnostic['range']; newText: string }[]> };
    }[];
    assert.ok(actions.some((x) => x.title.startsWith('Explain: Learning-rate schedule')), JSON.stringify(actions.map((x) => x.title)));
    // The quick fix edits the scheduler's cell only: the call becomes cosine over the notebook's EPOCHS.
    const fix = actions.find((x) => x.title === 'Replace MultiStepLR with cosine annealing');
    assert.ok(fix?.edit?.changes, JSON.stringify(actions.map((x) => x.title)));
    assert.deepEqual(Object.keys(fix.edit.changes), [scheduler]);
    const [e] = fix.edit.changes[scheduler];
    assert.deepEqual([e.range.start.line, e.range.end.line], [0, 0]);
    const fixed = cells[3].text.slice(0, e.range.start.character) + e.newText + cells[3].text.slice(e.range.end.character);
    assert.equal(fixed, 'sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)');

    await s.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: pathToFileURL(file).href, version: 2 },
      change: { cells: { textContent: [{ document: { uri: scheduler, version: 2 }, changes: [{ text: 'sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)' }] }] } },
    });
    await s.waitFor(() => !(s.diagnostics.get(scheduler) ?? []).some((x) => x.code === 'lr-schedule'), 'the finding gone after the edit');
  });

  it('a train.py open in the editor is read from its unsaved text', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-py-'));
    const file = path.join(tmp, 'train.py');
    fs.writeFileSync(file, 'print("not yet")\n');
    server = await ServerUnderTest.start(tmp);
    const s = server;
    const text = 'import torch\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nsched = torch.optim.lr_scheduler.StepLR(opt, step_size=30, gamma=0.1)\nfor epoch in range(90):\n    train(epoch)\n    sched.step()\n';
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(file).href, languageId: 'python', version: 1, text } });
    await s.waitFor(() => s.diagnosticsOf(file).some((d) => d.code === 'lr-schedule'), 'the StepLR finding on train.py');
    const d = s.diagnosticsOf(file).find((x) => x.code === 'lr-schedule');
    assert.ok(d);
    assert.equal(d.range.start.line, 2);
    // Its quick fix edits the editor's text (not the disk's, which has no StepLR).
    const actions = (await s.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: pathToFileURL(file).href }, range: d.range, context: { diagnostics: [d] } })) as {
      title: string;
      edit?: { changes?: Record<string, { range: Diagnostic['range']; newText: string }[]> };
    }[];
    const fix = actions.find((a) => /cosine/i.test(a.title));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const edits = fix.edit?.changes?.[pathToFileURL(file).href] ?? [];
    assert.equal(edits.length, 1);
    assert.match(edits[0].newText, /CosineAnnealingLR\(opt, T_max=90\)/);
    assert.equal(edits[0].range.start.line, 2);
  });
});
