/**
 * The config rules on real public training scripts (fixtures reproducing their code facts): positives
 * where the script does what a rule describes, and healthy scripts that must stay quiet. Each healthy
 * case has a control: the same text with the one protecting fact removed, which must then be flagged,
 * so that the quiet result is the rule seeing the protection, not the reader missing the setting.
 */
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../src/core/types';
import { applyEdits } from '../../../src/core/config/edits';
import { fixesFor } from '../../../src/core/fixes/policy';
import { edit, findingsOf, readScript, script } from './helpers';

const rulesOf = (fs: readonly Finding[]) => fs.map((f) => f.rule).sort();
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('python scripts: config rules', () => {
  it('imagenet main.py: StepLR flagged on the scheduler call; its 90 epochs are a planned schedule, so no early-stopping tip', () => {
    const { file, text } = script('pytorch-examples-imagenet.py');
    const fs = findingsOf(file, text);
    assert.deepEqual(rulesOf(fs), ['lr-step-scheduler']);
    const step = fs.find((f) => f.rule === 'lr-step-scheduler');
    assert.equal(step?.line, lineOf(text, 'scheduler = StepLR('));
    assert.match(step?.message ?? '', /every 30/);
    // Without a planned schedule, 90 epochs with nothing that stops or keeps the best get the tip, at the loop.
    const constant = edit(edit(text, '    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)\n', ''), '        scheduler.step()\n', '');
    const tip = findingsOf(file, constant);
    assert.deepEqual(rulesOf(tip), ['no-early-stopping']);
    assert.equal(tip[0].line, lineOf(constant, 'for epoch in range('));
    // SGD 0.1 from scratch (the pretrained branch is off by default): no fine-tuning finding.
    assert.ok(!fs.some((f) => f.scenario === 'fine-tuning'));
  });

  it('mnist main.py: StepLR(step_size=1, gamma=0.7) is a smooth per-epoch decay, quiet; with gamma 0.1 it drops abruptly', () => {
    // ×0.7 per epoch is above the rule's dropRatio (0.5): a decrease, not a drop (14 epochs: no early-stopping hint).
    const { file, text } = script('pytorch-examples-mnist.py');
    assert.deepEqual(rulesOf(findingsOf(file, text)), []);
    const abrupt = edit(text, "'--gamma', type=float, default=0.7", "'--gamma', type=float, default=0.1");
    assert.deepEqual(rulesOf(findingsOf(file, abrupt)), ['lr-step-scheduler']);
  });

  it('a LambdaLR step function (lambda epoch: 0.1 ** (epoch // 30)) is a step schedule, fixed to cosine in place', () => {
    const text = [
      'import torch',
      'from torch.optim.lr_scheduler import LambdaLR',
      'EPOCHS = 90',
      'optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)',
      'scheduler = LambdaLR(optimizer, lr_lambda=lambda epoch: 0.1 ** (epoch // 30))',
      'for epoch in range(EPOCHS):',
      '    train(epoch)',
      '    scheduler.step()',
      '',
    ].join('\n');
    const step = findingsOf('lambda.py', text).find((f) => f.rule === 'lr-step-scheduler');
    assert.ok(step, 'flagged as a step schedule');
    assert.match(step.message, /every 30/);
    assert.equal(step.line, 5);
    const fixes = fixesFor('lr-step-scheduler', step.evidence, readScript('lambda.py', text), text);
    assert.equal(fixes.length, 1);
    const after = applyEdits(text, fixes[0].edits);
    assert.ok(after.includes('scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)\n'), after);
    assert.ok(!findingsOf('lambda.py', after).some((f) => f.scenario === 'lr-schedule'));
    // Other lambdas are schedules traindx cannot name: nothing is said.
    for (const other of ['lambda epoch: 0.95 ** epoch', 'lambda e: 1 - e / EPOCHS', 'warmup_then_decay']) {
      const t = edit(text, 'lambda epoch: 0.1 ** (epoch // 30)', other);
      assert.ok(!findingsOf('lambda.py', t).some((f) => f.scenario === 'lr-schedule'), other);
    }
  });

  it('pytorch/examples dcgan: a GAN that never evaluates gets no early-stopping hint; the same loop with an evaluation does', () => {
    // The code facts of dcgan/main.py @ 77f55b912142e11fcfdf5b530231fb9c52f181e8: argparse --niter 25,
    // two Adam optimizers (D and G), `for epoch in range(opt.niter)`, images saved, no evaluation.
    const text = [
      'import argparse',
      'import torch.optim as optim',
      'parser = argparse.ArgumentParser()',
      "parser.add_argument('--niter', type=int, default=25)",
      "parser.add_argument('--lr', type=float, default=0.0002)",
      'opt = parser.parse_args()',
      'optimizerD = optim.Adam(netD.parameters(), lr=opt.lr, betas=(0.5, 0.999))',
      'optimizerG = optim.Adam(netG.parameters(), lr=opt.lr, betas=(0.5, 0.999))',
      'for epoch in range(opt.niter):',
      '    for i, data in enumerate(dataloader, 0):',
      '        optimizerD.step()',
      '        optimizerG.step()',
      '    vutils.save_image(fake.detach(), "fake.png")',
      '',
    ].join('\n');
    assert.equal(readScript('dcgan.py', text).validates, false);
    assert.deepEqual(findingsOf('dcgan.py', text).filter((f) => f.rule === 'no-early-stopping'), []);
    const evaluated = edit(text, '    vutils.save_image', '    netG.eval()\n    vutils.save_image');
    const longer = edit(evaluated, 'default=25', 'default=200');
    assert.ok(findingsOf('dcgan.py', longer).some((f) => f.rule === 'no-early-stopping'), 'an evaluating 200-epoch loop is hinted');
  });

  it('pytorch/examples mnist_forward_forward: a loader drawn once (next(iter(loader))) is the whole data set, not a large batch', () => {
    // The code facts of mnist_forward_forward/main.py @ 77f55b912142e11fcfdf5b530231fb9c52f181e8:
    // batch_size=args.train_size (50000) in **train_kwargs, one `next(iter(train_loader))`, Adam per layer.
    const text = [
      'import argparse',
      'import torch',
      'from torch.optim import Adam',
      'from torch.utils.data import DataLoader',
      '',
      'class Layer(torch.nn.Linear):',
      '    def __init__(self, i, o):',
      '        super().__init__(i, o)',
      '        self.opt = Adam(self.parameters(), lr=args.lr)',
      '',
      'if __name__ == "__main__":',
      '    parser = argparse.ArgumentParser()',
      '    parser.add_argument("--epochs", type=int, default=1000)',
      '    parser.add_argument("--lr", type=float, default=0.03)',
      '    parser.add_argument("--train_size", type=int, default=50000)',
      '    args = parser.parse_args()',
      '    train_kwargs = {"batch_size": args.train_size}',
      '    train_loader = DataLoader(MNIST("./data/", train=True), **train_kwargs)',
      '    x, y = next(iter(train_loader))',
      '',
    ].join('\n');
    assert.equal(readScript('ff.py', text).batchSize, undefined);
    assert.deepEqual(findingsOf('ff.py', text).filter((f) => f.scenario === 'large-batch'), []);
    // Control: the same loader iterated by a training loop is a 50 000-sample minibatch.
    const looped = edit(text, '    x, y = next(iter(train_loader))', '    for epoch in range(args.epochs):\n        for x, y in train_loader:\n            pass');
    assert.equal(readScript('ff.py', looped).batchSize?.value, 50000);
    assert.ok(findingsOf('ff.py', looped).some((f) => f.scenario === 'large-batch'));
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
    // Nor without the restore: StepLR every 7 of 25 epochs is a planned schedule, trained to its end by design.
    const noRestore = edit(text, '    model.load_state_dict(best_model_wts)\n', '');
    assert.deepEqual(rulesOf(findingsOf(file, noRestore)), ['lr-step-scheduler']);
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
