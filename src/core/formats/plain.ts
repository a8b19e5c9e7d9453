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
import type { ByteLineParser, LineFormat, PointSink } from './format';
import { canonicalName } from '../run/names';
import { EventSink, headLines } from './event';
import { parseLinesFast } from './byte-lines';
import { ByteNumber, POW10_EXACT } from './numbers';
import { KeyCache } from './key-cache';
import { hasPhasePrefix } from './jsonl-core';
import { lex, Tokens, WORD } from './plain-lexer';
import { clean, EPOCH_HINT, hasPairHint, stripLogPrefix } from './plain-text';
import { EPOCH_KEYS, findPairs, IGNORE, isContextKey, isNeverMetric, isSettingLine, STEP_KEYS, TRAIN_WORDS, VAL_WORDS, type Pair } from './plain-pairs';
import { C_END, C_INNER, C_KEY, C_NUM, C_SEP, C_WORD, CLS, K_EPOCH, K_STEP, K_TRAIN, K_VAL, KeyEntry } from './plain-key';

// The pieces of a printed log's reading, re-exported where the other formats and the tests import them.
export { clean, EPOCH_HINT, hasPairHint, stripLogPrefix } from './plain-text';
export { isNeverMetric } from './plain-pairs';

const MAX_LINE = 256 * 1024;

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

