/**
 * The metric a run is selected and stopped on: the one its config monitors, the framework's own
 * (Ultralytics fitness), else the task metric its log has (accuracy, F1, mAP, BLEU, …; WER and CER,
 * where lower is better), on the validation side, else on a `test…` split evaluated during training. Early-stopping
 * advice judged on val_loss alone told runs whose task metric kept improving to stop (issue 10).
 */
import type { TrainingConfig } from '../config/training-config';
import { normalizeName } from '../run/names';
import type { Run } from '../run/run';
import { Series } from '../run/series';

export interface TaskMetric {
  series: Series;
  /** As the user reads it (`eval_f1`, `fitness (0.1·mAP50 + 0.9·mAP50-95)`). */
  name: string;
  higherIsBetter: boolean;
  source: 'config' | 'framework' | 'log';
}

/** A loss or an error rate: lower is better. */
export function isLowerBetter(name: string): boolean {
  return /loss|err|wer|cer|perplexity|ppl/i.test(name);
}

/** Evaluation-side names only: a train accuracy says nothing about generalisation. */
const EVAL_SIDE = /^(val|valid|validation|eval|metrics)[/_.\s-]|^val_acc$|^evaluation_/i;
/**
 * A held-out metric named `test…`: read only when the log has no validation-side one (many scripts
 * evaluate on the test split every epoch: wandb_imdb_transformer_lion_collapse logs `test accuracy`).
 */
const TEST_SIDE = /^test[/_.\s-]/i;
/** Task metrics where lower is better (speech and OCR error rates). */
const LOWER_TASK = /(^|[/_.\s-])(wer|cer)$/i;
/** Task metrics by preference (higher is better): detection/segmentation, then text, then classification. */
const TASK_PATTERNS: readonly RegExp[] = [
  /map[_]?50[-_]95|map_0\.5:0\.95|bbox_map$|segm_map$|(^|[/_])map$/i,
  /(^|[/_])f1|bleu|rouge|exact_match|(^|[/_])em$/i,
  /^val_acc$|acc(uracy)?(@1|_top1|1)?$|top1/i,
  /iou|dice|auc/i,
];

/** The series whose raw or canonical name matches `monitor` (`eval_accuracy`, HF's `accuracy` = `eval_accuracy`, Keras `val_accuracy`). */
function byMonitor(run: Run, monitor: string): Series | undefined {
  const want = normalizeName(monitor);
  for (const n of run.names()) {
    const s = run.series(n)!;
    const names = [n, ...s.rawNames].map(normalizeName);
    if (names.some((x) => x === want || x === `eval_${want}` || x === `val_${want}`)) return s;
  }
  return undefined;
}

/**
 * Ultralytics fitness, what it selects best.pt and early-stops on: 0.1·mAP50 + 0.9·mAP50-95 of each
 * task head (box, and mask for segmentation, summed). ultralytics/utils/metrics.py `Metric.fitness`
 * (weights [0, 0, 0.1, 0.9] over P, R, mAP50, mAP50-95) and `SegmentMetrics.fitness` (box + mask);
 * YOLOv5 utils/metrics.py `fitness` uses the same weights.
 */
function fitnessOf(run: Run): Series | undefined {
  const heads = new Map<string, { m50?: Series; m5095?: Series }>();
  for (const n of run.names()) {
    const l = n.toLowerCase();
    const m = /^metrics[/_.]map(?:_?50-95|_0\.5:0\.95)(\(?[bm]\)?)?$/.exec(l) ?? /^metrics[/_.]map(?:_?50|_0\.5)(\(?[bm]\)?)?$/.exec(l);
    if (!m) continue;
    const head = (m[1] ?? '').replace(/[()]/g, '');
    const h = heads.get(head) ?? {};
    if (/95/.test(l)) h.m5095 = run.series(n);
    else h.m50 = run.series(n);
    heads.set(head, h);
  }
  const parts = [...heads.values()].filter((h) => h.m50 && h.m5095);
  if (!parts.length) return undefined;
  const n = Math.min(...parts.flatMap((h) => [h.m50!.length, h.m5095!.length]));
  const first = parts[0].m5095!;
  const out = new Series('fitness (0.1·mAP50 + 0.9·mAP50-95)');
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const h of parts) v += 0.1 * h.m50!.value(i) + 0.9 * h.m5095!.value(i);
    out.push(v, first.step(i), first.epoch(i), first.line(i), first.fileIndex(i));
  }
  return out;
}

/** The task metric of a run (undefined when the config monitors a loss, or the log has none). */
export function taskMetric(run: Run, config: TrainingConfig | undefined): TaskMetric | undefined {
  const monitor = config?.monitor?.value;
  if (monitor) {
    const lowerTask = LOWER_TASK.test(monitor);
    if (isLowerBetter(monitor) && !lowerTask) return undefined;
    const s = byMonitor(run, monitor);
    if (s) return { series: s, name: s.name, higherIsBetter: !lowerTask, source: 'config' };
  }
  // Ultralytics/YOLOv5 logs (mAP50 and mAP50-95 columns): fitness whether or not a config says so.
  const fit = fitnessOf(run);
  if (fit) return { series: fit, name: fit.name, higherIsBetter: true, source: 'framework' };
  for (const side of [EVAL_SIDE, TEST_SIDE]) {
    const names = run.names().filter((n) => side.test(n));
    const candidates = names.filter((n) => !isLowerBetter(n) && !/precision|recall|top5|acc@5|_5$|max_/i.test(n));
    for (const re of TASK_PATTERNS) {
      const hit = candidates.find((n) => re.test(n));
      if (hit) return { series: run.series(hit)!, name: hit, higherIsBetter: true, source: 'log' };
    }
    const lower = names.find((n) => LOWER_TASK.test(n));
    if (lower) return { series: run.series(lower)!, name: lower, higherIsBetter: false, source: 'log' };
  }
  return undefined;
}
