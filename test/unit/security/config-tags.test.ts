/**
 * Nothing read from a config is evaluated: YAML tags that some loaders execute (PyYAML
 * `!!python/object/apply`, js-yaml's old `!!js/function`/`!!js/eval`/`!!js/regexp`), alias bombs and
 * `__proto__` keys are data at most. Every value readConfig returns is plain data (number, string,
 * boolean, array of those) or undefined.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfig } from '../../../src/core/config/read-config';

const g = globalThis as { __traindxPwned?: number };

function marker(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-tag-')), 'pwned');
}

/** Walks a returned config: functions, RegExps, class instances or symbols are not data. */
function assertPlainData(v: unknown, where: string, seen = new Set<unknown>()): void {
  if (v === null || v === undefined) return;
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean') return;
  assert.equal(t, 'object', `${where}: ${t}`);
  if (seen.has(v)) return;
  seen.add(v);
  const proto = Object.getPrototypeOf(v);
  assert.ok(proto === Object.prototype || proto === Array.prototype || proto === null, `${where}: not plain data (${proto?.constructor?.name})`);
  for (const [k, x] of Object.entries(v as object)) assertPlainData(x, `${where}.${k}`, seen);
}

describe('security: configs are read, never run', () => {
  beforeEach(() => {
    delete g.__traindxPwned;
  });

  it('PyYAML and js-yaml executable tags do not execute and give data or undefined', () => {
    const m = marker();
    const docs = [
      `lr: !!python/object/apply:os.system ["touch ${m}"]\nbatch_size: 32\noptimizer: adam\nmax_epochs: 10\n`,
      `optimizer: !!python/object/apply:subprocess.check_output [["touch", "${m}"]]\nlr: 0.1\nbatch_size: 8\n`,
      `lr: !!python/object/new:os.system ["touch ${m}"]\nepochs: 3\nbatch_size: 8\n`,
      `scheduler: !!python/name:os.system\nlr: 0.01\nepochs: 5\n`,
      `lr: !!js/function "function () { globalThis.__traindxPwned = 1; return 0.1 }"\nbatch_size: 16\nepochs: 2\n`,
      `lr: !!js/eval "globalThis.__traindxPwned = 2"\nbatch_size: 16\nepochs: 2\n`,
      `lr: !<tag:yaml.org,2002:js/function> "function(){globalThis.__traindxPwned = 3}"\noptimizer: !!js/regexp /adam/\nepochs: 2\n`,
      `lr: !!js/undefined ''\nbatch_size: !!binary aGVsbG8=\nepochs: !!timestamp 2001-12-14\n`,
      `learning_rate: !custom {toString: "globalThis.__traindxPwned = 4"}\nper_device_train_batch_size: 8\nnum_train_epochs: 3\n`,
    ];
    for (const text of docs) {
      let cfg: unknown;
      assert.doesNotThrow(() => {
        cfg = readConfig('/w/config.yaml', text);
      }, text);
      assertPlainData(cfg, text.split('\n')[0]);
      const lr = (cfg as { lr?: { value: unknown } } | undefined)?.lr?.value;
      assert.ok(lr === undefined || typeof lr === 'number', `lr is data: ${String(lr)}`);
    }
    assert.equal(fs.existsSync(m), false, 'a tagged command ran');
    assert.equal(g.__traindxPwned, undefined, 'a tagged function ran');
  });

  it('an alias bomb (billion laughs) ends quickly without throwing', () => {
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('lr: 0.1', 'batch_size: *a9', 'epochs: 3');
    const t0 = Date.now();
    assert.doesNotThrow(() => readConfig('/w/config.yaml', lines.join('\n')));
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  });

  it('__proto__ and constructor keys pollute nothing', () => {
    const yaml = '__proto__: {polluted: yes, lr: 1}\nconstructor: {prototype: {polluted: yes}}\nlr: 0.1\nbatch_size: 32\nepochs: 3\n';
    const json = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "learning_rate": 0.1, "num_train_epochs": 3}';
    for (const [f, t] of [
      ['/w/config.yaml', yaml],
      ['/w/training_args.json', json],
    ]) {
      const cfg = readConfig(f, t);
      assertPlainData(cfg, f);
      assert.equal(({} as { polluted?: unknown }).polluted, undefined, `${f} polluted Object.prototype`);
    }
  });

  it('a Python config is never read as a config (it would have to be run)', () => {
    const m = marker();
    const py = `import os\nos.system("touch ${m}")\nlr = 0.1\nbatch_size = 32\n`;
    const cfg = readConfig('/w/config.py', py);
    assertPlainData(cfg, 'config.py');
    assert.equal(fs.existsSync(m), false);
  });
});
