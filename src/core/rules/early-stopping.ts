/**
 * Scenario `early-stopping` (course scenario 2: "should have been stopped earlier using Early Stopping
 * based on validation loss").
 *
 * Log rule `overfitting-plateau` (R03 + R04, ANALYZER_ANCHORS §5.2):
 * - per evaluation val_loss (or the sum of its logged components: YOLO val/box+obj+cls, see
 *   `lossSeries`; INDEX labels mlflow_yolov8seg_tooth and tb_yolov5_helmet on the summed val loss); best = argmin with improvement when v < best − `minDelta` (Keras/Lightning
 *   min_delta 0, §3.1/§3.3);
 * - fire when evals after best ≥ `patience` = 5 (SageMaker patience_train 5; library range 0–10), train
 *   loss fell over [best, end] by ≥ `trainDrop` = 1 % relative (AUTOTRAINER ε 0.01), and
 *   val_loss[end] ≥ val_loss[best]·(1 + `minRise`).
 * - A run that the configured early stopping ended is quiet when the best weights are restored: those
 *   evaluations are the price of patience (examples/runs/early-stopped); without restore-best it is
 *   information (R04: "no best-restore → report"). Early stopping ended the run when it stopped
 *   `patience` evaluations after the best (Keras, Lightning, HF and Ultralytics all stop once `patience`
 *   evaluations have not improved), or within `patience` of it but before the configured epochs (its
 *   monitor or min_delta saw the best earlier than this val loss does). Otherwise early stopping was
 *   configured but did not trigger (mlflow_yolov8seg_tooth: patience 100, all 100 epochs run, 57 after
 *   the best), and the message says so.
 * - Restore-best is a key (`restore_best_weights`, `load_best_model_at_end`) or built into the framework
 *   (`builtIn.restoreBest`: Ultralytics/YOLOv5 always save `best.pt`).
 * - `minRise` = 0.5 % [proposal]: without it a flat plateau counts. Real logs: keras_lstm_seq2seq_plateau05
 *   ends ×1.002 above its best and keras_brats_unet_plateau ×1.0003 (both labelled "no overfitting"),
 *   while yolov8cls_skin_lesion ends ×1.009 above (labelled overfitting).
 * - Wasted compute = evals after best / E (R04). Severity: warning (R03). When the config beside the
 *   log already has early stopping *and* restores the best weights, the waste is bounded and the best
 *   model is kept → information.
 * - Reported at the line of the best evaluation — where the run should have stopped and the checkpoint
 *   to keep; the evidence also gives the last evaluation's line.
 *
 * Config rule `no-early-stopping` (R04 config side): `epochs` ≥ `minEpochs` = 20 with neither early
 * stopping nor restore-best → a hint (shown in the editor with its quick fix, not in the Problems
 * list: the config alone is no evidence of overfitting; the log rule above reports when it happens) suggesting EarlyStopping(patience ≈ 5, restore best) (R04
 * "Suggest"). 20 is the course scenario's overfitting onset ("starts to overfit after 20 epochs")
 * [proposal].
 */
import type { TrainingConfig } from '../config/training-config';
import { alignKey, lossSeries, meanInInterval, pointAt, pointKey, type Point } from '../run/aggregate';
import { advance } from '../run/incremental';
import type { Series } from '../run/series';
import { fmt, fmtEpoch, pct } from '../run/stats';
import type { Finding } from '../types';
import type { Rule, RunContext, Thresholds } from './rule';
import { configFinding, isOn, logFinding } from './util';

export interface PlateauAnalysis {
  /** Name of the val series (`val_loss`, or a sum of logged components). */
  valName: string;
  trainName: string;
  evals: Point[];
  best: number;
  evalsAfter: number;
  wastedShare: number;
  trainAtBest: number;
  trainAtEnd: number;
  trainDrop: number;
  valRise: number;
}

interface EvalScan {
  /** The finite evaluations (perEvalOf filtered), the last one possibly still pending. */
  evals: Point[];
  /** The last perEvalOf point: a later point with the same step and epoch replaces it. */
  pending: Point | undefined;
  /** argmin (with minDelta) over the evaluations before the pending one; −1 when none. */
  bestDone: number;
}

