/**
 * Which `key value` pairs of a lexed printed-log line are measurements (formats/plain.ts, rules 2–4 of
 * its file comment): the vocabularies of context, phase, ignored and never-metric keys, prose and
 * printed settings.
 */
import { hasPhasePrefix } from './jsonl-core';
import { F_COUNTER, F_UNIT, NUM, PUNCT, Tokens, WORD } from './plain-lexer';

export const EPOCH_KEYS = new Set(['epoch', 'ep', 'epoch_idx', 'cur_epoch', 'current_epoch']);
export const STEP_KEYS = new Set(['step', 'iter', 'iteration', 'global_step', 'it', 'iters', 'globalstep', 'update', 'updates', 'global_steps']);
export const TRAIN_WORDS = new Set(['train', 'training']);
export const VAL_WORDS = new Set(['test', 'testing', 'val', 'valid', 'validation', 'validating', 'eval', 'evaluation', 'evaluating']);
export const IGNORE = new Set([
  'time', 'eta', 'data', 'data_time', 'last_time', 'last_data_time', 'max_mem', 'mem', 'memory', 'max_memory',
  'v_num', 'elapsed', 'remaining', 'speed', 'date', 'pid', 'rank', 'gpu', 'world_size', 'local_rank', 'seed',
  // Batch indices within an epoch (GluonCV `Batch [49]`), device ids and library versions. `steps`
  // is not a step context: `Set warmup steps = 0` (ConvNeXt) would number every later line 0.
  'batch', 'device', 'version', 'capability', 'steps',
]);
/**
 * Keys that are never measurements: a source location (`(main.py 272)` in Swin/DeiT's logging prefix,
 * `optimization.py:306: FutureWarning`, glog's `gpu_resources.cc:61]`), and counts, lengths and ids of
 * data dumps (`query_len: 22`, `label: 0`, `Training number: 1000`, `num_examples`).
 */
const SOURCE_FILE = /\.(?:py|pyx|cc|cpp|cxx|c|h|hpp|cu|cuh|js|ts|java|go|rs)$|site-packages\//;
const COUNT_KEY = /(?:^|_)(?:num|count|counts|len|length|number|idx|index|ids?|labels?|choice)$|^(?:num|n)_/;
export function isNeverMetric(lowerKey: string): boolean {
  return SOURCE_FILE.test(lowerKey) || COUNT_KEY.test(lowerKey);
}
/** `eval_loss`, `val_acc`, `test_f1`: a phase-prefixed measurement, never a setting. */
export function isPhaseMeasure(key: string): boolean {
  return hasPhasePrefix(key) && MEASURE.test(key);
}
/** A YACS/detectron2-style setting key (`PRINT_FREQ`, `BASE_LR`) alone on its line is a config dump. */
export const SETTING_KEY = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/**
 * `loss 3.38 (3.48)`: the value read is the first number, never the one in parentheses. The first is
 * the writer's current measurement (Swin/timm `AverageMeter.val`: the last batch; DeiT/ConvNeXt
 * `MetricLogger`: the median of the last 20 steps); the second is the mean since the epoch began, which
 * carries one overflowed step to the epoch's end (ConvNeXt's grad_norm is NaN on 5 steps but its
 * `(global_avg)` on hundreds of lines, Swin's inf on 1 step but 163 lines): nonfinite and spike
 * evidence would point at lines where nothing happened, and epoch means of running means weigh the
 * epoch's first batches most.
 */

/** What a lone `<phase> <name> <number>` line must measure to count (not `training examples 6250`). */
export const MEASURE = /(?:loss|acc|err|perplexity|ppl|f1|auc|top\d|map|iou|bleu|psnr|ssim|mse|mae|score|recall|precision)/i;
/** Words that are never the key of a space pair (`improved from 0.3 to 0.2`, `for 450 epochs`). */
const STOP = new Set([
  'from', 'to', 'by', 'of', 'at', 'for', 'in', 'on', 'is', 'was', 'than', 'and', 'with', 'after', 'before', 'over',
  'every', 'each', 'the', 'a', 'an', 'size', 'last', 'took', 'total', 'patience', 'within', 'use', 'using', 'saving',
  'saved', 'loading', 'rank', 'gpu', 'cuda', 'version', 'v', 'python', 'torch', 'days', 'day', 'hours',
]);
/**
 * A key right after one of these words is the end of a phrase (`number of params: …`) or a duration
 * (`time cost: 343.58`), not a metric name.
 */
