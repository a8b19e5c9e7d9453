/**
 * The printed-log byte path (LogFile → PlainParser.parseBytes, keys cached by their bytes, numbers
 * read from bytes) gives exactly the points of the string path (parseLogText → lexer + findPairs), on
 * every example and real text log and on generated lines mixing the byte path's grammar with what it
 * must leave to the string path.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseLogText } from '../../../src/core/logfile';
import { PlainParser } from '../../../src/core/formats/plain';
import { EventSink } from '../../../src/core/formats/event';
import type { MetricEvent } from '../../../src/core/types';
import { EXAMPLES, hasRealLogs, REAL_LOGS } from '../../helpers/paths';
import { filesUnder, same, viaFile } from './byte-path-helpers';




/** The string path on each line alone (what parseBytes must reproduce), through one parser. */
function stringPath(lines: readonly string[]): MetricEvent[] {
  const p = new PlainParser();
  const out: MetricEvent[] = [];
  const sink = new EventSink(out);
  lines.forEach((l, i) => {
    const line = l.endsWith('\r') ? l.slice(0, -1) : l;
    if (line.length > 0) p.parseLineTo(line, i + 1, sink);
  });
  return out;
}

function bytePath(text: string): MetricEvent[] {
  const p = new PlainParser();
  const out: MetricEvent[] = [];
  const buf = Buffer.from(text, 'utf8');
  const n = p.parseBytes(buf, 0, buf.length, 1, new EventSink(out));
  assert.equal(n, text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
  return out;
}

describe('printed-log byte path', function () {
  this.timeout(120_000);

  it('example and real text logs: same points as the string path', async () => {
    const files = [...filesUnder(EXAMPLES, /\.(?:log|txt|out)$/), ...(hasRealLogs() ? filesUnder(REAL_LOGS, /\.(?:log|txt|out)$/) : [])];
    assert.ok(files.length > 0);
    let plain = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const r = await viaFile(f);
      if (r.format === 'plain') plain++;
      // LogFile reads complete lines only (a writer may be in the middle of the last one); the
      // editor text path reads an unterminated last line too. Compare on the complete lines.
      same(r.events, parseLogText(f, text.slice(0, text.lastIndexOf('\n') + 1)).events, f);
    }
    assert.ok(plain > 5, `${plain} plain logs`);
  });

  it('generated lines: same points as the string path', () => {
    const key = fc.constantFrom(
      'loss', 'val_loss', 'Loss', 'lr', 'lr/pg0', 'acc@1', 'mAP50-95', 'train/loss', 'a.b', 'x-', 'Epoch', 'epoch', 'ep',
      'Step', 'step', 'iter', 'it', 'train', 'Train', 'val', 'Test', 'eval', 'time', 'eta', 'nan', 'inf', 'Infinity', 'total',
      'from', 'for', 'max', 'best', '_x', 'ünï', 'Epoch(train)', 'k'.repeat(101),
    );
    const num = fc.oneof(
      fc.constantFrom('0', '-0', '1', '1.5', '.5', '-.5', '+2', '3.', '1e', '1e-5', '2.5E+3', '1,200', '12,345.6', 'nan', 'NaN', '-inf', 'inf', '3s', '2725M', '0:03:17', '95%', '1e400', '-', '.'),
      fc.double({ noNaN: false }).map(String),
      fc.float().map((x) => String(Math.fround(x))),
      fc.integer({ min: -1e6, max: 1e6 }).map(String),
      fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 19n }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m}e${e}`),
      fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 19n }), fc.integer({ min: 0, max: 25 })).map(([m, k]) => {
        const s = m.toString().padStart(k + 1, '0');
        return `${s.slice(0, s.length - k)}.${s.slice(s.length - k)}`;
      }),
    );
    const counter = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 300 })).map(([a, b]) => `${a}/${b}`);
    const item = fc.oneof(
      fc.tuple(key, fc.constantFrom('=', ': ', ':', ' = ', ' : ', ' ', ': [', ' [', '=('), fc.oneof(num, counter), fc.constantFrom('', ']', ')', ' (1.2)')).map(
        ([k, s, v, e]) => `${k}${s}${v}${e}`,
      ),
      fc.constantFrom('Training', 'improved from 0.3 to 0.2', '|', '-', '…', '\x1b[32m', '\r', 'it/s]', "'loss':", '100%|███'),
    );
    const sep = fc.constantFrom(' ', '  ', ', ', ' | ', '\t', ';', '', ',');
    const line = fc.tuple(fc.constantFrom('', ' ', '\t', '| '), fc.array(fc.tuple(item, sep), { minLength: 0, maxLength: 7 }), fc.constantFrom('', '\r')).map(
      ([lead, items, cr]) => lead + items.map(([i, s]) => i + s).join('') + cr,
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), (lines) => {
        const text = lines.join('\n') + '\n';
        same(bytePath(text), stringPath(lines), JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('the benchmark’s printed lines through LogFile in small chunks: same points as the string path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-plain-bytes-'));
    let text = '';
    for (let s = 0; s < 3000; s++) {
      const e = Math.floor(s / 1000);
      text += `Epoch [${e + 1}/3] Step [${(s % 1000) + 1}/1000] loss=${(2 / (s + 1)).toFixed(4)} lr=${(1e-3 / (e + 1)).toExponential(4)}\n`;
      if (s % 1000 === 999) text += `Epoch [${e + 1}/3] val_loss=${(1 / (e + 1)).toFixed(4)} val_acc=0.${e}5\n`;
      if (s % 700 === 0) text += `Test: [ 10/100] loss: 1.5 (1.2) acc@1: 55.2\n  lr: 0.1\nLR = 0.004\n`;
    }
    const f = path.join(dir, 'train.log');
    fs.writeFileSync(f, text);
    for (const chunk of [997, 1 << 20]) {
      const r = await viaFile(f, chunk);
      assert.equal(r.format, 'plain');
      same(r.events, parseLogText(f, text).events, `chunk ${chunk}`);
    }
  });
});