function sameKey(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * `perEvalOf(s)` filtered to finite values, with the best over all but the pending evaluation, carried
 * incrementally over appends (the same merge as perEvalOf: a point with the step and epoch of the
 * previous one replaces it).
 */
function evalScan(s: Series, minDelta: number): EvalScan {
  return advance(
    s,
    `plateau-evals:${minDelta}`,
    (): EvalScan => ({ evals: [], pending: undefined, bestDone: -1 }),
    (st, a, b) => {
      for (let i = a; i < b; i++) {
        const p = pointAt(s, i);
        const prev = st.pending;
        const pendingIn = prev !== undefined && Number.isFinite(prev.value);
        if (prev && sameKey(prev.step, p.step) && sameKey(prev.epoch, p.epoch) && (Number.isFinite(p.step) || Number.isFinite(p.epoch))) {
          if (pendingIn) st.evals.pop();
        } else if (pendingIn) {
          // The pending evaluation is final: fold it into the best.
          const k = st.evals.length - 1;
          if (st.bestDone < 0 || st.evals[k].value < st.evals[st.bestDone].value - minDelta) st.bestDone = k;
        }
        st.pending = p;
        if (Number.isFinite(p.value)) st.evals.push(p);
      }
    },
  );
}

/** Best-eval bookkeeping shared with other rules (pure; no thresholds except minDelta). */
export function analysePlateau(ctx: RunContext, minDelta: number): PlateauAnalysis | undefined {
  const valSeries = lossSeries(ctx.run, 'val');
  if (!valSeries) return undefined;
  const scan = evalScan(valSeries, minDelta);
  const evals = scan.evals;
  const E = evals.length;
  if (E < 2) return undefined;
  let best = scan.bestDone < 0 ? 0 : scan.bestDone;
  // The pending evaluation, when finite, is the last one.
  const pendingIn = scan.pending !== undefined && Number.isFinite(scan.pending.value);
  if (pendingIn && scan.bestDone >= 0 && evals[E - 1].value < evals[best].value - minDelta) best = E - 1;
  const evalsAfter = E - 1 - best;
  let trainAtBest = NaN;
  let trainAtEnd = NaN;
  const train = lossSeries(ctx.run, 'train');
  if (train) {
    const k = alignKey(valSeries, train);
    const key = (i: number) => pointKey(evals[i], k);
    trainAtBest = meanInInterval(train, k, best > 0 ? key(best - 1) : -Infinity, key(best));
    trainAtEnd = meanInInterval(train, k, E > 1 ? key(E - 2) : -Infinity, key(E - 1));
  }
  const vb = evals[best].value;
  const ve = evals[E - 1].value;
  return {
    valName: valSeries.name,
    trainName: train?.name ?? 'train_loss',
    evals,
    best,
    evalsAfter,
    wastedShare: evalsAfter / E,
    trainAtBest,
    trainAtEnd,
    trainDrop: trainAtBest > 0 ? (trainAtBest - trainAtEnd) / trainAtBest : NaN,
    valRise: vb !== 0 ? (ve - vb) / Math.abs(vb) : NaN,
  };
}

/** Restore-best written in the config, or built into the framework (Ultralytics/YOLOv5 `best.pt`). */
function hasRestoreBest(c: TrainingConfig | undefined): boolean {
  return isOn(c?.restoreBest) || c?.builtIn?.restoreBest === true;
}

function at(p: Point): string {
  if (Number.isFinite(p.epoch)) return `epoch ${fmtEpoch(p.epoch)}`;
  if (Number.isFinite(p.step)) return `step ${p.step}`;
  return `line ${p.line}`;
}

export const overfittingPlateauRule: Rule = {
  id: 'overfitting-plateau',
  scenario: 'early-stopping',
  defaultSeverity: 'warning',
  defaults: { patience: 5, minDelta: 0, trainDrop: 0.01, minRise: 0.005 },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const a = analysePlateau(ctx, t.minDelta);
    if (!a) return [];
    const { evals, best } = a;
    const E = evals.length;
    const b = evals[best];
    const last = evals[E - 1];
    if (a.evalsAfter < t.patience) return [];
    if (!(a.valRise >= t.minRise)) return [];
    const hasTrain = Number.isFinite(a.trainAtBest) && Number.isFinite(a.trainAtEnd);
    if (hasTrain && !(a.trainDrop >= t.trainDrop)) return [];
    const epochsAfter = Number.isFinite(b.epoch) && Number.isFinite(last.epoch) ? last.epoch - b.epoch : NaN;
    const stepsAfter = Number.isFinite(b.step) && Number.isFinite(last.step) ? last.step - b.step : NaN;
    const amount = Number.isFinite(epochsAfter)
      ? `${fmtEpoch(epochsAfter)} more epoch${epochsAfter === 1 ? '' : 's'}`
      : Number.isFinite(stepsAfter)
        ? `${stepsAfter} more steps`
        : `${a.evalsAfter} more evaluations`;
    const cfg = ctx.config;
    const esOn = isOn(cfg?.earlyStopping);
    const builtInRestore = !isOn(cfg?.restoreBest) && cfg?.builtIn?.restoreBest === true;
    const restore = hasRestoreBest(cfg);
    const esValue = cfg?.earlyStopping?.value;
    const esPatience = typeof esValue === 'number' && esValue > 0 ? esValue : t.patience;
    const configuredEpochs = cfg?.epochs?.value;
    // Ended before the configured length (epochs are 0- or 1-based depending on the logger).
    const endedEarly = typeof configuredEpochs === 'number' && Number.isFinite(last.epoch) && last.epoch < configuredEpochs - 1;
    const stoppedAsConfigured = esOn && a.evalsAfter <= esPatience && (a.evalsAfter >= esPatience || endedEarly);
    // Early stopping did its job: `patience` evaluations after the best are the price of patience, not
    // waste (examples/runs/early-stopped); with the best weights restored there is nothing to say.
    if (stoppedAsConfigured && restore) return [];
    const guarded = esOn && restore;
    const kept = builtInRestore ? 'the best weights are kept (best.pt is always saved)' : 'the best weights are kept';
    let msg = `${a.valName} best at ${at(b)} (${fmt(b.value)}); ${amount} (${a.evalsAfter} evaluations, ${pct(a.wastedShare)} of compute) after it`;
    msg += hasTrain ? ` while ${a.trainName} fell ${fmt(a.trainAtBest)} → ${fmt(a.trainAtEnd)}` : '';
    msg += `; it is now ${fmt(last.value)} (+${pct(a.valRise)})`;
    const notTriggered = `early stopping (patience ${esPatience}) was configured but did not trigger`;
    msg += stoppedAsConfigured
      ? ' — early stopping ended the run as configured, but the final weights are not the best ones: restore the best checkpoint (restore_best_weights / load_best_model_at_end / ModelCheckpoint best)'
      : guarded
        ? ` — ${notTriggered}; ${kept}${a.evalsAfter < esPatience ? `, but a patience below ${esPatience} would have saved the compute after it` : ''}`
        : esOn
          ? ` — overfitting: ${notTriggered}; ${esPatience > t.patience ? `lower the patience (≈ ${t.patience})` : 'check that it monitors val_loss'} and keep the best checkpoint`
          : restore
            ? ` — overfitting: ${kept}, but stop early on val_loss (patience ≈ ${t.patience}) to save the compute after it`
            : ` — overfitting: stop early on val_loss (patience ≈ ${t.patience}) and keep the best checkpoint`;
    return [
      logFinding(ctx, 'early-stopping', 'overfitting-plateau', guarded || stoppedAsConfigured ? 'information' : 'warning', msg, b, {
        metric: a.valName,
        bestEpoch: Number.isFinite(b.epoch) ? b.epoch : null,
        bestStep: Number.isFinite(b.step) ? b.step : null,
        bestLine: b.line,
        bestValue: b.value,
        lastEpoch: Number.isFinite(last.epoch) ? last.epoch : null,
        lastStep: Number.isFinite(last.step) ? last.step : null,
        lastLine: last.line,
        lastValue: last.value,
        evals: E,
        evalsAfter: a.evalsAfter,
        epochsAfter: Number.isFinite(epochsAfter) ? epochsAfter : null,
        wastedShare: a.wastedShare,
        trainAtBest: hasTrain ? a.trainAtBest : null,
        trainAtEnd: hasTrain ? a.trainAtEnd : null,
        trainDrop: hasTrain ? a.trainDrop : null,
        valRise: a.valRise,
        suggestedPatience: t.patience,
      }),
    ];
  },
};

export const noEarlyStoppingRule: Rule = {
  id: 'no-early-stopping',
  scenario: 'early-stopping',
  defaultSeverity: 'hint',
  defaults: { minEpochs: 20, patience: 5 },
  checkConfig(config: TrainingConfig, t: Thresholds): Finding[] {
    const e = config.epochs;
    if (!e || !(e.value >= t.minEpochs)) return [];
    if (isOn(config.earlyStopping) || hasRestoreBest(config)) return [];
    return [
      configFinding(
        config,
        'early-stopping',
        'no-early-stopping',
        'hint',
        `${e.value} epochs with no early stopping and no restore-best: if val_loss bottoms out early, the rest is wasted compute and the final weights overfit. Add early stopping on val_loss (patience ≈ ${t.patience}) and keep the best checkpoint.`,
        e,
        { epochs: e.value, suggestedPatience: t.patience },
      ),
    ];
  },
};

export const EARLY_STOPPING_RULES: Rule[] = [overfittingPlateauRule, noEarlyStoppingRule];
