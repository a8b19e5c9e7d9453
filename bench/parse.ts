/**
 * Cold parse + analyze throughput on 1 GB logs and the 256 MB Lightning CSV of issue 12 (100 MB only with `--quick`), through the real path
 * (`AnalysisWorkspace.updateLog` then `findings()`), against peers measured in the same run on the
 * same file: a bare `Buffer.indexOf(10)` loop (the floor of any line parser in Node), `cat file >
 * /dev/null` (the read limit) and, on the CSV, `pandas.read_csv`. Also peak RSS / heap during the
 * parse, and the bytes a Run holds for 10 M points.
 *
 * The inputs are generated once under bench/data/ (git-ignored) and reused while their size is right:
 * a Lightning CSVLogger `metrics.csv` (sparse rows, float32 reprs, `lr-AdamW` column), a printed log
 * (`Epoch [3/50] Step [10/1000] loss=… lr=…`) and a JSON-lines log.
 *
 * Each measured parse runs in a child process (`node out/bench/parse.js --child …`) so that its peak
 * RSS and heap are its own.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AnalysisWorkspace } from '../src/core/workspace';
import { Run } from '../src/core/run/run';
import { defaultParallel } from '../src/core/logfile';
import type { Bench, BenchRow } from './report';
import { cosineLr, DATA, MB, plainLine, plainValLine, rng, writeFile, type Writer } from './lib/gen';

interface Input {
  label: string;
  file: string;
  gen: (w: Writer, target: number) => void;
  pandas: boolean;
  size: number;
  sizeLabel: string;
}

const lightningCsv = (dir: string): string => path.join(dir, 'lightning_logs', 'version_0', 'metrics.csv');

function inputs(quick: boolean): Input[] {
  const size = quick ? 100 * MB : 1000 * MB;
  const sizeLabel = quick ? '100 MB' : '1 GB';
  const dir = path.join(DATA, quick ? '100MB' : '1GB');
  const list: Input[] = [
    { label: 'Lightning CSV', file: lightningCsv(dir), gen: genCsv, pandas: true, size, sizeLabel },
    { label: 'printed log', file: path.join(dir, 'train.log'), gen: genPrinted, pandas: false, size, sizeLabel },
    { label: 'JSONL', file: path.join(dir, 'metrics.jsonl'), gen: genJsonl, pandas: false, size, sizeLabel },
  ];
  // The file of issue 12's speed targets (a cold `traindx check` of a 256 MB Lightning metrics.csv).
  if (!quick) list.unshift({ label: 'Lightning CSV', file: lightningCsv(path.join(DATA, '256MB')), gen: genCsv, pandas: true, size: 256 * MB, sizeLabel: '256 MB' });
  return list;
}

// ---------------------------------------------------------------------------------------------
// Generators

/** A loss curve with noise and a rare spike; `f32` values as a float32 tensor's `.item()` gives them. */
function lossAt(step: number, r: () => number): number {
  const base = 0.25 + 2.0 * Math.exp(-step / 200_000);
  const spike = step % 1_000_003 === 500_000 ? 4 : 1;
  return Math.fround(base * spike * (1 + 0.08 * (r() - 0.5)));
}

function genCsv(w: Writer, target: number): void {
  // Lightning CSVLogger: one row per log call, the union of keys as columns, empty cells elsewhere.
  w.line('lr-AdamW,step,train_loss_step,train_acc_step,epoch,val_loss,val_acc,train_loss_epoch,train_acc_epoch');
  const r = rng(1);
  const stepsPerEpoch = 2000;
  for (let step = 0, epoch = 0; w.size < target; step++) {
    if (step > 0 && step % stepsPerEpoch === 0) {
      const vl = lossAt(step, r) * 1.05;
      w.line(`,${step - 1},,,${epoch},${vl},${Math.fround(0.9 - vl / 4)},,`);
      w.line(`,${step - 1},,,${epoch},,,${lossAt(step, r)},${Math.fround(0.9 - vl / 4)}`);
      epoch++;
    }
    if (step % 10 === 0) w.line(`${cosineLr(step % 1e6, 1e6)},${step},,,,,,,`);
    const loss = lossAt(step, r);
    w.line(`,${step},${loss},${Math.fround(1 - loss / 3)},${epoch},,,,`);
  }
}

function genPrinted(w: Writer, target: number): void {
  const r = rng(2);
  const stepsPerEpoch = 1000;
  const shape = { epochs: Math.ceil(target / 60 / stepsPerEpoch), stepsPerEpoch };
  for (let step = 0; w.size < target; step++) {
    w.line(plainLine(shape, step, lossAt(step, r).toFixed(4)));
    if (step % stepsPerEpoch === stepsPerEpoch - 1) {
      w.line(plainValLine(shape, Math.floor(step / stepsPerEpoch), (lossAt(step, r) * 1.05).toFixed(4), (0.9 - r() * 0.05).toFixed(4)));
    }
  }
}

