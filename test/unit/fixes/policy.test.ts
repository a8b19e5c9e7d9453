import * as assert from 'node:assert/strict';
import { fixesFor } from '../../../src/core/fixes/policy';
import { readFixture } from '../config/helpers';

describe('fixes: rule → fix policy', () => {
  it('a fix offered on a log names the config it edits; on the config itself it does not', () => {
    const { cfg, text } = readFixture('timm/args.yaml');
    assert.deepEqual(fixesFor('loss-explosion', {}, cfg, text, { elsewhere: true }).map((f) => f.title), ['Add gradient clipping: clip_grad max norm 1.0 in args.yaml']);
    assert.deepEqual(fixesFor('loss-explosion', {}, cfg, text).map((f) => f.title), ['Add gradient clipping: clip_grad max norm 1.0']);
  });

  it('the main fix first: large-batch-no-warmup gives warmup, then clipping', () => {
    const { cfg, text } = readFixture('timm/args.yaml');
    const titles = fixesFor('large-batch-no-warmup', { suggestedWarmupEpochs: 5 }, cfg, text).map((f) => f.title);
    assert.deepEqual(titles, ['Add LR warmup: warmup_epochs 5 (linear warmup, Goyal et al.)', 'Add gradient clipping: clip_grad max norm 1.0']);
  });

  it('fine-tuning on Lightning without a backbone argument: the LR fix only, no BackboneFinetuning', () => {
    const { cfg, text } = readFixture('lightning-cli/config.yaml');
    const titles = fixesFor('finetune-lr-high', { suggestedLr: 0.01 }, cfg, text).map((f) => f.title);
    assert.deepEqual(titles, ['Set optimizer.init_args.lr to 0.01 (fine-tuning range)']);
  });

  it('the W&B grid → random fix states the budget and the hit probability', () => {
    const { cfg, text } = readFixture('wandb/sweep.yaml');
    const [f] = fixesFor('grid-search', { suggestedTrials: 59, hitProbability: 0.9515 }, cfg, text);
    assert.equal(f.title, 'Switch the grid to random search with 59 trials (method: random, run_cap 59: 95.1% chance of a top-5% configuration)');
  });

  it('a rule without fixes gets none', () => {
    const { cfg, text } = readFixture('timm/args.yaml');
    assert.deepEqual(fixesFor('seed-variance', {}, cfg, text), []);
  });
});
