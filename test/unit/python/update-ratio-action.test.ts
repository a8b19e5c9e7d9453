/**
 * "Log the update-to-weight ratio" on `optimizer.step()`: where it is offered, that the edited script
 * still parses, and that the inserted code RUNS: the tiny loop of test/fixtures/python is edited, run
 * with a python3 that has torch (Debian's python3-torch), and its printed output read back by traindx
 * as a log whose `update_ratio` series has one point per step.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyEdits } from '../../../src/core/config/edits';
import { parsePython } from '../../../src/core/python/syntax';
import { updateRatioActionAt } from '../../../src/core/python/update-ratio';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { REPO_ROOT, skipBecause } from '../../helpers/paths';
import { script } from './helpers';

/** Line and column of the first occurrence of `needle` (0-based), failing when absent. */
function positionOf(text: string, needle: string): { line: number; character: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in the text`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function hasErrorNodes(text: string): boolean {
  let errors = false;
  parsePython(text).top.cursor().iterate((n) => {
    if (n.type.isError) errors = true;
  });
  return errors;
}

function actionOn(text: string, needle: string) {
  const p = positionOf(text, needle);
  return updateRatioActionAt(text, p.line, p.character + 2);
}

/** A python3 that imports torch, or undefined. */
function pythonWithTorch(): string | undefined {
  for (const exe of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(exe, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) return exe;
  }
  return undefined;
}

describe('python scripts: "Log the update-to-weight ratio" action', () => {
  it('wraps optimizer.step() in the loop at its indentation, and the script still parses', () => {
    const { text } = script('tiny-plain-loop.py');
    const action = actionOn(text, 'optimizer.step()');
    assert.ok(action, 'offered on optimizer.step()');
    const after = applyEdits(text, action.edits);
    assert.ok(!hasErrorNodes(after), after);
    const lines = after.split('\n');
    const step = lines.findIndex((l) => l === '            optimizer.step()');
    assert.ok(step > 0, 'the step call is kept as written');
    assert.match(lines[step - 1], /^ {12}_tdx_before = /);
    assert.match(lines[step + 3], /^ {12}print\(f"update_ratio=/);
    assert.equal(updateRatioActionAt(after, step, 14), undefined, 'not offered twice');
  });

  it('is offered on scaler.step(optimizer) too, and not on a scheduler, outside a loop or on other calls', () => {
    const amp = 'import torch\nopt = torch.optim.AdamW(m.parameters(), lr=1e-3)\nfor x in data:\n    scaler.scale(loss).backward()\n    scaler.step(opt)\n    sched.step()\n    opt.zero_grad()\n';
    const scaled = actionOn(amp, 'scaler.step(opt)');
    assert.ok(scaled);
    assert.match(applyEdits(amp, scaled.edits), /for g in opt\.param_groups/);
    assert.equal(actionOn(amp, 'sched.step()'), undefined, 'a scheduler step is not an optimizer step');
    assert.equal(actionOn(amp, 'opt.zero_grad()'), undefined);
    const noLoop = 'import torch\noptimizer = torch.optim.SGD(p, lr=0.1)\noptimizer.step()\n';
    assert.equal(actionOn(noLoop, 'optimizer.step()'), undefined, 'a single step outside a loop');
    const closure = 'for i in range(3):\n    optimizer.step(closure)\n';
    assert.equal(actionOn(closure, 'optimizer.step(closure)'), undefined, 'LBFGS-style closures are left alone');
  });

  it('is offered on the real loops of pytorch/examples (mnist, imagenet)', () => {
    for (const name of ['pytorch-examples-mnist.py', 'pytorch-examples-imagenet.py']) {
      const { text } = script(name);
      const action = actionOn(text, 'optimizer.step()');
      assert.ok(action, name);
      assert.ok(!hasErrorNodes(applyEdits(text, action.edits)), name);
    }
  });

  it('the edited loop runs with torch and traindx reads the ratio it prints', async function () {
    this.timeout(120_000);
    const python = pythonWithTorch();
    if (!python) skipBecause(this, 'no python3 with torch (Debian: apt-get install python3-torch)');
    const { text } = script('tiny-plain-loop.py');
    const action = actionOn(text, 'optimizer.step()');
    assert.ok(action);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-ratio-'));
    try {
      const train = path.join(dir, 'train.py');
      fs.writeFileSync(train, applyEdits(text, action.edits));
      const run = spawnSync(python, [train], { encoding: 'utf8', timeout: 100_000 });
      assert.equal(run.status, 0, run.stderr);
      const log = path.join(dir, 'train.log');
      fs.writeFileSync(log, run.stdout);
      const ws = new AnalysisWorkspace();
      await ws.updateLog(log);
      const read = ws.runOfFile(log);
      const ratio = read?.series('update_ratio');
      assert.ok(ratio, `no update_ratio series in:\n${run.stdout.slice(0, 400)}`);
      assert.equal(ratio.length, 3 * 10, 'one point per optimizer step (3 epochs × 10 steps)');
      const printed = [...run.stdout.matchAll(/update_ratio=(\S+)/g)].map((m) => Number(m[1]));
      for (let i = 0; i < ratio.length; i++) {
        assert.equal(ratio.value(i), printed[i]);
        assert.ok(printed[i] > 0 && printed[i] < 1, `a plausible ratio: ${printed[i]}`);
      }
      assert.equal(read?.series('train_loss')?.length ?? read?.series('loss')?.length, 3, 'the loss the loop prints is still read');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('update-ratio callbacks for Lightning, HF Trainer and Keras (snippets/update-ratio)', () => {
  const SNIPPETS = path.join(REPO_ROOT, 'snippets', 'update-ratio');
  const HARNESS = path.join(REPO_ROOT, 'test', 'fixtures', 'python', 'update-ratio-harness');
  const names = ['lightning', 'hf', 'keras'];

  it('each snippet parses as Python without error nodes and logs the update_ratio key', () => {
    for (const n of names) {
      const text = fs.readFileSync(path.join(SNIPPETS, `${n}_update_ratio.py`), 'utf8');
      assert.ok(!hasErrorNodes(text), n);
      assert.match(text, /update_ratio/, n);
    }
  });

  /**
   * Lightning, transformers and Keras are not installed here: a driver calls each callback's hooks in
   * the order its framework does, with a real torch model and optimizer and stand-ins for the
   * framework modules (test/fixtures/python/update-ratio-harness). The three must measure the same
   * ratios (same seed, same steps) and traindx must read them from what they print.
   */
  it('driven with torch, the three callbacks print the same ratios and traindx reads them', async function () {
    this.timeout(120_000);
    const python = pythonWithTorch();
    if (!python) skipBecause(this, 'no python3 with torch (Debian: apt-get install python3-torch)');
    const exe: string = python;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-callbacks-'));
    try {
      const series: number[][] = [];
      for (const n of names) {
        const run = spawnSync(exe, [path.join(HARNESS, 'drive.py'), path.join(HARNESS, 'stubs'), SNIPPETS, n], { encoding: 'utf8', timeout: 100_000 });
        assert.equal(run.status, 0, `${n}: ${run.stderr}`);
        const log = path.join(dir, `${n}.log`);
        fs.writeFileSync(log, run.stdout);
        const ws = new AnalysisWorkspace();
        await ws.updateLog(log);
        const ratio = ws.runOfFile(log)?.series('update_ratio');
        assert.ok(ratio, `${n}: no update_ratio series in ${run.stdout}`);
        series.push(Array.from({ length: ratio.length }, (_, i) => ratio.value(i)));
      }
      assert.equal(series[0].length, 4);
      assert.ok(series[0].every((r) => r > 0 && r < 1), series[0].join());
      assert.deepEqual(series[1], series[0], 'HF and Lightning measure the same steps alike');
      assert.deepEqual(series[2], series[0], 'Keras (numpy) and Lightning (torch) measure the same steps alike');
      // The HF callback also writes the ratio into trainer_state.json's log_history, read as a run too.
      const state = path.join(dir, 'trainer_state.json');
      const hf = spawnSync(exe, [path.join(HARNESS, 'drive.py'), path.join(HARNESS, 'stubs'), SNIPPETS, 'hf', state], { encoding: 'utf8', timeout: 100_000 });
      assert.equal(hf.status, 0, hf.stderr);
      const ws = new AnalysisWorkspace();
      await ws.updateLog(state);
      const fromState = ws.runOfFile(state)?.series('update_ratio');
      assert.ok(fromState, fs.readFileSync(state, 'utf8'));
      assert.equal(fromState.length, 4);
      assert.ok(Math.abs(fromState.value(0) - series[0][0]) / series[0][0] < 1e-3, 'the printed value is the stored one, to its 5 printed digits');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
