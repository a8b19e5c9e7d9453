/**
 * canonicalName on the spellings people print (`ValLoss=`, `TrainLoss=`, `valAcc`, TensorBoard's
 * `Loss/val`), the property that nothing becomes val_loss without saying validation and loss, and a
 * printed `ValLoss=` log whose overfitting a rule now sees.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { fcParams } from '../../helpers/fc';
import { canonicalName } from '../../../src/core/run/names';
import { analyzePaths } from '../../../src/core/analyze';
import { parseLogText } from '../../../src/core/logfile';

/** The words of a name: split at case changes and separators, lower-cased. */
function words(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9@]+/)
    .filter((w) => w.length > 0);
}
const VAL_WORDS = ['val', 'valid', 'validation', 'eval', 'evaluation', 'test'];

describe('canonicalName: camelCase and phase-last spellings', () => {
  const cases: Array<[string, string]> = [
    ['ValLoss', 'val_loss'],
    ['TrainLoss', 'train_loss'],
    ['valLoss', 'val_loss'],
    ['trainLoss', 'train_loss'],
    ['valAcc', 'val_acc'],
    ['ValAccuracy', 'val_acc'],
    ['trainAcc', 'train_acc'],
    ['validLoss', 'val_loss'],
    ['EvalLoss', 'val_loss'],
    ['learningRate', 'lr'],
    ['LearningRate', 'lr'],
    ['gradNorm', 'grad_norm'],
    ['TotalLoss', 'train_loss'],
    ['Loss/train', 'train_loss'],
    ['Loss/val', 'val_loss'],
    ['Accuracy/val', 'val_acc'],
    ['loss_valid', 'val_loss'],
    ['val_Average_loss', 'val_loss'], // `Test set: Average loss: …` read in the validation phase
    ['TestLoss', 'TestLoss'], // test is not validation (names.ts)
    ['Loss/test', 'Loss/test'],
    ['mAP50-95(B)', 'mAP50-95(B)'],
    ['lr-AdamW', 'lr'],
  ];
  for (const [raw, want] of cases) it(`${raw} → ${want}`, () => assert.equal(canonicalName(raw), want));
});

describe('canonicalName: properties', () => {
  const token = fc.constantFrom(
    'val', 'valid', 'validation', 'eval', 'evaluation', 'test', 'train', 'training', 'loss', 'acc', 'accuracy', 'avg',
    'average', 'mean', 'total', 'epoch', 'step', 'lr', 'grad', 'norm', 'top1', 'metrics', 'interval', 'valley', 'value',
    'evaluate', 'x', 'pg0', 'box', 'cls', 'best', 'min', 'max',
  );
  const cased = fc.tuple(token, fc.constantFrom('lower', 'upper', 'capital')).map(([w, c]) =>
    c === 'lower' ? w : c === 'upper' ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1),
  );
  const name = fc
    .tuple(fc.array(cased, { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom('', '_', '/', '-', '.', ' '), { minLength: 3, maxLength: 3 }))
    .map(([ws, seps]) => ws.map((w, i) => (i === 0 ? w : seps[i - 1] + w)).join(''));

  it('nothing becomes val_loss unless it says val/valid/validation/eval and loss', () => {
    fc.assert(
      fc.property(name, (n) => {
        if (canonicalName(n) !== 'val_loss') return true;
        const w = words(n);
        return w.includes('loss') && w.some((x) => VAL_WORDS.includes(x));
      }),
      fcParams(2000),
    );
  });

  it('a name that says train and no validation word is never a validation metric', () => {
    fc.assert(
      fc.property(name, (n) => {
        const w = words(n);
        if (!w.includes('train') || w.some((x) => VAL_WORDS.includes(x))) return true;
        return !canonicalName(n).startsWith('val_');
      }),
      fcParams(2000),
    );
  });

  it('val/valid/validation/eval + loss, in any case and with any separator (or none, camelCase), is val_loss', () => {
    const phase = fc.constantFrom('val', 'valid', 'validation', 'eval');
    fc.assert(
      fc.property(phase, fc.constantFrom('_', '/', '-', '.', ' ', 'camel'), fc.boolean(), (p, sep, capitalFirst) => {
        const first = capitalFirst ? p[0].toUpperCase() + p.slice(1) : p;
        const n = sep === 'camel' ? `${first}Loss` : `${first}${sep}loss`;
        return canonicalName(n) === 'val_loss';
      }),
      fcParams(200),
    );
  });
});

