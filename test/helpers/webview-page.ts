/**
 * The run view's real bundle (dist/media/main.js) in headless Chromium, under the page the panel
 * serves (src/client/webview-html.ts), with `acquireVsCodeApi` stubbed and every canvas `fillText`
 * recorded (uPlot draws its tick labels on the canvas). Served by request interception: no socket.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { webviewPage } from '../../src/client/webview-html';
import type { ToWebview } from '../../src/shared/webview-messages';
import { REPO_ROOT } from './paths';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORIGIN = 'http://traindx.test';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const MEDIA = path.join(REPO_ROOT, 'dist', 'media');

export function canRunWebview(): boolean {
  return fs.existsSync(CHROMIUM) && fs.existsSync(path.join(MEDIA, 'main.js'));
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** A fresh page with the run view loaded and ready (it said 'ready'). */
export async function openRunView(browser: Browser): Promise<Page> {
  const nonce = crypto.randomBytes(18).toString('base64');
  const context = await browser.newContext({ viewport: { width: 900, height: 1400 } });
  const page = await context.newPage();
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') {
      return route.fulfill({ contentType: 'text/html', body: webviewPage({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/dist/media/main.js`, styleUri: `${ORIGIN}/dist/media/main.css` }) });
    }
    const f = path.join(REPO_ROOT, url.pathname);
    if (url.origin !== ORIGIN || !f.startsWith(MEDIA) || !fs.existsSync(f)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ contentType: f.endsWith('.js') ? 'text/javascript' : 'text/css', body: fs.readFileSync(f) });
  });
  await page.addInitScript(() => {
    const w = globalThis as unknown as Record<string, unknown> & { CanvasRenderingContext2D: { prototype: { fillText(t: string, x: number, y: number): void } } };
    w.__posted = [];
    w.__texts = [];
    const fill = w.CanvasRenderingContext2D.prototype.fillText;
    w.CanvasRenderingContext2D.prototype.fillText = function (t: string, x: number, y: number) {
      (w.__texts as string[]).push(String(t));
      return fill.call(this, t, x, y);
    };
    let state: unknown;
    w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => (w.__posted as unknown[]).push(m), getState: () => state, setState: (s: unknown) => (state = s) });
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => ((globalThis as unknown as { __posted: { type: string }[] }).__posted ?? []).some((m) => m.type === 'ready'));
  return page;
}

/** Posts host messages to the page, in order. */
export async function post(page: Page, messages: ToWebview[]): Promise<void> {
  await page.evaluate((ms) => {
    const w = globalThis as unknown as { dispatchEvent(e: unknown): void; MessageEvent: new (t: string, i: { data: unknown }) => unknown };
    for (const data of ms) w.dispatchEvent(new w.MessageEvent('message', { data }));
  }, messages);
}

/** The strings drawn on canvases since the page loaded (tick labels among them). */
export async function canvasTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { __texts: string[] }).__texts.slice());
}
