import { strict as assert } from 'node:assert';
import { formatTicks } from '../../../media/src/ticks';

describe('axis tick labels (media/src/ticks.ts)', () => {
  it('a fine-tuning LR axis reads in exponents, not "0, 0, 0"', () => {
    // uPlot's splits for an axis from 0 to 5e-5 (a BERT fine-tune's peak LR).
    assert.deepEqual(formatTicks([0, 1e-5, 2e-5, 3e-5, 4e-5, 5e-5]), ['0', '1e-5', '2e-5', '3e-5', '4e-5', '5e-5']);
    assert.deepEqual(formatTicks([1e-4, 1.5e-4, 2e-4, 2.5e-4]), ['1e-4', '1.5e-4', '2e-4', '2.5e-4']);
  });

  it('losses and accuracies keep plain decimals with as few digits as tell the ticks apart', () => {
    assert.deepEqual(formatTicks([0.1, 0.15, 0.2, 0.25]), ['0.1', '0.15', '0.2', '0.25']);
    assert.deepEqual(formatTicks([0, 0.5, 1, 1.5, 2]), ['0', '0.5', '1', '1.5', '2']);
    assert.deepEqual(formatTicks([50, 60, 70]), ['50', '60', '70']);
    assert.deepEqual(formatTicks([-0.02, 0, 0.02]), ['-0.02', '0', '0.02']);
  });

  it('huge values (steps, FLOPs) get exponents; labels never repeat', () => {
    assert.deepEqual(formatTicks([0, 2e14, 4e14]), ['0', '2e14', '4e14']);
    const labels = formatTicks([0.00031, 0.00032, 0.00033]);
    assert.equal(new Set(labels).size, 3, labels.join(', '));
    assert.deepEqual(labels, ['3.1e-4', '3.2e-4', '3.3e-4']);
  });
});

describe('axis tick labels on a log axis', () => {
  it('decades down to 1e-6 read as exponents', () => {
    assert.deepEqual(formatTicks([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]), ['1e-6', '1e-5', '1e-4', '1e-3', '1e-2', '1e-1']);
  });
});
