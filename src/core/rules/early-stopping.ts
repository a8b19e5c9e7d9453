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
 * - `disagreementMinRise` = 3 % [proposal]: when the task metric did not get worse, a smaller rise says
 *   nothing (yolov5_results_txt_pv_plateau +1.2%, labelled no overfitting; mlflow_yolov8seg_tooth +5.0%,
 *   labelled val-loss overfitting with mAP flat, is still described).
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
 * stopping nor restore-best, no LR schedule planned to the run's end (cosine, step…: `annealsToTheEnd`)
 * and no evaluated run of the config that kept improving — unless a run of it overfits → a hint (shown in the editor with its quick fix, not in the Problems
 * list: the config alone is no evidence of overfitting; the log rule above reports when it happens) suggesting EarlyStopping(patience ≈ 5, restore best) (R04
 * "Suggest"). 20 is the course scenario's overfitting onset ("starts to overfit after 20 epochs")
 * [proposal].
 */
import type { TrainingConfig } from '../config/training-config';
import { alignKey, lossSeries, meanInInterval, perEvalOf, pointAt, pointKey, sameEvaluation, type Point } from '../run/aggregate';
import { advance } from '../run/incremental';
import type { Series } from '../run/series';
import { fmt, fmtEpoch, median, pct } from '../run/stats';
import type { Finding } from '../types';
import type { Rule, RunContext, Thresholds } from './rule';
import { schedulerBaseName } from './lr-schedule';
import { taskMetric, type TaskMetric } from './task-metric';
import { configFinding, isOn, logFinding } from './util';

/** Evidence of `overfitting-plateau`: the val-loss best and end, and the task metric over the same stretch. */
export type OverfittingPlateauEvidence = {
  metric: string;
  bestEpoch: number | null;
  bestStep: number | null;
  bestLine: number;
  bestValue: number;
  lastEpoch: number | null;
  lastStep: number | null;
  lastLine: number;
  lastValue: number;
  evals: number;
  evalsAfter: number;
  epochsAfter: number | null;
  wastedShare: number;
  trainAtBest: number | null;
  trainAtEnd: number | null;
  trainDrop: number | null;
  valRise: number;
  /** One more than the run's longest wait for a new best; null when not readable or not advised. */
  suggestedPatience: number | null;
  /** The task metric did not get worse: information about the loss/metric disagreement. */
  disagreement: boolean;
  taskMetric: string | null;
  metricAtLossBest: number | null;
  metricBest: number | null;
  metricBestLine: number | null;
  metricLast: number | null;
};

/** Evidence of `no-early-stopping` (`key` is added by configFinding). */
export type NoEarlyStoppingEvidence = {
  key?: string;
  epochs: number;
  /** Always null: the config alone says nothing about how noisy the run's evaluations are. */
  suggestedPatience: number | null;
};

export interface PlateauAnalysis {
  /** Name of the val series (`val_loss`, or a sum of logged components). */
  valName: string;
  valSeries: Series;
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
  /** One point per evaluation with a finite value, the last one possibly still pending. */
  evals: Point[];
  /** The last point read: a later point with the same step and epoch belongs to the same evaluation. */
  pending: Point | undefined;
  /** Sum and count of the finite values of the pending evaluation. */
  sum: number;
  count: number;
  /** argmin (with minDelta) over the evaluations before the pending one; −1 when none. */
  bestDone: number;
}

/**
 * The evaluations of `s` with the best over all but the pending one, carried incrementally over appends.
 * Consecutive points with the same step and epoch are one evaluation valued at their mean (at the last
 * point's line): a value re-logged by a second logger keeps its value, and an evaluation printed batch by
 * batch (Swin/DeiT `Test: [i/N] Loss x`, real log swin_log_cifar100_finetune_gradnorm_nan: 8 lines per
 * evaluation) is judged on its mean, not on its last batch.
 */
