/**
 * Reading a CSV or JSON-lines backlog on worker threads (core/parallel) gives exactly the run a
 * single-threaded read gives: the same series, created in the same order, with the same values, steps, epochs and line
 * numbers, and the same messages — whatever the chunking, on tables with a second header, cells the
 * byte path sends to the string path (`nan`, `NA`, quotes), empty and over-long lines, CRLF, and a last
 * line still being written; and a file that keeps growing is read on without loss or double reads.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { fcParams } from '../../helpers/fc';
import { LogFile, type LogFileOptions } from '../../../src/core/logfile';
import { Run } from '../../../src/core/run/run';
import { workerScript } from '../../../src/core/parallel/worker-pool';
import { realLog, skipBecause, skipWithoutRealLogs } from '../../helpers/paths';
import { filesUnder } from './byte-path-helpers';

interface Snapshot {
  names: string[];
  series: Record<string, { value: number[]; step: number[]; epoch: number[]; line: number[] }>;
  messages: string[];
}

async function readAll(file: string, opts: LogFileOptions, into = new Run('r'), lf = new LogFile(file, opts)): Promise<{ run: Run; lf: LogFile; messages: string[] }> {
  const sink = into.sinkFor(file);
  const messages: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const up = await lf.poll(sink);
    messages.push(...up.messages);
    if (!up.more) return { run: into, lf, messages };
  }
  throw new Error('LogFile did not finish');
}

function snapshot(run: Run, messages: string[]): Snapshot {
  const series: Snapshot['series'] = {};
  for (const name of run.names()) {
    const s = run.series(name);
    if (!s) continue;
    const rec = { value: [] as number[], step: [] as number[], epoch: [] as number[], line: [] as number[] };
    for (let i = 0; i < s.length; i++) {
      rec.value.push(s.value(i));
      rec.step.push(s.step(i));
      rec.epoch.push(s.epoch(i));
      rec.line.push(s.line(i));
    }
    series[name] = rec;
  }
  return { names: run.names(), series, messages };
}

/** Deep equality that tells NaN from NaN as equal and −0 from 0 apart (Object.is per number). */
function sameSnapshot(a: Snapshot, b: Snapshot): void {
  assert.deepEqual(a.names, b.names, 'series and their order');
  assert.deepEqual(a.messages, b.messages, 'messages');
  for (const n of a.names) {
    for (const k of ['value', 'step', 'epoch', 'line'] as const) {
      const x = a.series[n][k];
      const y = b.series[n][k];
      assert.equal(x.length, y.length, `${n}.${k} length`);
      for (let i = 0; i < x.length; i++) assert.ok(Object.is(x[i], y[i]), `${n}.${k}[${i}]: ${x[i]} vs ${y[i]}`);
    }
  }
}

const HEADERS = [
  ['lr-AdamW', 'step', 'train_loss_step', 'epoch', 'val_loss'],
  ['epoch', 'loss', 'val_loss', 'Loss', 'lr'],
  ['step', 'train_loss', 'train_loss', 'val_acc'],
];

/**
 * Plain rows first: LogFile decides the format on the first 64 KiB, read on one thread, and only the
 * backlog after it goes to the workers.
 */
const SNIFFED = Array.from({ length: 6000 }, (_, i) => `${i},${i % 7},0.${1000 + i}`);

/** A CSV of `header`, the sniffed rows, then `rows`. */
function withRows(header: readonly string[], rows: readonly string[]): string {
  return [header.join(','), ...SNIFFED, ...rows].join('\n') + '\n';
}

function rowsOf(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `,${i},0.${5000 - i},${i % 5},`);
}

const cell = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  { weight: 6, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }).map((x) => String(Math.fround(x))) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 5000 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('nan', 'NA', 'inf', '-inf', '"1,5"', 'None', ' 0.5') },
);

/** A CSV as Lightning / Keras / a resumed run write it, with the oddities LogFile must survive. */
const csvText = fc
  .record({
    header: fc.constantFrom(...HEADERS),
    rows: fc.array(
      fc.oneof(
        { weight: 30, arbitrary: fc.array(cell, { minLength: 1, maxLength: 6 }).map((cells) => cells.join(',')) },
        { weight: 1, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: fc.constantFrom(...HEADERS).map((h) => h.join(',')) },
        { weight: 1, arbitrary: fc.integer({ min: 300, max: 600 }).map((n) => `1,${'2'.repeat(n)}`) },
      ),
      { minLength: 1, maxLength: 300 },
    ),
    crlf: fc.boolean(),
    unfinishedLast: fc.boolean(),
  })
  .map(({ header, rows, crlf, unfinishedLast }) => {
    const eol = crlf ? '\r\n' : '\n';
    const body = [header.join(','), ...SNIFFED, ...rows].join(eol);
    return unfinishedLast ? body : body + eol;
  });