const BEFORE_NON_METRIC = new Set(['of', 'on', 'time']);
const QUALIFIERS = new Set([
  'train', 'training', 'val', 'valid', 'validation', 'eval', 'test', 'max', 'min', 'best', 'avg', 'mean', 'average', 'total', 'global',
]);

export interface Pair {
  key: string;
  lower: string;
  value: number;
  counter: boolean;
  /** The value opens a bracket: `Train: [23/40]` (Swin/DeiT print the epoch as a bracketed counter). */
  bracketed: boolean;
  keyTok: number;
  /** `key = value` with a space before `=`: the style of printed settings (`LR = 0.004`). */
  spacedEquals: boolean;
}

/**
 * A printed setting rather than a measurement: a line holding one pair that is either
 * `Key = value` (`LR = 0.00400000`, `Batch size = 4096`) or indented alone on its line (YAML-like
 * option dumps, `  lr_G: 0.0002`). Skipping these keeps configs from becoming metric points.
 */
export function isSettingLine(line: string, pairs: readonly Pair[]): boolean {
  if (pairs.length !== 1 || isContextKey(pairs[0].lower)) return false;
  if (SETTING_KEY.test(pairs[0].key)) return true;
  // HF example scripts log their evaluation as `eval_loss = 0.41` (`logger.info("  %s = %s", …)`).
  if (pairs[0].spacedEquals) return !isPhaseMeasure(pairs[0].key);
  const c = line.charCodeAt(0);
  return c === 32 || c === 9;
}

export function isContextKey(k: string): boolean {
  return (
    EPOCH_KEYS.has(k) || STEP_KEYS.has(k) || TRAIN_WORDS.has(k) || VAL_WORDS.has(k) || k.startsWith('epoch(') || k.startsWith('iter(')
  );
}

function punct(t: Tokens, i: number, ...chars: number[]): boolean {
  return i >= 0 && i < t.n && t.kind[i] === PUNCT && chars.includes(t.ch[i]);
}

