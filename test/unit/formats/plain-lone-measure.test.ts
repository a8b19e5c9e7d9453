/**
 * The plain parser reads a line holding one hand-printed measurement, `<phase> <metric> <number>`
 * (`-- "test accuracy 0.739`), and still ignores prose and counts: the W&B output.log of INDEX.md
 * entry 33, whose only metric lines have that shape.
 */
import { strict as assert } from 'node:assert';
import { parseLogText } from '../../../src/core/logfile';
import type { MetricEvent } from '../../../src/core/types';
import { realLog, skipWithoutRealLogs } from '../../helpers/paths';
import { viaFile } from './byte-path-helpers';

const read = (text: string): Array<[string, number]> => parseLogText('/r/train.log', text).events.map((e: MetricEvent) => [e.name, e.value]);

describe('plain: a lone phase-qualified measurement line', () => {
  it('is a point: test accuracy, train loss, val loss after punctuation', () => {
    assert.deepEqual(read('-- "test accuracy 0.739\ntrain loss 2.3\n> val loss 1.5\n'), [
      ['test_accuracy', 0.739],
      ['train_loss', 2.3],
      ['val_loss', 1.5],
    ]);
  });

  it('is not a point when prose or a count: words before it, a non-metric name, or text after the number', () => {
    assert.deepEqual(
      read(
        '- nr. of training examples 6250\n' +
          'train examples 6250\n' +
          'reached test accuracy 0.9\n' +
          'test accuracy 0.9 after warmup\n' +
          'Total params 123456\n' +
          'best accuracy 0.8\n',
      ),
      [],
    );
  });

  it('W&B output.log (IMDB, Lion): the test accuracy of epochs 0–8, the unterminated last line left to the tail', async function () {
    skipWithoutRealLogs(this);
    const { format, events } = await viaFile(realLog('wandb_imdb_transformer_lion_collapse', 'files', 'output.log'));
    assert.equal(format, 'plain');
    assert.deepEqual(new Set(events.map((e) => e.name)), new Set(['test_accuracy']));
    // INDEX entry 33: 0.739, 0.817, 0.821, 0.839, 0.799, 0.833, 0.823, 0.815, 0.827, then 0.536 on a
    // last line without a newline, which a tail does not read (its writer may still be writing it).
    assert.deepEqual(events.map((e) => e.value), [0.739, 0.817, 0.821, 0.839, 0.799, 0.833, 0.823, 0.815, 0.827]);
    assert.deepEqual(events.slice(0, 3).map((e) => e.epoch), [0, 1, 2]);
  });
});
