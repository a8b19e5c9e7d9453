/**
 * Following files that are deleted, reached through symlinks, or replaced while being read, through the
 * public LogFile and AnalysisWorkspace API: after the dust settles the file's points are exactly those
 * of what is on disk (nothing lost, nothing doubled).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogFile } from '../../../src/core/logfile';
import type { MetricEvent } from '../../../src/core/types';
import { AnalysisWorkspace } from '../../../src/core/workspace';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-replace-'));
}

function logText(from: number, to: number, tag: number): string {
  let s = '';
  for (let e = from; e < to; e++) s += `epoch: ${e} train_loss: ${(tag + 1 / (e + 1)).toFixed(5)} val_loss: ${(tag + 1.1 / (e + 1)).toFixed(5)}\n`;
  return s;
}

const key = (e: MetricEvent): string => `${e.name}|${e.value}|${e.epoch}|${e.line}`;

/** Polls until settled, keeping only what follows the last reset (what the run model keeps). */
async function settle(lf: LogFile, acc: MetricEvent[]): Promise<{ resets: number; missing: boolean }> {
  let resets = 0;
  let missing = false;
  for (let i = 0; i < 10_000; i++) {
    const up = await lf.poll();
    if (up.reset) {
      resets++;
      acc.length = 0;
    }
    missing = up.missing;
    if (up.missing) acc.length = 0;
    acc.push(...up.events);
    if (!up.more) return { resets, missing };
  }
  throw new Error('did not settle');
}

/**
 * The points of `logText(from, to, tag)` pieces, derived from how logText writes them (one line per
 * epoch, train_loss then val_loss, lines numbered from 1 across the pieces), not by a parser.
 */
function expected(...pieces: [from: number, to: number, tag: number][]): string[] {
  const out: string[] = [];
  let line = 0;
  for (const [from, to, tag] of pieces) {
    for (let e = from; e < to; e++) {
      line++;
      out.push(`train_loss|${Number((tag + 1 / (e + 1)).toFixed(5))}|${e}|${line}`, `val_loss|${Number((tag + 1.1 / (e + 1)).toFixed(5))}|${e}|${line}`);
    }
  }
  return out;
}

/** Points of a workspace's run for one file, as keys. */
function runKeys(ws: AnalysisWorkspace, file: string): string[] {
  const run = ws.runOfFile(file);
  if (!run) return [];
  const out: string[] = [];
  for (const name of ['train_loss', 'val_loss']) {
    const s = run.series(name);
    if (!s) continue;
    for (let i = 0; i < s.length; i++) out.push(`${name}|${s.value(i)}|${s.epoch(i)}|${s.line(i)}`);
  }
  return out.sort();
}

