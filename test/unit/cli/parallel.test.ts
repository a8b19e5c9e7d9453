import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzePaths, countRuns, partitionFiles, walkAnalyzable } from '../../../src/core/analyze';
import { analyzePathsParallel, workerCount } from '../../../src/cli/parallel';
import { EXAMPLES } from '../../helpers/paths';

/**
 * A tree with what a split could break: ensemble groups (sibling runs with seeds, the seed variance
 * large enough to fire), a config three levels above its logs, a run spread over TensorBoard-style
 * train/ + validation/ folders named like logs, diverged runs, a config no log reads, an unreadable
 * config.
 */
function makeTree(root: string): void {
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const log = (epochs: number, accTop: number, nanAt = -1): string => {
    const lines: string[] = [];
    for (let e = 1; e <= epochs; e++) {
      for (let s = 1; s <= 20; s++) {
        const loss = e * 20 + s === nanAt ? 'nan' : (0.3 + 2 / (e + s / 20)).toFixed(4);
        lines.push(`Epoch [${e}/${epochs}] Step [${s}/20] loss=${loss} lr=${(1e-3 * (e > epochs / 2 ? 0.1 : 1)).toExponential(2)}`);
      }
      lines.push(`Epoch [${e}/${epochs}] val_loss=${(0.4 + 2 / (e + 1)).toFixed(4)} val_acc=${(accTop - 0.3 / e).toFixed(4)}`);
    }
    return `${lines.join('\n')}\n`;
  };
  for (let g = 0; g < 4; g++) {
    for (let seed = 0; seed < 5; seed++) {
      const run = `sweep${g}/seed-${seed}`;
      write(`${run}/config.yaml`, `lr: ${[1e-3, 3e-3, 1e-2, 3e-4][g]}\nbatch_size: 64\nepochs: 12\noptimizer: adamw\nseed: ${seed}\n`);
      write(`${run}/train.log`, log(12, 0.7 + (g % 2 === 0 ? seed * 0.02 : 0.001 * seed), g === 2 && seed === 3 ? 100 : -1));
    }
  }
  // Logs three folders below their config.
  write('deep/config.yaml', 'lr: 0.1\nbatch_size: 4096\nepochs: 30\nwarmup_epochs: 0\n');
  for (let i = 0; i < 3; i++) write(`deep/a/b/run${i}/train.log`, log(8, 0.6 + i * 0.05));
  // A config with no log, and one that cannot be read (unless the tests run as root).
  write('lonely/hparams.yaml', 'lr: 10\nbatch_size: 32\n');
  write('broken/config.yaml', 'lr: 1e-3\n');
  fs.chmodSync(path.join(root, 'broken/config.yaml'), 0o000);
  write('broken/train.log', log(4, 0.5));
  for (let i = 0; i < 6; i++) write(`solo/run${i}/output.log`, log(6, 0.55, i === 1 ? 30 : -1));
}

describe('traindx check in worker threads', function () {
  this.timeout(120_000);
  let tmp: string;
  /** A copy of examples/ (a run being re-trained there must not change between the two analyses). */
  let examples: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-par-'));
    makeTree(path.join(tmp, 'tree'));
    examples = path.join(tmp, 'examples');
    fs.cpSync(EXAMPLES, examples, { recursive: true });
    tmp = path.join(tmp, 'tree');
  });
  after(() => {
    fs.chmodSync(path.join(tmp, 'broken/config.yaml'), 0o600);
    fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
  });

  it('gives the same result as one thread on examples/', async () => {
    const one = await analyzePaths([examples]);
    assert.ok(one.findings.some((f) => f.scenario === 'ensemble'), 'examples/ has an ensemble group');
    for (const n of [2, 3, 5]) {
      const par = await analyzePathsParallel([examples], {}, n);
      assert.ok(par.workers >= 2, `${n} workers asked, ${par.workers} used`);
      const { workers: _w, ...rest } = par;
      void _w;
      assert.deepEqual(rest, one, `${n} workers`);
    }
  });

  it('gives the same result as one thread on a generated tree (groups, deep configs, unreadable files)', async () => {
    const one = await analyzePaths([tmp]);
    assert.ok(one.findings.some((f) => f.scenario === 'ensemble'), 'the tree has an ensemble finding');
    assert.ok(one.findings.some((f) => f.rule === 'nonfinite'), 'the tree has a divergence finding');
    for (const n of [2, 4, 7]) {
      const { workers, ...rest } = await analyzePathsParallel([tmp], {}, n);
      assert.ok(workers >= 2);
      assert.deepEqual(rest, one, `${n} workers`);
    }
  });

  it('keeps options (disabled rules, severities, thresholds) in the workers', async () => {
    const options = { disabled: ['nonfinite'], severity: { ensemble: 'error' as const }, thresholds: { stdPp: 0.1 } };
    const one = await analyzePaths([tmp, examples], options);
    const { workers, ...rest } = await analyzePathsParallel([tmp, examples], options, 3);
    assert.ok(workers >= 2);
    assert.deepEqual(rest, one);
    assert.ok(!one.findings.some((f) => f.rule === 'nonfinite'));
  });

  it('keeps a run, the configs it reads and its sibling runs in one part', async () => {
    const walk = await walkAnalyzable([tmp]);
    const parts = partitionFiles(walk.files, 8);
    const partOf = (rel: string): number => parts.findIndex((p) => [...p.logs, ...p.configs].includes(path.join(tmp, rel)));
    for (let g = 0; g < 4; g++) {
      const first = partOf(`sweep${g}/seed-0/train.log`);
      for (let s = 0; s < 5; s++) {
        assert.equal(partOf(`sweep${g}/seed-${s}/train.log`), first);
        assert.equal(partOf(`sweep${g}/seed-${s}/config.yaml`), first);
      }
    }
    for (let i = 0; i < 3; i++) assert.equal(partOf(`deep/a/b/run${i}/train.log`), partOf('deep/config.yaml'));
    // Every file in exactly one part, walk order kept inside each.
    const all = parts.flatMap((p) => [...p.logs, ...p.configs]);
    assert.equal(all.length, walk.files.length);
    assert.equal(new Set(all).size, walk.files.length);
    for (const p of parts) {
      const idx = p.logs.map((f) => walk.files.indexOf(f));
      assert.deepEqual(idx, [...idx].sort((a, b) => a - b));
    }
    assert.ok(parts.length >= 4, `${parts.length} parts`);
  });

  it('uses workers only for many runs on several CPUs, or when TRAINDX_WORKERS says so', async () => {
    assert.equal(workerCount(3, {}), 0);
    const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    assert.equal(workerCount(100, {}), cpus < 2 ? 0 : Math.min(cpus, 8));
    assert.equal(workerCount(100, { TRAINDX_WORKERS: '0' }), 0);
    assert.equal(workerCount(2, { TRAINDX_WORKERS: '3' }), 3);
    assert.equal(countRuns((await walkAnalyzable([tmp])).files), 20 + 3 + 1 + 6);
    // One run: no workers even when asked for many (nothing to split).
    const single = await analyzePathsParallel([path.join(tmp, 'solo', 'run0')], {}, 4);
    assert.equal(single.workers, 0);
  });
});
