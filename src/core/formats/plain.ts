/**
 * Printed training logs (stdout captures, `*.log`, `*.txt`): `key=value`, `key: value`,
 * `| key value |`, `Epoch [3/50]`, Keras `Epoch 3/20` + `- loss: 0.41 - val_loss: …`, timm
 * `Train: 3 [ 100/ 500 ( 20%)] Loss: … LR: …`, ConvNeXt/DeiT `Epoch: [e] … loss: x (avg)`, BasicSR
 * `[epoch: 0, iter: 1,200, lr:(2e-4,)] l_pix: …`, nanoGPT `step 100: train loss 2.3, val loss 2.4`,
 * detectron2 `iter: 19  total_loss: …`, Lightning progress bars `…, train_loss=1.59]`.
 *
 * How a line is read:
 * 1. Terminal noise: only the last `\r`/`\b`-separated state of a redrawn line counts; ANSI escapes
 *    are removed.
 * 2. Pairs: `key:`/`key=` + number, or `key number` ("space pairs", accepted only in `|` tables, for
 *    epoch/step keys, or when the line has two or more of them, so prose like "train for 450 epochs"
 *    yields nothing). A number in parentheses after a value (a running average), a number with a
 *    unit (`3s`, `2725M`), a clock time (`0:03:17`) and `a/b` counters are not values.
 *    A qualifier word before a key joins it: `train loss 2.3` → `train_loss`, `Max accuracy` →
 *    `Max_accuracy` (a best-so-far value, kept apart from the accuracy series). A single space pair
 *    is a measurement when it opens the line, a phase word qualifies a metric-like name and its number
 *    ends the line (`-- "test accuracy 0.739`).
 * 3. Context: `epoch`/`Epoch`/`ep` set the current epoch, carried to following lines, as printed:
 *    `N/M` (1-based in Keras, Ultralytics and most scripts) and a bare `N` (0-based in DeiT/ConvNeXt
 *    `Epoch: [0]`, Lightning `Epoch 0:`, timm `Train: 0`) are both kept as written, so that a finding
 *    says "epoch 16" on the line that reads `Epoch [16/45]`.
 *    `step`/`iter`/`iteration` (without `/total`) set the step, also carried.
 * 4. Phase: a line starting with Test/Val/Validation/Eval words (within its first four words) switches
 *    to the validation phase until an epoch/train line; there, names without a train/val prefix get
 *    `val_` (`Test: … loss: 1.2` → `val_loss`). Prose (≥ 3 words before the first pair) is skipped.
 */
import type { MetricEvent } from '../types';
import type { ByteLineParser, LineFormat, PointColumn, PointSink } from './format';
import { canonicalName } from '../run/names';
import { EventSink, headLines } from './event';
import { parseLinesFast } from './byte-lines';
import { ByteNumber, POW10_EXACT } from './numbers';
import { KeyCache } from './key-cache';
import { hasPhasePrefix } from './jsonl-core';
import { F_COUNTER, F_UNIT, lex, NUM, PUNCT, Tokens, WORD } from './plain-lexer';

const MAX_LINE = 256 * 1024;

