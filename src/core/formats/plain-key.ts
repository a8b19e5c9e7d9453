/**
 * The byte path of printed logs (formats/plain.ts): byte classes of the hand-written scanner, and the
 * keys it meets, each classified once (context, setting, skipped) with its sink columns.
 */
import type { PointColumn, PointSink } from './format';
import { canonicalName } from '../run/names';
import { hasPhasePrefix } from './jsonl-core';
import { EPOCH_KEYS, IGNORE, isContextKey, isNeverMetric, isPhaseMeasure, SETTING_KEY, STEP_KEYS, TRAIN_WORDS, VAL_WORDS } from './plain-pairs';

/** Byte classes of the byte path. */
export const C_WORD = 1;
export const C_KEY = 2;
export const C_SEP = 4;
export const C_INNER = 8;
export const C_NUM = 16;
/** What may follow a value: a separator, `\r` or `\n`. */
export const C_END = 32;
export const CLS = new Uint8Array(256);
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

export const K_OTHER = 0;
export const K_EPOCH = 1;
export const K_STEP = 2;
export const K_TRAIN = 3;
export const K_VAL = 4;

/** A key of the byte path, classified once, with its columns for the current sink. */
export class KeyEntry {
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
