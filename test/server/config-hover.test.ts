import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ServerUnderTest } from './lsp-harness';
import { CONFIGS, OpenDoc } from './fix-helpers';

/** Hovers on training keys of a config, over stdio: the scenario worked out with the config's numbers. */
describe('config key hovers over stdio', function () {
  this.timeout(60_000);
  let dir: string;
  let server: ServerUnderTest;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-hover-'));
    server = await ServerUnderTest.start(dir);
  });
  afterEach(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const lineOf = (text: string, re: RegExp) => text.split('\n').findIndex((l) => re.test(l));
  /** Markdown with the backslash escapes removed, to read the numbers. */
  const plain = (md: string) => md.replace(/\\(.)/g, '$1');

  it('batch_size: effective batch = per device × devices × accumulation, the scaling rules, warmup and clipping', async () => {
    const file = path.join(CONFIGS, 'lightning-cli', 'config.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const doc = await OpenDoc.open(server, file, text);
    await doc.waitForRule('large-batch-no-warmup');
    const line = lineOf(text, /^ {4}batch_size: 256$/);
    const md = await doc.hover(line, 6);
    assert.ok(md);
    const p = plain(md);
    // The finding on this key comes first, then the key's explanation.
    assert.match(p, /traindx warning/);
    assert.match(p, /Effective batch\*\* = 256 per device × 4 devices × 2 accumulation steps = 2048/);
    // Issue 10: the LR is judged only against a reference in the config itself; this one has none, so
    // the hover states the rule without a universal number (it used to say "0.1 × 2048 / 256 = 0.8").
    assert.match(p, /Scaling rules: when the batch grows k×, scale an LR tuned at the smaller batch by k \(SGD, Goyal et al\.\) or √k/);
    assert.match(p, /This config: the config gives no reference LR at a known batch/);
    assert.doesNotMatch(p, /= 0\.8\b/);
    assert.match(p, /Warmup: not set — needed at this batch size/);
    assert.match(p, /Gradient clipping: not set — recommended with a large batch/);
    assert.match(md, /command:traindx\.explain\?/);
    assert.match(md, /scenario `large-batch`/);
  });

  it('a key without a finding still gets its explanation (learning rate of a fine-tune, JSONC)', async () => {
    const file = path.join(CONFIGS, 'plain', 'config.jsonc');
    const text = fs.readFileSync(file, 'utf8');
    const doc = await OpenDoc.open(server, file, text);
    await doc.waitForRule('finetune-lr-high');
    const pre = lineOf(text, /"pretrained"/);
    const md = await doc.hover(pre, text.split('\n')[pre].indexOf('"pretrained"') + 2);
    assert.ok(md, 'a hover on "pretrained"');
    const p = plain(md);
    assert.match(p, /Fine-tuning LR range \(Adam-family\): ≤ 0\.0001/);
    assert.match(p, /This config: lr 0\.003 — too high, use ≈ 0\.0001/);
    assert.match(p, /Nothing frozen/);
    assert.match(md, /scenario `fine-tuning`/);
  });

  it('sweep method: grid size and the random-search budget', async () => {
    const file = path.join(CONFIGS, 'wandb', 'sweep.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const doc = await OpenDoc.open(server, file, text);
    await doc.waitForRule('grid-search');
    const md = await doc.hover(lineOf(text, /^method: grid/), 2);
    assert.ok(md);
    const p = plain(md);
    assert.match(p, /= 360 runs/);
    assert.match(p, /Random search: 59 trials find a configuration in the top 5% with 95\.1% probability/);
  });

  it('scheduler and epochs keys explain the schedule and early stopping', async () => {
    const file = path.join(CONFIGS, 'timm', 'args.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const doc = await OpenDoc.open(server, file, text);
    await doc.waitForRule('lr-step-scheduler');
    const sched = plain((await doc.hover(lineOf(text, /^sched: step$/), 1)) ?? '');
    assert.match(sched, /A step decay: the LR drops abruptly every 90/);
    const epochs = plain((await doc.hover(lineOf(text, /^epochs: /), 1)) ?? '');
    assert.match(epochs, /Training length\*\* 300 epochs \(epochs\)/);
    assert.match(epochs, /Early stopping: not set/);
  });

  it('escapes what comes from the config (no link or HTML can be injected)', async () => {
    const file = path.join(CONFIGS, 'lightning-cli', 'config.yaml');
    const text = fs.readFileSync(file, 'utf8').replace('class_path: torch.optim.SGD', 'class_path: "[x](command:evil) <img src=x onerror=alert(1)> SGD"');
    const doc = await OpenDoc.open(server, file, text);
    await doc.waitForRule('large-batch-no-warmup');
    const md = await doc.hover(lineOf(text, /^ {4}lr: 0\.4$/), 5);
    assert.ok(md);
    assert.doesNotMatch(md, /\]\(command:evil/);
    assert.doesNotMatch(md, /(^|[^\\])<img/);
    assert.match(md, /\\\[x\\\]\\\(command:evil\\\)/);
  });

  it('no hover away from training keys', async () => {
    const file = path.join(CONFIGS, 'lightning-cli', 'config.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const doc = await OpenDoc.open(server, file, text);
    await doc.waitForRule('large-batch-no-warmup');
    assert.equal(await doc.hover(lineOf(text, /^ {4}num_workers: 16$/), 6), undefined);
  });
});
