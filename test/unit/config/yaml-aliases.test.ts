/**
 * YAML aliases read as the scalar of the nearest anchor of their name before them (the YAML spec; the
 * `yaml` library agrees, checked below against its own `toJS`), and a file of many aliases is read in
 * time proportional to its size (issue 13: 20 000 aliases of one scalar took over 30 s when every alias
 * searched the whole document).
 */
import * as assert from 'node:assert/strict';
import { parse as yamlParse } from 'yaml';
import { parseConfigText, type CMap } from '../../../src/core/config/tree';
import { readConfig } from '../../../src/core/config/read-config';

function scalars(text: string): Record<string, unknown> {
  const root = parseConfigText(text, 'yaml').root as CMap;
  return Object.fromEntries(root.entries.map((e) => [e.key, e.value.kind === 'scalar' ? e.value.value : e.value.kind]));
}

describe('YAML aliases in configs', () => {
  it('read as the nearest anchor before them, as the yaml library resolves them', () => {
    const text = 'base: &lr 0.1\nlr: *lr\nother: &lr 0.5\nlater: *lr\nmissing: *nope\n';
    const ours = scalars(text);
    assert.equal(ours.lr, 0.1);
    assert.equal(ours.later, 0.5, 'a redefined anchor: the nearest one before the alias');
    assert.equal(ours.missing, null, 'an undefined anchor reads as absent');
    const theirs = yamlParse('base: &lr 0.1\nlr: *lr\nother: &lr 0.5\nlater: *lr\n') as Record<string, unknown>;
    assert.equal(ours.lr, theirs.lr);
    assert.equal(ours.later, theirs.later);
  });

  it('a training setting given by alias is read with its value', () => {
    const cfg = readConfig('config.yaml', 'defaults: &base_lr 0.0003\nlearning_rate: *base_lr\nnum_train_epochs: 3\nper_device_train_batch_size: 8\n');
    assert.equal(cfg?.lr?.value, 0.0003);
  });

  it('20 000 aliases of one scalar are read, each with its value (ends within the test timeout)', () => {
    const n = 20_000;
    const lines = ['a: &x 7'];
    for (let i = 0; i < n; i++) lines.push(`k${i}: *x`);
    const root = parseConfigText(lines.join('\n') + '\n', 'yaml').root as CMap;
    assert.equal(root.entries.length, n + 1);
    assert.ok(root.entries.every((e) => e.value.kind === 'scalar' && e.value.value === 7));
  });
});
