/**
 * Python training scripts and notebooks (src/core/python reads them: a real parser, nothing executed).
 * They are recognised by file name in read-config.ts, not by a YAML/JSON reader's `detect`, so this
 * framework has no reader; it owns how fixes are written into Python source, each as an edit of the
 * call that owns the setting (src/core/python/fix-*.ts), and the validator that checks an edited script
 * still passes its framework's keyword and start-up checks (validate.ts).
 */
import { replaceStepWithCosine } from '../../python/fixes';
import { writeEarlyStopping } from '../../python/fix-early-stopping';
import { clipKeyword, hfWarmupRatio, sweepToRandom, trainerGradClip } from '../../python/fix-trainer-args';
import type { Framework } from '../framework';
import { validatePython } from './validate';

/** The common 6–10 % warmup of transformer fine-tunes (the HF framework's default, frameworks/hf/fixes.ts). */
const DEFAULT_WARMUP_RATIO = 0.1;

export const python: Framework = {
  id: 'python',
  readers: [],
  styles: ['python-script'],
  fixes: {
    cosine: replaceStepWithCosine,
    warmup: {
      amount: (hint) => hint.ratio ?? DEFAULT_WARMUP_RATIO,
      edits: hfWarmupRatio,
      title: (_cfg, ratio) => `Add LR warmup: warmup_ratio=${ratio} in TrainingArguments (${Math.round(ratio * 100)}% of the steps)`,
    },
    gradClip: { key: clipKeyword, edits: trainerGradClip },
    earlyStopping: { write: writeEarlyStopping },
    randomSearch: { where: '"method": "random", "run_cap"', edits: sweepToRandom },
  },
  validate: (doc) => validatePython(doc),
};
