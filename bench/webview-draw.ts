/**
 * The run view drawing 1 M points: a Run holding a 1 M-point training loss (plus a 1 000-point
 * validation loss), turned into the run-data message by src/core/query/run-data.ts (min/max decimation to
 * ≤ 4 000 points per series), serialised as JSON as it travels (server → client → webview), and posted
 * as a `run` message to the real webview bundle (dist/media/main.js + main.css) in headless Chromium,
 * until `figure.chart canvas` exists and the next frame has passed.
 *
 * Target: the whole (decimation + JSON + message-to-drawn) < 200 ms. Peer in the same run: the same
 * chart drawn from the undecimated 1 M points.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Browser } from 'playwright-core';
import { Run } from '../src/core/run/run';
import type { RunData } from '../src/core/query/types';
import { runData } from '../src/core/query/run-data';
import type { Bench, BenchRow } from './report';
import { ROOT, rng } from './lib/gen';
import { median, now } from './lib/stats';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const POINTS = 1_000_000;

function makeRun(): Run {
  const run = new Run('bench/1M/train.log');
  const sink = run.sinkFor('bench/1M/train.log');
  const loss = sink.column('train_loss', 'loss');
  const val = sink.column('val_loss', 'val_loss');
  const r = rng(5);
  let line = 0;
  for (let step = 0; step < POINTS; step++) {
    const base = 0.25 + 2 * Math.exp(-step / 200_000);
    loss.push(step === 600_000 ? base * 6 : base * (1 + 0.1 * (r() - 0.5)), step, undefined, ++line);
    if (step % 1000 === 999) val.push(base * 1.05, step, undefined, ++line);
  }
  return run;
}

/** Every point, as run-data would send it without decimation (the peer). */
function undecimated(run: Run): RunData {
  return {
    runKey: run.id,
    label: run.id,
    files: [...run.files],
    series: run.names().map((n) => {
      const s = run.series(n)!;
      return { name: n, rawNames: [...s.rawNames], xKind: 'step' as const, x: Array.from(s.steps()), y: Array.from(s.values(), (v) => (Number.isFinite(v) ? v : null)) };
    }),
    findings: [],
    markers: [],
  };
}

const PAGE = (script: string, style: string): string => `<!DOCTYPE html>
<html><head><meta charset="UTF-8"><link rel="stylesheet" href="${style}"></head>
<body style="width:1000px"><div id="app"></div>
<script>
  // The webview API, stubbed: the panel was showing the run tab.
  window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return { tab: 'explain' }; }, setState() {} });
</script>
<script src="${script}"></script>
</body></html>`;

/**
 * In the page: post the message held in window.__msg, resolve once a chart canvas exists and a frame
 * has passed (a rAF, then a task after it). Page code as text: this project compiles without DOM types.
 */
const DRAW_IN_PAGE = `new Promise((resolve) => {
  const t0 = performance.now();
  window.postMessage(window.__msg, '*');
  const check = () => {
    if (!document.querySelector('figure.chart canvas')) { requestAnimationFrame(check); return; }
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve({ ms: performance.now() - t0, canvases: document.querySelectorAll('figure.chart canvas').length });
      ch.port2.postMessage(0);
    });
  };
  // The message is handled in a task after this one; look from then on.
  setTimeout(check, 0);
})`;

async function pageTime(browser: Browser, url: string, json: string): Promise<{ ms: number; canvases: number }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  try {
    await page.goto(url);
    await page.waitForSelector('[data-role="charts"]');
    // Hand the message over outside the measurement (as the webview host already holds it).
    await page.evaluate(`window.__msg = JSON.parse(${JSON.stringify(json)})`);
    return (await page.evaluate(DRAW_IN_PAGE)) as { ms: number; canvases: number };
  } finally {
    await page.close();
  }
}

export const bench: Bench = async ({ quick }) => {
  const media = path.join(ROOT, 'dist', 'media');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`needs Chromium at ${CHROMIUM} (or CHROMIUM_PATH)`);
  const reps = quick ? 3 : 9;
  const run = makeRun();
  // Decimation: run-data as the server answers traindx/runData.
  const dec: number[] = [];
  const ser: number[] = [];
  let data: RunData | undefined;
  let json = '';
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    data = runData(run.id, run.id, run, []);
    dec.push(now() - t0);
    const t1 = now();
    json = JSON.stringify({ type: 'run', run: data });
    JSON.parse(json);
    ser.push(now() - t1);
  }
  const sent = data!.series.reduce((n, s) => n + s.x.length, 0);
  const fullJson = JSON.stringify({ type: 'run', run: undecimated(run) });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-draw-'));
  const page = path.join(tmp, 'page.html');
  fs.writeFileSync(page, PAGE(pathToFileURL(path.join(media, 'main.js')).href, pathToFileURL(path.join(media, 'main.css')).href));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const draws: number[] = [];
  const fulls: number[] = [];
  let canvases = 0;
  try {
    // One unmeasured load, so the bundle's first compile is not in the first figure.
    await pageTime(browser, pathToFileURL(page).href, json);
    for (let i = 0; i < reps; i++) {
      const d = await pageTime(browser, pathToFileURL(page).href, json);
      draws.push(d.ms);
      canvases = d.canvases;
    }
    for (let i = 0; i < (quick ? 1 : 3); i++) fulls.push((await pageTime(browser, pathToFileURL(page).href, fullJson)).ms);
  } finally {
    await browser.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const total = median(dec) + median(ser) + median(draws);
  const rows: BenchRow[] = [
    {
      name: `run view: ${POINTS / 1e6} M points decimated to ${sent} and drawn (${canvases} chart${canvases === 1 ? '' : 's'}; median of ${reps})`,
      value: total,
      unit: 'ms',
      peer: { name: `the same chart from the undecimated ${((POINTS + POINTS / 1000) / 1e6).toFixed(3)} M points (message → drawn)`, value: median(fulls), unit: 'ms' },
      ratio: median(fulls) / total,
      ratioLabel: 'undecimated / decimated',
      target: '< 200 ms',
      pass: total < 200,
    },
    { name: '  decimation (run-data.ts, min/max per bucket)', value: median(dec), unit: 'ms' },
    { name: `  JSON round trip of the message (${(json.length / 1e3).toFixed(0)} kB; undecimated ${(fullJson.length / 1e6).toFixed(1)} MB)`, value: median(ser), unit: 'ms' },
    { name: '  message → chart drawn (headless Chromium, after the next frame)', value: median(draws), unit: 'ms' },
  ];
  return rows;
};
