/** One finding per event and per setting (issue 10): mergeDuplicates on findings built by hand. */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzePaths } from '../../../src/core/analyze';
import { mergeDuplicates, type DuplicateGroup } from '../../../src/core/rules/dedupe';
import type { Finding } from '../../../src/core/types';
import { EXAMPLES } from '../../helpers/paths';

function drop(file: string, line: number, from: number, to: number, n: number, severity: Finding['severity'] = 'information'): Finding {
  return {
    scenario: 'lr-schedule',
    rule: 'lr-step-drop',
    severity,
    message: `lr dropped ${from} → ${to}`,
    file,
    line,
    evidence: { fromLr: from, toLr: to, dropIndex: n, dropCount: 2 },
  };
}

const oneRun = (writers: Record<string, string>) => (file: string): DuplicateGroup | undefined => ({ key: 'run', writer: writers[file] });

describe('mergeDuplicates', () => {
  it('the same drop in metrics.csv, TensorBoard and output.log is one finding with the other two as related', () => {
    const f = [drop('a/metrics.csv', 104, 0.1, 0.01, 1), drop('a/tb/events', 81, 0.1, 0.010000000000000002, 1), drop('a/output.log', 61, 0.1, 0.01, 1, 'warning')];
    const out = mergeDuplicates(f, oneRun({ 'a/metrics.csv': 'csv', 'a/tb/events': 'tensorboard', 'a/output.log': 'plain' }));
    assert.equal(out.length, 1);
    // The most severe one is shown; the others are its related locations.
    assert.equal(out[0].file, 'a/output.log');
    assert.deepEqual(out[0].related, [
      { file: 'a/metrics.csv', line: 104 },
      { file: 'a/tb/events', line: 81 },
    ]);
  });

  it('one plateau schedule seen by two writers is one finding even when each shows it at another cut (issue 11)', () => {
    const schedule = (file: string, lines: number[], shownAt: number, severity: Finding['severity']): Finding => ({
      ...drop(file, lines[shownAt], 0.001, 0.0005, shownAt + 1, severity),
      evidence: { fromLr: 0.001, toLr: 0.0005, dropIndex: shownAt + 1, dropCount: 3, cutLines: lines },
      related: lines.filter((_, i) => i !== shownAt).map((line) => ({ file, line })),
    });
    const f = [schedule('a/metrics.csv', [17, 20, 22], 0, 'information'), schedule('a/tb/events', [16, 19, 21], 1, 'warning')];
    const out = mergeDuplicates(f, oneRun({ 'a/metrics.csv': 'csv', 'a/tb/events': 'tensorboard' }));
    assert.equal(out.length, 1);
    assert.equal(out[0].file, 'a/tb/events');
    assert.deepEqual(out[0].related, [
      { file: 'a/tb/events', line: 16 },
      { file: 'a/tb/events', line: 21 },
      { file: 'a/metrics.csv', line: 17 },
    ]);
  });

  it('different drops, and drops of one file, stay apart', () => {
    const f = [drop('a/metrics.csv', 104, 0.1, 0.01, 1), drop('a/metrics.csv', 206, 0.01, 0.001, 2), drop('a/output.log', 121, 0.01, 0.001, 2)];
    const out = mergeDuplicates(f, oneRun({ 'a/metrics.csv': 'csv', 'a/output.log': 'plain' }));
    assert.deepEqual(
      out.map((x) => [x.line, x.related?.length ?? 0]),
      [
        [104, 0],
        [206, 1],
      ],
    );
    assert.equal(out[0].related, undefined, 'the field is absent where nothing repeats');
  });

  it('two logs of one format under one config are two runs (a sweep): nothing merged', () => {
    const f = [drop('sweep/r1/train.log', 10, 0.1, 0.01, 1), drop('sweep/r2/train.log', 10, 0.1, 0.01, 1)];
    const out = mergeDuplicates(f, oneRun({ 'sweep/r1/train.log': 'plain', 'sweep/r2/train.log': 'plain' }));
    assert.equal(out.length, 2);
    assert.ok(out.every((x) => x.related === undefined));
  });

  it('files outside any group are left alone', () => {
    const f = [drop('x/metrics.csv', 104, 0.1, 0.01, 1), drop('x/output.log', 61, 0.1, 0.01, 1)];
    assert.equal(mergeDuplicates(f, () => undefined).length, 2);
  });

  it('the five seed configs of examples/runs/seeds, before any run: one hint with four related locations', async function () {
    this.timeout(60_000);
    // The configs alone (no run yet): with the example's runs, evaluated and still improving at their
    // last epoch, the configs get no early-stopping hint at all (checked below).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdx-seeds-'));
    try {
      for (let i = 0; i < 5; i++) {
        fs.mkdirSync(path.join(dir, `seed-${i}`));
        fs.copyFileSync(path.join(EXAMPLES, 'runs', 'seeds', `seed-${i}`, 'config.yaml'), path.join(dir, `seed-${i}`, 'config.yaml'));
      }
      const { findings } = await analyzePaths([dir]);
      const hints = findings.filter((x) => x.rule === 'no-early-stopping');
      assert.equal(hints.length, 1);
      assert.deepEqual(
        hints[0].related?.map((r) => path.relative(dir, r.file)),
        ['seed-1/config.yaml', 'seed-2/config.yaml', 'seed-3/config.yaml', 'seed-4/config.yaml'],
      );
      assert.ok(hints[0].related!.every((r) => r.line === hints[0].line));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const withRuns = await analyzePaths([path.join(EXAMPLES, 'runs', 'seeds')]);
    assert.deepEqual(withRuns.findings.filter((x) => x.rule === 'no-early-stopping'), []);
  });
});
