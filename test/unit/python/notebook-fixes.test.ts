/**
 * StepLR → cosine in a notebook's cells (the editor's cell documents): the edit lands in the scheduler's
 * cell, at its place there, and the cells read back as cosine.
 */
import * as assert from 'node:assert/strict';
import { cosineFixInCells } from '../../../src/core/python/notebook-fixes';

function apply(text: string, e: { range: { startLine: number; startChar: number; endLine: number; endChar: number }; newText: string }): string {
  const lines = text.split('\n');
  assert.equal(e.range.startLine, e.range.endLine, 'a one-line edit');
  const l = lines[e.range.startLine];
  lines[e.range.startLine] = l.slice(0, e.range.startChar) + e.newText + l.slice(e.range.endChar);
  return lines.join('\n');
}

describe('quick fixes in notebook cells', () => {
  it('a bare imported StepLR in cell 3 (markdown first): the call in that cell becomes CosineAnnealingLR over EPOCHS', () => {
    const cells = ['', 'import torch\nfrom torch.optim.lr_scheduler import StepLR\nEPOCHS = 30', 'opt = torch.optim.SGD(model.parameters(), lr=0.1)\nsched = StepLR(opt, step_size=10, gamma=0.1)', 'for epoch in range(EPOCHS):\n    train(epoch)\n    sched.step()'];
    const fix = cosineFixInCells('nb.ipynb', cells);
    assert.ok(fix);
    assert.equal(fix.title, 'Replace StepLR with cosine annealing');
    assert.deepEqual(
      fix.edits.map((e) => e.cell),
      [2],
    );
    assert.equal(apply(cells[2], fix.edits[0]), 'opt = torch.optim.SGD(model.parameters(), lr=0.1)\nsched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)');
  });

  it('no epoch count, no fix (there is no right T_max); no step scheduler, no fix', () => {
    assert.equal(cosineFixInCells('nb.ipynb', ['import torch\nopt = torch.optim.SGD(model.parameters(), lr=0.1)', 'sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10)']), undefined);
    assert.equal(cosineFixInCells('nb.ipynb', ['import torch\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nsched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)', 'for epoch in range(30):\n    sched.step()']), undefined);
  });
});
