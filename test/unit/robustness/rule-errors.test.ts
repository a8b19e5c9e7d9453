/**
 * A rule that throws costs its own findings only: the registry catches it, returns the error beside
 * the other rules' findings, and goes on. Tested through runRules/configRules/groupRules with injected
 * rules (the registry takes the rule list as a parameter), and with every real rule plus a throwing
 * one on a real diverging run, so the real rules' findings are exactly those of a run without it.
 * (The server logs each distinct rule error once: src/server/server.ts publishNow, `loggedErrors`;
 * no log is known that makes a shipped rule throw, so the server-level proof stays this unit one.)
 */
import { strict as assert } from 'node:assert';
import { readConfig } from '../../../src/core/config/read-config';
import { configRules, groupRules, RULES, runRules } from '../../../src/core/rules/registry';
import type { Rule, RunContext } from '../../../src/core/rules/rule';
import { Run } from '../../../src/core/run/run';
import type { Finding, MetricEvent, RuleId } from '../../../src/core/types';

/** Injected rules carry ids outside the registry's union, so that their findings cannot be mistaken for a real rule's. */
const fakeId = (id: string): RuleId => id as RuleId;

function finding(rule: string, line: number): Finding {
  return { scenario: 'divergence', rule: fakeId(rule), severity: 'warning', message: rule, file: '/r/train.log', line, evidence: {} } as Finding;
}

const good: Rule = {
  id: fakeId('good'),
  scenario: 'divergence',
  defaultSeverity: 'warning',
  defaults: {},
  checkRun: () => [finding('good', 2)],
  checkConfig: () => [finding('good', 1)],
  checkGroup: () => [finding('good', 3)],
};
const thrower = (id: string, what: unknown): Rule => ({
  id: fakeId(id),
  scenario: 'divergence',
  defaultSeverity: 'error',
  defaults: {},
  checkRun: () => {
    throw what;
  },
  checkConfig: () => {
    throw what;
  },
  checkGroup: () => {
    throw what;
  },
});

function divergedRun(): RunContext {
  const run = new Run('r');
  const ev: MetricEvent[] = [];
  for (let e = 0; e < 20; e++) {
    ev.push({ name: 'train_loss', rawName: 'loss', value: e >= 12 ? NaN : 2 / (e + 1), epoch: e, line: e + 1 });
    ev.push({ name: 'val_loss', rawName: 'val_loss', value: 2.1 / (e + 1), epoch: e, line: e + 1 });
  }
  run.append('/r/train.log', ev);
  return { run, logFile: '/r/train.log' };
}

describe('robustness: a throwing rule is dropped, the others go on', () => {
  it('runRules, configRules and groupRules keep the good findings and return one error per throwing rule', () => {
    const rules = [thrower('boom', new Error('index out of range')), good, thrower('weird', 'a string, not an Error'), thrower('nothing', undefined)];
    const ctx = divergedRun();
    const cfg = readConfig('/r/config.yaml', 'lr: 0.1\nbatch_size: 32\nepochs: 3\n');
    assert.ok(cfg);
    for (const r of [runRules(ctx, undefined, rules), configRules(cfg, undefined, rules), groupRules({ runs: [ctx, ctx] }, undefined, rules)]) {
      assert.deepEqual(
        r.findings.map((f) => f.rule),
        ['good'],
      );
      assert.deepEqual(r.errors, [
        { rule: 'boom', message: 'index out of range' },
        { rule: 'weird', message: 'a string, not an Error' },
        { rule: 'nothing', message: 'undefined' },
      ]);
    }
  });

  it('with every shipped rule, one throwing rule changes nothing else', () => {
    const ctx = divergedRun();
    const clean = runRules(ctx);
    assert.deepEqual(clean.errors, [], 'no shipped rule throws on this run');
    assert.ok(clean.findings.some((f) => f.scenario === 'divergence'), 'the diverged run is flagged');
    const mid = Math.floor(RULES.length / 2);
    const withBad = runRules(ctx, undefined, [...RULES.slice(0, mid), thrower('bad', new TypeError("Cannot read properties of undefined (reading 'value')")), ...RULES.slice(mid)]);
    assert.deepEqual(withBad.findings, clean.findings);
    assert.deepEqual(withBad.errors, [{ rule: 'bad', message: "Cannot read properties of undefined (reading 'value')" }]);
  });

  it('a rule that returns undefined or an empty list is fine', () => {
    const quiet: Rule = { ...good, id: fakeId('quiet'), checkRun: () => undefined as unknown as Finding[] };
    const r = runRules(divergedRun(), undefined, [quiet, good]);
    assert.deepEqual(r.errors, []);
    assert.equal(r.findings.length, 1);
  });
});
