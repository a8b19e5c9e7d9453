/**
 * `lr-floor-early`: schedule bugs visible in the logged LR (issue 11). Positives follow PyTorch's
 * CosineAnnealingLR closed form (torch/optim/lr_scheduler.py `_get_closed_form_lr`:
 * η_min + (η_max − η_min)(1 + cos(π·T_cur/T_max))/2, periodic past T_max); negatives are the real
 * logs of ../shared/real-logs whose LR is logged.
 */
import * as assert from 'node:assert/strict';
import { analyzePaths } from '../../../src/core/analyze';
import { lrFloorEarlyRule } from '../../../src/core/rules/lr-floor';
import type { Finding } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { config, ctxOf, epochs, setting, type Row } from './helpers';

const cosine = (t: number, tMax: number, max = 0.1, min = 0) => min + ((max - min) * (1 + Math.cos((Math.PI * t) / tMax))) / 2;

function check(rows: Row[], scheduler?: string): Finding[] {
  const c = scheduler ? config({ scheduler: setting(scheduler, 'scheduler') }) : undefined;
  return lrFloorEarlyRule.checkRun!(ctxOf(rows, c), lrFloorEarlyRule.defaults);
}

/** A 100-epoch run whose cosine ends after `tMax` epochs and then holds at eta_min (LambdaLR-style clamp). */
const held = (tMax: number) => epochs(100, (e) => ({ lr: cosine(Math.min(e, tMax), tMax) }));

describe('lr-floor-early (synthetic schedules on both sides of the thresholds)', () => {
  it('a cosine that ends at 60 of 100 epochs and holds its floor: the decay is shorter than the run', () => {
    const f = check(held(60));
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.kind, 'stays');
    assert.equal(f[0].severity, 'information');
    // At the floor once no later LR is 1 % of the peak below: epoch 57 (0.00062; the floor is 0 from 60).
    assert.equal(f[0].evidence.floorEpoch, 57);
    assert.ok(Math.abs((f[0].evidence.afterShare as number) - 42 / 99) < 1e-9);
    assert.match(f[0].message, /by epoch 57, 58% into the run, and stayed there for the remaining 42%/);
  });

  it('a cosine fitted to the run (T_max = 100), or ending at 85 %, leaves less than a quarter at the floor: quiet', () => {
    assert.deepEqual(check(held(100)), []);
    assert.deepEqual(check(held(85)), []);
  });

  it('the threshold is the share after the floor: T_max 78 leaves 25.3 % (fires), T_max 80 leaves 22.2 % (quiet)', () => {
    const at78 = check(held(78));
    assert.equal(at78.length, 1);
    assert.ok(Math.abs((at78[0].evidence.afterShare as number) - 25 / 99) < 1e-9);
    assert.deepEqual(check(held(80)), []);
  });

  it('CosineAnnealingLR with T_max = 40 on a 100-epoch run climbs back up: "rises"', () => {
    const f = check(epochs(100, (e) => ({ lr: cosine(e, 40) })));
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.kind, 'rises');
    assert.match(f[0].message, /climbed back to 0\.1 .*CosineAnnealingLR is periodic/);
  });

  it('the same curve under a config naming warm restarts or a cyclic schedule is by design: quiet', () => {
    const rows = epochs(100, (e) => ({ lr: cosine(e % 40, 40) }));
    assert.deepEqual(check(rows, 'CosineAnnealingWarmRestarts'), []);
    assert.deepEqual(check(rows, 'CyclicLR'), []);
  });

  it('an epoch scheduler stepped every batch: CosineAnnealingLR(T_max = 100 epochs) cycles every 200 of 5000 steps', () => {
    const rows: Row[] = [];
    for (let step = 0; step < 5000; step += 5) rows.push({ step, epoch: Math.floor(step / 100), lr: cosine(step, 100) });
    const f = check(rows);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.kind, 'per-batch');
    assert.ok((f[0].evidence.floorStep as number) < 100);
    assert.match(f[0].message, /went on cycling \(up to 0\.1\).*stepped every batch/);
  });

  it('StepLR(step_size = 30 epochs, gamma 0.1) stepped every batch: 1e-4 of the peak by step 90 of 5000', () => {
    const rows: Row[] = [];
    for (let step = 0; step < 5000; step += 5) rows.push({ step, epoch: Math.floor(step / 100), lr: 0.1 * 0.1 ** Math.floor(step / 30) });
    const f = check(rows);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.kind, 'per-batch');
    // 1e-4 = 1/1000 of the peak after the third cut (step 90; float rounding may put it at the fourth).
    assert.ok([90, 120].includes(f[0].evidence.floorStep as number), String(f[0].evidence.floorStep));
    assert.match(f[0].message, /^lr decayed in steps from 0\.1 /);
    // Two cuts (×0.01) in the first tenth are not yet "tiny": a MultiStepLR could hold 1e-3 of its peak by design.
    const two = rows.map((r) => ({ ...r, lr: 0.1 * 0.1 ** Math.min(2, Math.floor((r.step as number) / 30)) }));
    assert.deepEqual(check(two), []);
  });

  it('a staircase to a min_lr clamp (StepLR, ReduceLROnPlateau) is not a smooth decay: quiet however long it holds', () => {
    assert.deepEqual(check(epochs(100, (e) => ({ lr: 0.1 * 0.1 ** Math.min(3, Math.floor(e / 15)) }))), []);
  });

  it('warmup then constant, and a mild decay to 0.5× the peak, have no floor to speak of', () => {
    assert.deepEqual(check(epochs(100, (e) => ({ lr: e < 10 ? 0.01 * (e + 1) : 0.1 }))), []);
    assert.deepEqual(check(epochs(100, (e) => ({ lr: cosine(Math.min(e, 50), 50, 0.1, 0.05) }))), []);
  });
});

