/**
 * The explanation of a config key says what the rules say: the same assessment, so a hover cannot call
 * "too high" what the diagnostics leave alone (or the reverse).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readConfig } from '../../../src/core/config/read-config';
import { explainConfigKey, type TopicLine } from '../../../src/core/explain/config-topics';
import { finetuneLrHighRule } from '../../../src/core/rules/fine-tuning';
import { largeBatchLrScalingRule } from '../../../src/core/rules/large-batch';
import { EXAMPLES } from '../../helpers/paths';
import { config, setting } from '../rules/helpers';

const text = (lines: TopicLine[]) => lines.map((l) => (l.kind === 'heading' ? `${l.title} ${l.detail ?? ''}` : l.text)).join('\n');

describe('config key explanations share the rules\' judgement', () => {
  it('timm large-batch example: the batch key shows the scaled lr_base the rule proposes', () => {
    const file = path.join(EXAMPLES, 'runs', 'large-batch', 'args.yaml');
    const src = fs.readFileSync(file, 'utf8');
    const cfg = readConfig(file, src);
    assert.ok(cfg?.batchSize);
    const x = explainConfigKey(cfg, cfg.batchSize.range.startLine, cfg.batchSize.range.startChar + 1);
    assert.ok(x);
    assert.equal(x.scenario, 'large-batch');
    const finding = largeBatchLrScalingRule.checkConfig!(cfg, largeBatchLrScalingRule.defaults);
    assert.equal(finding.length, 1);
    const t = text(x.lines);
    assert.match(t, new RegExp(`lr_base 0\\.1 at batch 256, scaled linearly \\(SGD, Goyal et al\\.\\) = ${finding[0].evidence.suggestedLr} at 1024`));
    assert.match(t, /below the rule/);
  });
  it('a LoRA fine-tune at 2e-4: in range in the explanation, no finding', () => {
    const cfg = config({
      style: 'hf-training-args',
      pretrained: setting<boolean | string>('meta-llama/Meta-Llama-3-8B', 'model_name_or_path', 0),
      adapter: setting('lora', 'finetuning_type', 1),
      lr: setting(2e-4, 'learning_rate', 2),
    });
    assert.deepEqual(finetuneLrHighRule.checkConfig!(cfg, finetuneLrHighRule.defaults), []);
    const x = explainConfigKey(cfg, 2, 1);
    assert.ok(x);
    assert.equal(x.scenario, 'fine-tuning');
    assert.match(text(x.lines), /This config: lr 0\.0002 — in range for this setup: only the adapter trains \(finetuning_type = lora\)/);
  });
  it('a full fine-tune at 5e-4 with AdamW: "too high" in both', () => {
    const cfg = config({ style: 'hf-training-args', builtIn: { optimizer: 'adamw_torch' }, pretrained: setting<boolean | string>('bert-base-uncased', 'model_name_or_path', 0), lr: setting(5e-4, 'learning_rate', 2) });
    const f = finetuneLrHighRule.checkConfig!(cfg, finetuneLrHighRule.defaults);
    assert.equal(f.length, 1);
    const x = explainConfigKey(cfg, 0, 1);
    assert.ok(x);
    assert.match(text(x.lines), new RegExp(`too high, use ≈ ${f[0].evidence.suggestedLr}`));
  });
  it('nothing away from training keys', () => {
    assert.equal(explainConfigKey(config({ lr: setting(0.1, 'lr', 3) }), 7, 0), undefined);
  });
});
