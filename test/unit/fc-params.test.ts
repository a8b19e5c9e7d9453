/**
 * test/helpers/fc.ts: a failing property names its seed and path with the command that replays it,
 * FC_SEED / FC_PATH replay exactly that counterexample, FUZZ_RUNS sets a fuzzer's number of runs.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { fcParams } from '../helpers/fc';

/** Runs `f` with some environment variables set, then puts them back. */
function withEnv<T>(vars: Record<string, string | undefined>, f: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const put = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  put(vars);
  try {
    return f();
  } finally {
    put(saved);
  }
}

const NO_ENV = { FC_SEED: undefined, FC_PATH: undefined, FUZZ_RUNS: undefined };

describe('fast-check parameters (test/helpers/fc.ts)', () => {
  it('a failure names seed and path and the replay command; FC_SEED + FC_PATH run that counterexample first', () => {
    const failing = (seen: number[]) => fc.property(fc.integer({ min: 0, max: 1000 }), (x) => {
      seen.push(x);
      return x < 500;
    });
    let message = '';
    withEnv({ ...NO_ENV, FC_SEED: '12345' }, () => {
      try {
        fc.assert(failing([]), fcParams(200));
      } catch (e) {
        message = (e as Error).message;
      }
    });
    const m = /replay with FC_SEED=(-?\d+) FC_PATH=(\S+) npx mocha/.exec(message);
    assert.ok(m, message);
    assert.equal(m[1], '12345');
    assert.match(message, /seed 12345, path \S+\)/);
    // The shrunk counterexample is 500 (the least failing value); replaying its path starts with it.
    assert.match(message, /Counterexample: \[500\]/);
    const seen: number[] = [];
    withEnv({ ...NO_ENV, FC_SEED: m[1], FC_PATH: m[2] }, () => {
      assert.throws(() => fc.assert(failing(seen), fcParams(200)));
    });
    assert.equal(seen[0], 500);
  });

  it('a passing property throws nothing', () => {
    withEnv(NO_ENV, () => fc.assert(fc.property(fc.nat(), (x) => x >= 0), fcParams(20)));
  });

  it('FUZZ_RUNS sets the runs of a fuzzer (scaled by its share, at least its minimum), not of other properties', () => {
    const count = (params: fc.Parameters<[number]>): number => {
      let n = 0;
      fc.assert(
        fc.property(fc.nat(), (_x: number) => {
          n++;
        }),
        params,
      );
      return n;
    };
    withEnv({ ...NO_ENV, FUZZ_RUNS: '37' }, () => {
      assert.equal(count(fcParams(200, { fuzz: true })), 37);
      assert.equal(count(fcParams(200, { fuzz: true, share: 0.1, minRuns: 2 })), 3);
      assert.equal(count(fcParams(200, { fuzz: true, share: 0.01, minRuns: 2 })), 2);
      assert.equal(count(fcParams(11)), 11);
    });
    withEnv(NO_ENV, () => assert.equal(count(fcParams(15, { fuzz: true })), 15));
  });

  it('a seed that is not an integer is refused, not silently ignored', () => {
    withEnv({ ...NO_ENV, FC_SEED: 'abc' }, () => assert.throws(() => fcParams(10), /FC_SEED=abc is not an integer/));
  });
});
