import * as assert from 'node:assert/strict';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { finetuneForgettingRule, finetuneLrHighRule } from '../../../src/core/rules/fine-tuning';
import { config, ctxOf, epochs, setting } from './helpers';

const C = finetuneLrHighRule;
const L = finetuneForgettingRule;

function ft(lr: number, optimizer?: string, fields: Partial<TrainingConfig> = {}): TrainingConfig {
  return config({
    pretrained: setting<boolean | string>('microsoft/codebert-base', 'model_name_or_path', 0),
    lr: setting(lr, 'learning_rate', 4),
    optimizer: optimizer ? setting(optimizer, 'optim', 5) : undefined,
    ...fields,
  });
}
const check = (c: TrainingConfig) => C.checkConfig!(c, C.defaults);

describe('finetune-lr-high', () => {
  it('Adam-family: warns above 1e-4, quiet at 1e-4', () => {
    const f = check(ft(1.1e-4, 'adamw_torch'));
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].line, 5);
    assert.equal(f[0].evidence.key, 'learning_rate');
    assert.equal(f[0].evidence.family, 'adam');
    assert.equal(f[0].evidence.frozen, false);
    assert.ok(Math.abs((f[0].evidence.suggestedLr as number) - 1.1e-5) < 1e-15);
    assert.match(f[0].message, /with nothing frozen/);
    assert.deepEqual(check(ft(1e-4, 'adamw_torch')), []);
  });
  it('SGD: warns above 0.01, quiet at 0.01 (YOLOv5 fine-tunes at lr0 0.01)', () => {
    assert.equal(check(ft(0.011, 'SGD')).length, 1);
    assert.deepEqual(check(ft(0.01, 'SGD')), []);
  });
  it('unknown optimizer: warns above 0.01 (UMLAUT)', () => {
    assert.equal(check(ft(0.011, 'auto')).length, 1);
    assert.deepEqual(check(ft(0.0099, 'auto')), []);
  });
  it('HF TrainingArguments default optimizer is AdamW', () => {
    assert.equal(check(ft(2e-4, undefined, { style: 'hf-training-args' })).length, 1);
  });
  it('is quiet without pretrained weights, and drops "nothing frozen" when something is', () => {
    assert.deepEqual(check(ft(0.1, 'SGD', { pretrained: setting<boolean | string>(false, 'pretrained') })), []);
    const f = check(ft(1e-3, 'Adam', { freeze: setting<boolean | number | string | string[]>(10, 'freeze') }));
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.frozen, true);
    assert.doesNotMatch(f[0].message, /nothing frozen/);
  });
});

describe('finetune-forgetting', () => {
  const pre = config({ pretrained: setting<boolean | string>(true, 'pretrained'), lr: setting(0.01, 'lr0') });
  it('warns when val_acc falls ≥ 5 points within the first 3 evaluations after the first', () => {
    const rows = epochs(10, (e) => ({ val_acc: e === 0 ? 0.8 : e === 2 ? 0.74 : 0.82 }));
    const f = L.checkRun!(ctxOf(rows, pre), L.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].line, 4);
    assert.equal(f[0].evidence.worst, 0.74);
    const calm = epochs(10, (e) => ({ val_acc: e === 0 ? 0.8 : e === 2 ? 0.76 : 0.82 }));
    assert.deepEqual(L.checkRun!(ctxOf(calm, pre), L.defaults), []);
  });
  it('only looks at the first evaluations', () => {
    const late = epochs(10, (e) => ({ val_acc: e === 0 ? 0.8 : e === 4 ? 0.5 : 0.82 }));
    assert.deepEqual(L.checkRun!(ctxOf(late, pre), L.defaults), []);
  });
  it('warns when val_loss rises ≥ 50 % at the start', () => {
    const rows = epochs(10, (e) => ({ val_loss: e === 0 ? 1 : e === 1 ? 1.51 : 0.9 }));
    assert.equal(L.checkRun!(ctxOf(rows, pre), L.defaults).length, 1);
    const calm = epochs(10, (e) => ({ val_loss: e === 0 ? 1 : e === 1 ? 1.49 : 0.9 }));
    assert.deepEqual(L.checkRun!(ctxOf(calm, pre), L.defaults), []);
  });
  it('needs the config to say pretrained', () => {
    const rows = epochs(10, (e) => ({ val_acc: e === 0 ? 0.8 : 0.3 }));
    assert.deepEqual(L.checkRun!(ctxOf(rows), L.defaults), []);
  });
});
