/**
 * A notebook holds one run per training its cells printed (handson-ml2 ch. 10: a Keras fit per cell),
 * all in one file: Explain on a finding opens the run of the finding's own cell, and a run's findings
 * are those of its cell only. Read in place from ../shared/real-notebooks.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { explain } from '../../../src/server/features/explain';
import { realNotebook, skipWithoutRealNotebooks } from '../../helpers/paths';
import { contextOf, uri, type TestContext } from './feature-context';

describe('notebook runs in the run view (in-process)', function () {
  let ctx: TestContext;
  let file: string;
  before(async function () {
    skipWithoutRealNotebooks(this);
    file = realNotebook('ageron-handson-ml2', '10_neural_nets_with_keras.ipynb');
    // As ingest reads a notebook: its code as a config, then its outputs as a log.
    const ws = new AnalysisWorkspace();
    ws.setConfigText(file, fs.readFileSync(file, 'utf8'));
    await ws.updateLog(file);
    ctx = contextOf(ws, [path.dirname(file)]);
  });

  it('Explain on the divergence of cell 123 opens that cell\'s training, whose findings are its own', () => {
    const finding = ctx.workspace.findings().find((f) => f.scenario === 'divergence');
    assert.ok(finding?.cell);
    const r = explain(ctx, { scenario: 'divergence', uri: uri(file), line: finding.line - 1 });
    assert.ok(r?.run);
    assert.equal(r.run.runKey, `${file}#cell-123`);
    // The exploding epoch of that fit: loss 8159520618.2209 at epoch 2.
    assert.ok(r.run.findings.length > 0);
    assert.ok(r.run.findings.every((f) => f.cell?.index === 122), JSON.stringify(r.run.findings.map((f) => f.cell?.index)));
    const other = ctx.queries.findings(`${file}#cell-131`);
    assert.ok(other.every((f) => f.cell?.index === 130) && other.length > 0, 'cell 131 has its own (oscillation) finding');
  });
});
