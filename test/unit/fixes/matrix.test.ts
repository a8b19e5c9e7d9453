import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, setNumber, type TextEdit } from '../../../src/core/config/edits';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { addEarlyStopping, addGradClip, addWarmup, enableEma, freezeBackbone, replaceScheduler, setSweepRandom } from '../../../src/core/fixes/builders';
import { editProblems } from '../../../src/core/fixes/validate-edit';
import { frameworkOf } from '../../../src/core/frameworks';
import { readConfig } from '../../../src/core/config/read-config';
import { REAL_LOGS, skipWithoutRealLogs } from '../../helpers/paths';
import { FIXTURES, readFixture } from '../config/helpers';

const KINDS: Record<string, (cfg: TrainingConfig, text: string) => TextEdit[]> = {
  cosine: (c, t) => replaceScheduler(c, t, 'cosine'),
  warmup: (c, t) => addWarmup(c, t),
  gradClip: (c, t) => addGradClip(c, t),
  earlyStopping: (c, t) => addEarlyStopping(c, t),
  ema: (c, t) => enableEma(c, t),
  randomSearch: (c, t) => setSweepRandom(c, t, 40),
  freezeBackbone: (c, t) => freezeBackbone(c, t),
  lr: (c, t) => (c.lr ? setNumber(c, t, c.lr, Number((c.lr.value / 10).toPrecision(3))) : []),
};

/**
 * Edits a builder writes that the framework's validator refuses, each for a reason the validator
 * states; the policy never offers them (fixes/policy.ts `works`).
 */
const REFUSED: Record<string, RegExp> = {
  'lightning-cli/config.yaml freezeBackbone': /BackboneFinetuning needs a model with a backbone attribute/,
  'lightning-cli/config_onecycle.yaml freezeBackbone': /BackboneFinetuning needs a model with a backbone attribute/,
  'lightning-cli/config_no_scheduler.yaml freezeBackbone': /BackboneFinetuning needs a model with a backbone attribute/,
};

function fixtures(): string[] {
  const out: string[] = [];
  for (const dir of fs.readdirSync(FIXTURES)) {
    if (dir === 'not-config') continue;
    for (const f of fs.readdirSync(path.join(FIXTURES, dir))) out.push(`${dir}/${f}`);
  }
  return out;
}

/** Applies each fix kind the config's framework writes; returns the kinds written. */
function checkAll(rel: string, cfg: TrainingConfig, text: string): string[] {
  const built: string[] = [];
  for (const [kind, build] of Object.entries(KINDS)) {
    const edits = build(cfg, text);
    if (edits.length === 0) continue;
    built.push(kind);
    const problems = editProblems(cfg, text, applyEdits(text, edits));
    const refused = REFUSED[`${rel} ${kind}`];
    if (refused) assert.ok(problems.some((p) => refused.test(p)), `${kind}: ${JSON.stringify(problems)}`);
    else assert.deepEqual(problems, [], `${frameworkOf(cfg).id} ${kind}`);
  }
  return built;
}

/** Config files among the real runs (logs and metric files are not). */
function realConfigs(): string[] {
  if (!fs.existsSync(REAL_LOGS)) return [];
  const out: string[] = [];
  for (const run of fs.readdirSync(REAL_LOGS)) {
    const dir = path.join(REAL_LOGS, run);
    if (!fs.statSync(dir).isDirectory()) continue;
    const walk = (d: string): void => {
      for (const f of fs.readdirSync(d)) {
        const p = path.join(d, f);
        if (fs.statSync(p).isDirectory()) walk(p);
        else if (/\.(ya?ml|json)$/.test(f)) out.push(path.relative(REAL_LOGS, p));
      }
    };
    walk(dir);
  }
  return out;
}

describe('fixes: every fix kind on every real config passes its framework validator', function () {
  before(function () {
    skipWithoutRealLogs(this);
  });
  it('each config of ../shared/real-logs', () => {
    let configs = 0;
    for (const rel of realConfigs()) {
      const file = path.join(REAL_LOGS, rel);
      const text = fs.readFileSync(file, 'utf8');
      const cfg = readConfig(file, text);
      if (!cfg) continue;
      configs++;
      checkAll(rel, cfg, text);
    }
    assert.ok(configs >= 8, `${configs} real configs`);
  });
});

describe('fixes: every fix kind on every config fixture passes its framework validator', () => {
  for (const rel of fixtures()) {
    it(rel, () => {
      const { cfg, text } = readFixture(rel);
      const built = checkAll(rel, cfg, text);
      // Search spaces read as data (Optuna/Ray) and hand-written files may offer nothing; the others do.
      if (!['plain', 'hydra-optuna'].includes(frameworkOf(cfg).id)) assert.ok(built.length > 0, `some fix is written for ${rel}`);
    });
  }
});
