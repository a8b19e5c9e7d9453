import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { ScenarioId } from '../../../src/core/types';
import { explain } from '../../../src/server/features/explain';
import { EXAMPLES } from '../../helpers/paths';
import { contextOf, uri, withoutLightningCsv, workspaceOf, type TestContext } from './feature-context';

const ROOT = path.join(EXAMPLES, 'runs');

describe('explain feature (in-process)', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = contextOf(await workspaceOf([path.join(ROOT, 'step-decay'), path.join(ROOT, 'seeds')], withoutLightningCsv), [ROOT]);
  });

  it('opened from a finding: that finding, its file as the user knows it, and its run', () => {
    const log = path.join(ROOT, 'step-decay', 'output.log');
    const finding = ctx.workspace.findings().filter((f) => f.file === log && f.scenario === 'lr-schedule')[1];
    assert.ok(finding, 'the step-decay log holds a second lr drop');
    const r = explain(ctx, { scenario: 'lr-schedule', uri: uri(log), line: finding.line - 1 });
    assert.ok(r);
    assert.equal(r.scenario.id, 'lr-schedule');
    assert.equal(r.finding?.line, finding.line);
    assert.equal(r.findingLabel, path.join('step-decay', 'output.log'));
    assert.ok(r.run?.files.includes(log));
    assert.equal(r.group, undefined);
  });

  it('for an ensemble finding, every sibling run of the group to overlay', () => {
    const seeds = fs.readdirSync(path.join(ROOT, 'seeds')).map((d) => path.join(ROOT, 'seeds', d, 'output.log'));
    const finding = ctx.workspace.findings().find((f) => f.scenario === 'ensemble');
    assert.ok(finding, 'the seeds example holds an ensemble finding');
    const r = explain(ctx, { scenario: 'ensemble', uri: uri(finding.file), line: finding.line - 1 });
    assert.deepEqual(r?.group?.map((g) => g.files).flat().sort(), seeds.sort());
  });

  it('without a finding: the scenario alone; an unknown scenario: null', () => {
    const r = explain(ctx, { scenario: 'divergence' });
    assert.equal(r?.scenario.id, 'divergence');
    assert.equal(r?.finding, undefined);
    assert.equal(r?.run, undefined);
    assert.equal(explain(ctx, { scenario: 'no-such-scenario' as ScenarioId }), null);
    assert.equal(explain(ctx, { scenario: '__proto__' as ScenarioId }), null);
  });
});
