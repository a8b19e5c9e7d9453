/**
 * The JSON-lines byte path (JsonlParser.parseBytes: flat objects read from bytes, keys cached by
 * their bytes) gives exactly the points and messages of the string path (JSON.parse / the tolerant
 * reader), for every JSON-lines format, on example and real files and on generated lines mixing flat
 * objects with what the byte path must leave to JSON.parse.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { parseLogText } from '../../../src/core/logfile';
import { EventSink } from '../../../src/core/formats/event';
import type { LineFormat } from '../../../src/core/formats/format';
import { jsonl } from '../../../src/core/formats/jsonl';
import { detectron2Json } from '../../../src/core/formats/detectron2-json';
import { llamafactoryJsonl } from '../../../src/core/formats/llamafactory-jsonl';
import { mmengineJson } from '../../../src/core/formats/mmengine-json';
import type { MetricEvent } from '../../../src/core/types';
import { EXAMPLES, hasRealLogs, REAL_LOGS } from '../../helpers/paths';
import { filesUnder, same, viaFile } from './byte-path-helpers';

const JSON_LINES = /\.(?:jsonl|ndjson)$|^metrics\.json$|^scalars\.json$|\.log\.json$/;




const FORMATS: LineFormat[] = [jsonl, detectron2Json, llamafactoryJsonl, mmengineJson];

/** Both paths on the same lines, each through a fresh parser of `fmt`; points and messages. */
function bothPaths(fmt: LineFormat, lines: readonly string[]): { bytes: MetricEvent[]; strings: MetricEvent[]; mb: string[]; ms: string[] } {
  const pb = fmt.createParser('x.jsonl') as unknown as { parseBytes(b: Uint8Array, s: number, e: number, l: number, sink: EventSink): number; drainMessages(): string[] };
  const bytes: MetricEvent[] = [];
  const text = lines.map((l) => `${l}\n`).join('');
  const buf = Buffer.from(text, 'utf8');
  assert.equal(pb.parseBytes(buf, 0, buf.length, 1, new EventSink(bytes)), lines.length);
  const ps = fmt.createParser('x.jsonl') as unknown as { parseLine(l: string, n: number): MetricEvent[]; drainMessages(): string[] };
  const strings: MetricEvent[] = [];
  lines.forEach((l, i) => {
    const line = l.endsWith('\r') ? l.slice(0, -1) : l;
    if (line.length > 0) strings.push(...ps.parseLine(line, i + 1));
  });
  return { bytes, strings, mb: pb.drainMessages(), ms: ps.drainMessages() };
}

describe('JSON-lines byte path', function () {
  this.timeout(120_000);

  it('example and real JSON-lines files: same points as the string path', async () => {
    const files = [...filesUnder(EXAMPLES, JSON_LINES), ...(hasRealLogs() ? filesUnder(REAL_LOGS, JSON_LINES) : [])];
    assert.ok(files.length > 0);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      same((await viaFile(f)).events, parseLogText(f, text).events, f);
    }
  });

  it('generated lines, every JSON-lines format: same points and messages as the string path', () => {
    const key = fc.constantFrom(
      'epoch', 'step', 'global_step', '_step', 'iteration', 'iter', 'current_steps', 'loss', 'lr', 'val_loss', 'eval/acc', 'total_loss',
      'data_time', 'time', 'mode', 'total_steps', 'elapsed_time', '0', '12', '1a', 'é', 'a b', '__proto__', '', 'x\\"y', 'loss\\u0041',
    );
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
      fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => String(Math.fround(x))),
      fc.integer({ min: -1e6, max: 1e6 }).map(String),
      fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 19n }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m}e${e}`),
      fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 19n }), fc.integer({ min: 0, max: 25 })).map(([m, k]) => {
        const s = m.toString().padStart(k + 1, '0');
        return `${s.slice(0, s.length - k)}.${s.slice(s.length - k)}`;
      }),
      fc.constantFrom('NaN', 'Infinity', '-Infinity', '-0', '01', '+1', '.5', '1.', '1e', '1E+2', '-', 'null', 'true', 'false', 'nul', 'True'),
      fc.constantFrom('"val"', '"train"', '"0:00:10"', '"a\\"b"', '"ü"', '""', '{"a": 1}', '[1, 2]', '{}', '"\t"'),
    );
    const ws = fc.constantFrom('', ' ', '  ', '\t', '\r');
    const obj = fc.array(fc.tuple(key, ws, value, ws), { maxLength: 8 }).map((kv) => `{${kv.map(([k, w, v, w2]) => `"${k}"${w}:${w2}${v}`).join(', ')}}`);
    const line = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(ws, obj, ws).map(([a, o, b]) => a + o + b) },
      { weight: 1, arbitrary: fc.constantFrom('', ' ', 'not json', '{"a": 1', '{"a": 1}}', '{"a": 1,}', '[1]', '{"a": 1} x', '\u0001{"a": 2}', '{"a":1}\r') },
    );
    fc.assert(
      fc.property(fc.constantFrom(...FORMATS), fc.array(line, { maxLength: 20 }), (fmt, lines) => {
        const r = bothPaths(fmt, lines);
        same(r.bytes, r.strings, `${fmt.id} ${JSON.stringify(lines)}`);
        assert.deepEqual(r.mb, r.ms, `${fmt.id} messages`);
      }),
      { numRuns: 3000 },
    );
  });

  it('detectron2 restarts: the same launch messages on both paths', () => {
    const lines = [0, 19, 39, 19, 39, 59, 0].map((it) => `{"iteration": ${it}, "total_loss": ${1 / (it + 1)}, "lr": 0.02}`);
    const r = bothPaths(detectron2Json, lines);
    same(r.bytes, r.strings, 'detectron2');
    assert.equal(r.mb.length, 2);
    assert.deepEqual(r.mb, r.ms);
  });
});
