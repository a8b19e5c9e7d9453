/**
 * A log's last line without a final newline: read as complete by a one-shot check (the CLI reads files
 * as they are), held back by a followed log (the server: the writer may still be writing that line).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzePaths } from '../../../src/core/analyze';
import { AnalysisWorkspace } from '../../../src/core/workspace';

const LINES = ['epoch 1 train_loss 0.9 val_loss 1.0', 'epoch 2 train_loss 0.8 val_loss 0.95', 'epoch 3 train_loss 0.7 val_loss 0.9'];

describe('the last line of a log without its newline', () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-last-line-'));
    log = path.join(dir, 'train.log');
    fs.writeFileSync(log, LINES.join('\n'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a one-shot check reads it: three epochs', async () => {
    const { files } = await analyzePaths([dir]);
    const report = files.find((f) => f.path === log);
    assert.ok(report, 'the log is read');
    assert.equal(report.points, 3 * 2, 'train_loss and val_loss of 3 epochs');
  });

  it('a followed log holds it back, then reads it once when it ends (no point doubled or lost)', async () => {
    const ws = new AnalysisWorkspace();
    const key = await ws.updateLog(log);
    assert.ok(key);
    const values = () => Array.from({ length: ws.run(key)?.series('train_loss')?.length ?? 0 }, (_, i) => ws.run(key)!.series('train_loss')!.value(i));
    assert.deepEqual(values(), [0.9, 0.8]);
    // The writer finishes the line it was writing ("0.9" → "0.95") and ends it.
    fs.appendFileSync(log, '5\nepoch 4 train_loss 0.6 val_loss 0.85\n');
    await ws.updateLog(log);
    assert.deepEqual(values(), [0.9, 0.8, 0.7, 0.6]);
    assert.equal(ws.run(key)?.series('val_loss')?.value(2), 0.95);
  });
});
