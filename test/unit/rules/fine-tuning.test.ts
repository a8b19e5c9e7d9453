import * as assert from 'node:assert/strict';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { readConfig } from '../../../src/core/config/read-config';
import { assessFinetuneLr, finetuneForgettingRule, finetuneLrHighRule } from '../../../src/core/rules/fine-tuning';
import { isOn } from '../../../src/core/rules/util';
import { config, ctxOf, epochs, setting, type Row } from './helpers';

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
  it('Adam-family full fine-tune: warns only clearly above the range (> 3 × 1e-4), quiet at 3e-4', () => {
    const f = check(ft(3.1e-4, 'adamw_torch'));
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].line, 5);
    assert.equal(f[0].evidence.key, 'learning_rate');
    assert.equal(f[0].evidence.family, 'adam');
    assert.equal(f[0].evidence.frozen, false);
    assert.ok(Math.abs((f[0].evidence.suggestedLr as number) - 3.1e-5) < 1e-15);
    assert.match(f[0].message, /with nothing frozen/);
    assert.deepEqual(check(ft(3e-4, 'adamw_torch')), []);
    assert.deepEqual(check(ft(1.1e-4, 'adamw_torch')), []);
  });
  it('SGD: warns above 0.03, quiet at 0.03 (YOLOv5 fine-tunes at lr0 0.01)', () => {
    assert.equal(check(ft(0.031, 'SGD')).length, 1);
    assert.deepEqual(check(ft(0.03, 'SGD')), []);
    assert.deepEqual(check(ft(0.01, 'SGD')), []);
  });
  it('unknown optimizer: warns above 3 × 0.01 (UMLAUT)', () => {
    assert.equal(check(ft(0.031, 'auto')).length, 1);
    assert.deepEqual(check(ft(0.029, 'auto')), []);
  });
  it('HF TrainingArguments default optimizer is AdamW', () => {
    assert.equal(check(ft(5e-4, undefined, { style: 'hf-training-args', builtIn: { optimizer: 'adamw_torch' } })).length, 1);
  });
  it('is quiet without pretrained weights', () => {
    assert.deepEqual(check(ft(0.1, 'SGD', { pretrained: setting<boolean | string>(false, 'pretrained') })), []);
  });
});

