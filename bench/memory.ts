/**
 * Memory: (1) 10 M metric points held in the Run model — heap + array buffers and RSS after a full GC,
 * minus the same before, per point (target < 150 MB); peer: the same 10 M values in one bare
 * Float64Array (8 B/point, the floor of keeping the values at all). (2) Peak RSS during a cold read of
 * the 1 GB printed log (100 MB with `--quick`) through AnalysisWorkspace (read in chunks, never whole);
 * peer: the RSS of the same process before reading, and the file's size.
 *
 * Each measurement runs in its own child process started with --expose-gc, so numbers are its own.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { AnalysisWorkspace } from '../src/core/workspace';
import { Run } from '../src/core/run/run';
import type { Bench, BenchRow } from './report';
import { DATA, ensureFile, genPlainLog, MB, rng } from './lib/gen';
import { now } from './lib/stats';

const POINTS = 10_000_000;

interface Held {
  points: number;
  heldBytes: number;
  rssBytes: number;
  capacityBytes: number;
}

const gc = (): void => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with --expose-gc');
  g();
  g();
};

function held(): { held: number; rss: number } {
  gc();
  const m = process.memoryUsage();
  return { held: m.heapUsed + m.arrayBuffers, rss: m.rss };
}

/** 10 M points as a printed log gives them: loss and lr every step, val_loss/val_acc every 1 000 steps. */
function childRun(): Held {
  const before = held();
  const run = new Run('mem');
  const sink = run.sinkFor('train.log');
  const loss = sink.column('train_loss', 'loss');
  const lr = sink.column('lr', 'lr');
  const vl = sink.column('val_loss', 'val_loss');
  const va = sink.column('val_acc', 'val_acc');
  const r = rng(3);
  let n = 0;
  let line = 0;
  for (let step = 0; n < POINTS; step++) {
    const epoch = Math.floor(step / 1000);
    line++;
    loss.push(0.3 + 2 * Math.exp(-step / 1e6) * (1 + 0.1 * (r() - 0.5)), step, epoch, line);
    lr.push(1e-3 * Math.cos(step / 1e7), step, epoch, line);
    n += 2;
    if (step % 1000 === 999) {
      line++;
      vl.push(0.35 + 2 * Math.exp(-step / 1e6), step, epoch, line);
      va.push(0.5 + step / 2e7, step, epoch, line);
      n += 2;
    }
  }
  const after = held();
  const out = { points: run.pointCount(), heldBytes: after.held - before.held, rssBytes: after.rss - before.rss, capacityBytes: run.byteSize() };
  // Keep the run alive until measured.
  if (run.pointCount() < 0) console.log(run.id);
  return out;
}

function childBare(): Held {
  const before = held();
  const a = new Float64Array(POINTS);
  for (let i = 0; i < POINTS; i++) a[i] = i * 1e-7;
  const after = held();
  return { points: a.length, heldBytes: after.held - before.held, rssBytes: after.rss - before.rss, capacityBytes: a.byteLength };
}

interface Cold {
  bytes: number;
  seconds: number;
  baseRss: number;
  peakRss: number;
  peakSampled: number;
  points: number;
  runBytes: number;
  findings: number;
}

async function childCold(file: string): Promise<Cold> {
  gc();
  const baseRss = process.memoryUsage().rss;
  let peakSampled = baseRss;
  const timer = setInterval(() => {
    peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
  }, 5);
  const t0 = now();
  const ws = new AnalysisWorkspace();
  await ws.updateLog(file);
  const findings = ws.findings().length;
  const seconds = (now() - t0) / 1000;
  clearInterval(timer);
  peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
  const run = ws.runOfFile(file);
  const { size } = await import('fs').then((fs) => fs.promises.stat(file));
  return {
    bytes: size,
    seconds,
    baseRss,
    peakRss: process.resourceUsage().maxRSS * 1024,
    peakSampled,
    points: run?.pointCount() ?? 0,
    runBytes: run?.byteSize() ?? 0,
    findings,
  };
}

function child<T>(args: string[]): T {
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 20, timeout: 1_800_000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) throw new Error(`memory child ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(line) as T;
}

export const bench: Bench = async ({ quick }) => {
  const rows: BenchRow[] = [];
  const run = child<Held>(['run']);
  const bare = child<Held>(['bare']);
  rows.push({
    name: `${(run.points / 1e6).toFixed(1)} M points held in a Run (heap + array buffers after GC; ${(run.heldBytes / run.points).toFixed(1)} B/point, capacity ${(run.capacityBytes / run.points).toFixed(1)} B/point)`,
    value: run.heldBytes / MB,
    unit: 'MB',
    peer: { name: 'the same count of values in one bare Float64Array', value: bare.heldBytes / MB, unit: 'MB' },
    ratio: run.heldBytes / bare.heldBytes,
    ratioLabel: 'Run / bare values',
    target: '< 150 MB',
    pass: run.heldBytes < 150 * MB,
  });
  rows.push({ name: '  RSS growth for those points', value: run.rssBytes / MB, unit: 'MB', peer: { name: 'bare Float64Array', value: bare.rssBytes / MB, unit: 'MB' } });

  const bytes = quick ? 100 * MB : 1000 * MB;
  const label = quick ? '100 MB' : '1 GB';
  const file = path.join(DATA, 'latency', quick ? '100MB' : '1GB', 'train.log');
  const tg = now();
  // The latency benchmark's log (same key: generated once for both).
  const g = ensureFile(file, `plain:${bytes}:nan1000`, (w) => genPlainLog(w, bytes, { nanAtStep: 1000 }));
  if (g.generated) console.log(`  (generated ${file} in ${((now() - tg) / 1000).toFixed(1)} s)`);
  const cold = child<Cold>(['cold', file]);
  rows.push({
    name: `peak RSS, cold read + analysis of the ${label} printed log (${(cold.points / 1e6).toFixed(1)} M points, ${cold.seconds.toFixed(1)} s)`,
    value: cold.peakRss / MB,
    unit: 'MB',
    peer: { name: 'the file size', value: cold.bytes / MB, unit: 'MB' },
    ratio: cold.peakRss / cold.bytes,
    ratioLabel: 'peak RSS / file size',
  });
  rows.push({ name: '  RSS of the same process before reading', value: cold.baseRss / MB, unit: 'MB' });
  rows.push({ name: `  the Run's typed arrays after the read (${(cold.runBytes / Math.max(1, cold.points)).toFixed(1)} B/point)`, value: cold.runBytes / MB, unit: 'MB' });
  return rows;
};

if (process.argv[2] === '--child') {
  const mode = process.argv[3];
  void (async () => {
    const r = mode === 'run' ? childRun() : mode === 'bare' ? childBare() : await childCold(process.argv[4]);
    process.stdout.write(`${JSON.stringify(r)}\n`);
  })();
}