function genJsonl(w: Writer, target: number): void {
  const r = rng(3);
  const stepsPerEpoch = 1000;
  for (let step = 0; w.size < target; step++) {
    const epoch = Math.floor(step / stepsPerEpoch);
    const lr = cosineLr(step % 1e6, 1e6);
    w.line(`{"epoch": ${epoch}, "step": ${step}, "loss": ${lossAt(step, r)}, "lr": ${lr}}`);
    if (step % stepsPerEpoch === stepsPerEpoch - 1) w.line(`{"epoch": ${epoch}, "step": ${step}, "val_loss": ${lossAt(step, r) * 1.05}, "val_acc": ${0.9 - r() * 0.05}}`);
  }
}

/** The file at `file`, generated unless present with a size in [target, target + 1 MB). */
function ensure(input: Input, target: number): void {
  try {
    const st = fs.statSync(input.file);
    if (st.size >= target && st.size < target + MB) return;
  } catch {
    // absent
  }
  writeFile(input.file, (w) => input.gen(w, target));
}

// ---------------------------------------------------------------------------------------------
// Peers

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** `Buffer.indexOf(10)` over the file read in 1 MiB chunks (the tail's chunk size). */
function newlineScan(file: string): { s: number; lines: number } {
  const t0 = process.hrtime.bigint();
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const b = n === buf.length ? buf : buf.subarray(0, n);
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { s: seconds(t0), lines };
}

function cat(file: string): number {
  const t0 = process.hrtime.bigint();
  execFileSync('/bin/sh', ['-c', 'cat "$1" > /dev/null', 'sh', file]);
  return seconds(t0);
}

function pandas(file: string): number | undefined {
  const py = '/usr/bin/python3';
  const code = 'import sys,time\nimport pandas\nt=time.perf_counter()\ndf=pandas.read_csv(sys.argv[1])\nprint(time.perf_counter()-t)';
  const r = spawnSync(py, ['-c', code, file], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const v = Number(r.stdout.trim().split('\n').pop());
  return Number.isFinite(v) ? v : undefined;
}

// ---------------------------------------------------------------------------------------------
// Measured runs (in a child process)

interface ParseResult {
  /** Seconds: updateLog until the file is consumed, then the first findings(). */
  parse: number;
  rules: number;
  points: number;
  findings: number;
  maxRss: number;
  maxHeap: number;
  runBytes: number;
  /** Worker threads a large CSV backlog is read with (1: this thread only). */
  threads: number;
}

interface MemResult {
  points: number;
  runBytes: number;
  /** Heap + array buffers after GC, minus the same before building the run. */
  heldBytes: number;
}

function child(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 20, env });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop() ?? '';
}

async function childParse(file: string): Promise<ParseResult> {
  let maxHeap = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    maxHeap = Math.max(maxHeap, m.heapUsed + m.arrayBuffers);
  };
  const timer = setInterval(sample, 5);
  const ws = new AnalysisWorkspace();
  const t0 = process.hrtime.bigint();
  await ws.updateLog(file);
  const parse = seconds(t0);
  sample();
  const t1 = process.hrtime.bigint();
  const findings = ws.findings();
  const rules = seconds(t1);
  sample();
  clearInterval(timer);
  const run = ws.runOfFile(file);
  return {
    parse,
    rules,
    points: run?.pointCount() ?? 0,
    findings: findings.length,
    maxRss: process.resourceUsage().maxRSS * 1024,
    maxHeap,
    runBytes: run?.byteSize() ?? 0,
    threads: Math.max(1, defaultParallel().threads),
  };
}

async function childMem(points: number): Promise<MemResult> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const held = (): number => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = held();
  const run = new Run('mem');
  const sink = run.sinkFor('metrics.csv');
  // A Lightning-like run: train loss and accuracy every step, lr every 10 steps, val per epoch.
  const cols = [sink.column('train_loss', 'train_loss_step'), sink.column('train_acc', 'train_acc_step')];
  const lr = sink.column('lr', 'lr-AdamW');
  const val = sink.column('val_loss', 'val_loss');
  const r = rng(4);
  let n = 0;
  let line = 1;
  for (let step = 0; n < points; step++) {
    const epoch = Math.floor(step / 2000);
    for (const c of cols) {
      c.push(lossAt(step, r), step, epoch, ++line);
      n++;
    }
    if (step % 10 === 0) {
      lr.push(1e-3 * Math.cos(step / 1e6), step, undefined, ++line);
      n++;
    }
    if (step % 2000 === 1999) {
      val.push(lossAt(step, r), step, epoch, ++line);
      n++;
    }
  }
  const after = held();
  return { points: run.pointCount(), runBytes: run.byteSize(), heldBytes: after - before };
}

