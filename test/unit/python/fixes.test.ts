/**
 * The StepLR → CosineAnnealingLR edit on real scripts: applied, the script is parsed and analysed
 * again, and must read as cosine with T_max = its epochs, the rest of the script untouched, and the
 * step-scheduler finding gone.
 */
import * as assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/config/edits';
import { fixesFor } from '../../../src/core/fixes/policy';
import { replaceStepWithCosine } from '../../../src/core/python/fixes';
import { edit, findingsOf, readScript, script } from './helpers';

function fixAndReread(name: string, text?: string) {
  const s = script(name);
  const before = text ?? s.text;
  const cfg = readScript(s.file, before);
  const edits = replaceStepWithCosine(cfg, before);
  assert.equal(edits.length, 1);
  const after = applyEdits(before, edits);
  return { file: s.file, before, after, cfg, reread: readScript(s.file, after) };
}

describe('python scripts: StepLR → CosineAnnealingLR fix', () => {
  it('imagenet main.py: the bare imported StepLR becomes the full torch path with T_max=args.epochs', () => {
    const { file, before, after, reread } = fixAndReread('pytorch-examples-imagenet.py');
    assert.equal(after, edit(before, 'StepLR(optimizer, step_size=30, gamma=0.1)', 'torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)'));
    assert.equal(reread.scheduler?.value, 'CosineAnnealingLR');
    assert.equal(reread.schedulerSteps, undefined);
    assert.equal(reread.lr?.value, 0.1, 'the optimizer is untouched');
    const rules = findingsOf(file, after).map((f) => f.rule);
    assert.ok(!rules.includes('lr-step-scheduler'), rules.join());
  });

  it('mnist main.py: range(1, args.epochs + 1) gives T_max=args.epochs', () => {
    const { before, after, reread } = fixAndReread('pytorch-examples-mnist.py');
    assert.equal(after, edit(before, 'StepLR(optimizer, step_size=1, gamma=args.gamma)', 'torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)'));
    assert.equal(reread.scheduler?.value, 'CosineAnnealingLR');
  });

  it('a module-qualified StepLR keeps its module; a keyword epoch count is written as its number', () => {
    const { before, after } = fixAndReread('tutorial-frozen-backbone.py');
    // epochs come from `def train_model(..., num_epochs=25)`: that name is not in scope at module level.
    assert.equal(after, edit(before, 'lr_scheduler.StepLR(optimizer_conv, step_size=7, gamma=0.1)', 'lr_scheduler.CosineAnnealingLR(optimizer_conv, T_max=25)'));
    const lightning = [
      'import lightning as L',
      'import torch',
      'opt = torch.optim.SGD(m.parameters(), lr=0.1)',
      'sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[30, 60], gamma=0.1)',
      'L.Trainer(max_epochs=90).fit(m)',
      '',
    ].join('\n');
    const cfg = readScript('l.py', lightning);
    const out = applyEdits(lightning, replaceStepWithCosine(cfg, lightning));
    assert.ok(out.includes('sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=90)\n'), out);
  });

  it('a bare StepLR without `import torch` imports CosineAnnealingLR beside it', () => {
    const text = 'from torch.optim import SGD\nfrom torch.optim.lr_scheduler import StepLR\nEPOCHS = 12\nopt = SGD(p, lr=0.1)\ns = StepLR(opt, 4)\nfor epoch in range(EPOCHS):\n    pass\n';
    const cfg = readScript('b.py', text);
    const out = applyEdits(text, replaceStepWithCosine(cfg, text));
    assert.equal(out, 'from torch.optim import SGD\nfrom torch.optim.lr_scheduler import StepLR\nfrom torch.optim.lr_scheduler import CosineAnnealingLR\nEPOCHS = 12\nopt = SGD(p, lr=0.1)\ns = CosineAnnealingLR(opt, T_max=EPOCHS)\nfor epoch in range(EPOCHS):\n    pass\n');
    const reread = readScript('b.py', out);
    assert.equal(reread.scheduler?.value, 'CosineAnnealingLR');
    assert.equal(reread.epochs?.value, 12);
  });

  it('no edit without a known epoch count, on a cosine scheduler, or on a YAML config', () => {
    const noEpochs = 'import torch\nopt = torch.optim.SGD(p, lr=0.1)\ns = torch.optim.lr_scheduler.StepLR(opt, 30)\n';
    assert.deepEqual(replaceStepWithCosine(readScript('a.py', noEpochs), noEpochs), []);
    const cos = 'import torch\nopt = torch.optim.SGD(p, lr=0.1)\ns = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 30)\nfor epoch in range(30):\n    pass\n';
    assert.deepEqual(replaceStepWithCosine(readScript('a.py', cos), cos), []);
    const { text } = script('pytorch-examples-imagenet.py');
    const cfg = readScript('a.py', text);
    assert.deepEqual(replaceStepWithCosine({ ...cfg, format: 'yaml' }, text), []);
  });
});

describe('python scripts: the quick-fix policy', () => {
  it('offers the cosine replacement for a StepLR finding on a script, written by the python framework', () => {
    const s = script('pytorch-examples-imagenet.py');
    const cfg = readScript(s.file, s.text);
    const finding = findingsOf(s.file, s.text).find((f) => f.rule === 'lr-step-scheduler');
    assert.ok(finding, 'imagenet main.py uses StepLR');
    const fixes = fixesFor('lr-step-scheduler', finding.evidence, cfg, s.text);
    assert.deepEqual(fixes.map((f) => f.title), ['Replace StepLR with cosine annealing']);
    const after = applyEdits(s.text, fixes[0].edits);
    assert.ok(after.includes('CosineAnnealingLR(optimizer, T_max=args.epochs)'), 'the call is rewritten in place');
    assert.equal(readScript(s.file, after).scheduler?.value, 'CosineAnnealingLR');
  });

  it('adds no YAML key to a Python script (the fixes that would add one are not offered)', () => {
    const s = script('pytorch-examples-imagenet.py');
    const cfg = readScript(s.file, s.text);
    for (const rule of ['no-early-stopping', 'val-oscillation'] as const) assert.deepEqual(fixesFor(rule, {}, cfg, s.text), [], rule);
    // Clipping is a line of the loop (python/fix-loop-clip.ts), not a key.
    assert.deepEqual(fixesFor('loss-spike', {}, cfg, s.text).map((f) => f.title), ['Add gradient clipping: clip_grad_norm_ before optimizer.step(), max norm 1.0']);
  });
});
