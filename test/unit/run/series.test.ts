import * as assert from 'assert';
import { Series } from '../../../src/core/run/series';
import { Run } from '../../../src/core/run/run';

/** xorshift32 in [0, 1). */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

interface Ref {
  v: number[];
  s: number[];
  e: number[];
  l: number[];
  f: number[];
}

function check(s: Series, ref: Ref, what: string): void {
  assert.strictEqual(s.length, ref.v.length, `${what}: length`);
  for (let i = 0; i < ref.v.length; i++) {
    const at = `${what} at ${i}`;
    assert.ok(Object.is(s.value(i), ref.v[i]), `${at}: value ${s.value(i)} vs ${ref.v[i]}`);
    assert.ok(Object.is(s.step(i), ref.s[i]), `${at}: step ${s.step(i)} vs ${ref.s[i]}`);
    assert.ok(Object.is(s.epoch(i), ref.e[i]), `${at}: epoch ${s.epoch(i)} vs ${ref.e[i]}`);
    assert.ok(Object.is(s.line(i), ref.l[i]), `${at}: line ${s.line(i)} vs ${ref.l[i]}`);
    assert.ok(Object.is(s.fileIndex(i), ref.f[i]), `${at}: file ${s.fileIndex(i)} vs ${ref.f[i]}`);
  }
}

/** Attribute generators: what logs write as steps/epochs (constant, counting, sparse, jumps, odd doubles). */
const PATTERNS: ((i: number, r: () => number) => number)[] = [
  () => NaN,
  () => 7,
  (i) => i,
  (i) => 10 * i + 3,
  (i) => Math.floor(i / 1000),
  (i) => Math.floor(i / 37) + 1,
  (i) => i + Math.floor(i / 5),
  (i, r) => (r() < 0.01 ? NaN : i * 2),
  (i) => (i % 300 === 299 ? 1e6 + i : i),
  (i) => (i % 5000 === 4999 ? 1e12 + i : i),
  (i) => (i % 4096 === 4000 ? 2 ** 40 : i),
  (i) => Math.round(((i + 1) / 317) * 100) / 100,
  (i) => (i < 50 ? -i : i),
  (i) => (i === 3 ? -0 : i % 2 === 0 ? 0 : 1),
  (i) => (i % 9 === 0 ? Infinity : i),
  (_i, r) => r(),
  (i) => 2 ** 53 + 2 * i,
  (i) => 1 - i,
  (_i, r) => Math.floor(r() * 200),
  (_i, r) => Math.floor(r() * 60000) - 30000,
];

describe('run: Series (chunked, packed step/epoch/line/file)', () => {
  it('gives back exactly what was pushed, for every attribute pattern and lengths across chunks', () => {
    const r = rng(7);
    for (let p = 0; p < PATTERNS.length; p++) {
      for (const n of [0, 1, 2, 3, 15, 16, 17, 4095, 4096, 4097, 9000]) {
        const s = new Series('x');
        const ref: Ref = { v: [], s: [], e: [], l: [], f: [] };
        const q = PATTERNS[(p * 7 + 3) % PATTERNS.length];
        for (let i = 0; i < n; i++) {
          const v = i % 11 === 5 ? NaN : r() * 10 - 2;
          const st = PATTERNS[p](i, r);
          const ep = q(i, r);
          const line = 1 + i * 2 + (i % 3 === 0 ? 1 : 0) + (p % 4 === 0 && i > 100 ? 100000 : 0);
          const f = p % 3 === 0 ? Math.floor(i / 3000) : 0;
          s.push(v, st, ep, line, f);
          ref.v.push(v);
          ref.s.push(st);
          ref.e.push(ep);
          ref.l.push(line);
          ref.f.push(f);
        }
        check(s, ref, `pattern ${p}, n ${n}`);
        const copy = s.values();
        assert.strictEqual(copy.length, n);
        for (let i = 0; i < n; i++) assert.ok(Object.is(copy[i], ref.v[i]));
        const steps = s.steps();
        for (let i = 0; i < n; i++) assert.ok(Object.is(steps[i], ref.s[i]));
        // Bulk reads of any range, across chunk edges.
        const from = Math.floor(r() * n);
        const to = from + Math.floor(r() * (n - from + 1));
        const buf = new Float64Array(to - from);
        s.stepsInto(from, to, buf);
        for (let i = from; i < to; i++) assert.ok(Object.is(buf[i - from], ref.s[i]), `stepsInto ${from}-${to} at ${i}`);
        s.epochsInto(from, to, buf);
        for (let i = from; i < to; i++) assert.ok(Object.is(buf[i - from], ref.e[i]), `epochsInto ${from}-${to} at ${i}`);
      }
    }
  });

  it('removeFile keeps the other files’ points in order', () => {
    const r = rng(3);
    const s = new Series('x');
    const ref: Ref = { v: [], s: [], e: [], l: [], f: [] };
    for (let i = 0; i < 12000; i++) {
      const f = i % 7 === 0 ? 1 : i > 6000 ? 2 : 0;
      const v = r();
      s.push(v, i, Math.floor(i / 100), i + 1, f);
      if (f !== 1) {
        ref.v.push(v);
        ref.s.push(i);
        ref.e.push(Math.floor(i / 100));
        ref.l.push(i + 1);
        ref.f.push(f);
      }
    }
    s.removeFile(1);
    check(s, ref, 'after removeFile');
    s.push(5, 1, 2, 3, 1);
    assert.strictEqual(s.length, ref.v.length + 1);
    assert.strictEqual(s.value(ref.v.length), 5);
    assert.strictEqual(s.fileIndex(ref.v.length), 1);
  });

  it('holds a long training series in well under 15 bytes per point', () => {
    const run = new Run('mem');
    const sink = run.sinkFor('metrics.csv');
    const loss = sink.column('train_loss', 'train_loss_step');
    const acc = sink.column('train_acc', 'train_acc_step');
    const lr = sink.column('lr', 'lr-AdamW');
    let line = 1;
    let n = 0;
    for (let step = 0; n < 1_000_000; step++) {
      const epoch = Math.floor(step / 2000);
      loss.push(1 / (step + 1), step, epoch, ++line);
      acc.push(1 - 1 / (step + 1), step, epoch, ++line);
      n += 2;
      if (step % 10 === 0) {
        lr.push(1e-3, step, undefined, ++line);
        n++;
      }
    }
    assert.ok(run.byteSize() / run.pointCount() < 13, `${run.byteSize() / run.pointCount()} B per point`);
  });
});
