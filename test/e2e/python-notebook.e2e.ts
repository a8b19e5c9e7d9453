/**
 * Route B, issue 14: training scripts and notebooks in the real workbench (code-server + headless
 * Chromium, the packaged .vsix). A `train.py` with a StepLR shows the hint squiggle on the scheduler and
 * its quick fix rewrites it to CosineAnnealingLR in the editor; a notebook whose saved Keras `fit`
 * output diverges shows the error squiggle in the cell that called `fit` (the notebook editor, cell
 * documents synced over LSP), and the Problems panel lists it; a notebook whose StepLR cell follows its
 * optimizer's cell shows the hint in the scheduler cell, and its quick fix rewrites that cell.
 *
 *   node esbuild.mjs && npx tsc -p . && node out/test/e2e/run.js out/test/e2e/python-notebook.e2e.js
 *
 * The fixtures (test/e2e/fixtures/python-notebook) are written for this test in the shape of
 * pytorch/examples mnist/main.py and of a Keras `fit` cell's saved stream output. Not vacuous: with
 * TRAINDX_E2E_NO_INSTALL=1 (workbench without the .vsix) every test fails.
 */
import * as assert from 'assert';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../integration/runner/code-server';
import { focusWorkbench, openFile, openProblems, openWorkbench, quickFixMenu, keepFailure, waitForSquiggle, type Workbench } from './ui';

const FIXTURES = path.join(repoRoot(), 'test', 'e2e', 'fixtures', 'python-notebook');
const ACTIVE = '.editor-group-container.active';

async function until<T>(page: Page, get: () => Promise<T>, ok: (v: T) => boolean, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await get();
    if (ok(v) || Date.now() > deadline) return v;
    await page.waitForTimeout(250);
  }
}

/** The text the active editor shows (Monaco renders lines as divs; non-breaking spaces as spaces). */
async function editorText(page: Page): Promise<string> {
  return (await page.locator(`${ACTIVE} .monaco-editor .view-lines`).first().innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Opens a notebook with Quick Open and waits for its notebook editor (ui.ts `openFile` waits for a text
 * editor's first line, which a notebook, whose first cell here is markdown, does not show).
 */
async function openNotebook(page: Page, name: string): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).first().waitFor({ timeout: 20_000 });
  await page.locator('.notebook-editor .monaco-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
}

describe('e2e: training scripts and notebooks (issue 14)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let page: Page;

  before(async function () {
    const vsix = process.env.TRAINDX_VSIX;
    assert.ok(vsix, 'TRAINDX_VSIX must name the .vsix under test (node out/test/e2e/run.js sets it)');
    wb = await openWorkbench({ workspace: FIXTURES, vsix: process.env.TRAINDX_E2E_NO_INSTALL === '1' ? undefined : vsix });
    page = wb.page;
  });

  afterEach(async function () {
    await keepFailure(wb, 'python-notebook', this.currentTest);
  });

  after(async () => {
    await wb?.close();
  });

  it('train.py: the StepLR hint squiggle, and its quick fix rewrites the scheduler to CosineAnnealingLR', async () => {
    await openFile(page, 'train.py');
    const squiggle = await waitForSquiggle(page, 'hint', 60_000);
    await squiggle.scrollIntoViewIfNeeded();
    const { menu, fix } = await quickFixMenu(page, squiggle, 'Replace StepLR with cosine annealing', true);
    await fix.click();
    await menu.waitFor({ state: 'hidden' });
    const text = await until(page, () => editorText(page), (t) => /CosineAnnealingLR/.test(t), 15_000);
    assert.match(text, /scheduler = torch\.optim\.lr_scheduler\.CosineAnnealingLR\(optimizer, T_max=EPOCHS\)/, `the editor text was not changed:\n${text}`);
    assert.doesNotMatch(text, /scheduler = StepLR/);
    // The hint goes with the StepLR it was about (the unsaved text is what is analysed).
    const hints = await until(page, () => page.locator(`${ACTIVE} .monaco-editor .squiggly-hint`).count(), (n) => n === 0, 20_000);
    assert.equal(hints, 0, 'the lr-schedule hint is still shown after the fix');
  });

  it('steplr_cells.ipynb: the StepLR hint in its cell (optimizer defined two cells up) and the quick fix rewrites that cell', async () => {
    await openNotebook(page, 'steplr_cells.ipynb');
    const squiggle = page.locator('.notebook-editor .monaco-editor .squiggly-hint').first();
    await squiggle.waitFor({ state: 'visible', timeout: 60_000 });
    // Into the cell's editor, without Escape after (it would leave the cell).
    const { menu, fix } = await quickFixMenu(page, squiggle, 'Replace StepLR with cosine annealing', false);
    await fix.click();
    await menu.waitFor({ state: 'hidden' });
    const cellTexts = () => page.locator('.notebook-editor .monaco-editor .view-lines').allTextContents();
    const texts = (await until(page, cellTexts, (t) => t.some((x) => x.includes('CosineAnnealingLR')), 15_000)).map((t) => t.replace(/\u00a0/g, ' '));
    assert.ok(texts.includes('sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)'), `the scheduler cell was not rewritten: ${JSON.stringify(texts)}`);
    assert.ok(texts.includes('opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)'), 'the optimizer cell is untouched');
    // The scheduler cell's hint goes (the loop cell keeps its own: 30 epochs without early stopping).
    const schedulerCell = page.locator('.notebook-editor .monaco-editor', { hasText: 'CosineAnnealingLR' }).first();
    const hints = await until(page, () => schedulerCell.locator('.squiggly-hint').count(), (n) => n === 0, 20_000);
    assert.equal(hints, 0, 'the lr-schedule hint is still shown in the scheduler cell after the fix');
  });

  it('keras_fit.ipynb: the divergence its saved fit output shows is an error squiggle in the fit cell and a Problems row', async () => {
    await openNotebook(page, 'keras_fit.ipynb');
    // The notebook editor: one Monaco editor per code cell; the error is drawn in the cell that called fit.
    // A notebook's cell editors live in the notebook widget (an overlay over the editor group, not inside it).
    const squiggle = page.locator('.notebook-editor .monaco-editor .squiggly-error').first();
    await squiggle.waitFor({ state: 'attached', timeout: 60_000 });
    const cellText = await squiggle.evaluate((el) => el.closest('.monaco-editor')?.querySelector('.view-lines')?.textContent ?? '');
    assert.match(cellText.replace(/\u00a0/g, ' '), /history = model\.fit\(X_train, y_train, epochs=6,/, `the squiggle is not in the fit cell:\n${cellText}`);
    const panel = await openProblems(page);
    const rows = await until(
      page,
      async () => (await panel.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
      (r) => r.some((x) => /train_loss reached 3\.1e7 at epoch 4/.test(x)),
      30_000,
    );
    assert.ok(rows.some((x) => /train_loss reached 3\.1e7 at epoch 4/.test(x)), `no divergence row in Problems: ${JSON.stringify(rows)}`);
  });
});
