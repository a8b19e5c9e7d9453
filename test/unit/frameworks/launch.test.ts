/**
 * Launch scripts read as configs (frameworks/launch): real scripts from public repositories (cited
 * per case), their settings with ranges on the argument and on the assignment a `$VAR` names, the
 * commands that are not training, sweeps in loops, and a script beside a log read as that log's config.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfig } from '../../../src/core/config/read-config';
import { kindOf } from '../../../src/core/files/layout';
import { frameworkOf } from '../../../src/core/frameworks';
import { analyzePaths } from '../../../src/core/analyze';
import { fixesFor } from '../../../src/core/fixes/policy';
import type { LooseEvidence } from '../../../src/core/rules/evidence';
import { EXAMPLES } from '../../helpers/paths';

/** 0-based line of `needle`'s first occurrence in `text`. */
const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

describe('launch scripts as configs', () => {
  // SsisyphusTao/Panoptic wrapper.sh @10ef4936ad8fe5e078c72c8ee5ae6cbd5f7cb193 (whole file).
  const PANOPTIC = '#! /bin/bash\nrm log.txt\ntime python -m torch.distributed.launch \\\n            --nproc_per_node=4 train.py \\\n            --lr 1e-3 >> log.txt';
  // A Lightning classification launcher (search index file 13082082121): settings in variables.
  const VARIABLES = [
    'WORK_DIR=classification', 'LR=1e-3', 'EPOCHS=10', 'BATCH_SIZE=64', 'NUM_WORKERS=32', 'NUM_FOLDS=5', 'PRECISION=16', '',
    'PROJECT=resnext50_32x4d', '', 'EXPERIMENT=${PROJECT}', 'GPUS=0,1', '', '# Add repo root to PYTHONPATH for imports',
    'export PYTHONPATH=.:${PYTHONPATH}', '', 'nohup python classification/train.py \\', '    --project=${PROJECT} \\',
    '    --work_dir=${WORK_DIR} \\', '    --experiment=${EXPERIMENT} \\', '    --batch_size=${BATCH_SIZE} \\',
    '    --num_workers=${NUM_WORKERS} \\', '    --lr=${LR} \\', '    --gpus=${GPUS} \\', '    --num_epochs=${EPOCHS} \\',
    '    --cv_folds=${NUM_FOLDS} \\', '    --accelerator=ddp \\', '    --precision=${PRECISION} \\', '    --cache_images \\',
    '    &> ${EXPERIMENT}.log 2>&1 &', '',
  ].join('\n');

  it('files named *.sh are config candidates, decided by reading', () => {
    assert.equal(kindOf('/r/run.sh'), 'config');
    assert.equal(kindOf('/r/train.sh'), 'config');
  });

  it('torch.distributed.launch before train.py: the launcher options are not the run’s, --lr is', () => {
    const cfg = readConfig('/r/wrapper.sh', PANOPTIC);
    assert.ok(cfg);
    assert.deepEqual([cfg.format, cfg.style, cfg.lr?.value, cfg.lr?.key], ['shell', 'launch-script', 1e-3, 'lr']);
    assert.equal(frameworkOf(cfg).id, 'launch');
    // The range covers `--lr 1e-3`, the value range `1e-3`.
    assert.deepEqual(cfg.lr?.range, { startLine: 4, startChar: 12, endLine: 4, endChar: 21 });
    assert.deepEqual(cfg.lr?.valueRange, { startLine: 4, startChar: 17, endLine: 4, endChar: 21 });
    assert.equal(cfg.devices, undefined); // --nproc_per_node belongs to the launcher
  });

  it('$VAR arguments read the assignment’s literal, with the value range on the assignment', () => {
    const cfg = readConfig('/r/train.sh', VARIABLES);
    assert.ok(cfg);
    assert.deepEqual([cfg.lr?.value, cfg.batchSize?.value, cfg.epochs?.value], [1e-3, 64, 10]);
    assert.equal(cfg.lr?.range.startLine, lineOf(VARIABLES, '--lr=${LR}'));
    assert.equal(cfg.lr?.valueRange.startLine, lineOf(VARIABLES, 'LR=1e-3'));
    assert.equal(cfg.epochs?.key, 'num_epochs');
  });

  it('computed values, evaluation scripts and scripts that train nothing are not read', () => {
    const computed = 'for lr in 0.1 0.01; do\n  python train.py --lr $lr --epochs $((E * 2))\ndone\n';
    assert.equal(readConfig('/r/sweep.sh', computed), undefined);
    assert.equal(readConfig('/r/eval.sh', 'python eval.py --lr 0.1 --batch-size 256 --epochs 90\n'), undefined);
    assert.equal(readConfig('/r/setup.sh', 'pip install -r requirements.txt\nwget https://x/y.tar\n'), undefined);
    // kchuang1015/kaggle-rsna-intracranial-hemorrhage bin/train_inceptionresnetv2.sh: settings in a
    // Python config file it names, none on the command line.
    const rsna = 'model=model_inceptionresnetv2\ngpu=5\nfold=0\nconf=./conf/${model}.py\n\npython -m src.cnn.main train ${conf} --fold ${fold} --gpu ${gpu}\n';
    assert.equal(readConfig('/r/train_inceptionresnetv2.sh', rsna), undefined);
  });

  it('two runs in one script with different values: those keys are unread (which run is the log?), shared ones are', () => {
    // A five-fold, two-stage loop from a public training script (search result for resnext launchers):
    // lr and epochs differ between the stages, only the batch size is shared: too little to be a config.
    const loop = [
      '#!/bin/bash', '', 'for i in 0 1 2 3 4', 'do',
      "   CUDA_VISIBLE_DEVICES=2 python train.py --batch-size 12 --fold $i --workers 8 --lr 0.001 --root 'runs/resnext' --model 'ResNext' --n-epochs 300 --loss StableBCE --jaccard-weight 0.5",
      "   CUDA_VISIBLE_DEVICES=2 python train.py --batch-size 12 --fold $i --workers 8 --lr 0.0001 --root 'runs/resnext' --model 'ResNext' --n-epochs 600 --loss StableBCE --jaccard-weight 0.5",
      'done',
    ].join('\n');
    assert.equal(readConfig('/r/run.sh', loop), undefined);
    const shared = 'python train.py --batch-size 256 --epochs 90 --lr 0.1\npython train.py --batch-size 256 --epochs 90 --lr 0.4\n';
    const cfg = readConfig('/r/run.sh', shared);
    assert.ok(cfg);
    assert.deepEqual([cfg.lr, cfg.batchSize?.value, cfg.epochs?.value], [undefined, 256, 90]);
  });

  it('quotes, --key=value, lists and flags', () => {
    const text = 'python3 main.py --opt "adamw" --lr=5e-4 --milestones 30 60 90 --amp --warmup-epochs 5 # comment --lr 9\n';
    const cfg = readConfig('/r/run.sh', text);
    assert.ok(cfg);
    assert.deepEqual([cfg.optimizer?.value, cfg.lr?.value, cfg.warmup?.value, cfg.warmupUnit], ['adamw', 5e-4, 5, 'epochs']);
  });

  it('beside a log, the script is that run’s config: large batch without warmup is found on its line', async function () {
    this.timeout(30_000);
    // The timm run of examples/runs/large-batch-no-warmup (batch 1024, no warmup), launched by a
    // script instead of its args.yaml.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-launch-'));
    try {
      fs.copyFileSync(path.join(EXAMPLES, 'runs', 'large-batch-no-warmup', 'output.log'), path.join(dir, 'output.log'));
      const script = 'python train.py data/synthetic --model mlp_512x3 \\\n    --batch-size 1024 --lr 0.6 --epochs 10 \\\n    --warmup-epochs 0 --sched cosine\n';
      fs.writeFileSync(path.join(dir, 'train.sh'), script);
      const r = await analyzePaths([dir]);
      const onScript = r.findings.filter((f) => f.file === path.join(dir, 'train.sh'));
      assert.deepEqual(onScript.map((f) => [f.rule, f.line]), [['large-batch-no-warmup', 3]]);
      assert.deepEqual(r.files.find((f) => f.kind === 'config')?.format, 'shell:launch-script');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('launch scripts: no fix is written into a shell script', () => {
  it('the large-batch finding on a script gets no quick fix (the launch framework writes none)', async function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-launch-fix-'));
    try {
      fs.copyFileSync(path.join(EXAMPLES, 'runs', 'large-batch-no-warmup', 'output.log'), path.join(dir, 'output.log'));
      const script = 'python train.py --batch-size 1024 --lr 0.6 --epochs 10 --warmup-epochs 0\n';
      const file = path.join(dir, 'train.sh');
      fs.writeFileSync(file, script);
      const r = await analyzePaths([dir]);
      const f = r.findings.find((x) => x.file === file);
      assert.ok(f);
      const cfg = readConfig(file, script);
      assert.ok(cfg);
      assert.deepEqual(fixesFor(f.rule, f.evidence as LooseEvidence, cfg, script), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
