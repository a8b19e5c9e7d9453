/**
 * The CSV byte path (LogFile → CsvParser.parseBytes) gives exactly the points of the string path
 * (parseLogText → parseLine), on real CSVs and on rows built to hit every branch of the byte reader;
 * and the long-significand conversion is the engine's, bit for bit.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseLogText } from '../../../src/core/logfile';
import { decimalParts } from '../../../src/core/formats/numbers';
import { EXAMPLES, hasRealLogs, REAL_LOGS } from '../../helpers/paths';
import { filesUnder, same, viaFile } from './byte-path-helpers';




describe('CSV byte path', function () {
  this.timeout(120_000);

  it('real and example CSVs: same points as the string path', async () => {
    const files = [...filesUnder(EXAMPLES, /\.csv$/), ...(hasRealLogs() ? filesUnder(REAL_LOGS, /\.csv$/) : [])];
    assert.ok(files.length > 0);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      same((await viaFile(f)).events, parseLogText(f, text).events, f);
    }
  });

  it('rows hitting every branch: same points as the string path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-bytes-'));
    const cell = fc.oneof(
      fc.constantFrom('', 'nan', 'NaN', 'inf', '-inf', 'NA', 'None', ' 1.5', '1.5 ', '0x1A', '1e', '-', '.', '+1', '-0', '00', '1.', '.5', '-.5', '1e400', '1e-400', '"1,5"', 'ü', '1\r', '3.0000000000000000001', '1234567890123456789012345'),
      fc.double({ noNaN: false }).map(String),
      fc.float().map((x) => String(Math.fround(x))),
      fc.integer().map(String),
      fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 19n }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m}e${e}`),
      fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 19n }), fc.integer({ min: 0, max: 25 })).map(([m, k]) => {
        const s = m.toString().padStart(k + 1, '0');
        return `${s.slice(0, s.length - k)}.${s.slice(s.length - k)}`;
      }),
    );
    const row = fc.array(cell, { minLength: 1, maxLength: 8 }).map((cells) => cells.join(','));
    const eol = fc.constantFrom('\n', '\r\n', '\r\r\n');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(row, eol), { maxLength: 30 }), fc.boolean(), async (rows, midHeader) => {
        let text = 'lr-AdamW,step,loss,epoch,val_loss,ünïcode,acc\n';
        rows.forEach(([r, e], i) => {
          text += r + e;
          if (midHeader && i === 10) text += 'lr-AdamW,step,loss,epoch,extra\n';
        });
        const f = path.join(dir, `r${n++}`, 'metrics.csv');
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, text);
        same((await viaFile(f)).events, parseLogText(f, text).events, JSON.stringify(text));
      }),
      { numRuns: 300 },
    );
  });

  it('decimalParts is the correctly rounded value or NaN (then the text is converted)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: 10n ** 19n - 1n }), fc.integer({ min: -22, max: 22 }), (m, e10) => {
        const v = decimalParts(Number(m / 100_000_000n), Number(m % 100_000_000n), e10);
        if (!Number.isNaN(v)) assert.equal(v, Number(`${m}e${e10}`), `${m}e${e10}`);
      }),
      { numRuns: 20_000 },
    );
  });
});
