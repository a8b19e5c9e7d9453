import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applySuppressions, disableNextLineComment, isSuppressed, parseIds, parseSuppressions } from '../../../src/core/suppress';
import type { Finding } from '../../../src/core/types';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { REPO_ROOT } from '../../helpers/paths';

const finding = (line: number, scenario: Finding['scenario'] = 'large-batch', rule: Finding['rule'] = 'large-batch-no-warmup'): Finding => ({
  scenario,
  rule,
  severity: 'warning',
  message: 'm',
  file: 'c.yaml',
  line,
  evidence: {},
});

describe('suppression comments', () => {
  it('reads ids separated by commas and spaces, ignoring a `-- reason`', () => {
    assert.deepEqual(parseIds(' large-batch, fine-tuning  lr-step-scheduler -- chosen by a sweep'), ['large-batch', 'fine-tuning', 'lr-step-scheduler']);
    assert.deepEqual(parseIds(''), ['*']);
    assert.deepEqual(parseIds(' -- no ids, only a reason'), ['*']);
  });

  it('disable-next-line (YAML #) covers the next line only, by scenario or rule id', () => {
    const text = ['a: 1', '  # traindx-disable-next-line large-batch', '  batch_size: 4096', 'lr: 3'].join('\n');
    const s = parseSuppressions(text);
    assert.ok(isSuppressed(finding(3), s));
    assert.ok(!isSuppressed(finding(4), s), 'not the line after');
    assert.ok(!isSuppressed(finding(3, 'fine-tuning', 'finetune-lr-high'), s), 'not another scenario');
    assert.ok(isSuppressed(finding(3), parseSuppressions(text.replace('large-batch\n', 'large-batch-no-warmup\n'))), 'a rule id');
  });

  it('disable-next-line (JSONC //) and stacked directives', () => {
    const text = ['{', '  // traindx-disable-next-line fine-tuning', '  // traindx-disable-next-line large-batch', '  "lr": 0.1', '}'].join('\n');
    const s = parseSuppressions(text);
    assert.ok(isSuppressed(finding(4), s));
    assert.ok(isSuppressed(finding(4, 'fine-tuning', 'finetune-lr-high'), s));
  });

  it('`traindx-disable <id>` anywhere disables the id for the whole file, also as a trailing comment', () => {
    assert.ok(isSuppressed(finding(40), parseSuppressions('x: 1\n# traindx-disable large-batch\n')));
    assert.ok(isSuppressed(finding(40), parseSuppressions('x: 1  # traindx-disable large-batch-no-warmup\n')));
    const all = parseSuppressions('# traindx-disable\n');
    assert.ok(isSuppressed(finding(1, 'fine-tuning', 'finetune-forgetting'), all), 'no id: everything');
  });

  it('is not fooled by the directive inside a string or a word', () => {
    assert.equal(parseSuppressions('name: "run # traindx-disable large-batch"\n').file.size, 0);
    assert.equal(parseSuppressions("name: 'a#traindx-disable large-batch'\n").file.size, 0);
    assert.equal(parseSuppressions('note: x # traindx-disabled large-batch\n').file.size, 0);
    // A next-line directive is a whole-line comment, not a trailing one.
    assert.equal(parseSuppressions('a: 1 # traindx-disable-next-line large-batch\nb: 2\n').lines.size, 0);
  });

  it('handles CRLF, a directive on the last line, and text without directives', () => {
    const s = parseSuppressions('# traindx-disable-next-line large-batch\r\nbatch: 4096\r\n# traindx-disable-next-line large-batch');
    assert.ok(isSuppressed(finding(2), s));
    assert.deepEqual(applySuppressions([finding(1)], 'a: 1\n'), [finding(1)]);
  });

  it('writes the comment in the config syntax', () => {
    assert.equal(disableNextLineComment('yaml', ['large-batch']), '# traindx-disable-next-line large-batch');
    assert.equal(disableNextLineComment('json', ['a', 'b']), '// traindx-disable-next-line a, b');
  });

  it('is applied by AnalysisWorkspace to config findings (real fixture)', () => {
    const file = path.join(REPO_ROOT, 'test', 'fixtures', 'config', 'timm', 'args.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const w = new AnalysisWorkspace();
    w.setConfigText(file, text);
    const before = w.findings().map((f) => f.rule);
    assert.ok(before.includes('lr-step-scheduler') && before.includes('large-batch-no-warmup'));
    w.setConfigText(file, text.replace(/^sched: step$/m, '# traindx-disable-next-line lr-schedule\nsched: step'));
    const after = w.findings().map((f) => f.rule);
    assert.ok(!after.includes('lr-step-scheduler'));
    assert.ok(after.includes('large-batch-no-warmup'));
    w.setConfigText(file, `${text}\n# traindx-disable large-batch\n`);
    assert.ok(!w.findings().some((f) => f.scenario === 'large-batch'));
  });
});
