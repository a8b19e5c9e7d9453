/**
 * files/layout.ts on real layouts (examples/ and ../shared/real-logs, read in place): what each file
 * is, which run a log belongs to, which folders its config is looked for in, which params folder is an
 * MLflow run's. Every expectation is read off the paths by hand (the file names and folder shapes
 * quoted in each case), not computed by the module.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzePaths } from '../../../src/core/analyze';
import { configFoldersOf, isSkippedFolder, kindOf, mlflowParamsFolderOf, runKeyOf } from '../../../src/core/files/layout';
import { EXAMPLES, REAL_LOGS, realLog, skipWithoutRealLogs } from '../../helpers/paths';

const MLFLOW_EXAMPLE = path.join(EXAMPLES, 'runs', 'update-ratio-high', 'mlruns', '0', '16209ea8ceeb4b289f3c668e97d16964');
const KERAS_TB_EXAMPLE = path.join(EXAMPLES, 'runs', 'overfit-keras-tb');

describe('file layout: what a file is, its run, its config folders', function () {
  this.timeout(60_000);

  describe('on examples/', () => {
    it('kinds: logs by name or MLflow place, configs by extension, the rest neither', () => {
      const cases: [string, string | undefined][] = [
        ['runs/step-decay/output.log', 'log'],
        ['runs/step-decay/config.yaml', 'config'],
        ['runs/step-decay/lightning_logs/version_0/metrics.csv', 'log'],
        ['runs/step-decay/lightning_logs/version_0/hparams.yaml', 'config'],
        ['runs/overfit-keras-tb/logs/train/events.out.tfevents.1767225600.digits-cpu.2417.0.v2', 'log'],
        ['runs/update-ratio-high/mlruns/0/16209ea8ceeb4b289f3c668e97d16964/metrics/train/update_ratio', 'log'],
        ['runs/update-ratio-high/mlruns/0/16209ea8ceeb4b289f3c668e97d16964/meta.yaml', 'config'],
        // An MLflow param or tag is one value per file: part of a config (params/), never a log.
        ['runs/update-ratio-high/mlruns/0/16209ea8ceeb4b289f3c668e97d16964/params/model', undefined],
        ['runs/update-ratio-high/mlruns/0/16209ea8ceeb4b289f3c668e97d16964/tags/mlflow.runName', undefined],
        ['runs/summary.json', 'config'],
        // A Python file is a config candidate by name; read-config keeps it only when it trains (src/core/python).
        ['train.py', 'config'],
        ['README.md', undefined],
      ];
      for (const [rel, kind] of cases) {
        const file = path.join(EXAMPLES, rel);
        assert.ok(fs.existsSync(file), `${rel} is in examples/`);
        assert.equal(kindOf(file), kind, rel);
      }
    });

    it('run keys: an MLflow metric → its run folder; Keras TensorBoard train/ and validation/ → the folder above; else the log', () => {
      assert.equal(runKeyOf(path.join(MLFLOW_EXAMPLE, 'metrics', 'train', 'loss')), MLFLOW_EXAMPLE);
      assert.equal(runKeyOf(path.join(MLFLOW_EXAMPLE, 'metrics', 'lr')), MLFLOW_EXAMPLE);
      const logs = path.join(KERAS_TB_EXAMPLE, 'logs');
      assert.equal(runKeyOf(path.join(logs, 'train', 'events.out.tfevents.1767225600.digits-cpu.2417.0.v2')), logs);
      assert.equal(runKeyOf(path.join(logs, 'validation', 'events.out.tfevents.1767225600.digits-cpu.2417.1.v2')), logs);
      const csv = path.join(EXAMPLES, 'runs', 'step-decay', 'lightning_logs', 'version_0', 'metrics.csv');
      assert.equal(runKeyOf(csv), csv);
    });

    it('config folders: the log folder and three above, nearest first', () => {
      const run = path.join(EXAMPLES, 'runs', 'step-decay');
      assert.deepEqual(configFoldersOf(path.join(run, 'lightning_logs', 'version_0', 'metrics.csv')), [
        path.join(run, 'lightning_logs', 'version_0'),
        path.join(run, 'lightning_logs'),
        run,
        path.join(EXAMPLES, 'runs'),
      ]);
      assert.deepEqual(configFoldersOf('/a/b.log'), ['/a', '/']);
    });

    it('params folder: an MLflow metric file\'s run has one; a TensorBoard or CSV log has none', () => {
      assert.equal(mlflowParamsFolderOf(path.join(MLFLOW_EXAMPLE, 'metrics', 'train', 'update_ratio')), path.join(MLFLOW_EXAMPLE, 'params'));
      assert.equal(mlflowParamsFolderOf(path.join(KERAS_TB_EXAMPLE, 'logs', 'train', 'events.out.tfevents.1767225600.digits-cpu.2417.0.v2')), undefined);
      assert.equal(mlflowParamsFolderOf(path.join(EXAMPLES, 'runs', 'step-decay', 'output.log')), undefined);
    });

    it('traindx check reads the MLflow example run\'s params/ folder as its config', async () => {
      const r = await analyzePaths([path.join(EXAMPLES, 'runs', 'update-ratio-high')]);
      const configs = r.files.filter((f) => f.kind === 'config').map((f) => f.path);
      assert.ok(configs.includes(path.join(MLFLOW_EXAMPLE, 'params')), configs.join('\n'));
    });
  });

  describe('on ../shared/real-logs', () => {
    before(function () {
      skipWithoutRealLogs(this);
    });

    it('kinds of the files of a few runs (INDEX.md names their writers)', () => {
      const cases: [string, string | undefined][] = [
        ['pl_csv_resnet18_onecycle/metrics.csv', 'log'],
        ['pl_csv_resnet18_onecycle/hparams.yaml', 'config'],
        ['tb_yolov5_helmet/events.out.tfevents.1671637532.gakko.30470.0', 'log'],
        ['tb_yolov5_helmet/opt.yaml', 'config'],
        ['hf_codebert_cls_gradspikes/trainer_state.json', 'log'],
        // HF's config.json is read as a possible training config (reading decides; it is a model config).
        ['hf_codebert_cls_gradspikes/config.json', 'config'],
        // `*.log.json` is both a log name and a JSON name: a log.
        ['mmcv_maskrcnn_balloon_warmup_never_ends/20230208_162410.log.json', 'log'],
        ['mmengine_mmdet_balloon_warmup_cosine/vis_data/scalars.json', 'log'],
        ['mmengine_mmdet_balloon_warmup_cosine/vis_data/config.py', 'config'],
        ['mlflow_yolov8seg_tooth/mlflow_run/metrics/lr/pg0', 'log'],
        ['mlflow_yolov8seg_tooth/mlflow_run/params/lr0', undefined],
        ['wandb_reclor_roberta_nan_loss/files/output.log', 'log'],
        ['wandb_reclor_roberta_nan_loss/files/config.yaml', 'config'],
        ['INDEX.md', undefined],
      ];
      for (const [rel, kind] of cases) {
        assert.ok(fs.existsSync(realLog(rel)), `${rel} is in real-logs`);
        assert.equal(kindOf(realLog(rel)), kind, rel);
      }
    });

    it('run keys and params folders of the MLflow run copied out of mlruns/ (metrics/ beside params/)', () => {
      const run = realLog('mlflow_yolov8seg_tooth', 'mlflow_run');
      for (const m of ['lr/pg0', 'train/box_loss', 'metrics/mAP50-95B']) {
        assert.equal(runKeyOf(path.join(run, 'metrics', m)), run, m);
        assert.equal(mlflowParamsFolderOf(path.join(run, 'metrics', m)), path.join(run, 'params'), m);
      }
    });

    it('Keras TensorBoard train/ and validation/ files are one run, with no params folder', () => {
      const run = realLog('tb_keras_xception_food101');
      const train = path.join(run, 'train', 'events.out.tfevents.1711660177.EABVSENG524DDIE.12172.1.v2');
      const val = path.join(run, 'validation', 'events.out.tfevents.1711673172.EABVSENG524DDIE.12172.2.v2');
      assert.equal(runKeyOf(train), run);
      assert.equal(runKeyOf(val), run);
      assert.equal(mlflowParamsFolderOf(train), undefined);
      assert.deepEqual(configFoldersOf(val), [path.join(run, 'validation'), run, REAL_LOGS, path.dirname(REAL_LOGS)]);
    });

    it('a params/ folder in a TensorBoard run folder is not read as an MLflow run\'s config', async () => {
      // The real Keras TensorBoard run (linked, not copied), with a params/ folder beside train/ and
      // validation/ as an MLflow run would have: its run key is that folder, yet it is no MLflow run.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-tbparams-'));
      for (const sub of ['train', 'validation']) {
        fs.mkdirSync(path.join(dir, sub));
        for (const f of fs.readdirSync(realLog('tb_keras_xception_food101', sub))) fs.symlinkSync(realLog('tb_keras_xception_food101', sub, f), path.join(dir, sub, f));
      }
      fs.mkdirSync(path.join(dir, 'params'));
      fs.writeFileSync(path.join(dir, 'params', 'lr0'), '0.5');
      fs.writeFileSync(path.join(dir, 'params', 'optimizer'), 'SGD');
      fs.writeFileSync(path.join(dir, 'params', 'epochs'), '30');
      const r = await analyzePaths([dir]);
      fs.rmSync(dir, { recursive: true, force: true });
      assert.deepEqual(
        r.files.map((f) => [path.relative(dir, f.path), f.kind]),
        [
          ['train/events.out.tfevents.1711660177.EABVSENG524DDIE.12172.1.v2', 'log'],
          ['validation/events.out.tfevents.1711673172.EABVSENG524DDIE.12172.2.v2', 'log'],
        ],
      );
    });
  });

  describe('skipped folders', () => {
    it('are the tool, environment and copy folders, by name', () => {
      for (const name of ['node_modules', '.git', '__pycache__', '.venv', 'venv', 'site-packages', '.ipynb_checkpoints', 'artifacts', 'wandb-artifacts', '.trash']) {
        assert.equal(isSkippedFolder(name), true, name);
      }
      for (const name of ['runs', 'lightning_logs', 'wandb', 'mlruns', 'outputs', 'logs', 'train', 'artifacts-old']) assert.equal(isSkippedFolder(name), false, name);
    });
  });
});
