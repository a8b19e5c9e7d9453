import * as assert from 'node:assert/strict';
import { SCENARIO_IDS, type Finding, type RuleId, type ScenarioId, type Severity } from '../../../src/core/types';
import { judge, negativeTargets, parseTarget, type CaseLabel } from '../../eval/expectations';

function finding(scenario: ScenarioId, rule: RuleId, severity: Severity, evidence: Finding['evidence'] = {}): Finding {
  return { scenario, rule, severity, message: `${rule} message`, file: 'x.log', line: 1, evidence };
}

function label(part: Partial<CaseLabel>): CaseLabel {
  return { id: 'test/case', source: 'recipes', paths: [], positives: [], negatives: [], ...part };
}

describe('eval judge: what counts as caught, missed, false and a wrong hint', () => {
  it('expands * to every scenario except the positive and unasserted ones', () => {
    const scenarios = negativeTargets(label({ positives: [{ finding: 'fine-tuning' }], negatives: ['*'], unasserted: ['large-batch'] })).map((t) => t.scenario);
    // Every scenario of the knowledge base but the two named.
    assert.equal(scenarios.length, SCENARIO_IDS.length - 2);
    assert.ok(!scenarios.includes('fine-tuning'));
    assert.ok(!scenarios.includes('large-batch'));
    assert.ok(scenarios.includes('divergence'));
  });

  it('refuses a target naming an unknown scenario', () => {
    assert.throws(() => parseTarget('overfitting/overfitting-plateau'), /unknown scenario/);
  });

  it('counts a shown finding of a negative scenario as false, and a hint apart', () => {
    const o = judge(label({ negatives: ['*'] }), [finding('fine-tuning', 'finetune-lr-high', 'warning'), finding('early-stopping', 'no-early-stopping', 'hint')]);
    assert.deepEqual(
      o.falseWarnings.map((w) => w.finding.rule),
      ['finetune-lr-high'],
    );
    assert.deepEqual(
      o.wrongHints.map((w) => w.finding.rule),
      ['no-early-stopping'],
    );
  });

  it('a rule-level negative leaves the scenario\'s other rules alone', () => {
    const o = judge(label({ negatives: ['divergence/nonfinite'] }), [finding('divergence', 'loss-spike', 'information')]);
    assert.equal(o.falseWarnings.length, 0);
  });

  it('information counts as shown (it is listed in Problems): it catches a positive and breaks a negative', () => {
    const caught = judge(label({ positives: [{ finding: 'lr-schedule/lr-step-drop' }] }), [finding('lr-schedule', 'lr-step-drop', 'information')]);
    assert.equal(caught.caught.length, 1);
    const wrong = judge(label({ negatives: ['lr-schedule'] }), [finding('lr-schedule', 'lr-step-scheduler', 'information')]);
    assert.equal(wrong.falseWarnings.length, 1);
  });

  it('a hint does not catch a positive', () => {
    const o = judge(label({ positives: [{ finding: 'early-stopping' }] }), [finding('early-stopping', 'no-early-stopping', 'hint')]);
    assert.equal(o.missed.length, 1);
  });

  it('a located positive needs every listed value, unless match is any', () => {
    const drops = [4, 8].map((epoch) => finding('lr-schedule', 'lr-step-drop', 'information', { epoch }));
    const all = label({ positives: [{ finding: 'lr-schedule/lr-step-drop', at: { evidence: ['epoch'], values: [4, 8, 13] } }] });
    const o = judge(all, drops);
    assert.equal(o.caught.length, 0);
    assert.equal(o.missed[0].elsewhere.length, 2, 'the drops that were found are reported with the miss');
    const any = label({ positives: [{ finding: 'lr-schedule/lr-step-drop', at: { evidence: ['epoch'], values: [4, 13], match: 'any' } }] });
    assert.equal(judge(any, drops).caught.length, 1);
  });

  it('a located positive accepts any of the evidence keys, and not a null one', () => {
    const e = { finding: 'early-stopping/overfitting-plateau', at: { evidence: ['bestEpoch', 'bestStep'], values: [42] } };
    assert.equal(judge(label({ positives: [e] }), [finding('early-stopping', 'overfitting-plateau', 'warning', { bestEpoch: null, bestStep: 42 })]).caught.length, 1);
    assert.equal(judge(label({ positives: [e] }), [finding('early-stopping', 'overfitting-plateau', 'warning', { bestEpoch: null, bestStep: 43 })]).caught.length, 0);
  });

  it('a positive louder than its maxSeverity is caught and also counted as a false warning', () => {
    const e = { finding: 'divergence/nonfinite', maxSeverity: 'information' as const };
    const quiet = judge(label({ positives: [e] }), [finding('divergence', 'nonfinite', 'information')]);
    assert.equal(quiet.caught.length, 1);
    assert.equal(quiet.falseWarnings.length, 0);
    const loud = judge(label({ positives: [e] }), [finding('divergence', 'nonfinite', 'error')]);
    assert.equal(loud.caught.length, 1);
    assert.equal(loud.falseWarnings.length, 1);
  });

  it('a finding breaking two negatives is one false warning', () => {
    const o = judge(label({ negatives: ['*', 'fine-tuning/finetune-lr-high'] }), [finding('fine-tuning', 'finetune-lr-high', 'warning')]);
    assert.equal(o.falseWarnings.length, 1);
  });
});