describe('lr-floor-early on the real logs (INDEX.md): schedules that end at the end stay quiet', function () {
  this.timeout(120_000);
  before(function () {
    skipWithoutRealLogs(this);
  });
  // Smooth decays reaching their floor at the end (the largest share after it is yolov5_driving_healthy's
  // 6 %), and staircases holding a min_lr for up to 44 % of the run (keras_brats_unet_plateau).
  for (const run of [
    'hf_chatglm_ptuning_noeval',
    'gluoncv_keyvalue_asymmnet_imagenet_noloss',
    'hf_tinyllama_lora_sft',
    'hf_codebert_cls_gradspikes',
    'text_convnext_imagenet_450ep_gradnorm_nan',
    'yolov5_driving_healthy',
    'pl_csv_resnet18_onecycle',
    'swin_log_cifar100_finetune_gradnorm_nan',
    'keras_brats_unet_plateau',
    'bearpaw_abn_resnet50_imagenet',
    'bearpaw_bsq_resnet20_cifar10_stepdecay',
    'detectron2_maskrcnn_appended_restarts',
  ]) {
    it(`${run}: no lr-floor-early`, async () => {
      const f = (await analyzePaths([realLog(run)])).findings.filter((x) => x.rule === 'lr-floor-early');
      assert.deepEqual(
        f.map((x) => x.message),
        [],
      );
    });
  }

  it('the margin: with minShare 0 the smooth real decays sit at ≤ 6.1 % after their floor, far under 25 %', async () => {
    const shares: number[] = [];
    for (const run of ['hf_chatglm_ptuning_noeval', 'gluoncv_keyvalue_asymmnet_imagenet_noloss', 'hf_tinyllama_lora_sft', 'text_convnext_imagenet_450ep_gradnorm_nan', 'yolov5_driving_healthy']) {
      const { findings } = await analyzePaths([realLog(run)], { thresholds: { 'lr-floor-early.minShare': 0 } });
      const f = findings.find((x) => x.rule === 'lr-floor-early');
      assert.ok(f, `${run}: the decay is read as smooth`);
      shares.push(f.evidence.afterShare as number);
    }
    assert.ok(Math.max(...shares) < 0.062, shares.join(', '));
  });
});
