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
 *    `Max_accuracy` (a best-so-far value, kept apart from the accuracy series).
 * 3. Context: `epoch`/`Epoch`/`ep` set the current epoch, carried to following lines: `N/M` is
 *    1-based as printed by Keras, Ultralytics and most scripts (epoch = N − 1); a bare `N` is taken
 *    as 0-based as written (DeiT/ConvNeXt `Epoch: [0]`, Lightning `Epoch 0:`, timm `Train: 0`).
 *    `step`/`iter`/`iteration` (without `/total`) set the step, also carried.
 * 4. Phase: a line starting with Test/Val/Validation/Eval words (within its first four words) switches
 *    to the validation phase until an epoch/train line; there, names without a train/val prefix get
 *    `val_` (`Test: … loss: 1.2` → `val_loss`). Prose (≥ 3 words before the first pair) is skipped.
 */
import type { MetricEvent } from '../types';
import type { LineFormat, LineParser } from './format';
import { canonicalName } from '../run/names';
import { ev, headLines } from './event';
import { hasPhasePrefix } from './jsonl-core';
import { F_COUNTER, F_UNIT, lex, NUM, PUNCT, Tokens, WORD } from './plain-lexer';

const MAX_LINE = 256 * 1024;

const EPOCH_KEYS = new Set(['epoch', 'ep', 'epoch_idx', 'cur_epoch', 'current_epoch']);
const STEP_KEYS = new Set(['step', 'iter', 'iteration', 'global_step', 'it', 'iters', 'globalstep', 'update', 'updates']);
const TRAIN_WORDS = new Set(['train', 'training']);
const VAL_WORDS = new Set(['test', 'testing', 'val', 'valid', 'validation', 'validating', 'eval', 'evaluation', 'evaluating']);
const IGNORE = new Set([
  'time', 'eta', 'data', 'data_time', 'last_time', 'last_data_time', 'max_mem', 'mem', 'memory', 'max_memory',
  'v_num', 'elapsed', 'remaining', 'speed', 'date', 'pid', 'rank', 'gpu', 'world_size', 'local_rank', 'seed',
]);
/** Words that are never the key of a space pair (`improved from 0.3 to 0.2`, `for 450 epochs`). */
const STOP = new Set([
  'from', 'to', 'by', 'of', 'at', 'for', 'in', 'on', 'is', 'was', 'than', 'and', 'with', 'after', 'before', 'over',
  'every', 'each', 'the', 'a', 'an', 'size', 'last', 'took', 'total', 'patience', 'within', 'use', 'using', 'saving',
  'saved', 'loading', 'rank', 'gpu', 'cuda', 'version', 'v', 'python', 'torch', 'days', 'day', 'hours',
]);
const QUALIFIERS = new Set([
  'train', 'training', 'val', 'valid', 'validation', 'eval', 'test', 'max', 'min', 'best', 'avg', 'mean', 'average', 'total',
]);

interface Pair {
  key: string;
  lower: string;
  value: number;
  counter: boolean;
  keyTok: number;
  /** `key = value` with a space before `=`: the style of printed settings (`LR = 0.004`). */
  spacedEquals: boolean;
}

export class PlainParser implements LineParser {
  private epoch: number | undefined;
  private step: number | undefined;
  private phase: 'train' | 'val' = 'train';
  private readonly t = new Tokens();

  reset(): void {
    this.epoch = undefined;
    this.step = undefined;
    this.phase = 'train';
  }