/** Finds the key/value pairs of a lexed line (see the file comment for the rules). */
export function findPairs(s: string, t: Tokens): Pair[] {
  const cand: Pair[] = [];
  const explicit: boolean[] = [];
  const ending: boolean[] = [];
  let spacePairs = 0;
  let wordsBefore = 0;
  // Open parentheses, and how many of them are calls (`Conv2d(`, `AdamW(`, `Namespace(`: glued to a name).
  const calls: boolean[] = [];
  let inCall = 0;
  for (let k = 0; k < t.n; k++) {
    if (t.kind[k] === PUNCT) {
      if (t.ch[k] === 40) {
        const call = k > 0 && t.kind[k - 1] === WORD && t.end[k - 1] === t.start[k];
        calls.push(call);
        if (call) inCall++;
      } else if (t.ch[k] === 41 && calls.length > 0) {
        if (calls.pop()) inCall--;
      }
      continue;
    }
    if (t.kind[k] === WORD) {
      wordsBefore++;
      continue;
    }
    if (t.kind[k] !== NUM || t.flags[k] & F_UNIT) continue;
    // The arguments of a printed call (a module or optimizer repr, an argparse Namespace) are settings.
    if (inCall > 0) continue;
    // `Epoch:  20%|██ | 1/5`: a progress bar's percentage is not the key's value.
    if (punct(t, k + 1, 37) && t.end[k] === t.start[k + 1] && punct(t, k + 2, 124)) continue;
    // `eval_acc = 0.28658<00:00, 4.48it/s]`: a value glued to the tail of the progress bar it overwrote.
    if (punct(t, k + 1, 60) && t.end[k] === t.start[k + 1]) continue;
    // A clock time `0:03:17` or date part: the number is glued to a following `:`digit.
    if (punct(t, k + 1, 58) && k + 2 < t.n && t.end[k] === t.start[k + 1] && t.kind[k + 2] === NUM && t.end[k + 1] === t.start[k + 2])
      continue;
    if (punct(t, k - 1, 58) && k >= 2 && t.kind[k - 2] === NUM && t.end[k - 2] === t.start[k - 1]) continue;
    let j = k - 1;
    if (punct(t, j, 40, 91)) j--; // `(`, `[`
    let sep = false;
    let spacedEquals = false;
    if (punct(t, j, 58, 61)) {
      sep = true;
      spacedEquals = t.ch[j] === 61 && j > 0 && t.start[j] > t.end[j - 1];
      j--;
      if (punct(t, j, 39, 34)) j--; // the closing quote of `'loss': 0.7`
    }
    if (j < 0 || t.kind[j] !== WORD) continue;
    // A value in parentheses right after another value is a running average: `loss: 3.38 (3.48)`.
    if (!sep && punct(t, k - 1, 40)) continue;
    // A tuple value (`input_resolution=(56, 56)`, `kernel_size=[3, 3]`) is a printed setting: the
    // line is a repr (a 1-tuple such as BasicSR's `lr:(2e-4,)` is a value).
    if (sep && punct(t, k - 1, 40, 91) && punct(t, k + 1, 44) && k + 2 < t.n && t.kind[k + 2] === NUM) return [];
    // `input_ids: 3 37128 10939 …`: a list of numbers is a data dump, not a measurement.
    if (sep && k + 1 < t.n && t.kind[k + 1] === NUM && t.start[k + 1] > t.end[k]) continue;
    let keyTok = j;
    let key = s.slice(t.start[j], t.end[j]);
    if (key.length > 100) continue;
    let phaseQualified = false;
    if (j >= 1 && t.kind[j - 1] === WORD && t.start[j] - t.end[j - 1] === 1) {
      const q = s.slice(t.start[j - 1], t.end[j - 1]);
      const ql = q.toLowerCase();
      if (QUALIFIERS.has(ql)) {
        key = `${q}_${key}`;
        keyTok = j - 1;
        phaseQualified = TRAIN_WORDS.has(ql) || VAL_WORDS.has(ql);
      }
    }
    const lower = key.toLowerCase();
    // `number of params: 27596254`, `… on the 10000 test images: 1.0%`: the key ends a phrase.
    // `time cost: 343.58` (GluonCV): a duration.
    if (keyTok >= 1 && t.kind[keyTok - 1] === WORD && BEFORE_NON_METRIC.has(s.slice(t.start[keyTok - 1], t.end[keyTok - 1]).toLowerCase())) continue;
    const counter = (t.flags[k] & F_COUNTER) !== 0;
    // Prose: three or more words before the first pair of the line.
    if (cand.length === 0 && wordsBefore - (k - keyTok > 0 ? countWords(t, keyTok, k) : 0) >= 3) continue;
    if (!sep) {
      if (STOP.has(lower)) continue;
      spacePairs++;
    }
    cand.push({ key, lower, value: t.value[k], counter, bracketed: punct(t, k - 1, 91), keyTok, spacedEquals });
    explicit.push(sep);
    ending.push(!sep && phaseQualified && k === t.n - 1 && countWords(t, 0, keyTok) === 0 && MEASURE.test(key));
  }
  if (spacePairs === 0) return cand;
  const table = s.indexOf('|') >= 0 || spacePairs >= 2;
  const out: Pair[] = [];
  for (let i = 0; i < cand.length; i++) {
    // A lone `test accuracy 0.739` / `train loss 2.3` ending its line is a measurement printed by hand.
    const lone = cand.length === 1 && ending[i];
    if (explicit[i] || table || lone || isContextKey(cand[i].lower)) out.push(cand[i]);
  }
  return out;
}

function countWords(t: Tokens, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (t.kind[i] === WORD) n++;
  return n;
}
