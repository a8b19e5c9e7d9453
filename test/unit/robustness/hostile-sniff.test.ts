/**
 * Issue 13, degraded: the plain-log sniff ran regular expressions that were quadratic (PAIR_HINT on a
 * long word) and cubic (the epoch hint on a run of blanks) in a line's length, on every file's head.
 * The rewrites must find exactly what the old expressions found, in linear time.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { EPOCH_HINT, hasPairHint, plain } from '../../../src/core/formats/plain';

/** The expressions as they were (the specification of what the sniff looks for). */
const OLD_PAIR_HINT = /[A-Za-z_][\w/@.-]*\s*[:=]\s*[-+]?(?:\d|nan\b|inf\b)/i;
const OLD_EPOCH_HINT = /\b(?:epoch|ep|iter|step)\b\s*[:=[]?\s*\[?\s*\d/i;

const pieces = fc.constantFrom('a', 'Z', '_', '1', '9', '/', '@', '.', '-', ' ', '\t', ':', '=', '[', '+', 'nan', 'inf', 'NaN', 'epoch', 'ep', 'iter', 'step', 'x', ',', '|');
const lines = fc.array(pieces, { maxLength: 30 }).map((a) => a.join(''));

describe('plain sniff in linear time (issue 13)', () => {
  it('hasPairHint and EPOCH_HINT find what the old expressions found', () => {
    fc.assert(
      fc.property(lines, (l) => {
        assert.equal(hasPairHint(l), OLD_PAIR_HINT.test(l), JSON.stringify(l));
        assert.equal(EPOCH_HINT.test(l), OLD_EPOCH_HINT.test(l), JSON.stringify(l));
      }),
      { numRuns: 5000 },
    );
  });

  it('a 64 KB head of long words or of blanks after `epoch` sniffs in milliseconds', () => {
    const heads = [`${'a'.repeat(4000)}\n`.repeat(16), `epoch${' '.repeat(4000)}x\n`.repeat(16), `${'a.'.repeat(2000)}\n`.repeat(16)];
    for (const head of heads) {
      const t0 = Date.now();
      plain.sniff('train.log', head);
      const ms = Date.now() - t0;
      // Before: 0.2 s for the first, minutes for the second.
      assert.ok(ms < 200, `${ms} ms`);
    }
  });
});