/** Issue 10: setups whose LR is in range for what they train, each of which got "fine-tuning LR above range … nothing frozen". */
describe('finetune-lr-high: in range for the setup', () => {
  type Freeze = boolean | number | string | string[];
  it('adapters: LoRA at 2e-4, P-Tuning v2 at 2e-2', () => {
    assert.deepEqual(check(ft(2e-4, 'adamw_torch', { adapter: setting('lora', 'adapter') })), []);
    assert.deepEqual(check(ft(2e-2, 'adamw_torch', { adapter: setting('p-tuning-v2', 'pre_seq_len') })), []);
  });
  it('axolotl LoRA recipe read from its YAML (examples/llama-3/lora-8b.yml: adapter lora, learning_rate 0.0002, adamw_bnb_8bit)', () => {
    const text = ['base_model: NousResearch/Meta-Llama-3-8B', 'adapter: lora', 'lora_r: 32', 'lora_alpha: 16', 'micro_batch_size: 2', 'gradient_accumulation_steps: 4', 'num_epochs: 4', 'optimizer: adamw_bnb_8bit', 'lr_scheduler: cosine', 'learning_rate: 0.0002', 'warmup_steps: 10', ''].join('\n');
    const c = readConfig('lora-8b.yml', text);
    assert.ok(c && isOn(c.pretrained), 'read as a fine-tune');
    assert.deepEqual(check(c), []);
    // The same recipe as a full fine-tune at 2e-3 is out of range.
    const full = readConfig('full.yml', text.replace('adapter: lora\n', '').replace('lora_r: 32\n', '').replace('lora_alpha: 16\n', '').replace('0.0002', '0.002'));
    assert.ok(full);
    assert.equal(check(full).length, 1);
  });
  it('flag-switched adapters read from the scripts\' arguments: ChatGLM P-Tuning v2 at 2e-2, PEFT AdaLoRA at 1e-3', () => {
    // THUDM/ChatGLM-6B ptuning/train.sh @ 401bf3a8a7dd8a26fba189551dccfc61a7079b4e (HfArgumentParser JSON of its flags).
    const ptuning = readConfig(
      'train_args.json',
      JSON.stringify({ model_name_or_path: 'THUDM/chatglm-6b', per_device_train_batch_size: 1, gradient_accumulation_steps: 16, max_steps: 3000, learning_rate: 2e-2, pre_seq_len: 128, quantization_bit: 4 }, null, 2),
    );
    assert.ok(ptuning && isOn(ptuning.pretrained));
    assert.equal(ptuning.adapter?.value, 'p-tuning');
    assert.deepEqual(check(ptuning), []);
    // huggingface/peft examples/int8_training/run_adalora_whisper_int8.sh @ 5d602fdbff04c33c1c4de55cda9d4ae1d7cb7e40.
    const adalora = readConfig(
      'args.json',
      JSON.stringify({ model_name_or_path: 'openai/whisper-large-v2', per_device_train_batch_size: 8, learning_rate: 1e-3, weight_decay: 1e-4, num_train_epochs: 3, use_peft: true, use_adalora: true }, null, 2),
    );
    assert.ok(adalora);
    assert.equal(adalora.adapter?.value, 'peft');
    assert.deepEqual(check(adalora), []);
    // Without the flag, the same script fine-tunes the whole model at 1e-3: out of range.
    const full = readConfig('args.json', JSON.stringify({ model_name_or_path: 'openai/whisper-large-v2', per_device_train_batch_size: 8, learning_rate: 1e-3, weight_decay: 1e-4, num_train_epochs: 3, use_peft: false }, null, 2));
    assert.ok(full);
    assert.equal(check(full).length, 1);
  });
  it('layer decay: the MAE fine-tune (2e-3 effective, layer_decay 0.65)', () => {
    assert.deepEqual(check(ft(2e-3, 'adamw', { layerDecay: setting(0.65, 'layer_decay') })), []);
  });
  it('frozen layers: a YOLO frozen backbone, a seed config with freeze_backbone: true', () => {
    assert.deepEqual(check(ft(0.1, 'SGD', { freeze: setting<Freeze>(10, 'freeze') })), []);
    assert.deepEqual(check(ft(1e-3, 'Adam', { freeze: setting<Freeze>(true, 'freeze_backbone') })), []);
  });
  it('Ultralytics with Adam at its own lr0 1e-3; above it, a full fine-tune is judged', () => {
    const yolo = (lr: number) => ft(lr, 'Adam', { style: 'ultralytics', builtIn: { recipeLr: { sgd: 1e-2, adam: 1e-3, source: "Ultralytics' own lr0" } } });
    assert.deepEqual(check(yolo(1e-3)), []);
    assert.equal(check(yolo(5e-3)).length, 1);
  });
  it('an LR the framework ignores (Ultralytics optimizer: auto)', () => {
    assert.deepEqual(check(ft(0.5, 'auto', { lrIgnored: true })), []);
  });
  it('stock detectron2 Mask R-CNN: 0.02 at 16 images, FREEZE_AT 2 by default; FREEZE_AT 0 at 10× the zoo LR is judged', () => {
    const d2 = (lr: number, fields: Partial<TrainingConfig> = {}) =>
      ft(lr, undefined, {
        style: 'detectron2',
        batchSize: setting(16, 'SOLVER.IMS_PER_BATCH'),
        batchScope: 'total',
        // What the detectron2 reader fills in (test/unit/frameworks/semantics.test.ts).
        builtIn: { optimizer: 'SGD', recipeLr: { sgd: 0.02, perBatch: 16, source: "the detectron2 model zoo's LR" }, ...(fields.freeze ? {} : { freeze: 'stem + res2' }) },
        ...fields,
      });
    assert.deepEqual(check(d2(0.02)), []);
    assert.deepEqual(check(d2(0.2)), [], 'FREEZE_AT 2 by default: frozen');
    const unfrozen = { freeze: setting<Freeze>(0, 'MODEL.BACKBONE.FREEZE_AT') };
    assert.deepEqual(check(d2(0.02, unfrozen)), []);
    assert.equal(check(d2(0.2, unfrozen)).length, 1);
  });
  it('the assessment says why (the hover shows the same judgement)', () => {
    const a = assessFinetuneLr(ft(2e-4, 'adamw_torch', { adapter: setting('lora', 'adapter') }), C.defaults);
    assert.ok(a.pretrained && a.verdict === 'protected' && a.protection?.by === 'adapter');
    const b = assessFinetuneLr(ft(2e-4, 'adamw_torch'), C.defaults);
    assert.ok(b.pretrained && b.verdict === 'high');
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
  it('warns when the train loss rises as the LR warms up (×1.25 or more)', () => {
    const warm = (rise: number): Row[] => {
      const rows: Row[] = [];
      for (let s = 1; s <= 60; s++) rows.push({ step: s, lr: 1e-3 * Math.min(1, s / 30), train_loss: s <= 30 ? 1 + rise * (s / 30) : 1.4 - s / 200 });
      return rows;
    };
    const f = L.checkRun!(ctxOf(warm(1), pre), L.defaults);
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence.metric, 'train_loss');
    assert.equal(f[0].line, 31, 'at the highest loss of the warmup (step 30)');
    assert.match(f[0].message, /while the LR warmed up/);
    // mmengine_mmdet_balloon (real log): 2.755 → 2.785 (+1 %) during a warmup from a near-zero LR is not forgetting.
    assert.deepEqual(L.checkRun!(ctxOf(warm(0.011), pre), L.defaults), []);
    // No warmup logged: nothing to judge.
    const flat = warm(1).map((r) => ({ ...r, lr: 1e-3 }));
    assert.deepEqual(L.checkRun!(ctxOf(flat, pre), L.defaults), []);
  });
  it('needs the config to say pretrained', () => {
    const rows = epochs(10, (e) => ({ val_acc: e === 0 ? 0.8 : 0.3 }));
    assert.deepEqual(L.checkRun!(ctxOf(rows), L.defaults), []);
  });
});
