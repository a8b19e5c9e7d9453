/**
 * The run view renders hostile data as text: dist/media/main.js in headless Chromium, under the very
 * page and CSP the panel serves (src/client/webview-html.ts), with `acquireVsCodeApi` stubbed. The
 * host posts an `explain` and a `run` message whose messages, paths, run key, metric names and
 * marker labels are script/HTML/Markdown-link payloads. Nothing may run (no dialog, no
 * `window.__pwned`, no CSP violation, no element made from the data), the payloads must be visible
 * as text, and the charts must have drawn (canvas elements).
 *
 * Needs /usr/bin/chromium (or CHROMIUM_PATH) and a built dist/media; skipped with a message otherwise.
 * The page is served by Playwright's request interception: no socket is opened.
 */
import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { contentSecurityPolicy, webviewPage } from '../../../src/client/webview-html';
import { SCENARIOS } from '../../../src/core/scenarios';
import type { Finding } from '../../../src/core/types';
import type { ExplainResult, RunData } from '../../../src/shared/protocol';
import { REPO_ROOT, skipBecause } from '../../helpers/paths';
import { PAYLOADS } from './payloads';

// The page functions below run in Chromium; this project compiles without the DOM lib, so the two
// globals they use are declared here, for this module only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORIGIN = 'http://traindx.test';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Payloads that also try to run code when parsed as HTML or followed as links. */
const HOSTILE = [...PAYLOADS, '<img src=x onerror="window.__pwned=1">', '<svg onload="window.__pwned=2"></svg>', '**<b>bold</b>** `<i>code</i>`'];

function runData(): RunData {
  const n = 30;
  const x = Array.from({ length: n }, (_, i) => i);
  const finding: Finding = {
    scenario: 'divergence',
    rule: 'nonfinite',
    severity: 'error',
    message: `train_loss ${HOSTILE.join(' ')} is NaN`,
    file: `/runs/${PAYLOADS[1]}/train.log`,
    line: 13,
    evidence: { metric: PAYLOADS[0] },
  } as Finding;
  return {
    runKey: `run ${HOSTILE.join(' ')}`,
    label: `run ${HOSTILE.join(' ')}`,
    files: [`/runs/${PAYLOADS[1]}/train.log`],
    series: [
      { name: 'train_loss', rawNames: [PAYLOADS[0], PAYLOADS[1]], xKind: 'epoch', x, y: x.map((i) => (i === 12 ? null : 2 / (i + 1))) },
      { name: 'val_loss', rawNames: [PAYLOADS[2]], xKind: 'epoch', x, y: x.map((i) => 2.1 / (i + 1)) },
      { name: 'lr', rawNames: [PAYLOADS[3]], xKind: 'epoch', x, y: x.map(() => 1e-3) },
      { name: PAYLOADS[0], rawNames: [HOSTILE[4]], xKind: 'step', x, y: x.map((i) => i) },
    ],
    findings: [finding],
    markers: [{ x: 12, xKind: 'epoch', scenario: 'divergence', label: HOSTILE.join(' '), file: finding.file, line: 13 }],
  };
}