const jsonValue = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }).map((x) => String(x)) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 5000 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('"text"', 'null', 'true', 'NaN', 'Infinity', '{"a": 1.5}', '[1, 2]', '"esc\\"aped"') },
);

/** JSON lines as loggers write them, with what sends a line to the string path or makes it invalid. */
const jsonlText = fc
  .record({
    rows: fc.array(
      fc.oneof(
        {
          weight: 30,
          arbitrary: fc
            .array(fc.tuple(fc.constantFrom('epoch', 'step', 'loss', 'val_loss', 'lr', 'Loss', 'train/loss', 'acc'), jsonValue), { minLength: 1, maxLength: 5 })
            .map((pairs) => `{${pairs.map(([k, v]) => `"${k}": ${v}`).join(', ')}}`),
        },
        { weight: 1, arbitrary: fc.constantFrom('', '{"loss": 1.0', 'not json', '  {"step": 3, "loss": 0.25}  ') },
        { weight: 1, arbitrary: fc.integer({ min: 300, max: 600 }).map((n) => `{"loss": 1${'0'.repeat(n)}}`) },
      ),
      { minLength: 1, maxLength: 300 },
    ),
    unfinishedLast: fc.boolean(),
  })
  .map(({ rows, unfinishedLast }) => {
    const sniffed = Array.from({ length: 2200 }, (_, i) => `{"step": ${i}, "loss": ${1 / (i + 1)}}`);
    const body = [...sniffed, ...rows].join('\n');
    return unfinishedLast ? body : `${body}\n`;
  });

