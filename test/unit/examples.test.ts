import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES, skipBecause } from '../helpers/paths';
import { evaluate } from '../eval/labels';

/** Every labelled example run (really trained, see examples/README.md): positives flagged, healthy runs quiet. */
describe('example runs against their labels', function () {
  this.timeout(120_000);
  it('flags every positive and raises no false warning', async function () {
    if (!fs.existsSync(path.join(EXAMPLES, 'labels.json'))) skipBecause(this, `${path.join(EXAMPLES, 'labels.json')} is absent; nothing to check the example runs against`);
    const { outcomes } = await evaluate(EXAMPLES);
    assert.ok(outcomes.length >= 8, `at least 8 labelled runs, got ${outcomes.length}`);
    const problems = outcomes
      .filter((o) => o.missed.length || o.falseAlarms.length)
      .map((o) => `${o.label.run}: missed [${o.missed.join(', ')}], false [${o.falseAlarms.join(', ')}]`);
    assert.deepEqual(problems, []);
  });
});
