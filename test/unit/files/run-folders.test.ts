/**
 * Run folders whose config sits beside the log under a name of its writer: W&B local run folders
 * (`files/output.log` + `files/config.yaml` with `value:` wrappers + `wandb-summary.json`, INDEX
 * entries 33 and 34) and a Lightning `hparams.yaml` beside `metrics.csv` (entry 6).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { analyzePaths } from '../../../src/core/analyze';
import { kindOf } from '../../../src/core/files/layout';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';

/** The config the workspace gives `log` when `configs` are read first. */
async function configOf(log: string, configs: readonly string[]): Promise<ReturnType<AnalysisWorkspace['configForLog']>> {
  const ws = new AnalysisWorkspace();
  for (const c of configs) ws.setConfigText(c, fs.readFileSync(c, 'utf8'));
  await ws.updateLog(log);
  return ws.configForLog(log);
}

describe('run folders: the config beside the log', function () {
  this.timeout(30_000);
  before(function () {
    skipWithoutRealLogs(this);
  });

  it('W&B (entry 33): config.yaml is output.log’s config, unwrapped from value:, ranges on the value lines', async () => {
    const files = realLog('wandb_imdb_transformer_lion_collapse', 'files');
    const cfg = await configOf(`${files}/output.log`, [`${files}/config.yaml`]);
    assert.ok(cfg);
    assert.equal(cfg.file, `${files}/config.yaml`);
    // optimizer: {desc: null, value: {bs: 4, lr: 3.0e-05, method: lion}}; epochs 10; seed 67 (INDEX).
    assert.deepEqual([cfg.lr?.value, cfg.batchSize?.value, cfg.epochs?.value, cfg.seed?.value], [3e-5, 4, 10, 67]);
    assert.equal(cfg.lr?.valueRange.startLine, 38); // `    lr: 3.0e-05`, 1-based line 39
  });

  it('W&B (entries 33, 34): wandb-summary.json is neither a config nor a log; the CLI reads the log and the config only', async () => {
    for (const run of ['wandb_imdb_transformer_lion_collapse', 'wandb_reclor_roberta_nan_loss']) {
      assert.equal(kindOf(realLog(run, 'files', 'wandb-summary.json')), undefined, run);
      const r = await analyzePaths([realLog(run)]);
      assert.deepEqual(
        r.files.map((f) => [f.path.slice(realLog(run).length + 1), f.kind]),
        [['files/config.yaml', 'config'], ['files/output.log', 'log']],
        run,
      );
    }
  });

  it('W&B (entry 34): the HF-example config.yaml gives learning rate 5e-6, 5 epochs, accumulation 24', async () => {
    const files = realLog('wandb_reclor_roberta_nan_loss', 'files');
    const cfg = await configOf(`${files}/output.log`, [`${files}/config.yaml`]);
    assert.ok(cfg);
    assert.deepEqual([cfg.lr?.value, cfg.epochs?.value, cfg.gradAccumulation?.value], [5e-6, 5, 24]);
  });

  it('Lightning (entry 6): hparams.yaml is metrics.csv’s config (batch 512, lr 0.002)', async () => {
    const dir = realLog('pl_csv_resnet18_onecycle');
    const cfg = await configOf(`${dir}/metrics.csv`, [`${dir}/hparams.yaml`]);
    assert.ok(cfg);
    assert.equal(cfg.file, `${dir}/hparams.yaml`);
    assert.deepEqual([cfg.batchSize?.value, cfg.lr?.value], [512, 0.002]);
  });
});
