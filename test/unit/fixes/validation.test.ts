import * as assert from 'node:assert/strict';
import { addKey, applyEdits, setNumber, type TextEdit } from '../../../src/core/config/edits';
import { readConfig } from '../../../src/core/config/read-config';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { addGradClip, addWarmup, enableEma, freezeBackbone, replaceScheduler } from '../../../src/core/fixes/builders';
import { fixesFor } from '../../../src/core/fixes/policy';
import { editProblems } from '../../../src/core/fixes/validate-edit';
import { readFixture } from '../config/helpers';

/** Applies edits to a fixture; returns the problems the framework's validator finds in what they changed. */
function problemsOf(rel: string, build: (cfg: TrainingConfig, text: string) => TextEdit[], variant?: (t: string) => string): { problems: string[]; text: string } {
  const f = readFixture(rel);
  const text = variant ? variant(f.text) : f.text;
  const cfg = variant ? (readConfig(f.cfg.file, text) as TrainingConfig) : f.cfg;
  const edits = build(cfg, text);
  assert.ok(edits.length > 0, 'the edit is built');
  const out = applyEdits(text, edits);
  return { problems: editProblems(cfg, text, out), text: out };
}

describe('fixes: every fix kind passes its framework validator, and the known-invalid ones are refused', () => {
  describe('detectron2 (yacs types from defaults.py)', () => {
    it('gradient clipping writes CLIP_VALUE 1.0, a float as the default is; an int there is refused', () => {
      const ok = problemsOf('detectron2/mask_rcnn_R_50_FPN_3x.yaml', (c, t) => addGradClip(c, t, 1));
      assert.deepEqual(ok.problems, []);
      assert.match(ok.text, /^ {4}CLIP_VALUE: 1\.0$/m);
      const bad = problemsOf('detectron2/mask_rcnn_R_50_FPN_3x.yaml', (c, t) => addKey(c, t, 'SOLVER.CLIP_GRADIENTS', { ENABLED: true, CLIP_TYPE: 'norm', CLIP_VALUE: 1 }));
      assert.deepEqual(bad.problems, ['SOLVER.CLIP_GRADIENTS.CLIP_VALUE: detectron2 defaults.py expects float, the edit writes int (1)']);
    });
    it('no EMA: MODEL_EMA is not a key of detectron2 (d2go adds it)', () => {
      const { cfg, text } = readFixture('detectron2/mask_rcnn_R_50_FPN_3x.yaml');
      assert.deepEqual(enableEma(cfg, text), []);
      const bad = problemsOf('detectron2/mask_rcnn_R_50_FPN_3x.yaml', (c, t) => addKey(c, t, 'MODEL_EMA', { ENABLED: true, DECAY: 0.999 }));
      assert.deepEqual(bad.problems, ['MODEL_EMA.ENABLED is not a key of detectron2 defaults.py', 'MODEL_EMA.DECAY is not a key of detectron2 defaults.py']);
    });
    it('warmup, cosine, freeze (FREEZE_AT 0 → 2) and the LR pass', () => {
      const freeze0 = (t: string) => t.replace('    DEPTH: 50\n', '    DEPTH: 50\n  BACKBONE:\n    FREEZE_AT: 0\n');
      assert.deepEqual(problemsOf('detectron2/mask_rcnn_R_50_FPN_3x.yaml', freezeBackbone, freeze0).problems, []);
      for (const build of [addWarmup, (c: TrainingConfig, t: string) => replaceScheduler(c, t, 'cosine'), (c: TrainingConfig, t: string) => setNumber(c, t, c.lr!, 0.002)]) {
        assert.deepEqual(problemsOf('detectron2/mask_rcnn_R_50_FPN_3x.yaml', build).problems, []);
      }
    });
    it('a scheduler name detectron2 does not build is refused', () => {
      const bad = problemsOf('detectron2/mask_rcnn_R_50_FPN_3x.yaml', (c, t) => addKey(c, t, 'SOLVER.LR_SCHEDULER_NAME', 'CosineAnnealingLR'));
      assert.equal(bad.problems.length, 1);
      assert.match(bad.problems[0], /CosineAnnealingLR is not one of WarmupMultiStepLR/);
    });
  });

  describe('Lightning CLI', () => {
    it('no warmup that wraps ReduceLROnPlateau in SequentialLR', () => {
      const plateau = (t: string) =>
        t.replace(/^lr_scheduler:\n(?: {2}.*\n)+/m, 'lr_scheduler:\n  class_path: lightning.pytorch.cli.ReduceLROnPlateau\n  init_args:\n    monitor: val_loss\n');
      const r = problemsOf('lightning-cli/config.yaml', (c, t) => addWarmup(c, t, 5), plateau);
      assert.deepEqual(r.problems, ['SequentialLR cannot step ReduceLROnPlateau (it needs the monitored metric)']);
      const { cfg, text } = readFixture('lightning-cli/config.yaml');
      const t = plateau(text);
      const titles = fixesFor('large-batch-no-warmup', {}, readConfig(cfg.file, t)!, t).map((f) => f.title);
      assert.ok(!titles.some((x) => /warmup/i.test(x)), JSON.stringify(titles));
    });
    it('warmup around MultiStepLR, clipping, early stopping and EMA pass', () => {
      for (const build of [(c: TrainingConfig, t: string) => addWarmup(c, t, 5), addGradClip, enableEma]) {
        assert.deepEqual(problemsOf('lightning-cli/config.yaml', build).problems, []);
      }
    });
    it('an EarlyStopping callback without monitor is refused', () => {
      const bad = problemsOf('lightning-cli/config.yaml', (c, t) =>
        addKey(c, t, 'trainer.callbacks', [{ class_path: 'lightning.pytorch.callbacks.EarlyStopping', init_args: { patience: 3 } }]),
      );
      assert.deepEqual(bad.problems, ['EarlyStopping needs a monitor']);
    });
    it('a key that is not a Trainer argument is refused', () => {
      const bad = problemsOf('lightning-cli/config.yaml', (c, t) => addKey(c, t, 'trainer.clip_grad_norm', 1.0));
      assert.deepEqual(bad.problems, ['trainer.clip_grad_norm is not a key of Lightning Trainer']);
    });
  });

  describe('plain (hand-written) configs: values change, keys are not added', () => {
    it('no key-adding fix: clipping, early stopping and warmup without their key are not offered', () => {
      const { cfg, text } = readFixture('plain/config.jsonc');
      assert.equal(cfg.earlyStopping, undefined);
      assert.deepEqual(fixesFor('no-early-stopping', {}, cfg, text), []);
      const added = problemsOf('plain/config.jsonc', (c, t) => addKey(c, t, 'early_stopping_patience', 5));
      assert.deepEqual(added.problems, ['early_stopping_patience is not in the file: the training script may not read it']);
    });
    it('changing a value the file has passes (warmup_epochs 0 → 5, ema false → true, clip_grad_norm null → 1.0)', () => {
      for (const build of [(c: TrainingConfig, t: string) => addWarmup(c, t, 5), enableEma, addGradClip, freezeBackbone]) {
        assert.deepEqual(problemsOf('plain/config.yaml', build).problems, []);
      }
    });
  });

  describe('Ultralytics and timm', () => {
    it('Ultralytics warmup, patience, cos_lr and freeze pass; lr0 above 1 is refused (a fraction key)', () => {
      for (const build of [(c: TrainingConfig, t: string) => addWarmup(c, t, 3), freezeBackbone, (c: TrainingConfig, t: string) => replaceScheduler(c, t, 'cosine')]) {
        assert.deepEqual(problemsOf('ultralytics/args.yaml', build).problems, []);
      }
      assert.deepEqual(problemsOf('ultralytics/args.yaml', (c, t) => setNumber(c, t, c.lr!, 2)).problems, ['lr0 2 is outside [0, 1]']);
    });
    it('timm: a scheduler name its factory does not know is refused; a key train.py does not have is refused', () => {
      assert.match(problemsOf('timm/args.yaml', (c, t) => addKey(c, t, 'sched', 'cosine_annealing')).problems[0], /not one of cosine/);
      assert.deepEqual(problemsOf('timm/args.yaml', (c, t) => addKey(c, t, 'ema_decay', 0.99)).problems, ['ema_decay is not a key of timm train.py']);
    });
  });

  describe('W&B', () => {
    it('random search that keeps the float value lists is refused (it re-draws the grid)', () => {
      const bad = problemsOf('wandb/sweep.yaml', (c, t) => addKey(c, t, 'method', 'random'));
      assert.deepEqual(bad.problems, ['random search keeps float value lists (parameters.learning_rate, parameters.weight_decay): it would re-draw the grid\'s points']);
    });
  });
});
