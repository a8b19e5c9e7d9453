/**
 * The `traindx.rules` settings, from the user's JSON through normaliseSettings and analyzerOptions to
 * the findings an analysis returns, on the example run step-decay (examples/labels.json: StepLR drops
 * the LR 0.1 → 0.01 → 0.001, a positive of lr-schedule; its config schedules them with a StepLR). Each
 * case is checked against the same analysis without settings, so a setting that is dropped, or
 * applied the wrong way round, changes what the assertion sees.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzerOptions, DEFAULT_SETTINGS, normaliseSettings } from '../../../src/server/settings';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import type { Finding } from '../../../src/core/types';
import { EXAMPLES } from '../../helpers/paths';

// A step-decay run (lr-schedule findings) and an overfitting one (early-stopping), so that switching one
// scenario off can be seen to leave the other.
const RUNS = [path.join(EXAMPLES, 'runs', 'step-decay'), path.join(EXAMPLES, 'runs', 'overfit')];

/** The runs' logs and configs, read as the server reads them, under the user's raw `traindx` settings. */
async function findingsUnder(raw: unknown): Promise<Finding[]> {
  const ws = new AnalysisWorkspace(analyzerOptions(normaliseSettings(raw)));
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  for (const run of RUNS) walk(run);
  for (const f of files) if (AnalysisWorkspace.isConfig(f)) ws.setConfigText(f, fs.readFileSync(f, 'utf8'));
  for (const f of files) if (!AnalysisWorkspace.isConfig(f) && AnalysisWorkspace.isLog(f)) await ws.updateLog(f);
  return ws.findings();
}

const ofRule = (list: Finding[], rule: string) => list.filter((f) => f.rule === rule);

describe('settings: traindx.rules through to the findings', function () {
  this.timeout(60_000);
  let plain: Finding[];
  before(async () => {
    plain = await findingsUnder(undefined);
  });

  it('without settings, the labelled step decays are found (lr-step-drop in both logs) and lr-step-scheduler on the config', () => {
    const drops = ofRule(plain, 'lr-step-drop');
    assert.ok(drops.some((f) => f.file.endsWith('output.log') || (f.related ?? []).some((r) => r.file.endsWith('output.log'))), 'a drop in output.log (its own finding or a related location)');
    assert.ok(drops.some((f) => f.file.endsWith('metrics.csv')), 'a drop in metrics.csv');
    assert.ok(drops.every((f) => f.severity !== 'error'), 'a step decay is not an error by default');
    assert.equal(ofRule(plain, 'lr-step-scheduler').length, 1);
  });

  it('enabled: false on a rule id removes that rule only', async () => {
    const got = await findingsUnder({ rules: { 'lr-step-drop': { enabled: false } } });
    assert.deepEqual(ofRule(got, 'lr-step-drop'), []);
    assert.deepEqual(
      got.map((f) => `${f.rule}:${f.line}`),
      plain.filter((f) => f.rule !== 'lr-step-drop').map((f) => `${f.rule}:${f.line}`),
    );
  });

  it('enabled: false on a scenario id removes every rule of the scenario', async () => {
    const got = await findingsUnder({ rules: { 'lr-schedule': { enabled: false } } });
    assert.deepEqual(
      got.filter((f) => f.scenario === 'lr-schedule'),
      [],
    );
    assert.ok(got.some((f) => f.scenario === 'early-stopping'), 'other scenarios stay');
  });

  it('enabled: true, or a value that is not a boolean, keeps the rule', async () => {
    for (const enabled of [true, 'false', 0]) {
      const got = await findingsUnder({ rules: { 'lr-step-drop': { enabled } } });
      assert.equal(ofRule(got, 'lr-step-drop').length, ofRule(plain, 'lr-step-drop').length, `enabled: ${JSON.stringify(enabled)}`);
    }
  });

  it('severity on a rule id sets the severity of that rule\'s findings only', async () => {
    const got = await findingsUnder({ rules: { 'lr-step-drop': { severity: 'error' } } });
    const drops = ofRule(got, 'lr-step-drop');
    assert.equal(drops.length, ofRule(plain, 'lr-step-drop').length);
    assert.deepEqual(new Set(drops.map((f) => f.severity)), new Set(['error']));
    assert.deepEqual(
      got.filter((f) => f.rule !== 'lr-step-drop').map((f) => f.severity),
      plain.filter((f) => f.rule !== 'lr-step-drop').map((f) => f.severity),
    );
  });

  it('severity on a scenario id applies to each of its rules; a rule id wins over its scenario', async () => {
    const got = await findingsUnder({ rules: { 'lr-schedule': { severity: 'hint' }, 'lr-step-scheduler': { severity: 'error' } } });
    assert.deepEqual(new Set(ofRule(got, 'lr-step-drop').map((f) => f.severity)), new Set(['hint']));
    assert.deepEqual(ofRule(got, 'lr-step-scheduler').map((f) => f.severity), ['error']);
  });

  it('an unknown severity is ignored', async () => {
    const got = await findingsUnder({ rules: { 'lr-step-drop': { severity: 'fatal' } } });
    assert.deepEqual(
      got.map((f) => f.severity),
      plain.map((f) => f.severity),
    );
  });

  it('normaliseSettings keeps well-typed values and falls back to the defaults otherwise', () => {
    assert.deepEqual(normaliseSettings(undefined), DEFAULT_SETTINGS);
    const s = normaliseSettings({
      enable: false,
      thresholds: { 'update-ratio.hiWarn': 0.02, bad: 'x', inf: Infinity },
      rules: { a: { enabled: false, severity: 'hint' }, b: 'on', c: { severity: 'loud' } },
      watch: { enabled: false, maxFiles: 10.7, exclude: ['**/old/**', 3] },
    });
    assert.deepEqual(s, {
      enable: false,
      thresholds: { 'update-ratio.hiWarn': 0.02 },
      rules: { a: { enabled: false, severity: 'hint' }, c: { enabled: undefined, severity: undefined } },
      watch: { enabled: false, maxFiles: 10, exclude: ['**/old/**'] },
    });
    assert.equal(normaliseSettings({ watch: { maxFiles: -5 } }).watch.maxFiles, 20_000);
  });

  it('analyzerOptions lists disabled rules and severity overrides, nothing for rules left alone', () => {
    const o = analyzerOptions(normaliseSettings({ rules: { a: { enabled: false }, b: { severity: 'hint' }, c: { enabled: true } } }));
    assert.deepEqual(o.disabled, ['a']);
    assert.deepEqual(o.severity, { b: 'hint' });
  });
});