// ---------------------------------------------------------------------------------------------

const mbps = (bytes: number, s: number): number => bytes / MB / s;

export const bench: Bench = async ({ quick }) => {
  const rows: BenchRow[] = [];
  for (const input of inputs(quick)) {
    const { size, sizeLabel } = input;
    const tg = process.hrtime.bigint();
    ensure(input, size);
    const gen = seconds(tg);
    if (gen > 1) console.log(`  (generated ${input.file} in ${gen.toFixed(1)} s)`);
    const bytes = fs.statSync(input.file).size;
    cat(input.file); // warm the page cache: every figure below reads from memory
    const catS = cat(input.file);
    const scan = newlineScan(input.file);
    const p = JSON.parse(child(['parse', input.file])) as ParseResult;
    // The other way of reading the CSV: on one thread when the default uses workers (4+ cores), else
    // with 2 read threads (TRAINDX_READ_THREADS=2, what the workers give on this machine).
    const otherThreads = p.threads > 1 ? 1 : 2;
    const other = input.pandas ? (JSON.parse(child(['parse', input.file], { ...process.env, TRAINDX_READ_THREADS: String(otherThreads) })) as ParseResult) : undefined;
    const name = `parse+analyze ${sizeLabel} ${input.label}${other ? ` (default: ${p.threads === 1 ? 'one thread' : `${p.threads} read threads`})` : ''}`;
    const value = mbps(bytes, p.parse + p.rules);
    const scanRate = mbps(bytes, scan.s);
    rows.push({
      name,
      value,
      unit: 'MB/s',
      peer: { name: 'Buffer.indexOf(10) newline scan', value: scanRate, unit: 'MB/s' },
      ratio: value / scanRate,
      ratioLabel: 'of the newline scan',
      target: '≥ 25% of the newline scan',
      pass: value / scanRate >= 0.25,
    });
    if (other) {
      const v = mbps(bytes, other.parse + other.rules);
      const how = otherThreads === 1 ? 'on one thread' : `with ${otherThreads} read threads`;
      rows.push({ name: `  ${how} (TRAINDX_READ_THREADS=${otherThreads})`, value: v, unit: 'MB/s', peer: { name: 'Buffer.indexOf(10) newline scan', value: scanRate, unit: 'MB/s' }, ratio: v / scanRate, ratioLabel: 'of the newline scan' });
      rows.push({ name: `  peak RSS ${how}`, value: other.maxRss / MB, unit: 'MB' });
    }
    rows.push({
      name: `${name} vs read limit`,
      value,
      unit: 'MB/s',
      peer: { name: 'cat file > /dev/null', value: mbps(bytes, catS), unit: 'MB/s' },
      ratio: value / mbps(bytes, catS),
      ratioLabel: 'of cat',
    });
    if (input.pandas) {
      const pd = pandas(input.file);
      if (pd !== undefined) {
        const pr = mbps(bytes, pd);
        rows.push({
          name: `${name} vs pandas`,
          value,
          unit: 'MB/s',
          peer: { name: 'pandas.read_csv', value: pr, unit: 'MB/s' },
          ratio: value / pr,
          ratioLabel: '× pandas',
          target: '≥ 2× pandas.read_csv',
          pass: value / pr >= 2,
        });
      } else rows.push({ name: `${name} vs pandas`, value, unit: 'MB/s', target: '≥ 2× pandas.read_csv (pandas unavailable)' });
    }
    rows.push({ name: `  of which first rules pass (${(p.points / 1e6).toFixed(1)} M points, ${p.findings} findings)`, value: p.rules * 1000, unit: 'ms' });
    rows.push({ name: `  peak RSS during the ${sizeLabel} ${input.label} parse`, value: p.maxRss / MB, unit: 'MB' });
    rows.push({ name: `  peak heap + array buffers during the parse`, value: p.maxHeap / MB, unit: 'MB' });
    rows.push({ name: `  run held (typed arrays) after the parse`, value: p.runBytes / MB, unit: 'MB' });
  }
  const m = JSON.parse(child(['mem', String(10_000_000)])) as MemResult;
  rows.push({
    name: `Run holding ${(m.points / 1e6).toFixed(1)} M points (heap + array buffers after GC)`,
    value: m.heldBytes / MB,
    unit: 'MB',
    target: '< 150 MB for 10 M points',
    pass: m.heldBytes < 150 * MB,
  });
  rows.push({ name: '  bytes per point (held / typed-array capacity)', value: m.heldBytes / m.points, unit: `B (capacity ${(m.runBytes / m.points).toFixed(1)} B)` });
  return rows;
};

if (require.main === module && process.argv[2] === '--child') {
  const [kind, arg] = process.argv.slice(3);
  const go = kind === 'parse' ? childParse(arg) : childMem(Number(arg));
  go.then(
    (r) => console.log(JSON.stringify(r)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
