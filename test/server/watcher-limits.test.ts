import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunWatcher } from '../../src/server/watcher';

/** RunWatcher says when the system stops it short (out of inotify watches or file handles), once. */
describe('RunWatcher: system limits', function () {
  this.timeout(20_000);
  let dir: string;
  let watcher: RunWatcher | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-watch-'));
    fs.writeFileSync(path.join(dir, 'train.log'), 'Epoch [1/1] Step [1/1] loss=1.0 lr=1e-3\n');
  });
  afterEach(async () => {
    await watcher?.stop();
    watcher = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports ENOSPC / EMFILE from chokidar once, and not a folder it may not read', async () => {
    const codes: string[] = [];
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    watcher = new RunWatcher(
      (f) => f.endsWith('.log'),
      { changed: () => undefined, removed: () => undefined, limitReached: () => undefined, systemLimit: (c) => codes.push(c), ready },
      100,
    );
    watcher.start([dir]);
    await isReady;
    // chokidar's FSWatcher, as it reports a watch it could not add.
    const inner = (watcher as unknown as { watcher: NodeJS.EventEmitter }).watcher;
    const err = (code: string): Error => Object.assign(new Error(`${code}: watch failed`), { code });
    inner.emit('error', err('EACCES'));
    assert.deepEqual(codes, []);
    inner.emit('error', err('ENOSPC'));
    inner.emit('error', err('ENOSPC'));
    inner.emit('error', err('EMFILE'));
    assert.deepEqual(codes, ['ENOSPC']);
  });
});
