/**
 * Route B: the packaged traindx .vsix in a real VS Code web workbench (code-server 4.139 + headless
 * Chromium), asserted on the UI a user sees: Problems rows for a log that grows on disk, the hover of a
 * config key, a quick fix applied from the Control+. menu, the run view webview (explanation + uPlot
 * charts that really draw), the Learn tab's quiz, and hostile text shown as text everywhere.
 *
 *   node esbuild.mjs && npx tsc -p . && node out/test/e2e/run.js out/test/e2e/traindx.e2e.js
 *
 * The tests share one workbench and run in order (the quick fix edits the config the hover test reads).
 * Screenshots go to test-results/; with TRAINDX_E2E_DOCS_SHOTS=1 the README's ones are also written to
 * docs/screenshots/. Not vacuous: with TRAINDX_E2E_NO_INSTALL=1 (workbench without the .vsix) every test fails.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Dialog, Locator, Page } from 'playwright-core';
import { makeTempDir, repoRoot, resultsDir, stamp } from '../integration/runner/code-server';
import { focusWorkbench, openFile, openProblems, openWorkbench, quickFixMenu, runCommand, keepFailure, waitForSquiggle, webviewFrame,
  Workbench } from './ui';

const ROOT = repoRoot();
/** A frozen copy of examples/runs/step-decay (config.yaml, output.log), so that re-trained examples do not move the lines. */
const STEP_DECAY = path.join(ROOT, 'test', 'e2e', 'fixtures', 'step-decay');
/** The metric name of the security test: an HTML injection that alerts if anything renders it as HTML. */
const PAYLOAD = '"><img src=x onerror=alert(1)>';
/** Ends in "loss" so that the NaN rule names it in a finding (Problems, hover and run view all show it). */
const HOSTILE_METRIC = `${PAYLOAD}_loss`;
const LR_TITLE = 'Learning-rate schedule: step decay versus cosine annealing';
const DIVERGENCE_TITLE = 'Divergence: NaN/Inf values, exploding loss and loss spikes';
const EDITOR = '.editor-group-container.active .monaco-editor';

/** The workspace: a run folder holding step-decay's config (its log is written by the test). */
function makeWorkspace(): string {
  const ws = path.join(makeTempDir('traindx-e2e-ws-'), 'ml-project');
  fs.cpSync(path.join(ROOT, 'test', 'e2e', 'workspace'), ws, { recursive: true });
  fs.mkdirSync(path.join(ws, 'runs', 'step-decay'), { recursive: true });
  fs.copyFileSync(path.join(STEP_DECAY, 'config.yaml'), path.join(ws, 'runs', 'step-decay', 'config.yaml'));
  fs.cpSync(path.join(ROOT, 'examples', 'runs', 'step-decay-tb'), path.join(ws, 'runs', 'step-decay-tb'), { recursive: true });
  return ws;
}

/** A JSON-lines log whose metric HOSTILE_METRIC turns NaN at epoch 15 (an error finding naming it). */
function writeHostileLog(ws: string): void {
  const hostile = path.join(ws, 'runs', 'hostile');
  fs.mkdirSync(hostile, { recursive: true });
  const lines: string[] = [];
  for (let epoch = 1; epoch <= 20; epoch++) {
    const v = epoch < 15 ? (1 / epoch).toFixed(4) : 'NaN';
    lines.push(`{"epoch": ${epoch}, "train_loss": ${(2 / epoch).toFixed(4)}, ${JSON.stringify(HOSTILE_METRIC)}: ${v}}`);
  }
  fs.writeFileSync(path.join(hostile, 'train.log'), lines.join('\n') + '\n');
}

/** Polls `get` until `ok` holds or `timeout` passes; returns the last value. */
async function until<T>(page: Page, get: () => Promise<T>, ok: (v: T) => boolean, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await get();
    if (ok(v) || Date.now() > deadline) return v;
    await page.waitForTimeout(250);
  }
}

