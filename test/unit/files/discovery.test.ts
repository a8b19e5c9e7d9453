/**
 * The CLI walk (`traindx check`) and the server's watcher find the same files: they share
 * files/layout.ts (what a file is, which folders are skipped). Checked on a layout with every kind of
 * skipped folder (expected files listed by hand), then on examples/ and ../shared/real-logs, where the
 * two must agree file for file.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { walkAnalyzable } from '../../../src/core/analyze';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { RunWatcher } from '../../../src/server/watcher';
import { EXAMPLES, REAL_LOGS, skipWithoutRealLogs } from '../../helpers/paths';

/** The files the watcher follows under `root` once its first scan is done. */
function watched(root: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const seen = new Set<string>();
    const w = new RunWatcher(
      (f) => AnalysisWorkspace.isLog(f) || AnalysisWorkspace.isConfig(f),
      {
        changed: (f) => seen.add(f),
        removed: (f) => seen.delete(f),
        limitReached: () => reject(new Error('file limit reached')),
        ready: () => {
          void w.stop().then(() => resolve([...seen].sort()));
        },
      },
      100_000,
    );
    w.start([root]);
  });
}

async function walked(root: string): Promise<string[]> {
  const r = await walkAnalyzable([root]);
  assert.deepEqual(r.problems, []);
  return [...r.files].sort();
}

describe('discovery: the CLI walk and the server watcher read the same files', function () {
  this.timeout(120_000);

  it('skip every skipped folder, and only those (expected files by hand)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-discover-'));
    const files = [
      'run/train.log',
      'run/config.yaml',
      'run/lightning_logs/version_0/metrics.csv',
      'run/wandb/run-1/files/output.log',
      'run/artifacts-old/train.log',
      // Below skipped folders: none of these is read.
      'run/wandb-artifacts/model-v1/config.yaml',
      'run/wandb-artifacts/model-v1/output.log',
      'run/mlruns/0/abc/artifacts/args.yaml',
      'run/mlruns/.trash/def/metrics/loss',
      'run/.ipynb_checkpoints/config-checkpoint.yaml',
      'run/node_modules/pkg/train.log',
      'run/.venv/lib/site-packages/pkg/config.yaml',
      'run/.git/logs/HEAD.log',
      'run/__pycache__/train.log',
    ];
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), f.endsWith('metrics/loss') ? '1700000000000 0.5 0\n' : 'epoch: 0 loss: 1\n');
    }
    const expected = ['run/artifacts-old/train.log', 'run/config.yaml', 'run/lightning_logs/version_0/metrics.csv', 'run/train.log', 'run/wandb/run-1/files/output.log']
      .map((f) => path.join(root, f))
      .sort();
    const cli = await walked(root);
    const server = await watched(root);
    fs.rmSync(root, { recursive: true, force: true });
    assert.deepEqual(cli, expected, 'traindx check');
    assert.deepEqual(server, expected, 'the server watcher');
  });

  it('on examples/', async () => {
    const w = await walked(EXAMPLES);
    assert.ok(w.length > 50, `${w.length} files`);
    assert.deepEqual(await watched(EXAMPLES), w);
  });

  it('on ../shared/real-logs', async function () {
    skipWithoutRealLogs(this);
    const w = await walked(REAL_LOGS);
    assert.ok(w.length > 50, `${w.length} files`);
    assert.deepEqual(await watched(REAL_LOGS), w);
  });
});
