/**
 * The run view's bundle in headless Chromium, as the host drives it: the tab does not depend on the
 * order of messages, a fine-tune's LR axis has readable ticks, every scalar is charted, smoothing keeps
 * the raw curve in the readout, and the marker lines have a legend. Skipped without Chromium or dist/media.
 */
import { strict as assert } from 'node:assert';
import type { Browser, Page } from 'playwright-core';
import { SCENARIOS } from '../../../src/core/scenarios';
import type { RunData } from '../../../src/shared/protocol';
import { skipBecause } from '../../helpers/paths';
import { canRunWebview, canvasTexts, launch, openRunView, post } from '../../helpers/webview-page';

/** A Hugging Face fine-tune's shape: LR warmup to 5e-5 then linear decay, losses, accuracy, throughput. */
function fineTune(): RunData {
  const x = Array.from({ length: 60 }, (_, i) => (i + 1) * 10);
  const lr = x.map((s) => (s <= 60 ? (5e-5 * s) / 60 : 5e-5 * (1 - (s - 60) / 600)));
  return {
    runKey: '/runs/bert/trainer_state.json',
    label: 'runs/bert/trainer_state.json',
    files: ['/runs/bert/trainer_state.json'],
    series: [
      { name: 'lr', rawNames: ['learning_rate'], xKind: 'step', x, y: lr },
      { name: 'train_loss', rawNames: ['loss'], xKind: 'step', x, y: x.map((s, i) => 0.7 / Math.sqrt(s / 10) + (i % 3) * 0.02) },
      { name: 'val_loss', rawNames: ['eval_loss'], xKind: 'step', x, y: x.map((s) => 0.6 / Math.sqrt(s / 10) + 0.05) },
      { name: 'val_acc', rawNames: ['eval_accuracy'], xKind: 'step', x, y: x.map((s) => 0.9 - 0.3 / Math.sqrt(s / 10)) },
      { name: 'train_samples_per_second', rawNames: [], xKind: 'step', x, y: x.map(() => 123.4) },
    ],
    findings: [],
    markers: [{ x: 300, xKind: 'step', scenario: 'fine-tuning', label: 'lr high', file: '/runs/bert/trainer_state.json', line: 40 }],
  };
}

describe('the run view in Chromium (dist/media/main.js)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    if (!canRunWebview()) skipBecause(this, 'needs /usr/bin/chromium and a built dist/media (node esbuild.mjs)');
    browser = await launch();
  });
  after(async () => browser?.close());
  beforeEach(async () => {
    if (browser) page = await openRunView(browser);
  });

  it('"Show Run View" after the Learn items arrived: the run\'s charts, every scalar, exponent LR ticks, a marker legend', async () => {
    const run = fineTune();
    await post(page, [
      { type: 'learn', result: [{ scenario: SCENARIOS['fine-tuning'] }] },
      { type: 'show', state: { uri: 'file:///runs/bert/trainer_state.json', tab: 'explain' }, explain: null, run },
    ]);
    await page.waitForSelector('figure.chart canvas');
    assert.equal(await page.locator('button.tab.active').getAttribute('data-tab'), 'explain');
    const panels = await page.locator('figure.chart figcaption').allInnerTexts();
    assert.deepEqual(panels, ['Learning rate', 'Loss', 'Accuracy and metrics', 'train_samples_per_second']);
    const ticks = await canvasTexts(page);
    assert.ok(ticks.some((t) => /^[1-5]e-5$/.test(t)), `no exponent tick on the LR axis: ${JSON.stringify(ticks)}`);
    assert.ok(!ticks.some((t) => /^0\.0000/.test(t)), 'plain decimals for tiny values');
    assert.deepEqual(await page.locator('[data-role="marker-legend"] .marker-key').allInnerTexts(), ['finding', 'best val_loss']);
  });

  it('smoothing applies to every chart and the readout names both the raw and the smoothed curve', async () => {
    await post(page, [{ type: 'show', state: { runKey: '/runs/bert/trainer_state.json' }, explain: null, run: fineTune() }]);
    await page.waitForSelector('figure.chart canvas');
    await page.locator('input[type="range"]').evaluate((el) => {
      const input = el as unknown as { value: string; dispatchEvent(e: unknown): void };
      input.value = '0.6';
      input.dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('input'));
    });
    const loss = page.locator('figure.chart[data-panel="Loss"] .u-legend');
    const labels = await loss.locator('.u-series .u-label').allInnerTexts();
    assert.ok(labels.some((l) => /train_loss.*raw/.test(l)) && labels.some((l) => /train_loss.*smoothed/.test(l)), JSON.stringify(labels));
    const acc = await page.locator('figure.chart[data-panel="Accuracy and metrics"] .u-legend .u-series .u-label').allInnerTexts();
    assert.ok(acc.some((l) => /smoothed/.test(l)), `accuracy is not smoothed: ${JSON.stringify(acc)}`);
  });

  it('opened on a run, it lists the run\'s findings; Explain asks the host for that finding\'s explanation', async () => {
    const run = fineTune();
    run.findings = [{ scenario: 'fine-tuning', rule: 'finetune-lr-high', severity: 'warning', message: 'lr 5e-5 <b>high</b>', file: run.files[0], line: 40, evidence: {} }];
    await post(page, [{ type: 'show', state: { runKey: run.runKey }, explain: null, run }]);
    const item = page.locator('ul.run-findings li').first();
    await item.waitFor();
    assert.match(await item.innerText(), /warning: lr 5e-5 <b>high<\/b>/, 'the message as text');
    await item.locator('button.explain-finding').click();
    const posted = await page.evaluate(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'explain'));
    assert.deepEqual(posted, [{ type: 'explain', scenario: 'fine-tuning', file: run.files[0], line: 40 }]);
  });
});
