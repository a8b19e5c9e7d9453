/**
 * The config rules on real public training scripts (fixtures reproducing their code facts): positives
 * where the script does what a rule describes, and healthy scripts that must stay quiet. Each healthy
 * case has a control: the same text with the one protecting fact removed, which must then be flagged,
 * so that the quiet result is the rule seeing the protection, not the reader missing the setting.
 */
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../src/core/types';
import { edit, findingsOf, script } from './helpers';

const rulesOf = (fs: readonly Finding[]) => fs.map((f) => f.rule).sort();
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('python scripts: config rules', () => {
  it('imagenet main.py: StepLR flagged on the scheduler call, 90 epochs with no early stopping hinted', () => {
    const { file, text } = script('pytorch-examples-imagenet.py');
    const fs = findingsOf(file, text);
    assert.deepEqual(rulesOf(fs), ['lr-step-scheduler', 'no-early-stopping']);
    const step = fs.find((f) => f.rule === 'lr-step-scheduler');
    assert.equal(step?.line, lineOf(text, 'scheduler = StepLR('));
    assert.match(step?.message ?? '', /every 30/);
    assert.equal(fs.find((f) => f.rule === 'no-early-stopping')?.line, lineOf(text, 'for epoch in range('));
    // SGD 0.1 from scratch (the pretrained branch is off by default): no fine-tuning finding.
    assert.ok(!fs.some((f) => f.scenario === 'fine-tuning'));
  });

  it('mnist main.py: StepLR(step_size=1) flagged; 14 epochs is below the early-stopping hint', () => {
    const { file, text } = script('pytorch-examples-mnist.py');
    assert.deepEqual(rulesOf(findingsOf(file, text)), ['lr-step-scheduler']);
  });

  it('the same scripts with the pretrained flag on by default: SGD 0.1 on pretrained weights is too high', () => {
    const { file, text } = script('pytorch-examples-imagenet.py');
    const on = edit(text, "parser.add_argument('--pretrained', dest='pretrained', action='store_true')", "parser.add_argument('--pretrained', dest='pretrained', default=True)");
    const ft = findingsOf(file, on).filter((f) => f.rule === 'finetune-lr-high');
    assert.equal(ft.length, 1);
    assert.equal(ft[0].evidence.lr, 0.1);
  });

  it('HF SageMaker train.py (5e-5 on a pretrained model, 3 epochs): quiet', () => {
    const { file, text } = script('hf-sagemaker-train.py');
    assert.deepEqual(findingsOf(file, text), []);
  });

  it('HF train.py with learning_rate 1e-3 on the pretrained model: flagged as an Adam-family fine-tune LR', () => {
    const { file, text } = script('hf-sagemaker-train.py');
    const high = edit(text, 'default=5e-5', 'default=1e-3');
    const ft = findingsOf(file, high).filter((f) => f.rule === 'finetune-lr-high');
    assert.equal(ft.length, 1);
    assert.equal(ft[0].evidence.family, 'adam', 'TrainingArguments defaults to AdamW');
  });

  it('PEFT LoRA on a frozen OPT: quiet at its LR and even at 1e-3; without adapter and freeze, 1e-3 is flagged', () => {
    const { file, text } = script('peft-lora-opt.py');
    assert.deepEqual(findingsOf(file, text), []);
    const high = edit(text, 'learning_rate=3e-4', 'learning_rate=1e-3');
    assert.deepEqual(findingsOf(file, high), [], 'only the adapter trains: a LoRA LR');
    const full = edit(edit(edit(high, 'model = get_peft_model(model, config)\n', ''), 'config = LoraConfig(', 'config = dict('), '    param.requires_grad = False  # freeze the model - train adapters later\n', '');
    assert.deepEqual(rulesOf(findingsOf(file, full)), ['finetune-lr-high']);
  });

  it('frozen-backbone tutorial: no fine-tuning finding even at SGD 0.1; unfrozen at 0.1 it is flagged', () => {
    const { file, text } = script('tutorial-frozen-backbone.py');
    const quiet = findingsOf(file, text);
    assert.ok(!quiet.some((f) => f.scenario === 'fine-tuning'), JSON.stringify(rulesOf(quiet)));
    // Its StepLR is flagged; 25 epochs get no early-stopping hint: the loop restores the best weights itself.
    assert.deepEqual(rulesOf(quiet), ['lr-step-scheduler']);
    const noRestore = edit(text, '    model.load_state_dict(best_model_wts)\n', '');
    assert.deepEqual(rulesOf(findingsOf(file, noRestore)), ['lr-step-scheduler', 'no-early-stopping']);
    const high = edit(text, 'lr=0.01', 'lr=0.1');
    assert.ok(!findingsOf(file, high).some((f) => f.scenario === 'fine-tuning'));
    const unfrozen = edit(high, '    param.requires_grad = False\n', '    pass\n');
    assert.ok(findingsOf(file, unfrozen).some((f) => f.rule === 'finetune-lr-high'));
  });

  it('Lightning with an EarlyStopping callback: quiet; the same Trainer without it gets the hint', () => {
    const { file, text } = script('lightning-early-stopping.py');
    assert.deepEqual(findingsOf(file, text), []);
    const without = edit(text, '    callbacks=[EarlyStopping(monitor="val_loss", mode="min", patience=3)],\n', '');
    const fs = findingsOf(file, without);
    assert.deepEqual(rulesOf(fs), ['no-early-stopping']);
    assert.equal(fs[0].line, lineOf(without, 'max_epochs=50'));
  });
});