function evalScan(s: Series, minDelta: number): EvalScan {
  return advance(
    s,
    `plateau-evals:${minDelta}`,
    (): EvalScan => ({ evals: [], pending: undefined, sum: 0, count: 0, bestDone: -1 }),
    (st, a, b) => {
      for (let i = a; i < b; i++) {
        const p = pointAt(s, i);
        const prev = st.pending;
        const pendingIn = st.count > 0;
        if (prev && sameEvaluation(prev, p)) {
          if (pendingIn) st.evals.pop();
        } else {
          if (pendingIn) {
            // The pending evaluation is final: fold it into the best.
            const k = st.evals.length - 1;
            if (st.bestDone < 0 || st.evals[k].value < st.evals[st.bestDone].value - minDelta) st.bestDone = k;
          }
          st.sum = 0;
          st.count = 0;
        }
        st.pending = p;
        if (Number.isFinite(p.value)) {
          st.sum += p.value;
          st.count++;
        }
        if (st.count > 0) st.evals.push({ ...p, value: st.sum / st.count });
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
  const pendingIn = scan.count > 0;
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
    valSeries,
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

/** The task metric over the loss's overfitting stretch: did it get worse, or keep improving? */
export interface MetricCheck {
  metric: TaskMetric;
  /** Its value at the val-loss best (the last evaluation at or before it), its best after that, and now. */
  atLossBest: Point;
  best: Point;
  last: Point;
  /** Typical change between consecutive evaluations (median |Δ|): what "got worse" must exceed. */
  noise: number;
  /** The metric fell since the val-loss best by more than its noise: the loss's overfitting is real. */
  worse: boolean;
  /** Its finite evaluations and the index of its best over the whole run. */
  evals: Point[];
  overallBest: number;
}

/** A position both points have: epoch, else step, else line. */
function posOf(p: Point, q: Point): [number, number] {
  if (Number.isFinite(p.epoch) && Number.isFinite(q.epoch)) return [p.epoch, q.epoch];
  if (Number.isFinite(p.step) && Number.isFinite(q.step)) return [p.step, q.step];
  return [p.line, q.line];
}

export function checkMetric(ctx: RunContext, lossBest: Point): MetricCheck | undefined {
  const metric = taskMetric(ctx.run, ctx.config);
  if (!metric) return undefined;
  const evals = perEvalOf(metric.series).filter((p) => Number.isFinite(p.value));
  if (evals.length < 2) return undefined;
  const sign = metric.higherIsBetter ? 1 : -1;
  let at = -1;
  for (let i = 0; i < evals.length; i++) {
    const [mp, lp] = posOf(evals[i], lossBest);
    if (mp <= lp) at = i;
  }
  if (at < 0) return undefined;
  let best = at;
  for (let i = at + 1; i < evals.length; i++) if (sign * (evals[i].value - evals[best].value) > 0) best = i;
  const diffs = evals.slice(1).map((p, i) => Math.abs(p.value - evals[i].value));
  const noise = median(diffs);
  const last = evals[evals.length - 1];
  const worse = sign * (evals[at].value - last.value) > noise;
  let overallBest = 0;
  for (let i = 1; i < evals.length; i++) if (sign * (evals[i].value - evals[overallBest].value) > 0) overallBest = i;
  return { metric, atLossBest: evals[at], best: evals[best], last, noise, worse, evals, overallBest };
}

/**
 * A patience read from the run: one more than the longest stretch of evaluations without a new best
 * before the best (a shorter patience would have stopped the run before it), at least 2. Undefined
 * when the best is among the first evaluations (too little to read it from).
 */
export function patienceFromRun(evals: readonly Point[], best: number, higherIsBetter: boolean): number | undefined {
  if (best < 2) return undefined;
  const sign = higherIsBetter ? 1 : -1;
  let record = 0;
  let longest = 0;
  for (let i = 1; i <= best; i++) {
    if (sign * (evals[i].value - evals[record].value) > 0) {
      longest = Math.max(longest, i - record - 1);
      record = i;
    }
  }
  return Math.max(2, longest + 1);
}

/** Restore-best written in the config, or built into the framework (Ultralytics/YOLOv5 `best.pt`). */
/**
 * A schedule that lowers the LR over the whole run (cosine, step, multi-step, exponential, polynomial,
 * linear, one-cycle): its length is part of the recipe — the last epochs, at the lowest LR, are where it
 * converges, so stopping at the first plateau would cut them off. Such configs (every timm/DeiT recipe, a
 * StepLR ImageNet schedule) train to the end by design; the config alone is then no reason for the tip,
 * which comes back when a run of the config does overfit (its quick fix is then the remedy). Not a reduce-on-plateau schedule (it reacts to the
 * run instead of planning it) or a constant LR.
 */
const ANNEALING = /^(warmup)?(cosine|cos|multi[-_ ]?step|step|steps|exponential|exp|poly|polynomial|linear|one[-_ ]?cycle|tanh|inverse[-_ ]?sqrt)[-_ ]?(annealing)?(lr|_lr|decay|with[-_ ]?warmup|schedule)?$/i;

function annealsToTheEnd(c: TrainingConfig): boolean {
  const s = c.scheduler?.value;
  return typeof s === 'string' && ANNEALING.test(schedulerBaseName(s));
}

/** Whether a run's validation loss went on past its best as overfitting-plateau reports it (its thresholds). */
/**
 * A run of the config overfits: the log rule warns about it (a loss that creeps up while the task metric
 * holds is a plateau, information only, and no reason to stop: yolov5_results_txt_pv_plateau, +1.2%).
 */
function trainsPastItsBest(ctx: RunContext): boolean {
  return overfittingPlateauRule.checkRun!(ctx, overfittingPlateauRule.defaults).some((f) => f.severity === 'warning');
}

/** The run logs a validation loss to judge by (at least `patience` evaluations of it). */
function isEvaluated(ctx: RunContext): boolean {
  const a = analysePlateau(ctx, overfittingPlateauRule.defaults.minDelta);
  return a !== undefined && a.evals.length >= overfittingPlateauRule.defaults.patience;
}

/** The val loss went on `patience` evaluations past its best and ended `minRise` above it. */
function wentOnPastBest(a: PlateauAnalysis, t: Thresholds): boolean {
  return a.evalsAfter >= t.patience && a.valRise >= t.minRise;
}

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
  defaults: { patience: 5, minDelta: 0, trainDrop: 0.01, minRise: 0.005, disagreementMinRise: 0.03 },
  checkRun(ctx: RunContext, t: Thresholds): Finding[] {
    const a = analysePlateau(ctx, t.minDelta);
    if (!a) return [];
    const { evals, best } = a;
    const E = evals.length;
    const b = evals[best];
    const last = evals[E - 1];
    if (!wentOnPastBest(a, t)) return [];
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
    const m = checkMetric(ctx, b);
    let msg = `${a.valName} best at ${at(b)} (${fmt(b.value)}); ${amount} (${a.evalsAfter} evaluations, ${pct(a.wastedShare)} of compute) after it`;
    msg += hasTrain ? ` while ${a.trainName} fell ${fmt(a.trainAtBest)} → ${fmt(a.trainAtEnd)}` : '';
    msg += `; it is now ${fmt(last.value)} (+${pct(a.valRise)})`;
    // The task metric did not get worse: the loss and the metric disagree, and stopping on the loss
    // would lose what the metric gained (hf_codebert_cls_gradspikes: eval loss best at epoch 3, eval
    // accuracy best at the last epoch; mlflow_yolov8seg_tooth: summed val loss best at 42, mAP flat/up).
    if (m && !m.worse) {
      // A loss a few percent above its best while the metric holds is a plateau, not a story worth
      // telling (yolov5_results_txt_pv_plateau: +1.2%, fitness at its best, labelled "no overfitting").
      if (a.valRise < t.disagreementMinRise) return [];
      msg += `, but ${m.metric.name} did not get worse: ${fmt(m.atLossBest.value)} at ${at(m.atLossBest)}, best ${fmt(m.best.value)} at ${at(m.best)}, ${fmt(m.last.value)} now`;
      msg += ` — the loss and the task metric disagree (typically predictions growing over-confident on the examples still wrong), so stopping on the loss would give up the metric's gains`;
      msg +=
        m.metric.source === 'framework'
          ? '; YOLO already selects best.pt and early-stops on fitness, not on the loss'
          : `: select the checkpoint${esOn ? '' : ' and early-stop'} on ${m.metric.name}`;
      return [
        logFinding(ctx, 'early-stopping', 'overfitting-plateau', 'information', msg, b, {
          ...evidenceOf(a, b, last, E, epochsAfter, hasTrain),
          suggestedPatience: null,
          disagreement: true,
          taskMetric: m.metric.name,
          metricAtLossBest: m.atLossBest.value,
          metricBest: m.best.value,
          metricBestLine: m.best.line,
          metricLast: m.last.value,
        }),
      ];
    }
    if (m) msg += `; ${m.metric.name} fell too: ${fmt(m.atLossBest.value)} at ${at(m.atLossBest)} → ${fmt(m.last.value)} now`;
    // Stop on the task metric when there is one; the patience comes from the run's own evaluations.
    const monitorName = m ? m.metric.name : a.valName;
    const patience = m ? patienceFromRun(m.evals, m.overallBest, m.metric.higherIsBetter) : patienceFromRun(evals, best, false);
    const pText = patience === undefined ? '' : ` (patience ≥ ${patience}: the longest wait for a new best before it was ${patience - 1} evaluation${patience === 2 ? '' : 's'})`;
    const notTriggered = `early stopping (patience ${esPatience}) was configured but did not trigger`;
    msg += stoppedAsConfigured
      ? ' — early stopping ended the run as configured, but the final weights are not the best ones: restore the best checkpoint (restore_best_weights / load_best_model_at_end / ModelCheckpoint best)'
      : guarded
        ? ` — ${notTriggered}; ${kept}${a.evalsAfter < esPatience ? `, but a patience below ${esPatience} would have saved the compute after it` : ''}`
        : esOn
          ? ` — overfitting: ${notTriggered}; ${patience !== undefined && esPatience > patience ? `a patience of ${patience} (the longest wait for a new best in this run) would have stopped it` : `check that it monitors ${monitorName}`} and keep the best checkpoint`
          : restore
            ? ` — overfitting: ${kept}, but stop early on ${monitorName}${pText} to save the compute after it`
            : ` — overfitting: stop early on ${monitorName}${pText} and keep the best checkpoint`;
    return [
      logFinding(ctx, 'early-stopping', 'overfitting-plateau', guarded || stoppedAsConfigured ? 'information' : 'warning', msg, b, {
        ...evidenceOf(a, b, last, E, epochsAfter, hasTrain),
        suggestedPatience: patience ?? null,
        disagreement: false,
        taskMetric: m ? m.metric.name : null,
        metricAtLossBest: m ? m.atLossBest.value : null,
        metricBest: m ? m.best.value : null,
        metricBestLine: m ? m.best.line : null,
        metricLast: m ? m.last.value : null,
      }),
    ];
  },
};

type ValLossPart = Omit<OverfittingPlateauEvidence, 'suggestedPatience' | 'disagreement' | 'taskMetric' | 'metricAtLossBest' | 'metricBest' | 'metricBestLine' | 'metricLast'>;

/** The val-loss part of an overfitting-plateau finding's evidence. */
function evidenceOf(a: PlateauAnalysis, b: Point, last: Point, E: number, epochsAfter: number, hasTrain: boolean): ValLossPart {
  return {
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
  };
}

export const noEarlyStoppingRule: Rule = {
  id: 'no-early-stopping',
  scenario: 'early-stopping',
  defaultSeverity: 'hint',
  defaults: { minEpochs: 20, patience: 5 },
  checkConfig(config: TrainingConfig, t: Thresholds, runs?: readonly RunContext[]): Finding[] {
    const e = config.epochs;
    if (!e || !(e.value >= t.minEpochs)) return [];
    if (isOn(config.earlyStopping) || hasRestoreBest(config)) return [];
    // A planned schedule trains to its end by design, unless a run of it shows that it overfits; and a
    // config whose runs are evaluated and none went on past its best has the answer in its runs.
    const rs = runs ?? [];
    if (!rs.some(trainsPastItsBest) && (annealsToTheEnd(config) || rs.some(isEvaluated))) return [];
    // A script that never evaluates (a GAN) has no validation metric to stop on; a config fragment's
    // hooks (where early stopping would be) are in another file.
    if (config.validates === false || config.fragment) return [];
    return [
      configFinding(
        config,
        'early-stopping',
        'no-early-stopping',
        'hint',
        `${e.value} epochs with no early stopping and no restore-best: if the validation metric peaks early, the rest is wasted compute and the final weights are not the best. Early-stop on the metric you select models on (a patience longer than its usual wait for a new best) and keep the best checkpoint.`,
        e,
        // No patience from a universal constant (issue 10): the config alone does not say how noisy this
        // run's evaluations are; the log rule reads one from the run.
        { epochs: e.value, suggestedPatience: null },
      ),
    ];
  },
};

export const EARLY_STOPPING_RULES: Rule[] = [overfittingPlateauRule, noEarlyStoppingRule];