async function problemRows(page: Page): Promise<string[]> {
  const panel = await openProblems(page);
  return (await panel.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Go to Line (Control+G) in the active editor; the line is revealed in the middle of the editor. */
async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.waitForTimeout(300);
}

/** Text of the rendered editor lines (the visible part of the document). */
async function visibleEditorText(page: Page): Promise<string> {
  // Monaco renders spaces as non-breaking spaces.
  return (await page.locator(`${EDITOR} .view-lines`).first().innerText()).replace(/\u00a0/g, ' ');
}

/** Hovers `target` and waits until the hover widget's text matches `re`; returns that text. */
async function hoverUntil(page: Page, target: Locator, re: RegExp, timeout = 20_000): Promise<string> {
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  const deadline = Date.now() + timeout;
  let text = '';
  for (let attempt = 0; ; attempt++) {
    await target.scrollIntoViewIfNeeded();
    const box = await target.boundingBox();
    assert.ok(box, 'hover target is not visible');
    const x = box.x + Math.min(box.width / 2, 40);
    const y = box.y + box.height / 2;
    await page.mouse.move(x - 6 - attempt, y - 12);
    await page.mouse.move(x, y, { steps: 4 });
    await hover.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    text = await until(page, async () => ((await hover.isVisible()) ? (await hover.innerText()).trim() : ''), (t) => re.test(t), 4_000);
    if (re.test(text) || Date.now() > deadline) return text;
  }
}

/** Moves the mouse off a hover and waits until it closes. */
async function closeHover(page: Page): Promise<void> {
  await page.mouse.move(640, 790);
  await page.locator('.monaco-hover:not(.hidden)').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(async () => {
    await page.keyboard.press('Escape');
  });
}

/** Toggles the side bar (Control+B) and the panel (Control+J), to give the editors the whole window. */
async function toggleChrome(page: Page): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('Control+B');
  await page.keyboard.press('Control+J');
  await page.waitForTimeout(500);
}

/** Saves test-results/traindx-<name>-<time>.png and, with TRAINDX_E2E_DOCS_SHOTS=1, docs/screenshots/<name>.png (README shots only). */
async function shot(page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }, forReadme = true): Promise<string> {
  const file = path.join(resultsDir(), `${stamp(`traindx-${name}`)}.png`);
  await page.screenshot({ path: file, clip, timeout: 15_000 });
  if (forReadme && process.env.TRAINDX_E2E_DOCS_SHOTS === '1') {
    const docs = path.join(ROOT, 'docs', 'screenshots');
    fs.mkdirSync(docs, { recursive: true });
    fs.copyFileSync(file, path.join(docs, `${name}.png`));
    const kb = fs.statSync(file).size / 1024;
    if (kb > 200) console.log(`      warning: docs/screenshots/${name}.png is ${kb.toFixed(0)} KB (README images should stay under 200 KB)`);
  }
  return file;
}

/** The bounding box of a locator, widened by `pad` and kept inside the viewport. */
async function around(page: Page, loc: Locator, pad = 8): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await loc.boundingBox();
  assert.ok(b, 'nothing to crop to');
  const vp = page.viewportSize() ?? { width: 1280, height: 800 };
  const x = Math.max(0, b.x - pad);
  const y = Math.max(0, b.y - pad);
  return { x, y, width: Math.min(vp.width - x, b.width + 2 * pad), height: Math.min(vp.height - y, b.height + 2 * pad) };
}

/** The smallest box holding every element of `selectors` (first match each). */
async function union(page: Page, selectors: string[]): Promise<{ x: number; y: number; width: number; height: number }> {
  const boxes = [];
  for (const sel of selectors) {
    const b = await page.locator(sel).first().boundingBox();
    if (b) boxes.push(b);
  }
  assert.ok(boxes.length > 0, `none of ${selectors.join(', ')} is shown`);
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
}

/** The editor column showing the webview: its tab row and the webview itself. */
async function webviewColumn(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await page.locator('iframe.webview.ready').first().boundingBox();
  assert.ok(b, 'no webview shown');
  const top = Math.max(0, b.y - 40);
  return { x: b.x, y: top, width: b.width, height: b.y + b.height - top };
}

/** Pixels of a canvas (read inside the webview): size, non-transparent pixels, and pixels of the series colour. */
interface CanvasStats { width: number; height: number; painted: number; series: number; colors: number; seriesColor: string }

