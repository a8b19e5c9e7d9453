import { strict as assert } from 'node:assert';
import { canonicalName } from '../../../src/core/run/names';

describe('canonicalName', () => {
  const cases: Array<[string, string]> = [
    ['learning_rate', 'lr'],
    ['lr-Adam', 'lr'],
    ['lr-AdamW', 'lr'],
    ['lr-SGD', 'lr'],
    ['lr-AdamW/pg1', 'lr'], // Lightning numbers param groups from 1
    ['lr-AdamW/pg2', 'lr-AdamW/pg2'],
    ['lr-SGD-1', 'lr-SGD-1'], // a second optimizer of the same type
    ['lr-Adam-momentum', 'lr-Adam-momentum'],
    ['lr/pg0', 'lr'],
    ['lr/pg1', 'lr/pg1'],
    ['x/lr0', 'lr'],
    ['train/learning_rate', 'lr'],
    ['epoch_learning_rate', 'lr'],
    ['base_lr', 'base_lr'],
    ['min_lr', 'min_lr'],
    ['loss', 'train_loss'],
    ['Loss', 'train_loss'],
    ['train/loss', 'train_loss'],
    ['train_loss_epoch', 'train_loss'],
    ['train_loss_step', 'train_loss_step'],
    ['total_loss', 'train_loss'],
    ['epoch_loss', 'train_loss'],
    ['avg_loss', 'train_loss'],
    ['val_loss', 'val_loss'],
    ['eval_loss', 'val_loss'],
    ['valid_loss', 'val_loss'],
    ['validation_loss', 'val_loss'],
    ['val/loss', 'val_loss'],
    ['eval/loss', 'val_loss'],
    ['test_loss', 'test_loss'],
    ['val_acc', 'val_acc'],
    ['val_accuracy', 'val_acc'],
    ['eval_accuracy', 'val_acc'],
    ['eval_acc', 'val_acc'],
    ['valid_acc', 'val_acc'],
    ['eval_top1', 'val_acc'],
    ['val/acc', 'val_acc'],
    ['metrics/accuracy_top1', 'val_acc'],
    ['accuracy', 'train_acc'],
    ['train_acc_epoch', 'train_acc'],
    ['grad_norm', 'grad_norm'],
    ['train/grad_norm', 'grad_norm'],
    ['gradient_norm', 'grad_norm'],
    ['update_ratio', 'update_ratio'],
    ['update_to_weight', 'update_ratio'],
    ['upd_w_ratio', 'update_ratio'],
    ['‖Δw‖/‖w‖', 'update_ratio'],
    ['weight_norm', 'weight_norm'],
    ['update_norm', 'update_norm'],
    ['l_pix', 'l_pix'],
    ['metrics/mAP50(B)', 'metrics/mAP50(B)'],
    ['', ''],
  ];
  for (const [raw, want] of cases) {
    it(`${JSON.stringify(raw)} → ${want}`, () => assert.equal(canonicalName(raw), want));
  }
});