describe('robustness: tail through deletes, symlinks and replacement', () => {
  it('deleted, then recreated with other content: missing, then exactly the new content', async () => {
    const d = tmp();
    const f = path.join(d, 'train.log');
    fs.writeFileSync(f, logText(0, 10, 0));
    const lf = new LogFile(f);
    const acc: MetricEvent[] = [];
    await settle(lf, acc);
    assert.deepEqual(acc.map(key), expected([0, 10, 0]));
    fs.unlinkSync(f);
    assert.equal((await settle(lf, acc)).missing, true);
    fs.writeFileSync(f, logText(0, 4, 5));
    await settle(lf, acc);
    assert.deepEqual(acc.map(key), expected([0, 4, 5]));
  });

  it('a symlinked log: appends to the target are followed; retargeting the link re-reads the new target', async () => {
    const d = tmp();
    const a = path.join(d, 'a.log');
    const b = path.join(d, 'b.log');
    const link = path.join(d, 'train.log');
    fs.writeFileSync(a, logText(0, 5, 0));
    fs.writeFileSync(b, logText(0, 30, 7));
    fs.symlinkSync(a, link);
    const lf = new LogFile(link);
    const acc: MetricEvent[] = [];
    await settle(lf, acc);
    fs.appendFileSync(a, logText(5, 8, 0));
    await settle(lf, acc);
    assert.deepEqual(acc.map(key), expected([0, 8, 0]));
    // Atomic retarget: a new link renamed over the old one.
    fs.symlinkSync(b, `${link}.tmp`);
    fs.renameSync(`${link}.tmp`, link);
    const r = await settle(lf, acc);
    assert.ok(r.resets >= 1, 'a new target is a reset');
    assert.deepEqual(acc.map(key), expected([0, 30, 7]));
  });

  it('replaced (write + rename) while being read in budgeted steps: exactly the new file, no doubling', async () => {
    for (const [cut, grows] of [
      [1, false],
      [2, true],
      [5, true],
    ] as const) {
      const d = tmp();
      const f = path.join(d, 'train.log');
      const oldText = logText(0, 400, 0);
      fs.writeFileSync(f, oldText);
      const lf = new LogFile(f, { chunkSize: 512, budget: 1024 });
      const acc: MetricEvent[] = [];
      for (let i = 0; i < cut; i++) {
        const up = await lf.poll();
        acc.push(...up.events);
        assert.equal(up.more, true, 'still reading the old file');
      }
      // The writer replaces the file: same name, new inode, different (longer or shorter) content.
      const newText = grows ? logText(0, 600, 3) : logText(0, 50, 3);
      fs.writeFileSync(`${f}.tmp`, newText);
      fs.renameSync(`${f}.tmp`, f);
      const r = await settle(lf, acc);
      assert.ok(r.resets >= 1, `cut ${cut}: a replaced file is a reset`);
      assert.deepEqual(acc.map(key), expected([0, grows ? 600 : 50, 3]), `cut ${cut}`);
      // And it keeps following the new file.
      fs.appendFileSync(f, logText(grows ? 600 : 50, grows ? 610 : 60, 3));
      await settle(lf, acc);
      assert.deepEqual(acc.map(key), expected([0, grows ? 600 : 50, 3], [grows ? 600 : 50, grows ? 610 : 60, 3]));
    }
  });

  it('truncated in place and rewritten with a longer file while being read: exactly the new content', async () => {
    const d = tmp();
    const f = path.join(d, 'train.log');
    fs.writeFileSync(f, logText(0, 300, 0));
    const lf = new LogFile(f, { chunkSize: 512, budget: 1024 });
    const acc: MetricEvent[] = [];
    acc.push(...(await lf.poll()).events);
    const newText = logText(0, 500, 9);
    fs.writeFileSync(f, newText); // same inode, O_TRUNC then write
    await settle(lf, acc);
    assert.deepEqual(acc.map(key), expected([0, 500, 9]));
  });

  it('AnalysisWorkspace: run points after delete/recreate and replace equal a fresh analysis of the disk', async () => {
    const d = tmp();
    const f = path.join(d, 'run1', 'train.log');
    fs.mkdirSync(path.dirname(f));
    fs.writeFileSync(f, logText(0, 40, 0));
    const ws = new AnalysisWorkspace();
    await ws.updateLog(f);
    fs.appendFileSync(f, logText(40, 45, 0));
    await ws.updateLog(f);
    fs.unlinkSync(f);
    await ws.updateLog(f);
    assert.deepEqual(runKeys(ws, f), [], 'a deleted log has no points');
    fs.writeFileSync(f, logText(0, 20, 2));
    await ws.updateLog(f);
    fs.writeFileSync(`${f}.tmp`, logText(0, 25, 4));
    fs.renameSync(`${f}.tmp`, f);
    for (let i = 0; i < 5; i++) await ws.updateLog(f);
    const fresh = new AnalysisWorkspace();
    await fresh.updateLog(f);
    assert.deepEqual(runKeys(ws, f), runKeys(fresh, f));
    assert.equal(runKeys(ws, f).length, 50);
    assert.deepEqual(
      ws.findings().map((x) => `${x.rule}:${x.line}`),
      fresh.findings().map((x) => `${x.rule}:${x.line}`),
    );
  });
});
