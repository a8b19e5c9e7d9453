import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';
import { readConfig } from '../../../src/core/config/read-config';
import { addKey, applyEdits, setNumber } from '../../../src/core/config/edits';
import { checkAllRanges, settingsOf, slice } from './helpers';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200) || 200;

const TOKENS = [
  'lr', 'learning_rate', 'epochs', 'batch_size', 'optimizer', 'scheduler', 'class_path', 'init_args', 'trainer', 'SOLVER',
  'BASE_LR', 'parameters', 'values', 'method', 'hydra', 'sweeper', 'params', 'grid_search', 'patience', 'lr0', 'sched',
  'per_device_train_batch_size', 'warmup_ratio', 'freeze', 'peft_type', '_target_', 'callbacks', 'milestones',
  ':', ': ', '-', '- ', '{', '}', '[', ']', ',', '"', "'", '#', ' ', '  ', '\n', '\r\n', '\t', '0.1', '1e-4', '(1, 2)',
  'null', 'true', '~', '&a', '*a', '!!str', '|', '>', '---', '...', '%YAML 1.2', '?', '\\', '\u00e9', '\uFEFF', '/*', '*/', '//',
  'choice(1,2)', 'range(0,5)', '0.1,0.01', '${x}', '???',
];

const textArb = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((parts) => parts.join(''));
const files = fc.constantFrom('config.yaml', 'args.yml', 'training_args.json', 'x.jsonc', 'noext');

const KEYS = ['lr', 'learning_rate', 'batch_size', 'epochs', 'optimizer', 'scheduler', 'step_size', 'milestones', 'gamma',
  'warmup_epochs', 'pretrained', 'freeze', 'ema', 'clip_grad_norm', 'seed', 'patience', 'model', 'train', 'data', 'x-y', 'a b'];
const leaf = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null),
  fc.string({ maxLength: 12 }), fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 4 }));
const { tree } = fc.letrec((tie) => ({
  tree: fc.dictionary(fc.constantFrom(...KEYS), fc.oneof({ depthSize: 'small' }, leaf, leaf, tie('tree')), { maxKeys: 6 }),
}));

describe('config fuzz (FUZZ_RUNS, default 200)', function () {
  this.timeout(Math.max(20000, RUNS * 100));
  it('readConfig never throws on random YAML/JSON-ish text, and its ranges lie in the text', () => {
    fc.assert(
      fc.property(files, textArb, (file, text) => {
        const cfg = readConfig(file, text);
        if (cfg) {
          for (const [, s] of settingsOf(cfg)) {
            assert.ok(s.range.startLine >= 0 && s.valueRange.startLine >= 0);
            slice(text, s.valueRange);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('readConfig never throws on truncated or spliced real-shaped documents', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), fc.nat(), fc.constantFrom(...TOKENS), (obj, json, cut, splice) => {
        const text = json ? JSON.stringify(obj, null, 2) : stringify(obj);
        const at = text.length ? cut % text.length : 0;
        readConfig(json ? 'c.json' : 'c.yaml', text.slice(0, at));
        readConfig(json ? 'c.json' : 'c.yaml', text.slice(0, at) + splice + text.slice(at));
      }),
      { numRuns: RUNS },
    );
  });

  it('on well-formed documents every setting range starts at its key and ends with its value', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), (obj, json) => {
        const text = json ? JSON.stringify(obj, null, 2) : stringify(obj);
        const cfg = readConfig(json ? 'c.json' : 'c.yaml', text);
        if (cfg) checkAllRanges(cfg, text);
      }),
      { numRuns: RUNS },
    );
  });

  it('addKey then re-reading gives the value back and leaves the rest of a YAML/JSON document intact', () => {
    const pathArb = fc.array(fc.constantFrom('train', 'model', 'opt', 'lr', 'new_key', 'x-y'), { minLength: 1, maxLength: 3 });
    const valueArb = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer(), fc.boolean(), fc.constantFrom('cosine', 'a: b', 'yes', '1e-3', ''));
    fc.assert(
      fc.property(tree, fc.boolean(), pathArb, valueArb, (obj, json, path, value) => {
        const base = { lr: 0.1, epochs: 3, ...obj };
        const text = json ? JSON.stringify(base, null, 2) : stringify(base);
        const cfg = readConfig(json ? 'c.json' : 'c.yaml', text);
        if (!cfg) return;
        const edits = addKey(cfg, text, path, value);
        const out = applyEdits(text, edits);
        const doc = parseDocument(out);
        if (edits.length === 0) return; // the path ran through a list or a scalar that cannot hold a key
        assert.deepEqual(doc.errors.map((e) => e.message), [], out);
        const after = doc.toJS() as Record<string, unknown>;
        let v: unknown = after;
        for (const seg of path) v = (v as Record<string, unknown>)[seg];
        assert.deepEqual(v, json && Object.is(value, -0) ? 0 : value, out); // JSON.stringify(-0) is "0"
        // Everything outside the first path segment is unchanged.
        const before = parseDocument(text).toJS() as Record<string, unknown>;
        delete before[path[0]];
        delete after[path[0]];
        assert.deepEqual(after, before);
      }),
      { numRuns: RUNS },
    );
  });

  it('setNumber on any numeric setting round-trips through re-reading', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), fc.double({ min: 1e-9, max: 1e6, noNaN: true }), (obj, json, n) => {
        const text = json ? JSON.stringify(obj, null, 2) : stringify(obj);
        const cfg = readConfig(json ? 'c.json' : 'c.yaml', text);
        if (!cfg?.lr) return;
        const out = applyEdits(text, setNumber(cfg, text, cfg.lr, n));
        const again = readConfig(json ? 'c.json' : 'c.yaml', out);
        assert.equal(again?.lr?.value, n, out);
      }),
      { numRuns: RUNS },
    );
  });
});