const EPOCH_KEYS = new Set(['epoch', 'ep', 'epoch_idx', 'cur_epoch', 'current_epoch']);
const STEP_KEYS = new Set(['step', 'iter', 'iteration', 'global_step', 'it', 'iters', 'globalstep', 'update', 'updates', 'global_steps']);
const TRAIN_WORDS = new Set(['train', 'training']);
const VAL_WORDS = new Set(['test', 'testing', 'val', 'valid', 'validation', 'validating', 'eval', 'evaluation', 'evaluating']);
const IGNORE = new Set([
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
function isPhaseMeasure(key: string): boolean {
  return hasPhasePrefix(key) && MEASURE.test(key);
}
/** A YACS/detectron2-style setting key (`PRINT_FREQ`, `BASE_LR`) alone on its line is a config dump. */
const SETTING_KEY = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/**
 * The prefix Python's `logging` (and glog) puts before a message, removed before the message is read
 * (its file names, line numbers, logger names and clock are not metrics, and its words are not prose):
 * - Swin/DeiT `create_logger`: `[2026-04-24 21:01:55 swin_tiny] (main.py 272): INFO `;
 * - HF examples: `12/21/2022 19:15:41 - INFO - __main__ -   `; `asctime - name - LEVEL - `;
 * - BasicSR/PaddleGAN: `23-05-05 21:26:52.413 - INFO: `; `logging.basicConfig()`: `INFO:root:`;
 * - glog: `W0505 21:25:39.030349 315949 gpu_resources.cc:61] `.
 */
const LOG_PREFIX = new RegExp(
  '^(?:' +
    [
      String.raw`\[[^\]]{0,120}\]\s*\([\w.-]{1,80} \d+\):\s*(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+`,
      String.raw`[\d/:., -]{8,40}\s+-\s+(?:[\w.]{1,80}\s+-\s+)?(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)(?:\s+-\s+[\w.<>]{1,80}\s+-|\s*:|\s+-)\s*`,
      String.raw`(?:DEBUG|INFO|WARNING|ERROR|CRITICAL):[\w.]{1,80}:`,
      String.raw`[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+\s+[\w.-]{1,80}:\d+\]\s*`,
    ].join('|') +
    ')',
);

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
const MEASURE = /(?:loss|acc|err|perplexity|ppl|f1|auc|top\d|map|iou|bleu|psnr|ssim|mse|mae|score|recall|precision)/i;
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

interface Pair {
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

export class PlainParser implements ByteLineParser {
  private epoch: number | undefined;
  private step: number | undefined;
  private phase: 'train' | 'val' = 'train';
  private readonly t = new Tokens();
  private readonly events = new EventSink();
  // The byte path: the current line's pairs (key entry, value, counter flag), reused per line.
  private readonly keys = new KeyCache((bytes, hash) => new KeyEntry(bytes, hash));
  private pairKeys: KeyEntry[] = [];
  private pairVals = new Float64Array(16);
  private pairCounter = new Uint8Array(16);
  private readonly num = new ByteNumber();

  reset(): void {
    this.epoch = undefined;
    this.step = undefined;
    this.phase = 'train';
  }

  parseLine(line: string, lineNo: number): MetricEvent[] {
    const out: MetricEvent[] = [];
    this.events.out = out;
    this.parseLineTo(line, lineNo, this.events);
    return out;
  }

  parseLineTo(line: string, lineNo: number, sink: PointSink): void {
    const s = stripLogPrefix(clean(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line));
    if (s.length === 0) return;
    const t = this.t;
    lex(s, t);
    const pairs = findPairs(s, t);
    const phaseWord = this.updatePhase(s, t, pairs);
    if (pairs.length === 0 || isSettingLine(line, pairs)) return;
    // Context first: an epoch/step written after a metric on the same line still applies to it.
    for (const p of pairs) {
      const k = p.lower;
      if (EPOCH_KEYS.has(k) || k.startsWith('epoch(')) {
        this.epoch = p.value;
        // `[Epoch 0] validation: top1=…`: the line's phase word wins over the epoch's train phase.
        if (!phaseWord) this.phase = /\((?:val|test|eval)/.test(k) ? 'val' : 'train';
      } else if (STEP_KEYS.has(k) || k.startsWith('iter(')) {
        if (!p.counter) this.step = p.value;
      } else if (TRAIN_WORDS.has(k)) {
        // timm `Train: 3 [ 100/500 …]` and Swin `Train: [3/40][10/390]`, both 0-based.
        if (!p.counter || p.bracketed) this.epoch = p.value;
        this.phase = 'train';
      } else if (VAL_WORDS.has(k)) this.phase = 'val';
    }
    for (const p of pairs) {
      const k = p.lower;
      if (p.counter || IGNORE.has(k) || isContextKey(k) || isNeverMetric(k)) continue;
      const q = this.phase === 'val' && !hasPhasePrefix(p.key) ? `val_${p.key}` : p.key;
      sink.column(canonicalName(q), p.key).push(p.value, this.step, this.epoch, lineNo);
    }
  }

  /**
   * The byte path (ByteLineParser): lines made only of `key=value`, `key: value`, `Epoch [e/E]` /
   * `step 100` items (ASCII, separated by spaces, `,`, `;` or `|`) are read from the bytes, their keys
   * resolved through a cache keyed by the key bytes and their numbers converted from the bytes. Any
   * other line (prose, nan, units, parentheses, quotes, terminal codes, non-ASCII) goes to the string
   * path. For the lines it takes, the pairs are exactly those `lex` + `findPairs` find (no word
   * precedes a key, so no qualifier, prose or phase word applies), and they are applied as
   * `parseLineTo` applies them.
   */
  parseBytes(buf: Uint8Array, start: number, end: number, firstLineNo: number, sink: PointSink): number {
    return parseLinesFast(this, buf, start, end, firstLineNo, sink);
  }

  /**
   * Reads the line at `buf[a]` if it is in the byte path's grammar (see parseBytes) and returns the
   * index of its `\n` (or `end`); else returns -1 having changed nothing.
   */
  fastLine(buf: Uint8Array, a: number, end: number, lineNo: number, sink: PointSink): number {
    const num = this.num;
    let n = 0;
    let spacedEquals = false;
    let p = a;
    let c = 0;
    for (;;) {
      // Separators, then a key or the end of the line.
      c = p < end ? buf[p] : 10;
      while (CLS[c] & C_SEP) c = ++p < end ? buf[p] : 10;
      if (c === 10) break;
      if (c === 13 && (p + 1 >= end || buf[p + 1] === 10)) {
        p++; // the `\r` of `\r\n`
        break;
      }
      if (!(CLS[c] & C_KEY) || p - a > 65536) return -1;
      // The key: word chars, with an inner `/ . - @` followed by a word char (lexer `wordEnd`).
      const ks = p;
      // Most lines repeat the previous line's keys in order: try that key's bytes first.
      let key: KeyEntry | undefined = this.pairKeys[n];
      if (key !== undefined && key.at(buf, p, end)) {
        p += key.bytes.length;
        c = p < end ? buf[p] : 10;
      } else {
        let h = Math.imul(0x811c9dc5 ^ c, 16777619);
        for (;;) {
          c = ++p < end ? buf[p] : 10;
          const k = CLS[c];
          if (k & C_WORD || (k & C_INNER && p + 1 < end && CLS[buf[p + 1]] & C_WORD)) h = Math.imul(h ^ c, 16777619);
          else break;
        }
        if (p - ks > 100) return -1;
        key = this.keys.get(buf, ks, p, h);
        if (key === undefined) return -1;
      }
      const ke = p;
      // `key=`, `key:`, `key =` (spaced), or `key <number>` for an epoch/step key.
      while (c === 32 || c === 9) c = ++p < end ? buf[p] : 10;
      let sep = false;
      if (c === 61 || c === 58) {
        sep = true;
        if (c === 61 && p > ke && n === 0) spacedEquals = true;
        c = ++p < end ? buf[p] : 10;
        while (c === 32 || c === 9) c = ++p < end ? buf[p] : 10;
      } else if (p === ke) return -1; // glued to `(`, `'`, `[`, …
      if (key.notKey || (!sep && !key.context)) return -1; // space pairs: tables and prose are the string path's
      let bracket = false;
      if (c === 91) {
        bracket = true;
        c = ++p < end ? buf[p] : 10;
      } else if (!(CLS[c] & C_NUM)) return -1;
      // The number: `-? digits [. digits] [e[+-]digits]` of at most 15 significant digits and a
      // power of ten within 10^±22 converted here in one exact operation; anything else by ByteNumber.
      const ns = p;
      let v = NaN;
      let neg = false;
      if (c === 45) {
        neg = true;
        c = ++p < end ? buf[p] : 10;
      }
      let mant = 0;
      let nd = 0;
      while (c >= 48 && c <= 57) {
        mant = mant * 10 + (c - 48);
        nd++;
        c = ++p < end ? buf[p] : 10;
      }
      let e10 = 0;
      if (c === 46) {
        c = ++p < end ? buf[p] : 10;
        if (!(c >= 48 && c <= 57)) nd = -1; // `5.`: ByteNumber refuses it, the string path reads it
        while (c >= 48 && c <= 57) {
          mant = mant * 10 + (c - 48);
          nd++;
          e10--;
          c = ++p < end ? buf[p] : 10;
        }
      }
      if (c === 101 || c === 69) {
        c = ++p < end ? buf[p] : 10;
        let eneg = false;
        if (c === 45 || c === 43) {
          eneg = c === 45;
          c = ++p < end ? buf[p] : 10;
        }
        let x = 0;
        let ed = 0;
        while (c >= 48 && c <= 57 && ed < 4) {
          x = x * 10 + (c - 48);
          ed++;
          c = ++p < end ? buf[p] : 10;
        }
        if (ed > 0 && ed < 4) e10 += eneg ? -x : x;
        else nd = -1; // no exponent digits, or many: ByteNumber decides
      }
      if (nd > 0 && nd <= 15 && e10 >= -22 && e10 <= 22) {
        v = e10 === 0 ? mant : e10 < 0 ? mant / POW10_EXACT[-e10] : mant * POW10_EXACT[e10];
        if (neg) v = -v;
      } else {
        v = num.read(buf, ns, end);
        if (v !== v) return -1;
        p = num.end;
        c = p < end ? buf[p] : 10;
      }
      let counter = 0;
      if (c === 47 && p + 1 < end && buf[p + 1] >= 48 && buf[p + 1] <= 57) {
        // `N/M`: a counter (the lexer's F_COUNTER), whatever the key.
        counter = 1;
        p += 2;
        c = p < end ? buf[p] : 10;
        while (c >= 48 && c <= 57) c = ++p < end ? buf[p] : 10;
      }
      if (bracket) {
        if (c !== 93) return -1;
        c = ++p < end ? buf[p] : 10;
      }
      if (!(CLS[c] & C_END)) return -1;
      // `Train: [3/40]` sets the epoch from a counter: the string path's rule (Pair.bracketed).
      if (counter && bracket && key.kind === K_TRAIN) return -1;
      if (n === this.pairVals.length) this.growPairs();
      this.pairKeys[n] = key;
      this.pairVals[n] = v;
      this.pairCounter[n] = counter;
      n++;
    }
    if (p - a > 65536) return -1; // the string path cuts lines at MAX_LINE
    if (n === 0) return p; // separators only: no token the string path could use
    const keys = this.pairKeys;
    const vals = this.pairVals;
    const counters = this.pairCounter;
    // isSettingLine
    if (n === 1 && !keys[0].context && (keys[0].setting || (spacedEquals ? !keys[0].phaseMeasure : buf[a] === 32 || buf[a] === 9))) return p;
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (k.kind === K_EPOCH) {
        this.epoch = vals[i];
        this.phase = 'train';
      } else if (k.kind === K_STEP) {
        if (!counters[i]) this.step = vals[i];
      } else if (k.kind === K_TRAIN) {
        if (!counters[i]) this.epoch = vals[i];
        this.phase = 'train';
      } else if (k.kind === K_VAL) this.phase = 'val';
    }
    const val = this.phase === 'val';
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (counters[i] || k.skip) continue;
      k.column(sink, val).push(vals[i], this.step, this.epoch, lineNo);
    }
    return p;
  }

  private growPairs(): void {
    const m = this.pairVals.length * 2;
    const v = new Float64Array(m);
    v.set(this.pairVals);
    this.pairVals = v;
    const c = new Uint8Array(m);
    c.set(this.pairCounter);
    this.pairCounter = c;
  }

  /** Phase words among the first four words before the first pair; true when one was found. */
  private updatePhase(s: string, t: Tokens, pairs: readonly Pair[]): boolean {
    // Up to the first measurement: `[Epoch 0] validation: top1=…` names its phase after the epoch.
    const first = pairs.find((p) => !isContextKey(p.lower));
    const limit = first !== undefined ? first.keyTok : t.n;
    let words = 0;
    for (let i = 0; i < limit && words < 4; i++) {
      // The key of a pair is not a phase word of the line (`val: 1 epoch: 3 loss: …`: the context
      // loop reads it, as the byte path does).
      if (t.kind[i] !== WORD || pairs.some((p) => p.keyTok === i)) continue;
      words++;
      const w = s.slice(t.start[i], t.end[i]).toLowerCase();
      if (VAL_WORDS.has(w)) {
        this.phase = 'val';
        return true;
      }
      if (TRAIN_WORDS.has(w)) {
        this.phase = 'train';
        return true;
      }
    }
    return false;
  }
}

/**
 * A printed setting rather than a measurement: a line holding one pair that is either
 * `Key = value` (`LR = 0.00400000`, `Batch size = 4096`) or indented alone on its line (YAML-like
 * option dumps, `  lr_G: 0.0002`). Skipping these keeps configs from becoming metric points.
 */
function isSettingLine(line: string, pairs: readonly Pair[]): boolean {
  if (pairs.length !== 1 || isContextKey(pairs[0].lower)) return false;
  if (SETTING_KEY.test(pairs[0].key)) return true;
  // HF example scripts log their evaluation as `eval_loss = 0.41` (`logger.info("  %s = %s", …)`).
  if (pairs[0].spacedEquals) return !isPhaseMeasure(pairs[0].key);
  const c = line.charCodeAt(0);
  return c === 32 || c === 9;
}

function isContextKey(k: string): boolean {
  return (
    EPOCH_KEYS.has(k) || STEP_KEYS.has(k) || TRAIN_WORDS.has(k) || VAL_WORDS.has(k) || k.startsWith('epoch(') || k.startsWith('iter(')
  );
}

function punct(t: Tokens, i: number, ...chars: number[]): boolean {
  return i >= 0 && i < t.n && t.kind[i] === PUNCT && chars.includes(t.ch[i]);
}

/** The message of a line without its logging prefix (LOG_PREFIX). */
export function stripLogPrefix(s: string): string {
  const c = s.charCodeAt(0);
  // Every prefix starts with `[`, a digit or a capital letter: skip the regex for the rest.
  if (!(c === 91 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return s;
  const m = LOG_PREFIX.exec(s);
  return m ? s.slice(m[0].length) : s;
}

/** Finds the key/value pairs of a lexed line (see the file comment for the rules). */
function findPairs(s: string, t: Tokens): Pair[] {
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

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][A-Za-z0-9]|[=>])/g;

/** The final visible state of a terminal line: last non-blank `\r`/`\b` segment, no ANSI codes. */
export function clean(line: string): string {
  let s = line;
  if (s.length > 0 && s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
  if (s.indexOf('\r') >= 0 || s.indexOf('\b') >= 0) {
    let end = s.length;
    for (let i = s.length - 1; i >= -1; i--) {
      const c = i >= 0 ? s.charCodeAt(i) : 13;
      if (c === 13 || c === 8) {
        const seg = s.slice(i + 1, end);
        if (seg.trim().length > 0) {
          s = seg;
          break;
        }
        end = i;
      }
    }
    if (s.indexOf('\r') >= 0 || s.indexOf('\b') >= 0) s = '';
  }
  if (s.indexOf('\x1b') >= 0) s = s.replace(ANSI, '');
  return s;
}

/** What follows a key in a `key: value` pair; tried only where a key ends (see hasPairHint). */
const PAIR_TAIL = /\s*[:=]\s*[-+]?(?:\d|nan\b|inf\b)/iy;
const KEY_CHAR = /[\w/@.-]/;
/**
 * `epoch 3`, `ep: 3`, `iter [3`: what `\b(?:epoch|ep|iter|step)\b\s*[:=[]?\s*\[?\s*\d` matches, with
 * each run of blanks read once (three optional runs in a row made a blank line cubic: 10 s per line
 * of 4 000 spaces after `epoch`).
 */
export const EPOCH_HINT = /\b(?:epoch|ep|iter|step)\b\s*(?:[:=[]\s*)?(?:\[\s*)?\d/i;
const KEY_START = /[A-Za-z_]/;

/**
 * Whether a line holds `key: number` (a key of `[\w/@.-]` with a letter or `_` in it). What
 * `/[A-Za-z_][\w/@.-]*\s*[:=]\s*[-+]?(?:\d|nan\b|inf\b)/i` found, in one pass: that expression tried
 * each letter of a long word as a start and read to the word's end each time (quadratic: 0.22 s per
 * 64 KB head of one long word per line). A key can only end where its run of key characters ends.
 */
export function hasPairHint(line: string): boolean {
  let i = 0;
  while (i < line.length) {
    if (!KEY_CHAR.test(line[i])) {
      i++;
      continue;
    }
    let letter = false;
    while (i < line.length && KEY_CHAR.test(line[i])) {
      if (!letter && KEY_START.test(line[i])) letter = true;
      i++;
    }
    if (!letter) continue;
    PAIR_TAIL.lastIndex = i;
    if (PAIR_TAIL.test(line)) return true;
  }
  return false;
}

export const plain: LineFormat = {
  id: 'plain',
  kind: 'lines',
  sniff(path, head) {
    if (head.indexOf('\u0000') >= 0) return 0;
    const lines = headLines(head, 200);
    let pairs = 0;
    let epochs = 0;
    for (const l of lines) {
      if (l.length > 4096) continue;
      if (hasPairHint(l)) pairs++;
      if (EPOCH_HINT.test(l)) epochs++;
    }
    if (pairs === 0 && epochs === 0) return /\.(?:log|txt|out)$/i.test(path) ? 0.05 : 0;
    let s = epochs > 0 ? 0.5 : 0.2;
    if (/\.(?:log|txt|out)$/i.test(path)) s += 0.1;
    return s;
  },
  createParser() {
    return new PlainParser();
  },
};

/** Byte classes of the byte path. */
const C_WORD = 1;
const C_KEY = 2;
const C_SEP = 4;
const C_INNER = 8;
const C_NUM = 16;
/** What may follow a value: a separator, `\r` or `\n`. */
const C_END = 32;
const CLS = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const digit = c >= 48 && c <= 57;
  if (alpha || digit) CLS[c] |= C_WORD;
  if (alpha) CLS[c] |= C_KEY;
  if (c === 32 || c === 9 || c === 44 || c === 59 || c === 124) CLS[c] |= C_SEP | C_END;
  if (c === 47 || c === 46 || c === 45 || c === 64) CLS[c] |= C_INNER;
  if (digit || c === 45 || c === 43 || c === 46) CLS[c] |= C_NUM;
}
CLS[10] |= C_END;
CLS[13] |= C_END;

const K_OTHER = 0;
const K_EPOCH = 1;
const K_STEP = 2;
const K_TRAIN = 3;
const K_VAL = 4;

/** A key of the byte path, classified once, with its columns for the current sink. */
class KeyEntry {
  readonly key: string;
  /** The lexer reads it as a number (`nan`, `inf`, `Infinity`): not a key. */
  readonly notKey: boolean;
  /** Which context it sets (the first matching test of `parseLineTo`'s context loop). */
  readonly kind: number;
  readonly context: boolean;
  /** Alone on its line, a setting (isSettingLine): `PRINT_FREQ: 10`. */
  readonly setting: boolean;
  /** `eval_loss = 0.4` alone on its line is a measurement all the same (isSettingLine). */
  readonly phaseMeasure: boolean;
  /** Never a point: an ignored or a context key, a source location or a count. */
  readonly skip: boolean;
  private sink: PointSink | undefined;
  private train: PointColumn | undefined;
  private val: PointColumn | undefined;

  constructor(
    readonly bytes: Uint8Array,
    readonly hash: number,
  ) {
    const key = String.fromCharCode(...bytes);
    this.key = key;
    const k = key.toLowerCase();
    this.notKey = key.length <= 8 && (k === 'nan' || k === 'inf' || k === 'infinity');
    this.kind =
      EPOCH_KEYS.has(k) || k.startsWith('epoch(')
        ? K_EPOCH
        : STEP_KEYS.has(k) || k.startsWith('iter(')
          ? K_STEP
          : TRAIN_WORDS.has(k)
            ? K_TRAIN
            : VAL_WORDS.has(k)
              ? K_VAL
              : K_OTHER;
    this.context = isContextKey(k);
    this.setting = SETTING_KEY.test(key);
    this.phaseMeasure = isPhaseMeasure(key);
    this.skip = IGNORE.has(k) || this.context || isNeverMetric(k);
  }

  /** True when the word at `buf[a]` (bytes before `end`) is this key, as the lexer ends words. */
  at(buf: Uint8Array, a: number, end: number): boolean {
    const kb = this.bytes;
    const n = kb.length;
    if (a + n > end) return false;
    for (let k = 0; k < n; k++) if (kb[k] !== buf[a + k]) return false;
    const e = a + n;
    if (e === end) return true;
    const k = CLS[buf[e]];
    return !(k & C_WORD || (k & C_INNER && e + 1 < end && CLS[buf[e + 1]] & C_WORD));
  }

  column(sink: PointSink, val: boolean): PointColumn {
    if (this.sink !== sink) {
      this.sink = sink;
      this.train = undefined;
      this.val = undefined;
    }
    if (val) return (this.val ??= sink.column(canonicalName(hasPhasePrefix(this.key) ? this.key : `val_${this.key}`), this.key));
    return (this.train ??= sink.column(canonicalName(this.key), this.key));
  }
}
