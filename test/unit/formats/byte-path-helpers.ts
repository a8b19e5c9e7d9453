/** Shared by the byte-path tests: read a file through LogFile, compare points, list files. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogFile } from '../../../src/core/logfile';
import type { MetricEvent } from '../../../src/core/types';

/** Every point of `file` through LogFile's byte path, in small odd-sized chunks (997 bytes by default). */
export async function viaFile(file: string, chunkSize = 997): Promise<{ format?: string; events: MetricEvent[] }> {
  const lf = new LogFile(file, { chunkSize, budget: 1 << 30 });
  const out: MetricEvent[] = [];
  for (let i = 0; i < 100_000; i++) {
    const up = await lf.poll();
    out.push(...up.events);
    if (!up.more) return { format: lf.format, events: out };
  }
  throw new Error('LogFile did not finish');
}

/** The two point lists are equal point by point (NaN, -0 and undefined compared exactly). */
export function same(a: readonly MetricEvent[], b: readonly MetricEvent[], what: string): void {
  assert.equal(a.length, b.length, `${what}: ${a.length} vs ${b.length} points`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    const ok =
      x.name === y.name &&
      x.rawName === y.rawName &&
      Object.is(x.value, y.value) &&
      Object.is(x.step, y.step) &&
      Object.is(x.epoch, y.epoch) &&
      x.line === y.line;
    assert.ok(ok, `${what} point ${i}: ${JSON.stringify([x, y], (_k, v) => (typeof v === 'number' ? String(v) : v))}`);
  }
}

/** Files under `dir` (recursively) whose base name matches `name`. */
export function filesUnder(dir: string, name: RegExp, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, name, out);
    else if (name.test(e.name)) out.push(p);
  }
  return out;
}
