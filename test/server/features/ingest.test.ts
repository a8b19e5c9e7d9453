import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { Ingest, type IngestEvents } from '../../../src/server/ingest';
import { OnceLog } from '../../../src/shared/log-once';
import { EXAMPLES } from '../../helpers/paths';

/** Resolves at the next `changed` event. */
function events(): IngestEvents & { next(): Promise<void> } {
  let wake: (() => void) | undefined;
  return {
    changed: () => wake?.(),
    idle: () => undefined,
    watchStateChanged: () => undefined,
    warn: (m) => assert.fail(m),
    info: () => undefined,
    next: () => new Promise<void>((r) => (wake = r)),
  };
}

describe('ingest (in-process, no watcher)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-ingest-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a log opened in the editor from disk, follows its appends, and remembers its run as the last updated', async () => {
    const source = fs.readFileSync(path.join(EXAMPLES, 'runs', 'step-decay', 'output.log'), 'utf8').split('\n');
    const log = path.join(dir, 'output.log');
    fs.writeFileSync(log, source.slice(0, 40).join('\n') + '\n');
    const ws = new AnalysisWorkspace();
    const ev = events();
    const ingest = new Ingest(ws, () => undefined, ev, new OnceLog(assert.fail));
    let changed = ev.next();
    ingest.opened(log, 'log', '(the editor text of a log is not what is read)');
    await changed;
    const key = ws.runKeyOfFile(log);
    assert.ok(key);
    assert.equal(ingest.lastUpdatedRun, key);
    const before = ws.run(key)?.series('val_loss')?.length;
    assert.equal(before, source.slice(0, 40).filter((l) => l.includes('val_loss=')).length);
    changed = ev.next();
    fs.appendFileSync(log, source.slice(40).join('\n'));
    ingest.opened(log, 'log', '');
    await changed;
    assert.equal(ws.run(key)?.series('val_loss')?.length, source.filter((l) => l.includes('val_loss=')).length);
  });

  it("takes an open config's text from the editor, and goes back to the disk's when it is closed", async () => {
    const config = path.join(dir, 'config.yaml');
    const disk = fs.readFileSync(path.join(EXAMPLES, 'runs', 'step-decay', 'config.yaml'), 'utf8');
    fs.writeFileSync(config, disk);
    const ws = new AnalysisWorkspace();
    const ev = events();
    const ingest = new Ingest(ws, () => undefined, ev, new OnceLog(assert.fail));
    ingest.opened(config, 'yaml', 'optimizer:\n  lr: 0.5\n');
    assert.equal(ws.configOf(config)?.lr?.value, 0.5);
    const changed = ev.next();
    ingest.closed(config);
    await changed;
    assert.notEqual(ws.configOf(config)?.lr?.value, 0.5);
    assert.ok(ws.configOf(config), 'the disk text is a training config');
  });
});