  parseLine(line: string, lineNo: number): MetricEvent[] {
    const s = clean(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);
    if (s.length === 0) return [];
    const t = this.t;
    lex(s, t);
    const pairs = findPairs(s, t);
    this.updatePhase(s, t, pairs);
    if (pairs.length === 0 || isSettingLine(line, pairs)) return [];
    // Context first: an epoch/step written after a metric on the same line still applies to it.
    for (const p of pairs) {
      const k = p.lower;
      if (EPOCH_KEYS.has(k) || k.startsWith('epoch(')) {
        this.epoch = p.counter ? p.value - 1 : p.value;
        this.phase = /\((?:val|test|eval)/.test(k) ? 'val' : 'train';
      } else if (STEP_KEYS.has(k) || k.startsWith('iter(')) {
        if (!p.counter) this.step = p.value;
      } else if (TRAIN_WORDS.has(k)) {
        if (!p.counter) this.epoch = p.value; // timm `Train: 3 [ 100/500 …]`, 0-based
        this.phase = 'train';
      } else if (VAL_WORDS.has(k)) this.phase = 'val';
    }
    const out: MetricEvent[] = [];
    for (const p of pairs) {
      const k = p.lower;
      if (p.counter || IGNORE.has(k) || isContextKey(k)) continue;
      const q = this.phase === 'val' && !hasPhasePrefix(p.key) ? `val_${p.key}` : p.key;
      out.push(ev(canonicalName(q), p.key, p.value, this.step, this.epoch, lineNo));
    }
    return out;
  }

  /** Phase words among the first four words before the first pair. */
  private updatePhase(s: string, t: Tokens, pairs: readonly Pair[]): void {
    const limit = pairs.length > 0 ? pairs[0].keyTok : t.n;
    let words = 0;
    for (let i = 0; i < limit && words < 4; i++) {
      if (t.kind[i] !== WORD) continue;
      words++;
      const w = s.slice(t.start[i], t.end[i]).toLowerCase();
      if (VAL_WORDS.has(w)) {
        this.phase = 'val';
        return;
      }
      if (TRAIN_WORDS.has(w)) {
        this.phase = 'train';
        return;
      }
    }
  }
}

/**
 * A printed setting rather than a measurement: a line holding one pair that is either
 * `Key = value` (`LR = 0.00400000`, `Batch size = 4096`) or indented alone on its line (YAML-like
 * option dumps, `  lr_G: 0.0002`). Skipping these keeps configs from becoming metric points.
 */
function isSettingLine(line: string, pairs: readonly Pair[]): boolean {
  if (pairs.length !== 1 || isContextKey(pairs[0].lower)) return false;
  if (pairs[0].spacedEquals) return true;
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

/** Finds the key/value pairs of a lexed line (see the file comment for the rules). */
function findPairs(s: string, t: Tokens): Pair[] {
  const cand: Pair[] = [];
  const explicit: boolean[] = [];
  let spacePairs = 0;
  let wordsBefore = 0;
  for (let k = 0; k < t.n; k++) {
    if (t.kind[k] === WORD) {
      wordsBefore++;
      continue;
    }
    if (t.kind[k] !== NUM || t.flags[k] & F_UNIT) continue;
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
    let keyTok = j;
    let key = s.slice(t.start[j], t.end[j]);
    if (key.length > 100) continue;
    if (j >= 1 && t.kind[j - 1] === WORD && t.start[j] - t.end[j - 1] === 1) {
      const q = s.slice(t.start[j - 1], t.end[j - 1]);
      if (QUALIFIERS.has(q.toLowerCase())) {
        key = `${q}_${key}`;
        keyTok = j - 1;
      }
    }
    const lower = key.toLowerCase();
    const counter = (t.flags[k] & F_COUNTER) !== 0;
    // Prose: three or more words before the first pair of the line.
    if (cand.length === 0 && wordsBefore - (k - keyTok > 0 ? countWords(t, keyTok, k) : 0) >= 3) continue;
    if (!sep) {
      if (STOP.has(lower)) continue;
      spacePairs++;
    }
    cand.push({ key, lower, value: t.value[k], counter, keyTok, spacedEquals });
    explicit.push(sep);
  }
  if (spacePairs === 0) return cand;
  const table = s.indexOf('|') >= 0 || spacePairs >= 2;
  const out: Pair[] = [];
  for (let i = 0; i < cand.length; i++) {
    if (explicit[i] || table || isContextKey(cand[i].lower)) out.push(cand[i]);
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

const PAIR_HINT = /[A-Za-z_][\w/@.-]*\s*[:=]\s*[-+]?(?:\d|nan\b|inf\b)/i;

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
      if (PAIR_HINT.test(l)) pairs++;
      if (/\b(?:epoch|ep|iter|step)\b\s*[:=[]?\s*\[?\s*\d/i.test(l)) epochs++;
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
