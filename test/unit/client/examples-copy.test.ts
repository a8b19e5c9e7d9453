import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyExamplesKeepingEdits } from '../../../src/client/examples-copy';
import { EXAMPLES } from '../../helpers/paths';

describe('"Open the Example Runs" copy (src/client/examples-copy.ts)', () => {
  it('a second open keeps the user\'s edits and restores only what is missing', async () => {
    const source = path.join(EXAMPLES, 'runs', 'step-decay');
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-examples-'));
    try {
      const copy = path.join(target, 'example-runs');
      assert.equal(await copyExamplesKeepingEdits(source, copy), false);
      const log = path.join(copy, 'output.log');
      const config = path.join(copy, 'config.yaml');
      assert.equal(fs.readFileSync(log, 'utf8'), fs.readFileSync(path.join(source, 'output.log'), 'utf8'));
      fs.appendFileSync(log, 'ep 999 | my own line\n');
      fs.rmSync(config);
      assert.equal(await copyExamplesKeepingEdits(source, copy), true);
      assert.match(fs.readFileSync(log, 'utf8'), /my own line\n$/, 'the edit survives');
      assert.equal(fs.readFileSync(config, 'utf8'), fs.readFileSync(path.join(source, 'config.yaml'), 'utf8'), 'the deleted file is back');
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
    }
  });
});