describe('parallel read of a log backlog (CSV, JSON lines)', function () {
  this.timeout(120_000);
  let dir: string;
  before(function () {
    if (!workerScript()) skipBecause(this, 'no parse-worker.js beside out/src/core/parallel (run the build)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdx-par-'));
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  const sequential = (maxLine: number, sniffBytes?: number): LogFileOptions => ({ chunkSize: 4099, budget: 1 << 30, maxLine, sniffBytes, parallel: false });
  const parallel = (maxLine: number, chunkBytes: number, threads = 2, sniffBytes?: number): LogFileOptions => ({
    chunkSize: 4099,
    budget: 1 << 30,
    maxLine,
    sniffBytes,
    parallel: { threads, minBytes: 0, chunkBytes },
  });

  it('gives the run and messages of a single-threaded read, whatever the chunks', async () => {
    let n = 0;
    let inParallel = 0;
    const stops = new Set<string>();
    await fc.assert(
      fc.asyncProperty(csvText, fc.integer({ min: 40, max: 3000 }), fc.integer({ min: 2, max: 3 }), async (text, chunkBytes, threads) => {
        const file = path.join(dir, `m${n++}.csv`);
        fs.writeFileSync(file, text);
        const a = await readAll(file, sequential(256));
        const b = await readAll(file, parallel(256, chunkBytes, threads));
        sameSnapshot(snapshot(b.run, b.messages), snapshot(a.run, a.messages));
        if (b.lf.bytesReadInParallel > 0) inParallel++;
        const why = b.lf.parallelStoppedBecause;
        if (why !== undefined) stops.add(why.replace(/\d+/g, 'N'));
      }),
      {
        ...fcParams<[string, number, number]>(40),
        // Whatever the seed, one case of each hand-over: a different second header (a repeated one
        // changes nothing), and a line over the limit, each a few chunks into the backlog.
        examples: [
          [withRows(HEADERS[0], [...rowsOf(60), HEADERS[1].join(','), ...rowsOf(60)]), 500, 2],
          [withRows(HEADERS[0], [...rowsOf(60), `1,${'2'.repeat(400)}`, ...rowsOf(60)]), 500, 2],
        ],
      },
    );
    // Most cases must really reach the workers (a case whose first random row is a long line does not).
    assert.ok(inParallel >= 20, `${inParallel} of 40 cases read on worker threads`);
    // …and the hand-overs to this thread were exercised: a second header, an over-long line.
    assert.ok(stops.has('the parser state changed (a new header)'), [...stops].join('; '));
    assert.ok(stops.has('a line longer than N bytes'), [...stops].join('; '));
  });

  it('gives the run and messages of a single-threaded read of JSON lines, whatever the chunks', async () => {
    let n = 0;
    let inParallel = 0;
    await fc.assert(
      fc.asyncProperty(jsonlText, fc.integer({ min: 40, max: 3000 }), async (text, chunkBytes) => {
        const file = path.join(dir, `m${n++}.jsonl`);
        fs.writeFileSync(file, text);
        const a = await readAll(file, sequential(256));
        const b = await readAll(file, parallel(256, chunkBytes));
        sameSnapshot(snapshot(b.run, b.messages), snapshot(a.run, a.messages));
        if (b.lf.bytesReadInParallel > 0) inParallel++;
      }),
      fcParams(30),
    );
    assert.ok(inParallel >= 15, `${inParallel} of 30 cases read on worker threads`);
  });

  it('reads on after the parallel read as the file grows, and after a rewrite', async () => {
    const file = path.join(dir, 'grow.csv');
    const rows = (from: number, to: number): string => {
      let s = '';
      for (let i = from; i < to; i++) s += `,${i},${(2 / (1 + i / 100)).toFixed(6)},${Math.floor(i / 50)},\n`;
      return s;
    };
    fs.writeFileSync(file, `lr-AdamW,step,train_loss_step,epoch,val_loss\n${rows(0, 6000)}`);
    // The first read ends mid-line: the rest of that line comes with the append.
    fs.appendFileSync(file, ',6000,0.0');
    const lfSeq = new LogFile(file, sequential(1 << 20));
    const lfPar = new LogFile(file, parallel(1 << 20, 4096));
    const seqRun = new Run('s');
    const parRun = new Run('p');
    await readAll(file, {}, seqRun, lfSeq);
    await readAll(file, {}, parRun, lfPar);
    sameSnapshot(snapshot(parRun, []), snapshot(seqRun, []));
    // All but the sniffed 64 KiB, the rest of the read that ended them and the unfinished last line.
    const backlog = fs.statSync(file).size - 65536 - 4099 - ',6000,0.0'.length;
    assert.ok(lfPar.bytesReadInParallel >= backlog, `${lfPar.bytesReadInParallel} of ${backlog} bytes on worker threads`);
    fs.appendFileSync(file, `1234,0,\n${rows(6001, 7000)}`);
    await readAll(file, {}, seqRun, lfSeq);
    await readAll(file, {}, parRun, lfPar);
    const grown = snapshot(parRun, []);
    sameSnapshot(grown, snapshot(seqRun, []));
    assert.equal(grown.series['train_loss_step'].value.length, 7000, 'every step once');
    assert.equal(grown.series['train_loss_step'].value[6000], 0.01234);
    // Rewritten from scratch (a new run in the same file): both forget the old points.
    fs.writeFileSync(file, `lr-AdamW,step,train_loss_step,epoch,val_loss\n${rows(0, 4500)}`);
    await readAll(file, {}, seqRun, lfSeq);
    await readAll(file, {}, parRun, lfPar);
    sameSnapshot(snapshot(parRun, []), snapshot(seqRun, []));
    assert.equal(parRun.series('train_loss_step')?.length, 4500);
  });

  it('gives the run of a single-threaded read on every real log (CSV read in parallel, the rest untouched)', async function () {
    skipWithoutRealLogs(this);
    const files = filesUnder(realLog(), /\.(csv|jsonl?|log|txt)$/);
    assert.ok(files.length >= 15, `${files.length} real logs`);
    let parallelCsv = 0;
    for (const file of files) {
      // The format decided on the first 2 KiB, so that these small files have a backlog for the workers.
      const a = await readAll(file, sequential(1 << 20, 2048));
      const b = await readAll(file, parallel(1 << 20, 1500, 2, 2048));
      sameSnapshot(snapshot(b.run, b.messages), snapshot(a.run, a.messages));
      if (file.endsWith('.csv') && b.lf.bytesReadInParallel > 0 && b.run.pointCount() > 100) parallelCsv++;
    }
    assert.equal(parallelCsv, files.filter((f) => f.endsWith('.csv')).length, 'every real CSV read on worker threads');
  });
});
