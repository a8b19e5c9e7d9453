/**
 * Bad input never throws out of core: every prefix of the real-script fixtures (a file being typed or
 * cut short) reads without throwing, and whatever it reads has ranges inside the text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { readConfig } from '../../../src/core/config/read-config';
import type { Setting } from '../../../src/core/config/training-config';
import { applyEdits } from '../../../src/core/config/edits';
import { fixesFor } from '../../../src/core/fixes/policy';
import { parsePython } from '../../../src/core/python/syntax';
import { PY_FIXTURES, script } from './helpers';

describe('python scripts: robustness', () => {
  for (const name of fs.readdirSync(PY_FIXTURES).filter((f) => /\.(py|ipynb)$/.test(f))) {
    it(`${name}: every 53rd prefix and the whole file read without throwing, ranges within the text`, () => {
      const { file, text } = script(name);
      const lineCount = text.split('\n').length;
      let read = 0;
      const cuts = [];
      for (let cut = 0; cut < text.length; cut += 53) cuts.push(cut);
      cuts.push(text.length);
      for (const cut of cuts) {
        const part = text.slice(0, cut);
        const cfg = readConfig(file, part);
        if (!cfg) continue;
        read++;
        for (const v of Object.values(cfg)) {
          if (!v || typeof v !== 'object' || !('valueRange' in v)) continue;
          const s = v as Setting<unknown>;
          for (const r of [s.range, s.valueRange]) assert.ok(r.startLine <= r.endLine && r.endLine < lineCount, `${name}@${cut}: ${JSON.stringify(r)}`);
        }
      }
      assert.ok(read > 0, 'the whole file at least is a training script');
    });
  }

  // The fix writers on the same cut-short texts: whatever they offer applies to that text and leaves
  // Python that parses no worse than it was (a cut mid-call already has error nodes; a fix adds none).
  for (const name of fs.readdirSync(PY_FIXTURES).filter((f) => /\.py$/.test(f))) {
    it(`${name}: the quick fixes of every 97th prefix never throw and add no syntax error`, () => {
      const { file, text } = script(name);
      const evidence = { suggestedPatience: 3, suggestedLr: 0.01, suggestedWarmupRatio: 0.05, suggestedTrials: 20 };
      const rules = ['lr-step-scheduler', 'overfitting-plateau', 'no-early-stopping', 'large-batch-no-warmup', 'loss-spike', 'finetune-lr-high', 'grid-search'] as const;
      let offered = 0;
      for (let cut = 97; cut <= text.length + 96; cut += 97) {
        const part = text.slice(0, Math.min(cut, text.length));
        const cfg = readConfig(file, part);
        if (!cfg) continue;
        const before = errorNodes(part);
        for (const rule of rules) {
          for (const f of fixesFor(rule, evidence, cfg, part)) {
            offered++;
            assert.ok(errorNodes(applyEdits(part, f.edits)) <= before, `${name}@${cut} ${f.title}`);
          }
        }
      }
      assert.ok(offered > 0, 'some fix is offered on this script (the check above ran on real edits)');
    });
  }
});

function errorNodes(text: string): number {
  let n = 0;
  parsePython(text).top.cursor().iterate((c) => {
    if (c.type.isError) n++;
  });
  return n;
}