async function canvasStats(canvas: Locator): Promise<CanvasStats> {
  // Runs in the webview's document (DOM types are not in this project's lib, hence the loose typing).
  return canvas.evaluate((el) => {
    type Ctx = { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
    const c = el as unknown as { width: number; height: number; getContext(k: '2d'): Ctx };
    const g = globalThis as unknown as { getComputedStyle(e: unknown): { getPropertyValue(n: string): string }; document: { body: unknown } };
    const css = g.getComputedStyle(g.document.body).getPropertyValue('--vscode-charts-blue').trim() || '#3794ff';
    const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(css);
    const want = hex ? [1, 2, 3].map((i) => parseInt(hex[i], 16)) : [0x37, 0x94, 0xff];
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    let series = 0;
    const colors = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      painted++;
      colors.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      if (Math.abs(data[i] - want[0]) < 24 && Math.abs(data[i + 1] - want[1]) < 24 && Math.abs(data[i + 2] - want[2]) < 24 && data[i + 3] > 128) series++;
    }
    return { width: c.width, height: c.height, painted, series, colors: colors.size, seriesColor: css };
  });
}

describe('e2e: traindx in the workbench (packaged .vsix)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let page: Page;
  const dialogs: string[] = [];
  const alertConsole: string[] = [];

  before(async function () {
    const vsix = process.env.TRAINDX_VSIX;
    assert.ok(vsix, 'TRAINDX_VSIX must name the .vsix under test (node out/test/e2e/run.js sets it)');
    const workspace = makeWorkspace();
    wb = await openWorkbench({
      workspace,
      copy: false,
      vsix: process.env.TRAINDX_E2E_NO_INSTALL === '1' ? undefined : vsix,
      viewport: { width: 1280, height: 800 },
      settings: { 'editor.minimap.enabled': false, 'workbench.layoutControl.enabled': false },
      beforeGoto: (p) => {
        // Listened from the first byte: any alert/confirm/prompt from the workbench or a webview frame.
        p.on('dialog', (d: Dialog) => {
          dialogs.push(`${d.type()}: ${d.message()}`);
          void d.dismiss().catch(() => undefined);
        });
        // A sandboxed frame without allow-modals blocks alert() and says so on its console.
        p.on('console', (m) => {
          if (/alert\(|allow-modals/.test(m.text())) alertConsole.push(m.text());
        });
      },
    });
    page = wb.page;
  });

  afterEach(async function () {
    await keepFailure(wb, 'traindx-failed', this.currentTest);
  });

  after(async () => {
    await wb?.close();
  });

  it('lists "lr dropped" in Problems while output.log grows on disk (never opened)', async () => {
    const log = path.join(wb.workspace, 'runs', 'step-decay', 'output.log');
    const lines = fs.readFileSync(path.join(STEP_DECAY, 'output.log'), 'utf8').split('\n').filter((l) => l.length > 0);
    await openProblems(page);
    // The first 40 lines hold no LR change: no traindx row may mention one yet.
    fs.appendFileSync(log, lines.slice(0, 40).join('\n') + '\n');
    await page.waitForTimeout(1500);
    const early = await problemRows(page);
    const earlyHere = findingRowsOf(early, /^output\.logruns\/step-decay\b/);
    assert.ok(!earlyHere.some((r) => /lr dropped/.test(r)), `a drop is reported before the log has one: ${JSON.stringify(early)}`);
    for (let i = 40; i < lines.length; i += 20) {
      fs.appendFileSync(log, lines.slice(i, i + 20).join('\n') + '\n');
      await page.waitForTimeout(400);
    }
    const wanted = (rows: string[]): boolean =>
      rows.some((r) => /lr dropped 0\.1 → 0\.01/.test(r) && /traindx/.test(r) && /Ln 61\b/.test(r)) &&
      rows.some((r) => /lr dropped 0\.01 → 0\.001/.test(r) && /traindx/.test(r) && /Ln 121\b/.test(r));
    const rows = await until(page, () => problemRows(page), wanted, 45_000);
    assert.ok(wanted(rows), `Problems lacks the two lr-drop rows of output.log: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => /^output\.log/.test(r)), `no output.log file row: ${JSON.stringify(rows)}`);
    // For the README: the log (opened only now) with its squiggles above the Problems rows.
    await openFile(page, 'runs/step-decay/output.log');
    await goToLine(page, 121);
    // Both drops are information: the loss after them is judged on epoch means, and it does not jump.
    await waitForSquiggle(page, 'info');
    await page.mouse.move(5, 790);
    await shot(page, 'problems', await union(page, ['.part.editor', '.part.panel']));
  });

  it('keeps each squiggle on its evidence line in an open log that grows (not on the last, empty line)', async () => {
    const lines = fs.readFileSync(path.join(STEP_DECAY, 'output.log'), 'utf8').split('\n').filter((l) => l.length > 0);
    const dir = path.join(wb.workspace, 'runs', 'growing');
    fs.mkdirSync(dir, { recursive: true });
    const log = path.join(dir, 'output.log');
    fs.writeFileSync(log, lines.slice(0, 52).join('\n') + '\n');
    await openFile(page, 'runs/growing/output.log');
    await goToLine(page, 52);
    // Appended while open: each append is read by the server and reloaded by the editor, in either order.
    for (let i = 52; i < 70; i += 2) {
      fs.appendFileSync(log, lines.slice(i, i + 2).join('\n') + '\n');
      await page.waitForTimeout(350);
    }
    const flagged = (rows: string[]): boolean => rows.some((r) => /lr dropped 0\.1 → 0\.01/.test(r) && /Ln 61\b/.test(r));
    const rows = await until(page, () => problemRows(page), flagged, 30_000);
    assert.ok(flagged(rows), `no lr-drop row at Ln 61 for the growing log: ${JSON.stringify(rows)}`);
    await focusWorkbench(page);
    await page.keyboard.press('Control+1');
    await goToLine(page, 61);
    await waitForSquiggle(page, 'info');
    await page.waitForTimeout(1000); // any later publication lands
    // The text of the editor line each squiggle is drawn on (Monaco puts both at the same top).
    const squiggled = await page.locator(EDITOR).first().evaluate((ed) => {
      type El = { style: { top: string }; textContent: string | null; parentElement: El | null };
      const q = (sel: string): El[] => [...(ed as unknown as { querySelectorAll(s: string): Iterable<El> }).querySelectorAll(sel)];
      const text = new Map(q('.view-lines .view-line').map((l) => [l.style.top, (l.textContent ?? '').replace(/\u00a0/g, ' ')]));
      return q('.squiggly-info, .squiggly-warning, .squiggly-error').map((s) => text.get(s.parentElement?.style.top ?? '') ?? '(no line)');
    });
    assert.ok(squiggled.length > 0, 'no squiggle is drawn');
    assert.ok(squiggled.every((t) => t.trim().length > 0), `a squiggle sits on an empty line: ${JSON.stringify(squiggled)}`);
    assert.ok(squiggled.some((t) => t === lines[60]), `the lr-drop squiggle is not on line 61 (${lines[60]}): ${JSON.stringify(squiggled)}`);
  });

  it('explains the StepLR scheduler of config.yaml in its hover', async () => {
    await openFile(page, 'runs/step-decay/config.yaml');
    await goToLine(page, 79);
    // A step schedule is a recipe's choice, not a mistake: the tip is a hint (dotted, not in Problems).
    const squiggle = page.locator(`${EDITOR} .squiggly-hint`).first();
    await squiggle.waitFor({ state: 'attached', timeout: 30_000 });
    assert.match(await visibleEditorText(page), /class_path: torch\.optim\.lr_scheduler\.StepLR/);
    const text = await hoverUntil(page, squiggle, /Explain: Learning-rate schedule/);
    assert.ok(text.includes(`Explain: ${LR_TITLE}`), `hover has no explanation link with the scenario title:\n${text}`);
    assert.match(text, /StepLR lowers the LR abruptly every 15/, 'the diagnostic (with the config\'s step_size)');
    assert.match(text, /LR schedule\s*StepLR/);
    assert.match(text, /Over 45 epochs \(trainer\.max_epochs\)/, 'the config\'s own numbers');
    await shot(page, 'hover', await around(page, page.locator('.monaco-hover:not(.hidden)').first(), 40));
  });

  it('applies "Replace StepLR with cosine annealing" from the quick-fix menu and the finding goes away', async () => {
    await page.keyboard.press('Escape');
    await page.mouse.move(700, 450);
    const squiggle = page.locator(`${EDITOR} .squiggly-hint`).first();
    await squiggle.waitFor({ state: 'visible', timeout: 10_000 });
    const { menu, fix } = await quickFixMenu(page, squiggle, 'Replace StepLR with cosine annealing', true);
    const entries = (await menu.locator('.monaco-list-row').allInnerTexts()).map((t) => t.trim());
    assert.ok(entries.some((t) => t.includes(`Explain: ${LR_TITLE}`)), `no Explain action: ${JSON.stringify(entries)}`);
    await fix.hover();
    await shot(page, 'quick-fix', await around(page, page.locator(`${EDITOR}`).first(), 0));
    await fix.click();
    await menu.waitFor({ state: 'hidden' });
    const text = await until(page, () => visibleEditorText(page), (t) => /CosineAnnealingLR/.test(t), 10_000);
    assert.match(text, /class_path: torch\.optim\.lr_scheduler\.CosineAnnealingLR/, `the editor text was not changed:\n${text}`);
    assert.doesNotMatch(text, /StepLR/);
    // The finding on the (unsaved) config clears: no hint left on the scheduler's lines, no StepLR row in Problems.
    const onScheduler = (lines: string[]): boolean => lines.some((t) => /class_path: torch\.optim\.lr_scheduler|lr_scheduler:/.test(t));
    const left = await until(page, () => squiggledLines(page, '.squiggly-hint'), (l) => !onScheduler(l), 20_000);
    assert.ok(!onScheduler(left), `the lr-schedule hint is still shown: ${JSON.stringify(left)}`);
    const rows = await until(page, () => problemRows(page), (r) => !r.some((x) => /StepLR lowers/.test(x)), 20_000);
    assert.ok(!rows.some((x) => /StepLR lowers/.test(x)), `the StepLR row is still in Problems: ${JSON.stringify(rows)}`);
    await page.keyboard.press('Control+S');
  });

  it('opens the run view from a finding: explanation and charts that draw', async () => {
    await openFile(page, 'runs/step-decay/output.log');
    await goToLine(page, 61);
    const squiggle = page.locator(`${EDITOR} .squiggly-info`).first();
    await squiggle.waitFor({ state: 'attached', timeout: 20_000 });
    const text = await hoverUntil(page, squiggle, /Explain/);
    assert.match(text, /lr dropped 0\.1 → 0\.01/);
    await page.locator('.monaco-hover:not(.hidden) a', { hasText: /^Explain$/ }).first().click();
    await closeHover(page);
    const view = webviewFrame(page);
    const h1 = view.locator('main.explain h1');
    await h1.waitFor({ timeout: 30_000 });
    assert.strictEqual((await h1.innerText()).trim(), LR_TITLE);
    const finding = view.locator('.finding').first();
    await finding.waitFor({ timeout: 10_000 });
    assert.match(await finding.innerText(), /lr dropped 0\.1 → 0\.01/);
    const canvases = view.locator('figure.chart canvas');
    await canvases.first().waitFor({ timeout: 20_000 });
    const panels = await view.locator('figure.chart figcaption').allInnerTexts();
    assert.ok(panels.includes('Learning rate') && panels.includes('Loss'), `chart panels: ${JSON.stringify(panels)}`);
    const lrChart = view.locator('figure.chart[data-panel="Learning rate"] canvas').first();
    const box = await lrChart.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 50, `the LR chart has no size: ${JSON.stringify(box)}`);
    const stats = await until(page, () => canvasStats(lrChart), (s) => s.series > 50, 10_000);
    assert.ok(stats.width > 0 && stats.height > 0, JSON.stringify(stats));
    assert.ok(stats.painted > 1000 && stats.colors > 2, `the LR chart is blank: ${JSON.stringify(stats)}`);
    assert.ok(stats.series > 50, `no LR curve in the series colour ${stats.seriesColor}: ${JSON.stringify(stats)}`);
    // For the README: side bar and panel hidden, the log beside the run view scrolled to its charts.
    await toggleChrome(page);
    await view.locator('figure.chart').first().evaluate((e) => (e as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(500);
    await shot(page, 'run-view', await webviewColumn(page));
  });

  it('reviews in the Learn tab: pick True or False, then see why, with a score', async () => {
    const view = webviewFrame(page);
    await view.locator('button.tab[data-tab="learn"]').click();
    await view.locator('main.learn h1').waitFor({ timeout: 10_000 });
    const score = view.locator('[data-role="score"]');
    assert.match(await score.innerText(), /true or false/);
    const answer = view.locator('p.answer').first();
    assert.strictEqual(await answer.isVisible(), false, 'the answer shows before a pick');
    const truePick = view.locator('button.pick[data-pick="true"]').first();
    await truePick.click();
    await answer.waitFor({ state: 'visible', timeout: 5_000 });
    assert.match((await answer.innerText()).trim(), /^(Right|Not quite): (true|false)\. \S/);
    assert.strictEqual(await truePick.isDisabled(), true, 'one pick per statement');
    assert.match(await score.innerText(), /^Score: [01] of 1 right \(\d+ left\)$/);
    // The first scenario's review was answered: show it under the page's title.
    await truePick.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await page.waitForTimeout(300);
    await shot(page, 'learn', await webviewColumn(page));
    await toggleChrome(page); // side bar and panel back
  });

  it('keeps the run view\'s content when it is hidden behind another editor and shown again', async () => {
    // retainContextWhenHidden is off: hiding the webview destroys its document, showing it reloads it.
    await focusWorkbench(page);
    await page.keyboard.press('Control+2'); // the run view's editor group
    await openFile(page, 'runs/step-decay/config.yaml'); // opens in that group, over the run view
    await page.locator('iframe.webview.ready').first().waitFor({ state: 'hidden', timeout: 10_000 });
    await page.locator('.editor-group-container.active .tabs-container .tab', { hasText: 'traindx:' }).first().click();
    const view = webviewFrame(page);
    await view.locator('button.tab.active[data-tab="learn"]').waitFor({ timeout: 20_000 }); // the tab it was left on
    const items = await until(page, () => view.locator('button.pick').count(), (n) => n > 0, 10_000);
    assert.ok(items > 0, 'the Learn tab is empty after the run view was shown again');
    await view.locator('button.tab[data-tab="explain"]').click();
    const h1 = await until(page, async () => ((await view.locator('main h1').count()) ? view.locator('main h1').first().innerText() : ''), (t) => t === LR_TITLE, 10_000);
    assert.strictEqual(h1, LR_TITLE, 'the explanation is gone after the run view was shown again');
    await view.locator('figure.chart canvas').first().waitFor({ timeout: 10_000 });
  });

  it('"Show Run View" shows the open log\'s run and its charts, in the run view\'s column (no new column)', async () => {
    const view = webviewFrame(page);
    await view.locator('button.tab[data-tab="learn"]').click(); // left on Learn: the command must not land there
    await focusWorkbench(page);
    await page.keyboard.press('Control+1');
    await openFile(page, 'runs/step-decay/output.log');
    const groups = await page.locator('.editor-group-container').count();
    for (let i = 0; i < 2; i++) {
      await runCommand(page, 'traindx: Show Run View');
      await view.locator('button.tab.active[data-tab="explain"]').waitFor({ timeout: 20_000 });
      await view.locator('figure.chart canvas').first().waitFor({ state: 'attached', timeout: 20_000 });
    }
    const title = await view.locator('section h2', { hasText: 'Run:' }).first().innerText();
    assert.match(title, /step-decay/, title);
    assert.strictEqual(await page.locator('.editor-group-container').count(), groups, 'the run view opened a new editor column');
    const panels = await view.locator('figure.chart figcaption').allInnerTexts();
    assert.ok(panels.includes('Learning rate') && panels.includes('Loss'), JSON.stringify(panels));
    assert.ok(await view.locator('[data-role="marker-legend"] .marker-key', { hasText: 'finding' }).count() > 0, 'no legend for the finding markers');
  });

  it('opens a TensorBoard event file as its run view, not the binary-file placeholder', async () => {
    await focusWorkbench(page);
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('step-decay-tb events.out.tfevents');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'events.out.tfevents' }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active[aria-label*="events.out.tfevents"]').first().waitFor({ timeout: 20_000 });
    const active = page.locator('.editor-group-container.active');
    // Webview iframes live outside the editor groups' DOM: find the one showing the event file's run.
    const shownIn = async (): Promise<number> => {
      const n = await page.locator('iframe.webview.ready').count();
      for (let i = 0; i < n; i++) if ((await webviewFrame(page, i).locator('section h2', { hasText: 'step-decay-tb' }).count()) > 0) return i;
      return -1;
    };
    const index = await until(page, shownIn, (i) => i >= 0, 30_000);
    assert.ok(index >= 0, 'no run view shows the event file\'s run');
    const frame = webviewFrame(page, index);
    await frame.locator('figure.chart canvas').first().waitFor({ state: 'attached', timeout: 30_000 });
    assert.match(await frame.locator('main.explain h1').first().innerText(), /\S/, 'the run view explains the event file\'s finding');
    assert.strictEqual(await active.getByText(/binary or uses an unsupported text encoding/).count(), 0, 'the binary-file placeholder is shown');
  });

  it('shows a metric named "><img src=x onerror=alert(1)> as text (no dialog, no element)', async () => {
    writeHostileLog(wb.workspace);
    // train.log opens in the run view's group (active since the last test), hiding it: the Explain below
    // then goes to a hidden panel, whose message used to be dropped (the view kept the Learn tab).
    const wanted = (r: string[]): boolean => r.some((x) => x.includes(`${HOSTILE_METRIC} is NaN at epoch 15`));
    const rows = await until(page, () => problemRows(page), wanted, 30_000);
    assert.ok(wanted(rows), `no Problems row shows the hostile metric name as text: ${JSON.stringify(rows)}`);
    await openFile(page, 'runs/hostile/train.log');
    const squiggle = await waitForSquiggle(page, 'error');
    const text = await hoverUntil(page, squiggle, /Explain/);
    assert.ok(text.includes(`${HOSTILE_METRIC} is NaN`), `hover does not show the name as text:\n${text}`);
    await page.locator('.monaco-hover:not(.hidden) a', { hasText: /^Explain$/ }).first().click();
    await closeHover(page);
    const view = webviewFrame(page);
    await view.locator('main.explain h1', { hasText: DIVERGENCE_TITLE }).waitFor({ timeout: 30_000 });
    const finding = view.locator('.finding').first();
    await finding.waitFor({ timeout: 10_000 });
    assert.ok((await finding.innerText()).includes(`${HOSTILE_METRIC} is NaN`), 'the run view does not show the name as text');
    await page.waitForTimeout(1000); // time for an injected onerror to fire
    assert.strictEqual(await view.locator('#app img, [onerror]').count(), 0, 'the webview holds an injected element');
    assert.strictEqual(await page.locator('img[src="x"], [onerror]').count(), 0, 'the workbench holds an injected element');
    await focusWorkbench(page);
    assert.deepStrictEqual(dialogs, [], 'a dialog fired');
    assert.deepStrictEqual(alertConsole, [], 'an alert() was attempted');
    // The listener itself works: a real alert is seen (and dismissed).
    await page.evaluate(() => (globalThis as unknown as { alert(m: string): void }).alert('traindx-e2e-probe'));
    assert.deepStrictEqual(dialogs.splice(0), ['alert: traindx-e2e-probe'], 'the dialog listener missed a real alert');
    await shot(page, 'hostile', undefined, false);
  });
});

/**
 * The finding rows Problems lists under the file row matching `file` (a file row has no `[Ln …]`; the
 * rows after it, until the next file row, are its findings).
 */
function findingRowsOf(rows: readonly string[], file: RegExp): string[] {
  const out: string[] = [];
  let current = '';
  for (const r of rows) {
    if (!/\[Ln \d+/.test(r)) current = r;
    else if (file.test(current)) out.push(r);
  }
  return out;
}

/** The text of each editor line a squiggle of `cls` is drawn on (Monaco puts both at the same top). */
async function squiggledLines(page: Page, cls: string): Promise<string[]> {
  return page
    .locator(EDITOR)
    .first()
    .evaluate((ed, sel) => {
      type El = { style: { top: string }; textContent: string | null; parentElement: El | null };
      const q = (s: string): El[] => [...(ed as unknown as { querySelectorAll(x: string): Iterable<El> }).querySelectorAll(s)];
      const text = new Map(q('.view-lines .view-line').map((l) => [l.style.top, (l.textContent ?? '').replace(/\u00a0/g, ' ')]));
      return q(sel).map((x) => text.get(x.parentElement?.style.top ?? '') ?? '(no line)');
    }, cls);
}
