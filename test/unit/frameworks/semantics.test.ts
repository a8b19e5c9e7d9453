import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { readConfig } from '../../../src/core/config/read-config';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { expectSetting, readFixture } from '../config/helpers';

function readReal(...parts: string[]): { cfg: TrainingConfig; text: string } {
  const file = realLog(...parts);
  const text = fs.readFileSync(file, 'utf8');
  const cfg = readConfig(file, text);
  assert.ok(cfg, `${parts.join('/')} reads as a config`);
  return { cfg, text };
}

function read(file: string, text: string): TrainingConfig {
  const cfg = readConfig(file, text);
  assert.ok(cfg, `${file} reads as a config`);
  return cfg;
}

describe('framework semantics read from the frameworks\' own sources', () => {
  describe('Hugging Face', () => {
    it('LLaMA-Factory LoRA recipe (examples/train_lora/llama3_lora_sft.yaml): adapter, clipping at the 1.0 default, eval_loss monitored', () => {
      const { cfg, text } = readFixture('hf/llama3_lora_sft.yaml', 'hf-training-args');
      expectSetting(text, cfg.adapter, 'lora', 'finetuning_type', 'lora');
      assert.equal(cfg.gradClip, undefined, 'max_grad_norm is not written');
      assert.deepEqual(cfg.builtIn, { gradClip: 1, monitor: 'eval_loss', optimizer: 'adamw_torch' });
    });
    it('axolotl LoRA: adapter from `adapter: lora`; weight_decay read', () => {
      const { cfg, text } = readFixture('hf/axolotl_lora.yml', 'hf-training-args');
      expectSetting(text, cfg.adapter, 'lora', 'adapter', 'lora');
      expectSetting(text, cfg.weightDecay, 0, 'weight_decay', '0.0');
    });
    it('training_args.json with max_grad_norm 0 and metric_for_best_model: no built-in clipping, the metric monitored', () => {
      const { cfg, text } = readFixture('hf/training_args.json', 'hf-training-args');
      const t = text.replace(/"max_grad_norm": [^,]+,/, '"max_grad_norm": 0.0,').replace(/"metric_for_best_model": [^,]+,/, '"metric_for_best_model": "eval_accuracy",');
      const c = read(cfg.file, t);
      assert.equal(c.gradClip?.value, 0);
      assert.equal(c.builtIn?.gradClip, undefined);
      assert.equal(c.monitor?.value, 'eval_accuracy');
    });
    it('ChatGLM P-tuning v2 (THUDM/ChatGLM-6B ptuning/main.py `pre_seq_len`) is an adapter', () => {
      const c = read('args.json', JSON.stringify({ learning_rate: 0.02, per_device_train_batch_size: 1, gradient_accumulation_steps: 16, max_steps: 3000, pre_seq_len: 128 }, null, 2));
      assert.equal(c.style, 'hf-training-args');
      assert.equal(c.adapter?.value, 'p-tuning');
      assert.deepEqual(c.builtIn, { gradClip: 1, warmup: { value: 0, unit: 'steps' }, monitor: 'eval_loss', optimizer: 'adamw_torch' });
    });
    it('LLaMA-Factory `finetuning_type: full` and `freeze` are not adapters', () => {
      const { cfg, text } = readFixture('hf/llama3_lora_sft.yaml');
      assert.equal(read(cfg.file, text.replace('finetuning_type: lora', 'finetuning_type: full')).adapter, undefined);
      assert.equal(read(cfg.file, text.replace('finetuning_type: lora', 'finetuning_type: freeze')).adapter, undefined);
    });
  });

  describe('Ultralytics', () => {
    it('YOLOv8 args.yaml: batch is the total, nominal batch 64, fitness monitored, lr0 used with SGD', () => {
      const { cfg } = readFixture('ultralytics/args.yaml', 'ultralytics');
      assert.equal(cfg.batchScope, 'total');
      assert.equal(cfg.builtIn?.nominalBatch, 64);
      assert.equal(cfg.builtIn?.monitor, 'fitness');
      assert.equal(cfg.lrIgnored, undefined);
      assert.equal(cfg.weightDecay?.value, 0.0005);
    });
    it('`optimizer: auto` ignores lr0 (real args.yaml of yolov8cls_skin_lesion)', function () {
      skipWithoutRealLogs(this);
      const { cfg } = readReal('yolov8cls_skin_lesion', 'args.yaml');
      assert.equal(cfg.optimizer?.value, 'auto');
      assert.equal(cfg.lrIgnored, true);
    });
    it('no warmup_epochs written: the 3-epoch default is built in; a custom nbs is the nominal batch', () => {
      const c = read('args.yaml', 'task: detect\nmode: train\nmodel: yolov8n.pt\nimgsz: 640\nepochs: 100\nbatch: 32\nlr0: 0.01\nnbs: 128\n');
      assert.equal(c.style, 'ultralytics');
      assert.deepEqual(c.builtIn?.warmup, { value: 3, unit: 'epochs' });
      assert.equal(c.builtIn?.nominalBatch, 128);
    });
  });

  describe('detectron2', () => {
    it('COCO Mask R-CNN 3x recipe: total batch, 1000 warmup iterations and FREEZE_AT 2 by default', () => {
      const { cfg } = readFixture('detectron2/mask_rcnn_R_50_FPN_3x.yaml', 'detectron2');
      assert.equal(cfg.batchScope, 'total');
      assert.equal(cfg.warmup, undefined);
      assert.deepEqual(cfg.builtIn, {
        warmup: { value: 1000, unit: 'steps' },
        freeze: 'stem + res2 (MODEL.BACKBONE.FREEZE_AT 2)',
        recipeLr: { sgd: 0.02, perBatch: 16, source: "the detectron2 model zoo's LR (0.02 per 16 images)" },
        optimizer: 'SGD',
      });
    });
    it('a full dumped config.yaml states warmup and FREEZE_AT: only the optimizer and the zoo LR are built in', () => {
      const { cfg } = readFixture('detectron2/config.yaml', 'detectron2');
      assert.equal(cfg.warmup?.value, 1000);
      assert.equal(cfg.freeze?.value, 2);
      assert.deepEqual(cfg.builtIn, { recipeLr: { sgd: 0.02, perBatch: 16, source: "the detectron2 model zoo's LR (0.02 per 16 images)" }, optimizer: 'SGD' });
    });
  });

  describe('timm', () => {
    it('lr null: the LR comes from lr_base at lr_base_size, sqrt-scaled for AdamW; layer decay (DeiT/MAE fine-tune recipes)', () => {
      // facebookresearch/deit main.py: lr 5e-4 per 512 images; facebookresearch/mae FINETUNE.md: --layer_decay 0.65.
      const text = 'batch_size: 128\nepochs: 100\nlr: null\nlr_base: 0.0005\nlr_base_size: 512\nlr_base_scale: \'\'\nopt: adamw\nsched: cosine\nlayer_decay: 0.65\nweight_decay: 0.05\nwarmup_epochs: 5\nmodel_ema: false\n';
      const c = read('args.yaml', text);
      assert.equal(c.style, 'timm');
      assert.equal(c.lrReference?.lr.value, 0.0005);
      assert.equal(c.lrReference?.batch, 512);
      assert.equal(c.lrReference?.scaling, 'sqrt');
      assert.equal(c.layerDecay?.value, 0.65);
      assert.equal(c.weightDecay?.value, 0.05);
      const sgd = read('args.yaml', text.replace('opt: adamw', 'opt: sgd').replace("lr_base_scale: ''", 'lr_base_scale: linear'));
      assert.equal(sgd.lrReference?.scaling, 'linear');
    });
    it('an explicit lr (the fixture sets lr 0.5) is still set against lr_base at lr_base_size, the reference written beside it', () => {
      const { cfg } = readFixture('timm/args.yaml', 'timm');
      assert.equal(cfg.lrReference?.lr.value, 0.1);
      assert.equal(cfg.lrReference?.batch, 256);
      assert.equal(cfg.layerDecay, undefined, 'layer_decay: null');
    });
  });

  describe('Lightning CLI and PEFT adapters', () => {
    it('the EarlyStopping monitor and the optimizer weight decay', () => {
      const { cfg, text } = readFixture('lightning-cli/config.yaml', 'lightning-cli');
      assert.equal(cfg.monitor?.value, 'val_loss');
      expectSetting(text, cfg.weightDecay, 0.0001, 'optimizer.init_args.weight_decay', '0.0001');
    });
    it('a PEFT adapter_config.json (real, hf_tinyllama_lora_sft) names the adapter', function () {
      skipWithoutRealLogs(this);
      const { cfg } = readReal('hf_tinyllama_lora_sft', 'adapter_config.json');
      assert.equal(cfg.adapter?.value, 'LORA');
    });
  });
});
