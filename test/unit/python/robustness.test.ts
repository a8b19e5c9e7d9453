/**
 * Bad input never throws out of core: every prefix of the real-script fixtures (a file being typed or
 * cut short) reads without throwing, and whatever it reads has ranges inside the text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { readConfig } from '../../../src/core/config/read-config';
import type { Setting } from '../../../src/core/config/training-config';
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
});
