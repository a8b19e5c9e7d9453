/**
 * Divergence without NaN (issue 11): `loss-explosion` kinds `relapse` (learned, then gave back half of
 * it for good) and `unbounded` (a loss running to −∞). Both sides of each threshold on synthetic
 * curves; the healthy real runs of ../shared/real-logs stay quiet (their largest give-back is swin's
 * 10 %, of json_list_grokking_slingshot's slingshot spikes none survives the median of 5).
 */
import * as assert from 'node:assert/strict';
import { analyzePaths } from '../../../src/core/analyze';
import { lossExplosionRule } from '../../../src/core/rules/divergence';
import type { Finding } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { ctxOf, noise, type Row } from './helpers';

function check(rows: Row[]): Finding[] {
  return lossExplosionRule.checkRun!(ctxOf(rows), lossExplosionRule.defaults);
}

/** 200 steps: 2.3 decaying to 0.2 by step 100, then back up to `to` (linearly by step 130) and held, ±2 % noise. */
function relapsing(to: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < 200; i++) {
    const base = i < 100 ? 0.2 + 2.1 * Math.exp(-i / 15) : i < 130 ? 0.2 + ((to - 0.2) * (i - 100)) / 30 : to;
    rows.push({ step: i * 10, train_loss: base * (1 + 0.02 * noise(i)) });
  }
  return rows;
}

describe('loss-explosion: relapse (learned first, then diverged for good)', () => {
  it('2.3 → 0.2 → 1.6: never 1.5× its start, yet gave back 2/3 of its gain — an error at the climb', () => {
    const f = check(relapsing(1.6));
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.kind, 'relapse');
    assert.equal(f[0].severity, 'error');
    // Half-way = 0.2 + 0.5·(2.3 − 0.2) ≈ 1.25, crossed at step ≈ 1000 + 10·30·(1.05/1.4) = 1225.
    const since = f[0].evidence.step as number;
    assert.ok(since > 1150 && since < 1300, String(since));
    assert.ok(Math.abs((f[0].evidence.best as number) - 0.2) < 0.02);
    assert.match(f[0].message, /came down from 2\.\d+ to 0\.\d+ .* then climbed back above half-way/);
  });

  it('a climb back to 1.1 (under half of the gain given back) is not a relapse', () => {
    assert.deepEqual(check(relapsing(1.1)), []);
  });

  it('a climb that comes back down before the end is not "for good"', () => {
    const rows = relapsing(1.6).map((r, i) => (i >= 180 ? { ...r, train_loss: 0.21 } : r));
    assert.deepEqual(check(rows), []);
  });

  it('one spike, however high, is not a relapse (median of 5)', () => {
    const rows = relapsing(0.2).map((r, i) => (i === 199 || i === 198 ? { ...r, train_loss: 5 } : r));
    assert.deepEqual(
      check(rows).filter((f) => f.evidence.kind === 'relapse'),
      [],
    );
  });

  it('a flat loss wandering within ×2 of its start has no gain to give back', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 100; i++) rows.push({ step: i, train_loss: i < 50 ? 0.7 : 0.8 + 0.05 * noise(i) });
    assert.deepEqual(check(rows), []);
  });
});

describe('loss-explosion: unbounded (a loss running to −∞)', () => {
  /** A loss from `start` falling geometrically to `end` over 100 logged steps. */
  const falling = (start: number, end: number): Row[] =>
    Array.from({ length: 100 }, (_, i) => ({ step: i * 100, train_loss: start * (end / start) ** (i / 99) }));

  it('−3.4e4 → −6.5e7: an error naming a loss with no lower bound', () => {
    const f = check(falling(-3.4e4, -6.5e7));
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.kind, 'unbounded');
    assert.equal(f[0].severity, 'error');
    // The first value below −10 × |start| = −3.4e5 (the start is the median of the first 5).
    assert.ok((f[0].evidence.value as number) < -3.4e5);
    assert.match(f[0].message, /running to −∞/);
  });

  it('a negative log-likelihood that settles (−2 → −5) is healthy, and so is −3.4e4 → −2e5 (under 10×)', () => {
    assert.deepEqual(check(falling(-2, -5)), []);
    assert.deepEqual(check(falling(-3.4e4, -2e5)), []);
  });

  it('a negative loss under 1e3 in size is not called unbounded even at 100× its start (−1 → −100)', () => {
    assert.deepEqual(check(falling(-1, -100)), []);
  });
});

describe('loss-explosion relapse/unbounded on the real logs (INDEX.md)', function () {
  this.timeout(120_000);
  before(function () {
    skipWithoutRealLogs(this);
  });
  for (const run of [
    'json_list_grokking_slingshot',
    'text_paddle_hdrunet_initloss',
    'swin_log_cifar100_finetune_gradnorm_nan',
    'hf_codebert_cls_gradspikes',
    'hf_chatglm_ptuning_noeval',
    'mmengine_mmdet_balloon_warmup_cosine',
    'ultralytics_console_yolo11l_3phase',
    'detectron2_maskrcnn_appended_restarts',
    'yolov5_driving_healthy',
  ]) {
    it(`${run}: no loss-explosion`, async () => {
      const f = (await analyzePaths([realLog(run)])).findings.filter((x) => x.rule === 'loss-explosion');
      assert.deepEqual(
        f.map((x) => x.message),
        [],
      );
    });
  }
});
