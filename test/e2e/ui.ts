/**
 * Route B helpers: drive the real VS Code web workbench (code-server) in headless Chromium, with a
 * packaged .vsix installed the way a user installs it. Selectors verified on VS Code 1.139 (code-server
 * 4.139.1); see /work/shared/E2E.md.
 *
 *   const wb = await openWorkbench({ vsix, workspace });
 *   await openFile(wb.page, 'runs/a/train.log');
 *   const squiggle = await waitForSquiggle(wb.page, 'warning');
 *   const text = await hoverAt(wb.page, squiggle);
 *   const rows = await readProblems(wb.page, { atLeast: 1 });
 *   await runCommand(wb.page, 'traindx: Show Run');
 *   const view = webviewFrame(wb.page);   // FrameLocator of the webview's content
 *   await wb.close();
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import {
  CodeServer,
  copyWorkspace,
  launchChromium,
  makeTempDir,
  resultsDir,
  stamp,
  startCodeServer,
  workbenchUrl,
} from '../integration/runner/code-server';
import { installVsix, InstalledExtension } from './vsix';

export interface WorkbenchOptions {
  /** Folder to open; copied to a temp folder first unless copy is false. */
  workspace: string;
  copy?: boolean;
  /** .vsix to install before the server starts (omit to test a bare workbench). */
  vsix?: string;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  viewport?: { width: number; height: number };
  /** Milliseconds to wait for the workbench and the explorer; default 60 s. */
  loadTimeoutMs?: number;
  /** Called with the new page before it loads the workbench (e.g. to listen for 'dialog' from the start). */
  beforeGoto?: (page: Page) => void | Promise<void>;
}

export interface Workbench {
  server: CodeServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The folder actually opened (the temp copy). */
  workspace: string;
  /** What the .vsix installed, if one was given. */
  extension?: InstalledExtension;
  /** Browser console errors and page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

const SQUIGGLE: Record<Severity | 'any', string> = {
  error: '.squiggly-error',
  warning: '.squiggly-warning',
  info: '.squiggly-info',
  hint: '.squiggly-hint',
  any: '.squiggly-error, .squiggly-warning, .squiggly-info, .squiggly-hint',
};

/** Starts code-server (with the .vsix installed) and Chromium, opens the workspace, waits for the UI. */
export async function openWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  let extensionsDir: string | undefined;
  let extension: InstalledExtension | undefined;
  if (opts.vsix) {
    const r = installVsix(opts.vsix, makeTempDir('traindx-exts-'));
    extensionsDir = r.extensionsDir;
    extension = r.extension;
  }
  const workspace = opts.copy === false ? path.resolve(opts.workspace) : copyWorkspace(path.resolve(opts.workspace));
  const server = await startCodeServer({ extensionsDir, settings: opts.settings });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
      if (process.env.TRAINDX_E2E_VERBOSE === '1') process.stderr.write(`[browser:${m.type()}] ${m.text()}\n`);
    });
    await opts.beforeGoto?.(page);
    await page.goto(workbenchUrl(server, workspace), { waitUntil: 'domcontentloaded' });
    const timeout = opts.loadTimeoutMs ?? 60_000;
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout });
    const b = browser;
    let closed = false;
    return {
      server, browser: b, context, page, workspace, extension, errors,
      async close() {
        if (closed) return;
        closed = true;
        await b.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw e;
  }
}

/** Gives keyboard focus to the workbench (keybindings need it after page load or a webview click). */
export async function focusWorkbench(page: Page): Promise<void> {
  const status = page.locator('.part.statusbar');
  if (await status.isVisible()) await status.click({ position: { x: 2, y: 2 } });
}

