/**
 * The loss response to an LR drop (R01): did the loss jump right after it?
 *
 * A jump must be a rise of the loss the user would see in a curve, not one noisy batch (issue 10: a
 * per-batch value after a drop was read as a "loss jump" on the bundled step-decay example):
 * - a series with epochs is judged on its epoch means (a series logged once per epoch is its own epoch
 *   means): the highest of the epoch of the drop and the next `after` − 1 against the median of the
 *   previous `window` epochs. An epoch mean is not one noisy batch;
 * - a series without epochs (steps or lines only) is judged on the median of the next `after` points,
 *   so at least two of three must be up (a persistent rise), never on their maximum.
 * The test itself is R01's: above baseline·(1 + `spikeRel`) and robust z above `z`.
 *
 * Order of events (issue 11): when the last value before the drop is itself already that far above
 * the baseline, the loss rose *before* the LR changed — a reduce-on-plateau cut reacting to a val
 * spike, not a jump the cut caused. The values after the drop are then a jump only if they rise again
 * above that already-raised level by the same margin.
 */
import { alignKey, epochAtStep, epochBucket, epochMeansOf, hasFractionalEpochs, keyOf, lowerBound } from '../run/aggregate';
import type { Run } from '../run/run';
import type { Series } from '../run/series';
import { mad, median, robustZ } from '../run/stats';
import type { Thresholds } from './rule';

export interface LossJump {
  /** Median of the loss over the window before the drop (epoch means or points, see `basis`). */
  before: number;
  /** The loss after the drop: highest of the `after` epoch means, or median of the `after` points. */
  after: number;
  z: number;
  jumped: boolean;
  /** The rise had begun before the drop (the last value before it was already above the baseline's margin). */
  roseBefore: boolean;
  basis: 'epoch-mean' | 'points';
}

function verdict(beforeVals: number[], afterVals: number[], t: Thresholds, basis: LossJump['basis']): LossJump | undefined {
  if (beforeVals.length < 2 || afterVals.length < 1) return undefined;
  const b = median(beforeVals);
  const a = basis === 'epoch-mean' ? Math.max(...afterVals) : median(afterVals);
  const z = robustZ(a, b, mad(beforeVals, b));
  const lastBefore = beforeVals[beforeVals.length - 1];
  const earlier = beforeVals.slice(0, -1);
  const roseBefore = earlier.length >= 2 && lastBefore > median(earlier) * (1 + t.spikeRel);
  const risesAgain = !roseBefore || a > lastBefore * (1 + t.spikeRel);
  return { before: b, after: a, z, jumped: a > b * (1 + t.spikeRel) && z > t.z && risesAgain, basis, roseBefore };
}

/** R01 loss response around the LR drop at lr index `i`. */
export function lossJump(run: Run, lr: Series, i: number, loss: Series, t: Thresholds): LossJump | undefined {
  const w = Math.max(1, Math.round(t.window));
  const k = Math.max(1, Math.round(t.after));
  const means = epochMeansOf(loss).filter((p) => Number.isFinite(p.value));
  if (means.length > 0) {
    const ownEpoch = lr.epoch(i);
    const e = Number.isFinite(ownEpoch) ? ownEpoch : epochAtStep(run, lr.step(i));
    const dropEpoch = epochBucket(e, hasFractionalEpochs(lr) || hasFractionalEpochs(loss));
    if (Number.isFinite(dropEpoch)) {
      const before = means.filter((p) => p.epoch < dropEpoch).slice(-w);
      const after = means.filter((p) => p.epoch >= dropEpoch).slice(0, k);
      return verdict(
        before.map((p) => p.value),
        after.map((p) => p.value),
        t,
        'epoch-mean',
      );
    }
  }
  const key = keyOf(lr, i, alignKey(lr, loss));
  const j0 = lowerBound(loss, alignKey(lr, loss), key);
  const before: number[] = [];
  for (let j = j0 - 1; j >= 0 && before.length < w; j--) if (Number.isFinite(loss.value(j))) before.unshift(loss.value(j));
  const after: number[] = [];
  for (let j = j0; j < loss.length && after.length < k; j++) if (Number.isFinite(loss.value(j))) after.push(loss.value(j));
  return verdict(before, after, t, 'points');
}
