/**
 * Hovers on a script's settings: the config-key explanation (core/explain/config-topics.ts) on the
 * argument of the call that sets it, and on the value where the script writes it (an argparse
 * default), with the same knowledge as a YAML config saying the same.
 */
import * as assert from 'node:assert/strict';
import { readConfig } from '../../../src/core/config/read-config';
import { explainConfigKey } from '../../../src/core/explain/config-topics';
import { configKeyHover } from '../../../src/server/config-hover';
import { readScript, script } from './helpers';

/** Line and column inside the first occurrence of `needle` (0-based; `offset` chars into it). */
function at(text: string, needle: string, offset = 1): [number, number] {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  const before = text.slice(0, i + offset).split('\n');
  return [before.length - 1, before[before.length - 1].length];
}

describe('python scripts: config-key hovers', () => {
  const s = script('pytorch-examples-imagenet.py');
  const cfg = readScript(s.file, s.text);

  it('on StepLR(…), args.lr in SGD(…) and the DataLoader batch_size: the schedule, LR and batch topics', () => {
    assert.equal(explainConfigKey(cfg, ...at(s.text, 'StepLR(optimizer'))?.topic, 'schedule');
    assert.equal(explainConfigKey(cfg, ...at(s.text, 'args.lr,'))?.topic, 'lr');
    assert.equal(explainConfigKey(cfg, ...at(s.text, 'batch_size=args.batch_size'))?.topic, 'batch');
    const md = configKeyHover(cfg, ...at(s.text, 'StepLR(optimizer'), 'file:///main.py');
    assert.ok(md !== undefined && md.includes('**LR schedule** StepLR'), md);
    assert.ok(md.includes('every 30') && md.includes('Over 90 epochs'), md);
  });

  it('on the argparse default the value comes from: the same explanation as on its use', () => {
    const onDefault = explainConfigKey(cfg, ...at(s.text, "default=0.1, type=float", 9));
    const onUse = explainConfigKey(cfg, ...at(s.text, 'args.lr,'));
    assert.ok(onDefault && onUse);
    assert.equal(onDefault.topic, 'lr');
    assert.deepEqual(onDefault.lines, onUse.lines);
    assert.equal(explainConfigKey(cfg, ...at(s.text, "default='resnet18'", 9)), undefined, 'not a training setting');
  });

  it('says what a YAML config with the same settings says (same rules, same numbers)', () => {
    const yaml = 'optimizer: SGD\nlr: 0.1\nbatch_size: 256\nepochs: 90\nscheduler: StepLR\nstep_size: 30\nweight_decay: 0.0001\n';
    const y = readConfig('/nowhere/config.yaml', yaml);
    assert.ok(y);
    for (const k of ['lr', 'batchSize', 'scheduler', 'epochs'] as const) {
      const py = cfg[k];
      const ys = y[k];
      assert.ok(py && ys, k);
      const a = explainConfigKey(cfg, py.range.startLine, py.range.startChar + 1);
      const b = explainConfigKey(y, ys.range.startLine, ys.range.startChar + 1);
      assert.deepEqual(a?.lines, b?.lines, k);
    }
  });

  it('on the epoch count: early-stopping advice without a constant patience, and none for a script that never evaluates', () => {
    const length = explainConfigKey(cfg, ...at(s.text, "default=90", 9));
    assert.equal(length?.topic, 'length');
    const advice = length.lines.find((l) => l.kind === 'bullet' && /stop early/.test(l.text));
    assert.ok(advice && advice.kind === 'bullet' && !/\d+ and keep|≈/.test(advice.text), JSON.stringify(length.lines));
    const gan = "import torch\nopt = torch.optim.Adam(netG.parameters(), lr=2e-4)\nfor epoch in range(200):\n    opt.step()\n";
    const g = readScript('gan.py', gan);
    assert.equal(g.validates, false);
    const x = explainConfigKey(g, ...at(gan, 'range(200)', 6));
    assert.equal(x?.topic, 'length');
    assert.ok(!x.lines.some((l) => l.kind === 'bullet' && /stop early/.test(l.text)), JSON.stringify(x.lines));
  });

  it('a LoRA fine-tune at 3e-4 (peft example): in range for an adapter, on learning_rate=', () => {
    const p = script('peft-lora-opt.py');
    const pc = readScript(p.file, p.text);
    const x = explainConfigKey(pc, ...at(p.text, 'learning_rate='));
    assert.equal(x?.topic, 'lr');
    assert.ok(x.lines.some((l) => l.kind === 'bullet' && /in range for this setup: only the adapter trains/.test(l.text)), JSON.stringify(x.lines));
  });
});
