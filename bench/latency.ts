/**
 * Incremental cost through the language server: one appended line on top of a 1 GB printed log (100 MB
 * with `--quick`) until the publishDiagnostics that reflects it, against the same on a 1 MB log (the
 * ratio should be ≈ 1: an append costs the new bytes, not the file). Measured over stdio with a real
 * LSP client, the way an editor sees it.
 *
 * Each log holds one `loss=nan` line from the start, so the server publishes a divergence error once it
 * has read the file; every appended line is another `loss=nan`, which changes that diagnostic's
 * message ("N non-finite … values"), so each append has its own publication to wait for.
 *
 * What a user waits for includes the file-watch event: a raw `fs.watch` and a chokidar watcher on the
 * same file in this process are timed against the same writes and printed as separate rows.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { watch as chokidarWatch } from 'chokidar';
import type { Bench, BenchRow } from './report';
import { DATA, ensureFile, genPlainLog, MB, plainLine, type PlainLogInfo } from './lib/gen';
import { ServerUnderTest } from '../test/server/lsp-harness';
import { median, now, percentile, sleep } from './lib/stats';

/** Pause between appends: past chokidar's 50 ms change throttle and the watcher's trailing re-read. */
const GAP_MS = 160;
/** Appends before the measured ones (the server process is fresh: its first appends run cold code). */
const WARMUP = 3;

interface Measured {
  label: string;
  bytes: number;
  initialMs: number;
  /** The first append after the initial analysis (not in `server`). */
  first: number;
  server: number[];
  fsWatch: number[];
  chokidar: number[];
}

async function measure(label: string, file: string, bytes: number, info: PlainLogInfo, appends: number): Promise<Measured> {
  const folder = path.dirname(file);
  const t0 = now();
  const server = await ServerUnderTest.start(folder);
  const uri = pathToFileURL(file).href;
  const out: Measured = { label, bytes, initialMs: NaN, first: NaN, server: [], fsWatch: [], chokidar: [] };
  let rawAt = NaN;
  let chokAt = NaN;
  const raw = fs.watch(file, () => {
    if (Number.isNaN(rawAt)) rawAt = now();
  });
  const chok = chokidarWatch(file, { ignoreInitial: true, persistent: true });
  chok.on('change', () => {
    if (Number.isNaN(chokAt)) chokAt = now();
  });
  try {
    await new Promise<void>((r) => chok.on('ready', () => r()));
    const hasCount = (n: number) => () => server.diagnosticsOf(file).some((d) => typeof d.message === 'string' && d.message.includes(`; ${n} non-finite`));
    await server.waitFor(hasCount(1), `the initial divergence diagnostic of ${file}`, 600_000);
    out.initialMs = now() - t0;
    for (let i = 1; i <= appends + WARMUP; i++) {
      await sleep(GAP_MS);
      rawAt = NaN;
      chokAt = NaN;
      const line = `${plainLine(info, info.nextStep + i - 1, 'nan')}\n`;
      const w = now();
      fs.appendFileSync(file, line);
      await server.waitFor(hasCount(1 + i), `append ${i} of ${file}`, 10_000);
      const took = (server.arrived.get(uri) ?? NaN) - w;
      if (i === 1) out.first = took;
      if (i <= WARMUP) continue;
      out.server.push(took);
      // The watchers' events have come by now (the server's publication follows its own watch event).
      await sleep(5);
      out.fsWatch.push(rawAt - w);
      out.chokidar.push(chokAt - w);
    }
  } finally {
    raw.close();
    await chok.close();
    await server.stop();
    fs.truncateSync(file, bytes);
  }
  return out;
}

export const bench: Bench = async ({ quick }) => {
  const bigBytes = quick ? 100 * MB : 1000 * MB;
  const bigLabel = quick ? '100 MB' : '1 GB';
  const appends = quick ? 10 : 20;
  const inputs = [
    { label: bigLabel, bytes: bigBytes, file: path.join(DATA, 'latency', quick ? '100MB' : '1GB', 'train.log') },
    { label: '1 MB', bytes: 1 * MB, file: path.join(DATA, 'latency', '1MB', 'train.log') },
  ];
  const results: Measured[] = [];
  for (const input of inputs) {
    const tg = now();
    const g = ensureFile(input.file, `plain:${input.bytes}:nan1000`, (w) => genPlainLog(w, input.bytes, { nanAtStep: 1000 }));
    if (g.generated) console.log(`  (generated ${input.file} in ${((now() - tg) / 1000).toFixed(1)} s)`);
    results.push(await measure(input.label, input.file, g.size, g.info, appends));
  }
  const [big, small] = results;
  const mBig = median(big.server);
  const mSmall = median(small.server);
  const rows: BenchRow[] = [
    {
      name: `append 1 line → new diagnostics, ${big.label} log (median of ${appends} after ${WARMUP} warm-up appends, p90 ${percentile(big.server, 90).toFixed(1)} ms)`,
      value: mBig,
      unit: 'ms',
      peer: { name: `same on a ${small.label} log`, value: mSmall, unit: 'ms' },
      ratio: mBig / mSmall,
      ratioLabel: `${big.label} / ${small.label}, target ≈ 1`,
      target: '< 20 ms',
      pass: mBig < 20,
    },
    {
      name: `  append cost does not grow with the log: ${big.label} / ${small.label} median`,
      value: mBig / mSmall,
      unit: '×',
      target: '≈ 1 (taken as ≤ 1.5)',
      pass: mBig / mSmall <= 1.5,
    },
    {
      name: `  of which the file-watch event: chokidar 'change' after the write (${big.label})`,
      value: median(big.chokidar),
      unit: 'ms',
      peer: { name: 'raw fs.watch event', value: median(big.fsWatch), unit: 'ms' },
    },
    {
      name: `  server cost after its watch event ≈ median(end-to-end − chokidar) (${big.label})`,
      value: median(big.server.map((s, i) => s - big.chokidar[i])),
      unit: 'ms',
      peer: { name: small.label, value: median(small.server.map((s, i) => s - small.chokidar[i])), unit: 'ms' },
    },
    { name: `  the first append after the initial analysis (not in the median)`, value: big.first, unit: 'ms', peer: { name: small.label, value: small.first, unit: 'ms' } },
    { name: `  initial analysis of the ${big.label} log (server start → first diagnostics)`, value: big.initialMs / 1000, unit: 's' },
  ];
  return rows;
};
