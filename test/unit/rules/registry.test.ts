import * as assert from 'node:assert/strict';
import { configRules, groupRules, RULES, runRules, thresholdsFor } from '../../../src/core/rules/registry';
import type { Rule } from '../../../src/core/rules/rule';
import { RULE_IDS, SCENARIO_IDS, type RuleId } from '../../../src/core/types';
import { config, ctxOf, epochs, setting } from './helpers';

describe('rule registry', () => {
  it('covers every scenario, with unique ids and documented defaults', () => {
    const ids = RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const s of SCENARIO_IDS) assert.ok(RULES.some((r) => r.scenario === s), `a rule for ${s}`);
    // The union names every registered rule, and every id of the union is registered.
    assert.deepEqual([...ids].sort(), [...RULE_IDS].sort());
  });

  it('a rule that throws does not stop the others', () => {
    const boom: Rule = {
      id: 'boom' as RuleId, // injected, outside the registry
      scenario: 'divergence',
      defaultSeverity: 'error',
      defaults: {},
      checkRun: () => {
        throw new Error('bad');
      },
      checkConfig: () => {
        throw new Error('bad config');
      },
      checkGroup: () => {
        throw new Error('bad group');
      },
    };
    const ctx = ctxOf(epochs(20, (e) => ({ lr: e < 10 ? 0.1 : 0.01 })));
    const r = runRules(ctx, undefined, [boom, ...RULES]);
    assert.deepEqual(r.errors, [{ rule: 'boom', message: 'bad' }]);
    assert.ok(r.findings.some((f) => f.rule === 'lr-step-drop'));
    const c = configRules(config({ epochs: setting(50, 'epochs') }), undefined, [boom, ...RULES]);
    assert.deepEqual(c.errors, [{ rule: 'boom', message: 'bad config' }]);
    assert.ok(c.findings.some((f) => f.rule === 'no-early-stopping'));
    assert.deepEqual(groupRules({ runs: [] }, undefined, [boom]).errors, [{ rule: 'boom', message: 'bad group' }]);
  });

  it('thresholds: `rule.key` overrides one rule, a bare key every rule that has it', () => {
    const r = RULES.find((x) => x.id === 'overfitting-plateau')!;
    assert.equal(thresholdsFor(r).patience, 5);
    assert.equal(thresholdsFor(r, { patience: 3 }).patience, 3);
    assert.equal(thresholdsFor(r, { 'overfitting-plateau.patience': 7, patience: 3 }).patience, 7);
    assert.equal(thresholdsFor(r, { 'other.patience': 7 }).patience, 5);
    assert.equal(thresholdsFor(r, { unknownKey: 1 }).unknownKey, undefined);
  });

  it('bare-key overrides change the outcome (dropRatio)', () => {
    const ctx = ctxOf(epochs(20, (e) => ({ lr: e < 10 ? 0.1 : 0.06 })));
    assert.equal(runRules(ctx).findings.filter((f) => f.rule === 'lr-step-drop').length, 0);
    assert.equal(runRules(ctx, { dropRatio: 0.7 }).findings.filter((f) => f.rule === 'lr-step-drop').length, 1);
  });

  it('findings are sorted by file then line', () => {
    const ctx = ctxOf(epochs(30, (e) => ({ lr: e < 10 ? 0.1 : e < 20 ? 0.01 : 0.001 })));
    const lines = runRules(ctx).findings.map((f) => f.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
  });
});
