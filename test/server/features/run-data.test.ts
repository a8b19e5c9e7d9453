import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { AnalysisWorkspace } from '../../../src/core/workspace';
import { runData } from '../../../src/server/features/run-data';
import type { Marker, RunDataParams } from '../../../src/shared/protocol';
import { EXAMPLES } from '../../helpers/paths';
import { contextOf, uri, withoutLightningCsv, workspaceOf, type TestContext } from './feature-context';

const ROOT = path.join(EXAMPLES, 'runs');
const RUN = path.join(ROOT, 'step-decay');
const LOG = path.join(RUN, 'output.log');

/** `val_loss=` values and the epoch of each, read from the printed log by a regex of this test. */
function valLossOfLog(): { epochs: number[]; values: number[] } {
  const epochs: number[] = [];
  const values: number[] = [];
  for (const line of fs.readFileSync(LOG, 'utf8').split('\n')) {
    const m = /^Epoch \[(\d+)\/\d+\].*val_loss=([\d.]+)/.exec(line);
    if (m) {
      epochs.push(Number(m[1]));
      values.push(Number(m[2]));
    }
  }
  return { epochs, values };
}

describe('run data feature (in-process)', () => {
  let ws: AnalysisWorkspace;
  let ctx: TestContext;
  before(async () => {
    ws = await workspaceOf([RUN], withoutLightningCsv);
    ctx = contextOf(ws, [ROOT]);
  });

  it("answers a log's URI with its run: every val_loss point at its printed epoch, labelled relative to the folder", () => {
    const data = runData(ctx, { uri: uri(LOG) });
    assert.ok(data, 'the step-decay log has a run');
    assert.ok(data.files.includes(LOG));
    assert.equal(data.label, path.relative(ROOT, data.runKey));
    const val = data.series.find((s) => s.name === 'val_loss');
    const expected = valLossOfLog();
    assert.equal(expected.values.length, 45, 'the example prints 45 epochs');
    assert.deepEqual(val && { xKind: val.xKind, x: val.x, y: val.y }, { xKind: 'epoch', x: expected.epochs, y: expected.values });
  });

  it('places each finding of the log on the epoch printed on its line', () => {
    const data = runData(ctx, { uri: uri(LOG) });
    assert.ok(data);
    const lines = fs.readFileSync(LOG, 'utf8').split('\n');
    const inLog = data.findings.filter((f) => f.file === LOG);
    assert.ok(inLog.length >= 2, 'the step-decay log holds two lr drops');
    for (const f of inLog) {
      const marker: Marker | undefined = data.markers.find((m) => m.line === f.line && m.scenario === f.scenario);
      const printed = Number(/^Epoch \[(\d+)\//.exec(lines[f.line - 1])?.[1]);
      assert.deepEqual(marker && { x: marker.x, xKind: marker.xKind }, { x: printed, xKind: 'epoch' }, `marker of line ${f.line}`);
    }
  });

  it("answers a config's URI with the run whose log sits beside it", () => {
    const data = runData(ctx, { uri: uri(path.join(RUN, 'config.yaml')) });
    assert.ok(data);
    assert.ok(data.files.every((f) => f.startsWith(RUN + path.sep)), data.files.join(', '));
  });

  it('names runs by key as well, and answers null for what it does not know', () => {
    const byUri = runData(ctx, { uri: uri(LOG) });
    assert.ok(byUri);
    assert.equal(runData(ctx, { runKey: byUri.runKey })?.runKey, byUri.runKey);
    assert.equal(runData(ctx, { runKey: '../../etc/passwd' }), null);
    assert.equal(runData(ctx, { uri: 'untitled:Untitled-1' }), null);
    assert.equal(runData(ctx, { uri: uri(path.join(ROOT, 'nowhere', 'output.log')) }), null);
    assert.equal(runData(ctx, null as unknown as RunDataParams), null);
  });
});