describe('a printed ValLoss= log', function () {
  this.timeout(30_000);
  /**
   * The line shape of a real run's output (hw-nas adaptive-edge-nas model-training.py, MobileNetV2 on
   * Tiny-ImageNet, search index file 51979954449): `Epoch [01/50]  TrainLoss=5.1059  ValLoss=4.9494
   * Acc@1=3.08%  Acc@5=12.69%  lr=0.00300  t=142.6s`. Its first epochs, as printed (val loss falling).
   */
  const HEALTHY = [
    'Epoch [01/50]  TrainLoss=5.1059  ValLoss=4.9494  Acc@1=3.08%  Acc@5=12.69%  lr=0.00300  t=142.6s',
    'Epoch [02/50]  TrainLoss=4.7788  ValLoss=4.6016  Acc@1=6.26%  Acc@5=22.15%  lr=0.00299  t=28.5s',
    'Epoch [03/50]  TrainLoss=4.6095  ValLoss=4.3722  Acc@1=9.96%  Acc@5=29.67%  lr=0.00297  t=27.4s',
  ].join('\n');

  it('TrainLoss and ValLoss are train_loss and val_loss, epochs as printed', () => {
    const { events } = parseLogText('/x/train.log', HEALTHY);
    const val = events.filter((e) => e.name === 'val_loss');
    assert.deepEqual(val.map((e) => [e.epoch, e.value, e.rawName]), [[1, 4.9494, 'ValLoss'], [2, 4.6016, 'ValLoss'], [3, 4.3722, 'ValLoss']]);
    assert.deepEqual(events.filter((e) => e.name === 'train_loss').map((e) => e.value), [5.1059, 4.7788, 4.6095]);
  });

  it('a VGG16 run in that shape whose val loss goes 1.05 → 1.28 while train loss falls: overfitting is found', async () => {
    // Written for this test in the real line shape above: val loss best 1.05 at epoch 10, 1.28 at 30.
    const train = [2.21, 1.83, 1.62, 1.47, 1.35, 1.24, 1.15, 1.07, 0.99, 0.92, 0.85, 0.79, 0.73, 0.67, 0.62, 0.57, 0.52, 0.48, 0.44, 0.4, 0.37, 0.34, 0.31, 0.29, 0.26, 0.24, 0.22, 0.2, 0.19, 0.17];
    const val = [1.98, 1.66, 1.49, 1.37, 1.27, 1.19, 1.13, 1.09, 1.06, 1.05, 1.06, 1.07, 1.08, 1.09, 1.11, 1.12, 1.13, 1.15, 1.16, 1.17, 1.18, 1.2, 1.21, 1.22, 1.23, 1.24, 1.25, 1.26, 1.27, 1.28];
    const lines = train.map(
      (t, i) => `Epoch [${String(i + 1).padStart(2, '0')}/30]  TrainLoss=${t.toFixed(4)}  ValLoss=${val[i].toFixed(4)}  Acc@1=${(40 + i * 0.5).toFixed(2)}%  lr=0.00100  t=31.2s`,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-valloss-'));
    try {
      const file = path.join(dir, 'train.log');
      fs.writeFileSync(file, lines.join('\n') + '\n');
      const r = await analyzePaths([file]);
      const overfit = r.findings.filter((f) => f.rule === 'overfitting-plateau');
      assert.equal(overfit.length, 1);
      assert.equal(overfit[0].line, 10);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