/** Opens a workspace file with Quick Open (Control+P) and waits for its editor tab to be active. */
export async function openFile(page: Page, relPath: string, timeout = 20_000): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(relPath);
  const base = path.posix.basename(relPath.replace(/\\/g, '/'));
  // Wait until Quick Open's active (first) result is the file before accepting it: right after the
  // input is filled the list may still show the unfiltered recent files, whose first row is another file.
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: base }).first().waitFor({ timeout });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label*="${cssString(base)}"]`).first().waitFor({ timeout });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout });
}

/** Waits for a diagnostic squiggle of the given severity in the visible editor and returns it. */
export async function waitForSquiggle(page: Page, severity: Severity | 'any' = 'any', timeout = 30_000): Promise<Locator> {
  const loc = page.locator(`.editor-group-container.active .monaco-editor ${SQUIGGLE[severity].split(', ').join(
    ', .editor-group-container.active .monaco-editor ')}`).first();
  await loc.waitFor({ state: 'attached', timeout });
  return loc;
}

/**
 * Opens the quick-fix menu (Control+.) at `squiggle` and waits for its action titled `title`; the caller
 * looks at the menu and clicks the action. `escapeHover` closes the hover the click opens (in a notebook
 * cell, Escape would leave the cell and take Control+. with it).
 */
export async function quickFixMenu(page: Page, squiggle: Locator, title: string, escapeHover: boolean): Promise<{ menu: Locator; fix: Locator }> {
  const box = await squiggle.boundingBox();
  assert.ok(box, 'the squiggle to fix is not drawn');
  await page.mouse.click(box.x + Math.min(box.width / 2, 40), box.y + box.height / 2);
  if (escapeHover) await page.keyboard.press('Escape');
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
  await menu.waitFor({ state: 'visible', timeout: 15_000 });
  const fix = menu.locator('.monaco-list-row', { hasText: title }).first();
  await fix.waitFor({ timeout: 15_000 });
  return { menu, fix };
}

/** After a failed test: a screenshot and the browser's errors under `${prefix}-${title}` (mocha's afterEach). */
export async function keepFailure(wb: Workbench | undefined, prefix: string, test: Mocha.Test | undefined): Promise<void> {
  if (test?.state !== 'failed' || !wb) return;
  const shot = await screenshot(wb.page, `${prefix}-${test.title}`).catch(() => undefined);
  if (shot) console.log(`      screenshot: ${path.relative(process.cwd(), shot)}`);
  if (wb.errors.length) saveText(`${prefix}-${test.title}-browser-errors`, wb.errors.join('\n'));
}

/** Number of squiggles currently shown per severity in the active editor. */
export async function countSquiggles(page: Page): Promise<Record<Severity, number>> {
  const out = { error: 0, warning: 0, info: 0, hint: 0 } as Record<Severity, number>;
  for (const s of Object.keys(out) as Severity[]) {
    out[s] = await page.locator(`.editor-group-container.active .monaco-editor ${SQUIGGLE[s]}`).count();
  }
  return out;
}

/** Opens the Problems panel (Control+Shift+M). */
export async function openProblems(page: Page, timeout = 15_000): Promise<Locator> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await focusWorkbench(page);
    await page.keyboard.press('Control+Shift+M');
  }
  await panel.waitFor({ state: 'visible', timeout });
  return panel;
}

/**
 * Opens Problems and returns the text of its rows (file rows and marker rows; a marker row's text holds
 * the message, source/code and `[Ln x, Col y]`). Waits until at least `atLeast` rows are shown.
 */
export async function readProblems(page: Page, opts: { atLeast?: number; timeout?: number } = {}): Promise<string[]> {
  const timeout = opts.timeout ?? 30_000;
  const panel = await openProblems(page, timeout);
  const rows = panel.locator('.monaco-list-row');
  const atLeast = opts.atLeast ?? 0;
  if (atLeast > 0) {
    const deadline = Date.now() + timeout;
    while ((await rows.count()) < atLeast) {
      if (Date.now() > deadline) {
        throw new Error(`Problems shows ${await rows.count()} rows, expected at least ${atLeast}`);
      }
      await page.waitForTimeout(200);
    }
  }
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Moves the mouse to the centre of `target` (e.g. a squiggle) and returns the hover widget's text. */
export async function hoverAt(page: Page, target: Locator, timeout = 15_000): Promise<string> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error('hover target is not visible');
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  // A small move onto the target so the editor sees a fresh mouse-move there.
  await page.mouse.move(x - 3, y);
  await page.mouse.move(x, y, { steps: 3 });
  await hover.waitFor({ state: 'visible', timeout });
  await page.waitForTimeout(300); // let the contents settle (markers first, then providers)
  return (await hover.innerText()).trim();
}

/** Opens the command palette (F1), types `title` and returns the matching rows' texts (then closes it). */
export async function findCommand(page: Page, title: string, timeout = 20_000): Promise<string[]> {
  await openPalette(page, title, timeout);
  const rows = page.locator('.quick-input-list .monaco-list-row', { hasText: title });
  try {
    await rows.first().waitFor({ timeout });
    return await rows.allInnerTexts();
  } catch {
    return [];
  } finally {
    await page.keyboard.press('Escape');
  }
}

/** Runs a command by its palette title (F1, type, Enter on the matching row). */
export async function runCommand(page: Page, title: string, timeout = 20_000): Promise<void> {
  await openPalette(page, title, timeout);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout }).catch(() => undefined);
}

async function openPalette(page: Page, text: string, timeout: number): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${text}`);
}

/**
 * Searches the Extensions view (default `@installed`) and returns the rows' texts. The list re-renders
 * while the search runs, so it polls until `until(rows)` holds (default: at least one row) or the
 * timeout passes, then returns what is shown.
 */
export async function installedExtensionsShown(page: Page, search = '@installed',
  opts: { until?: (rows: string[]) => boolean; timeout?: number } = {}): Promise<string[]> {
  const timeout = opts.timeout ?? 30_000;
  const until = opts.until ?? ((rows: string[]) => rows.length > 0);
  await focusWorkbench(page);
  await page.keyboard.press('Control+Shift+X');
  // The search box is a small Monaco editor; clicking its container focuses it (it is usually focused already).
  const box = page.locator('.extensions-viewlet .suggest-input-container').first();
  await box.waitFor({ state: 'visible', timeout });
  await box.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(search);
  await page.keyboard.press('Enter');
  const rows = page.locator('.extensions-viewlet .monaco-list-row');
  const deadline = Date.now() + timeout;
  let texts: string[] = [];
  for (;;) {
    texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    if (until(texts) || Date.now() > deadline) return texts;
    await page.waitForTimeout(250);
  }
}

/**
 * The content frame of the active webview. Webviews are two nested iframes: the outer
 * `iframe.webview.ready` and the extension's document in `#active-frame`.
 */
export function webviewFrame(page: Page, index = 0): FrameLocator {
  return page.frameLocator('iframe.webview.ready').nth(index).frameLocator('#active-frame');
}

/** Saves a full-page screenshot to test-results/<name>-<time>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(resultsDir(), `${stamp(name)}.png`);
  await page.screenshot({ path: file, timeout: 15_000 });
  return file;
}

/** Writes a text artefact (e.g. collected browser errors) next to the screenshots. */
export function saveText(name: string, text: string): string {
  const file = path.join(resultsDir(), `${stamp(name)}.txt`);
  fs.writeFileSync(file, text);
  return file;
}

function cssString(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}
