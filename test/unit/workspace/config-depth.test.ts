/**
 * How far above a log its config is looked for: the log's folder and the three folders above it (a
 * Lightning run: `<run>/config.yaml` read by `<run>/lightning_logs/version_0/metrics.csv` is two up; a
 * Hydra output `<run>/.hydra/config.yaml` is beside; three up is the furthest a framework nests logs
 * under its run folder). Laid out on disk, with a different config at each height so the answer says
 * which one was read; the expected heights are counted by hand from the paths below.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzePaths, partitionFiles } from '../../../src/core/analyze';
import { AnalysisWorkspace } from '../../../src/core/workspace';

const LOG_LINES = Array.from({ length: 12 }, (_, e) => `epoch: ${e} train_loss: ${(1 / (e + 1)).toFixed(4)}`).join('\n') + '\n';

const made: string[] = [];

/** root/h4/h3/h2/h1/h0/train.log: folder hN is N levels above the log's own folder h0. */
function layout(withConfigAt: readonly number[]): { root: string; log: string; configAt: (h: number) => string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-depth-'));
  made.push(root);
  const dirOf = (h: number): string => path.join(root, ...['h4', 'h3', 'h2', 'h1', 'h0'].slice(0, 5 - h));
  const log = path.join(dirOf(0), 'train.log');
  fs.mkdirSync(dirOf(0), { recursive: true });
  fs.writeFileSync(log, LOG_LINES);
  const configAt = (h: number): string => path.join(dirOf(h), 'config.yaml');
  // The LR names the height, so the config read is known from its value.
  for (const h of withConfigAt) fs.writeFileSync(configAt(h), `lr: 0.${h + 1}\nbatch_size: 32\n`);
  return { root, log, configAt };
}

function workspaceOf(configs: readonly string[]): AnalysisWorkspace {
  const ws = new AnalysisWorkspace();
  for (const c of configs) ws.setConfigText(c, fs.readFileSync(c, 'utf8'));
  return ws;
}

describe('config search depth: the log folder and three above', () => {
  after(() => {
    for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  });

  for (const h of [0, 1, 2, 3]) {
    it(`a config ${h} folder(s) above the log's folder is the log's config`, () => {
      const { log, configAt } = layout([h]);
      assert.equal(workspaceOf([configAt(h)]).configForLog(log)?.file, configAt(h));
    });
  }

  it('a config 4 folders above is not', () => {
    const { log, configAt } = layout([4]);
    assert.equal(workspaceOf([configAt(4)]).configForLog(log), undefined);
  });

  it('the nearest config wins', () => {
    const { log, configAt } = layout([1, 3]);
    assert.equal(workspaceOf([configAt(3), configAt(1)]).configForLog(log)?.lr?.value, 0.2);
  });

  it('splitting for worker threads keeps a log with a config 3 above, and apart from one 4 above', () => {
    const { log, configAt } = layout([3, 4]);
    const parts = partitionFiles([log, configAt(3), configAt(4)], 8);
    const partOf = (f: string): number => parts.findIndex((p) => p.logs.includes(f) || p.configs.includes(f));
    assert.equal(partOf(log), partOf(configAt(3)));
    assert.notEqual(partOf(log), partOf(configAt(4)));
    assert.equal(parts.length, 2);
  });

  it('traindx check of the whole layout reads both configs and the log', async () => {
    const { root, log, configAt } = layout([3, 4]);
    const r = await analyzePaths([root]);
    assert.deepEqual(
      r.files.map((f) => [f.path, f.kind]),
      [
        [configAt(4), 'config'],
        [configAt(3), 'config'],
        [log, 'log'],
      ].sort((a, b) => a[0].localeCompare(b[0])),
    );
  });
});