describe('security: the run view shows hostile data as text (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  const media = path.join(REPO_ROOT, 'dist', 'media');

  before(async function () {
    if (!fs.existsSync(CHROMIUM) || !fs.existsSync(path.join(media, 'main.js'))) {
      skipBecause(this, `needs ${CHROMIUM} and ${media}/main.js; run node esbuild.mjs`);
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  });
  after(async () => {
    await browser?.close();
  });

  it('the CSP: default-src none, scripts only by nonce, no unsafe-*, no http(s) source of ours', () => {
    const nonce = crypto.randomBytes(18).toString('base64');
    // A stand-in token for webview.cspSource (VS Code's own vscode-cdn source), so what we add is visible.
    const csp = contentSecurityPolicy('{{cspSource}}', nonce);
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`], 'scripts only by nonce');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|strict-dynamic/);
    assert.doesNotMatch(csp.replace(/\{\{cspSource\}\}/g, ''), /https?:|\*|ws:|wss:|blob:|filesystem:/, 'no network source besides the webview’s own');
    assert.ok(!directives.has('connect-src') && !directives.has('frame-src') && !directives.has('object-src'), 'connect/frame/object fall back to none');
    for (const [k, v] of directives) if (k !== 'default-src' && k !== 'script-src') assert.ok(v.every((s) => s === '{{cspSource}}' || s === 'data:'), `${k}: ${v.join(' ')}`);
    const page = webviewPage({ cspSource: '{{cspSource}}', nonce, scriptUri: 's.js', styleUri: 's.css' });
    assert.equal((page.match(/<script\b/g) ?? []).length, 1, 'one script');
    assert.match(page, new RegExp(`<script nonce="${nonce.replace(/[+/]/g, '\\$&')}" src="s.js"></script>`));
    assert.ok(page.includes(`content="${csp}"`));
  });

  it('show + run messages with payloads: nothing runs, payloads are text, charts draw', async () => {
    assert.ok(browser);
    const nonce = crypto.randomBytes(18).toString('base64');
    const context = await browser.newContext();
    const page = await context.newPage();
    // Everything is served from memory; any other request fails (and is recorded).
    const stray: string[] = [];
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== ORIGIN) {
        stray.push(url.href);
        return route.abort();
      }
      if (url.pathname === '/index.html') {
        return route.fulfill({
          contentType: 'text/html',
          body: webviewPage({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/dist/media/main.js`, styleUri: `${ORIGIN}/dist/media/main.css` }),
        });
      }
      const f = path.join(REPO_ROOT, url.pathname);
      if (!f.startsWith(media) || !fs.existsSync(f)) {
        stray.push(url.href);
        return route.fulfill({ status: 404, body: '' });
      }
      return route.fulfill({ contentType: f.endsWith('.js') ? 'text/javascript' : 'text/css', body: fs.readFileSync(f) });
    });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      w.__posted = [];
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e: any) => (w.__violations as string[]).push(`${e.violatedDirective} ${e.blockedURI}`));
      let state: unknown;
      w.acquireVsCodeApi = () => ({
        postMessage: (m: unknown) => (w.__posted as unknown[]).push(m),
        getState: () => state,
        setState: (s: unknown) => {
          state = s;
        },
      });
    });
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted ?? []).some((m) => m.type === 'ready'));

    const run = runData();
    const scenario = { ...SCENARIOS.divergence, title: `Divergence ${HOSTILE[0]}`, summary: `${SCENARIOS.divergence.summary} ${HOSTILE.join(' ')}`, fixes: [...HOSTILE] };
    const explain: ExplainResult = { scenario, finding: run.findings[0], run };
    await page.evaluate(
      ([e, r]) => {
        window.dispatchEvent(new MessageEvent('message', { data: { type: 'show', explain: e, run: null, state: { explain: { scenario: 'divergence' } } } }));
        window.dispatchEvent(new MessageEvent('message', { data: { type: 'run', run: r } }));
      },
      [explain, run] as const,
    );
    await page.waitForFunction(() => document.querySelectorAll('canvas').length > 0, undefined, { timeout: 15_000 });
    // Give any injected handler (img onerror, svg onload) a moment to fire.
    await page.waitForTimeout(500);

    const seen = await page.evaluate(() => {
      const w = window as unknown as { __pwned?: unknown; __violations: string[] };
      return {
        pwned: w.__pwned,
        violations: w.__violations,
        text: document.body.innerText,
        canvases: document.querySelectorAll('canvas').length,
        charts: [...document.querySelectorAll('figure.chart')].map((f: any) => f.dataset.panel as string),
        injected: document.querySelectorAll('#app img, #app svg, #app script, #app iframe, #app b, #app i, [onerror], [onload]').length,
        links: [...document.querySelectorAll('a')].map((a: any) => a.getAttribute('href') as string),
        scripts: [...document.querySelectorAll('script')].map((s: any) => s.getAttribute('src') as string),
      };
    });
    await context.close();

    assert.deepEqual(dialogs, [], 'a dialog opened: script ran');
    assert.equal(seen.pwned, undefined, 'window.__pwned set: script ran');
    assert.deepEqual(seen.violations, [], 'CSP violations mean something tried to run or load');
    assert.deepEqual(errors, [], 'page errors');
    assert.deepEqual(stray, [], 'requests outside the webview’s own resources');
    assert.equal(seen.injected, 0, 'elements made from the data');
    assert.deepEqual(seen.links, ['#'], 'the only link is the finding’s reveal link');
    assert.deepEqual(seen.scripts, [`${ORIGIN}/dist/media/main.js`]);
    for (const p of HOSTILE.filter((h) => !h.startsWith('**'))) assert.ok(seen.text.includes(p), `payload not visible as text: ${p}`);
    assert.ok(seen.text.includes(`run ${HOSTILE[0]}`), 'run key as text');
    assert.ok(seen.text.includes(`/runs/${PAYLOADS[1]}/train.log:13`), 'finding location as text');
    assert.ok(seen.canvases >= 2, `charts drew: ${seen.canvases} canvases, panels ${seen.charts.join(', ')}`);
    assert.ok(seen.charts.includes('Loss') && seen.charts.includes('Learning rate'), seen.charts.join(', '));
  });
});
