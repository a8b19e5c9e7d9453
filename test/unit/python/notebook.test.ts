import * as assert from 'node:assert/strict';
import { readConfig } from '../../../src/core/config/read-config';
import { configRules } from '../../../src/core/rules/registry';
import { cellLineOf, notebookCode, readCells } from '../../../src/core/python/notebook';
import { slice } from '../config/helpers';
import { script } from './helpers';

/** A notebook as nbformat 4 writes it (`json.dump(nb, indent=1)`), from code cells' sources. */
function notebook(...cells: string[]): string {
  const toCell = (src: string) => {
    const lines = src.split('\n');
    return { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)) };
  };
  return `${JSON.stringify({ cells: cells.map(toCell), metadata: {}, nbformat: 4, nbformat_minor: 4 }, null, 1)}\n`;
}

describe('python notebooks (.ipynb)', () => {
  it('HF text_classification: code cells read as one script, ranges in the .ipynb text, quiet (2e-5, load_best_model_at_end)', () => {
    const { file, text } = script('hf-text-classification.ipynb');
    const cfg = readConfig(file, text);
    assert.ok(cfg);
    assert.equal(cfg.format, 'python');
    assert.equal(cfg.lr?.value, 2e-5);
    assert.equal(slice(text, cfg.lr.valueRange), '2e-5');
    assert.equal(slice(text, cfg.lr.range), 'learning_rate=2e-5');
    assert.equal(cfg.batchSize?.value, 16, 'batch_size = 16 from another cell');
    assert.equal(slice(text, cfg.batchSize.valueRange), '16');
    assert.equal(cfg.restoreBest?.value, true);
    assert.equal(cfg.pretrained?.value, 'distilbert-base-uncased');
    assert.deepEqual(configRules(cfg).findings, []);
  });

  it('an optimizer in one cell and its StepLR in a later one: the finding is on the scheduler line of the .ipynb', () => {
    const text = notebook('%matplotlib inline\nimport torch\nEPOCHS = 60', 'opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)', 'sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[30, 45])', 'for epoch in range(EPOCHS):\n    train(epoch)\n    sched.step()');
    const cfg = readConfig('nb.ipynb', text);
    assert.ok(cfg);
    const fs = configRules(cfg).findings;
    const step = fs.find((f) => f.rule === 'lr-step-scheduler');
    assert.ok(step, JSON.stringify(fs.map((f) => f.rule)));
    const line = text.split('\n')[step.line - 1];
    assert.match(line, /^ {4}"sched = torch\.optim\.lr_scheduler\.MultiStepLR/);
    assert.deepEqual(cfg.schedulerSteps?.value, [30, 45]);
    assert.equal(slice(text, cfg.schedulerSteps.valueRange), '[30, 45]');
    assert.equal(cfg.epochs?.value, 60);
  });

  it('maps a line of the joined code to its cell and line; magics are blanked, markdown skipped', () => {
    const text = notebook('!pip install torch', 'import torch\nx = 1');
    const nb = notebookCode(text);
    assert.ok(nb);
    assert.equal(nb.code, '                  \nimport torch\nx = 1');
    assert.deepEqual(cellLineOf(nb, 2), { cell: 1, line: 1 });
    assert.equal(cellLineOf(nb, 3), undefined);
  });

  it('not a notebook, or a notebook that trains nothing: undefined', () => {
    assert.equal(readConfig('a.ipynb', '{"cells": 3}'), undefined);
    assert.equal(readConfig('a.ipynb', 'not json'), undefined);
    assert.equal(readConfig('a.ipynb', notebook('import pandas as pd\ndf = pd.read_csv("x.csv")\ndf.describe()')), undefined);
  });
});

describe('python notebooks: cells synced by an editor', () => {
  it('reads cell texts as one script and maps a setting back to its cell', () => {
    const cells = ['%load_ext autoreload\nimport torch', 'EPOCHS = 30\nopt = torch.optim.SGD(m.parameters(), lr=0.1)', 'sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10)\nfor epoch in range(EPOCHS):\n    sched.step()'];
    const read = readCells('nb.ipynb', cells);
    assert.ok(read);
    assert.equal(read.config.scheduler?.value, 'StepLR');
    const at = read.toCell(read.config.scheduler.range);
    assert.equal(at.cell, 2);
    assert.deepEqual(at.range, { startLine: 0, startChar: 8, endLine: 0, endChar: 58 });
    assert.equal(cells[2].split('\n')[0].slice(at.range.startChar, at.range.endChar), 'torch.optim.lr_scheduler.StepLR(opt, step_size=10)');
    const lr = read.toCell(read.config.lr!.valueRange);
    assert.equal(lr.cell, 1);
    assert.equal(cells[1].split('\n')[lr.range.startLine].slice(lr.range.startChar, lr.range.endChar), '0.1');
  });
});
