/**
 * Notebooks' saved outputs read as logs, on real notebooks from public repositories
 * (../shared/real-notebooks, INDEX.md there gives each one's source and labels). Expected values are
 * read off the notebooks' JSON by hand (the numbers as printed in the outputs), never from the parser.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzePaths } from '../../../src/core/analyze';
import { segmentsOfOutputs } from '../../../src/core/formats/notebook-outputs';
import { notebookLayout } from '../../../src/core/python/notebook-layout';
import { notebookRuns } from '../../../src/core/python/notebook-runs';
import type { Finding } from '../../../src/core/types';
import { realNotebook, skipWithoutRealNotebooks } from '../../helpers/paths';

const TRAINER_API = ['huggingface-notebooks', 'course_videos_trainer_api.ipynb'];
const KERAS_CH10 = ['ageron-handson-ml2', '10_neural_nets_with_keras.ipynb'];
const KERAS_CH11 = ['ageron-handson-ml2', '11_training_deep_neural_networks.ipynb'];

function read(parts: string[]): { file: string; text: string; lines: string[] } {
  const file = realNotebook(...parts);
  const text = fs.readFileSync(file, 'utf8');
  return { file, text, lines: text.split('\n') };
}

function seriesOf(run: { run: { series(n: string): { values(): Float64Array; epochs(): Float64Array; steps(): Float64Array; lines(): Uint32Array } | undefined } }, name: string) {
  const s = run.run.series(name);
  assert.ok(s, `series ${name}`);
  return { values: [...s.values()], epochs: [...s.epochs()], steps: [...s.steps()], lines: [...s.lines()] };
}

describe('notebook outputs as logs (real notebooks)', function () {
  before(function () {
    skipWithoutRealNotebooks(this);
  });

  it('HF course trainer_api: the Trainer\'s HTML tables are two runs; "No log" is no value; each value on its <td> line', () => {
    const { file, text, lines } = read(TRAINER_API);
    const runs = notebookRuns(file, text);
    assert.deepEqual(
      runs.map((r) => r.key.slice(file.length)),
      ['#cell-9', '#cell-13'],
    );
    const steps = seriesOf(runs[0], 'train_loss');
    assert.deepEqual(steps.values, [0.4438, 0.1275]);
    assert.deepEqual(steps.steps, [500, 1000]);
    const byEpoch = runs[1];
    const val = seriesOf(byEpoch, 'val_loss');
    assert.deepEqual(val.values, [0.410291, 0.40515, 0.713577]);
    assert.deepEqual(val.epochs, [1, 2, 3]);
    assert.match(lines[val.lines[2] - 1], /<td>0\.713577<\/td>/);
    // Epoch 1's Training Loss reads "No log": the first train_loss is epoch 2's.
    assert.deepEqual(seriesOf(byEpoch, 'train_loss').values, [0.5105, 0.2583]);
    assert.deepEqual(seriesOf(byEpoch, 'val_acc').values, [0.823529, 0.845588, 0.862745]);
    // Its findings are placed on `trainer.train()` of cell 13 (the cell's 10th line).
    assert.equal(byEpoch.place.index, 12);
    assert.match(lines[byEpoch.line - 1], /"trainer\.train\(\)/);
  });

  it('handson-ml2 ch. 10: a Keras fit progress with an exploding epoch is one run per cell; epochs as printed', () => {
    const { file, text } = read(KERAS_CH10);
    const runs = notebookRuns(file, text);
    const exploding = runs.find((r) => r.key === `${file}#cell-123`);
    assert.ok(exploding);
    const loss = seriesOf(exploding, 'train_loss');
    assert.equal(loss.values.length, 30);
    assert.deepEqual(loss.values.slice(0, 3), [0.7645, 8159520618.2209, 1.3439]);
    assert.deepEqual(loss.epochs.slice(0, 3), [1, 2, 3]);
    assert.deepEqual(seriesOf(exploding, 'val_loss').values.slice(0, 2), [302.8536, 1.323]);
  });

  it('handson-ml2 ch. 11: a cell that fits twice (frozen, then unfrozen) gives two runs, each placed on its own fit call', () => {
    const { file, text, lines } = read(KERAS_CH11);
    const runs = notebookRuns(file, text).filter((r) => r.key.startsWith(`${file}#cell-92.`));
    assert.deepEqual(
      runs.map((r) => r.key.slice(file.length)),
      ['#cell-92.1', '#cell-92.2'],
    );
    assert.deepEqual(seriesOf(runs[0], 'train_loss').epochs, [1, 2, 3, 4], 'epochs=4');
    assert.equal(seriesOf(runs[1], 'train_loss').epochs.length, 16, 'epochs=16');
    assert.match(lines[runs[0].line - 1], /history = model_B_on_A\.fit\(X_train_B, y_train_B, epochs=4/);
    assert.match(lines[runs[1].line - 1], /history = model_B_on_A\.fit\(X_train_B, y_train_B, epochs=16/);
  });

  it('handson-ml2 ch. 11: the LR range tests (cells 150 and 227, find_learning_rate) give no run; the fits around them do', async () => {
    const { file, text } = read(KERAS_CH11);
    const keys = notebookRuns(file, text).map((r) => r.key.slice(file.length));
    // Their printouts end in a NaN loss by design (the LR grows until the loss blows up).
    assert.ok(!keys.includes('#cell-150') && !keys.includes('#cell-227'), keys.join(' '));
    assert.ok(keys.includes('#cell-125') && keys.includes('#cell-229'), keys.join(' '));
    const diverged = (await analyzePaths([file])).findings.filter((f) => f.scenario === 'divergence').map((f) => f.cell?.index);
    assert.ok(!diverged.includes(149) && !diverged.includes(226), `divergence told on cells ${diverged.join(', ')}`);
  });

  it('traindx check on a notebook: the divergence of ch. 10 is on the cell\'s fit line, its output line kept', async () => {
    const { file, lines } = read(KERAS_CH10);
    const result = await analyzePaths([file]);
    assert.deepEqual(
      result.files.map((f) => [f.kind, f.format]),
      [
        ['log', 'notebook-outputs'],
        ['config', 'python:python-script'],
      ],
    );
    const div = result.findings.find((f) => f.scenario === 'divergence');
    assert.ok(div, JSON.stringify(result.findings.map((f) => f.rule)));
    assert.equal(div.cell?.index, 122);
    assert.equal(div.cell?.range.startLine, 1, 'the second line of the cell: history = model.fit(');
    assert.match(lines[div.line - 1], /"history = model\.fit\(X_train, y_train, epochs=30,/);
    assert.ok(div.cell?.outputLine);
    assert.match(lines[div.cell.outputLine - 1], /loss: 8159520618\.2209/);
  });

  it('healthy notebooks stay quiet: LoRA at 2e-4 (idefics PEFT), an MRPC fine-tune at 2e-5, an RNN course chapter', async () => {
    const healthy = [
      ['huggingface-notebooks', 'examples_idefics_finetune_image_captioning_peft.ipynb'],
      ['huggingface-notebooks', 'course_videos_push_to_hub.ipynb'],
      ['ageron-handson-ml2', '16_nlp_with_rnns_and_attention.ipynb'],
    ];
    for (const parts of healthy) {
      const result = await analyzePaths([realNotebook(...parts)]);
      const log = result.files.find((f) => f.kind === 'log');
      assert.ok(log && (log.points ?? 0) > 0, `${parts[1]}: its outputs are read`);
      assert.deepEqual(result.findings.map((f: Finding) => `${f.rule}@${f.line}`), [], parts[1]);
    }
  });

  it('HF course trainer_api: eval_loss rising at epoch 3 while accuracy rises is not called forgetting', async () => {
    const result = await analyzePaths([realNotebook(...TRAINER_API)]);
    assert.deepEqual(
      result.findings.filter((f) => f.scenario === 'fine-tuning'),
      [],
    );
  });
});

describe('notebook outputs: shapes', () => {
  it('a DataFrame table is not a training log; a Keras progress with \\r and \\b residue keeps its final state', () => {
    const frame = segmentsOfOutputs([{ kind: 'html', lines: [{ text: '<table><thead><tr><th></th><th>loss</th></tr></thead><tbody><tr><th>0</th><td>0.5</td></tr></tbody></table>', line: 3 }] }]);
    assert.deepEqual(frame, []);
    const keras = segmentsOfOutputs([
      {
        kind: 'text',
        lines: [
          { text: 'Epoch 1/2', line: 10 },
          { text: '  1/100 [..............................] - ETA: 0s - loss: 2.3000\r100/100 [==============================] - 1s 5ms/step - loss: 0.9000 - val_loss: 1.1000', line: 11 },
          { text: 'Epoch 2/2', line: 12 },
          { text: ' 50/100 [==============>...............] - ETA: 0s - loss: 0.8000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b100/100 [==============================] - 1s 5ms/step - loss: 0.7000 - val_loss: 1.0000', line: 13 },
        ],
      },
    ]);
    assert.equal(keras.length, 1);
    assert.deepEqual(
      keras[0].filter((e) => e.name === 'train_loss' || e.name === 'val_loss').map((e) => [e.name, e.value, e.epoch, e.line]),
      [
        ['train_loss', 0.9, 1, 11],
        ['val_loss', 1.1, 1, 11],
        ['train_loss', 0.7, 2, 13],
        ['val_loss', 1.0, 2, 13],
      ],
    );
  });

  it('a stream saved as pieces of one line across strings is one line, on the string that ends it', () => {
    const text = JSON.stringify({ cells: [{ cell_type: 'code', source: ['model.fit(x, y, epochs=1)'], outputs: [{ output_type: 'stream', name: 'stdout', text: ['Epoch 1/1\n', '10/10 - 0s - loss: ', '0.5 - val_loss: 0.6\n'] }] }] }, null, 1);
    const layout = notebookLayout(text);
    assert.ok(layout);
    const lines = text.split('\n');
    const out = layout.cells[0].outputs[0].lines;
    assert.deepEqual(out.map((l) => l.text), ['Epoch 1/1', '10/10 - 0s - loss: 0.5 - val_loss: 0.6']);
    assert.match(lines[out[1].line - 1], /"0\.5 - val_loss: 0\.6\\n"/);
  });
});

describe('notebook findings placed in cells', () => {
  /** An nbformat 4 notebook as Jupyter writes it (`indent=1`, sources as lists of lines). */
  function notebook(cells: { kind: 'code' | 'markdown'; src: string }[]): string {
    const toCell = (c: { kind: string; src: string }) => {
      const lines = c.src.split('\n');
      return { cell_type: c.kind, metadata: {}, source: lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)), ...(c.kind === 'code' ? { outputs: [], execution_count: null } : {}) };
    };
    return `${JSON.stringify({ cells: cells.map(toCell), metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;
  }

  it('a config finding in a later cell: its cell (markdown counted) and its range in that cell, past JSON escapes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-nbcell-'));
    try {
      const file = path.join(dir, 'nb.ipynb');
      const schedulerLine = 'tag = "a\\tb"; sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[30, 45])';
      fs.writeFileSync(
        file,
        notebook([
          { kind: 'markdown', src: '# CIFAR-10' },
          { kind: 'code', src: 'import torch\nEPOCHS = 60\nopt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)' },
          { kind: 'code', src: `# the schedule\n${schedulerLine}` },
          { kind: 'code', src: 'for epoch in range(EPOCHS):\n    train(epoch)\n    sched.step()' },
        ]),
      );
      const result = await analyzePaths([file]);
      {
        const step = result.findings.find((f) => f.rule === 'lr-step-scheduler');
        assert.ok(step, JSON.stringify(result.findings.map((f) => f.rule)));
        assert.equal(step.cell?.index, 2);
        const r = step.cell.range;
        assert.equal(r.startLine, 1);
        // In the cell the text is `tag = "a\tb"; sched = …`: the range starts where the call does, whatever JSON made of the quotes and the backslash.
        const at = schedulerLine.indexOf('torch.optim.lr_scheduler.MultiStepLR');
        assert.ok(r.startChar <= at && at < r.endChar, `range ${r.startChar}-${r.endChar} does not cover the scheduler at ${at}`);
        assert.match(schedulerLine.slice(r.startChar, r.endChar), /^(?:sched = )?torch\.optim\.lr_scheduler\.MultiStepLR/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('notebook outputs: hostile notebooks', () => {
  it('a fit printing 50 000 epochs is read whole and quickly; truncated, non-notebook and deeply nested JSON never throw', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-nbhostile-'));
    try {
      const write = (name: string, text: string) => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, text);
        return f;
      };
      const lines: string[] = [];
      for (let e = 1; e <= 50_000; e++) lines.push(`Epoch ${e}/50000\n`, `10/10 [====] - 0s - loss: ${(1 / e).toFixed(6)}\n`);
      const big = write('big.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', source: ['model.fit(x, y, epochs=50000)'], outputs: [{ output_type: 'stream', name: 'stdout', text: lines }] }] }, null, 1));
      const t0 = Date.now();
      const result = await analyzePaths([big]);
      assert.equal(result.files.find((f) => f.kind === 'log')?.points, 50_000);
      assert.ok(Date.now() - t0 < 15_000, `took ${Date.now() - t0} ms`);
      const odd = [
        write('truncated.ipynb', '{"cells": [{"cell_type": "code", "source": ["model.fit(x)"], "outputs": [{"output_type": "stream", "text": ["Epoch 1/2\\n", "loss: 0.5 - val'),
        write('array.ipynb', '[1, 2, 3]'),
        write('nested.ipynb', `{"cells":${'['.repeat(20_000)}${']'.repeat(20_000)}}`),
        write('rows.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', source: ['trainer.train()'], outputs: [{ output_type: 'display_data', data: { 'text/html': `<table><tr><th>Epoch</th><th>Training Loss</th></tr>${'<tr><td'.repeat(100_000)}</table>` } }] }] })),
      ];
      for (const f of odd) {
        const r = await analyzePaths([f]);
        assert.deepEqual(r.findings, [], path.basename(f));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
