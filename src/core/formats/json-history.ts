/**
 * A whole training history in one JSON document, written once (or rewritten) by the training script:
 * - Keras `History.history` dumped with `json.dump` — a dict of lists, one value per epoch
 *   (`{"loss": [3.85, 1.05, …], "val_loss": […], "learning_rate": […]}`); Keras appends one value per
 *   key at every epoch end (keras-team/keras keras/src/callbacks/history.py @3422977a, `on_epoch_end`:
 *   `self.history.setdefault(k, []).append(v)`), so a value's index is its 0-based epoch — the
 *   numbering of Keras' CSVLogger. (With `validation_freq` > 1 the val lists are shorter and their
 *   index is the evaluation count, which the file cannot tell apart.);
 * - a list of records, one per evaluation (`[{"step": 0, "train_loss": …, "val_acc": …}, …]`): a
 *   record's `epoch` and `step`/`global_step`/`iteration`/`iter` are used as written; when no record has
 *   either, a record's index is its 0-based epoch.
 * Every value keeps the 1-based line it was written on (histories are often pretty-printed and wrapped
 * over many lines). Python's `NaN`/`Infinity` tokens are read. Values that are not numbers (strings,
 * nested objects, `null`) are skipped; so are wall-clock keys.
 */
import type { MetricEvent } from '../types';
import type { DocumentFormat, DocumentParser } from './format';
import { canonicalName } from '../run/names';
import { baseName, ev } from './event';

const EPOCH_KEYS = new Set(['epoch', 'epochs']);
const STEP_KEYS = new Set(['step', 'global_step', 'iteration', 'iter', 'steps', '_step']);
const SKIP_KEYS = new Set(['time', 'timestamp', 'wall_time', 'elapsed', '_runtime', '_timestamp', 'date', 'epoch_time']);

/** One JSON token with the line it starts on. */
interface Token {
  kind: 'punct' | 'string' | 'number' | 'other';
  text: string;
  value: number;
  line: number;
}

const TOKEN = /[ \t\r]+|\n|"(?:[^"\\\n]|\\.)*"|-?(?:Infinity|NaN)|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}[\]:,]|true|false|null/y;

/**
 * The tokens of a JSON document up to its first character that is not JSON (a document cut short
 * inside a string while it is rewritten: what comes before still stands).
 */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let numberEnd = -1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(text);
    if (!m) {
      // Cut inside a number (`-4.`, `1e`): the digits before the cut are not its value.
      if (out[out.length - 1]?.kind === 'number' && numberEnd === i) out.pop();
      return out;
    }
    const t = m[0];
    i += t.length;
    const c = t.charCodeAt(0);
    if (c === 10) line++;
    else if (c === 32 || c === 9 || c === 13) continue;
    else if (c === 34) out.push({ kind: 'string', text: t, value: NaN, line });
    else if (t.length === 1 && '{}[]:,'.includes(t)) out.push({ kind: 'punct', text: t, value: NaN, line });
    else if (t === 'true' || t === 'false' || t === 'null') out.push({ kind: 'other', text: t, value: NaN, line });
    // A complete document ends with `}` or `]`: a number that ends the text may be cut short (a file
    // being rewritten), so it is not a value yet.
    else if (i < text.length) {
      out.push({ kind: 'number', text: t, value: numberOf(t), line });
      numberEnd = i;
    }
  }
  return out;
}

function numberOf(t: string): number {
  if (t.endsWith('NaN')) return NaN;
  if (t.endsWith('Infinity')) return t.startsWith('-') ? -Infinity : Infinity;
  return Number(t);
}

function keyOf(t: Token): string {
  try {
    return JSON.parse(t.text) as string;
  } catch {
    return t.text.slice(1, -1); // an escape JSON refuses: the raw characters, as written
  }
}

/** Index after the value starting at `i` (any JSON value), or -1 if the tokens end first. */
function skipValue(ts: readonly Token[], i: number): number {
  let depth = 0;
  for (let k = i; k < ts.length; k++) {
    const t = ts[k].text;
    if (ts[k].kind === 'punct' && (t === '{' || t === '[')) depth++;
    else if (ts[k].kind === 'punct' && (t === '}' || t === ']')) depth--;
    if (depth === 0) return k + 1;
    if (depth < 0) return -1;
  }
  return -1;
}

const isPunct = (t: Token | undefined, p: string): boolean => t !== undefined && t.kind === 'punct' && t.text === p;

/** `{"k": [v, …], …}` → points at epoch = index. */
function readDictOfLists(ts: readonly Token[]): MetricEvent[] {
  const out: MetricEvent[] = [];
  let i = 1;
  while (i < ts.length && ts[i].kind === 'string' && isPunct(ts[i + 1], ':')) {
    const key = keyOf(ts[i]);
    i += 2;
    if (isPunct(ts[i], '[') && !SKIP_KEYS.has(key.toLowerCase()) && !EPOCH_KEYS.has(key.toLowerCase())) {
      const name = canonicalName(key);
      let index = 0;
      i++;
      while (i < ts.length && !isPunct(ts[i], ']')) {
        const t = ts[i];
        if (t.kind === 'number') out.push(ev(name, key, t.value, undefined, index, t.line));
        if (t.kind === 'punct' && t.text !== ',') {
          i = skipValue(ts, i);
          if (i < 0) return out;
        } else i++;
        if (isPunct(ts[i], ',')) {
          index++;
          i++;
        }
      }
      i++;
    } else {
      i = skipValue(ts, i);
      if (i < 0) return out;
    }
    if (isPunct(ts[i], ',')) i++;
  }
  return out;
}

interface RecordPair {
  key: string;
  token: Token;
}

/** `[{"k": v, …}, …]` → one point per numeric value. */
function readListOfRecords(ts: readonly Token[]): MetricEvent[] {
  const records: RecordPair[][] = [];
  let i = 1;
  while (i < ts.length && isPunct(ts[i], '{')) {
    const pairs: RecordPair[] = [];
    i++;
    while (i < ts.length && ts[i].kind === 'string' && isPunct(ts[i + 1], ':')) {
      const key = keyOf(ts[i]);
      i += 2;
      if (ts[i]?.kind === 'number') {
        pairs.push({ key, token: ts[i] });
        i++;
      } else {
        i = skipValue(ts, i);
        if (i < 0) break;
      }
      if (isPunct(ts[i], ',')) i++;
    }
    if (i < 0 || !isPunct(ts[i], '}')) break; // cut short: what was read so far stands
    records.push(pairs);
    i++;
    if (isPunct(ts[i], ',')) i++;
  }
  const counted = records.some((r) => r.some((p) => EPOCH_KEYS.has(p.key.toLowerCase()) || STEP_KEYS.has(p.key.toLowerCase())));
  const out: MetricEvent[] = [];
  records.forEach((pairs, index) => {
    let epoch: number | undefined = counted ? undefined : index;
    let step: number | undefined;
    for (const p of pairs) {
      const k = p.key.toLowerCase();
      if (EPOCH_KEYS.has(k)) epoch = p.token.value;
      else if (STEP_KEYS.has(k)) step = p.token.value;
    }
    for (const p of pairs) {
      const k = p.key.toLowerCase();
      if (EPOCH_KEYS.has(k) || STEP_KEYS.has(k) || SKIP_KEYS.has(k)) continue;
      out.push(ev(canonicalName(p.key), p.key, p.token.value, step, epoch, p.token.line));
    }
  });
  return out;
}

class JsonHistoryParser implements DocumentParser {
  parseDocument(text: string): MetricEvent[] {
    const ts = tokenize(text);
    if (ts.length === 0) return [];
    if (isPunct(ts[0], '{')) return readDictOfLists(ts);
    if (isPunct(ts[0], '[')) return readListOfRecords(ts);
    return [];
  }
}

const NUMBER_START = '(?:-?\\d|NaN|-?Infinity)';
const KEY = '"[^"\\n]{1,200}"\\s*:\\s*';
/** `{"k": [number…` after any empty lists (`{"loss": [], "lr": [0.1, …`). */
const DICT_OF_LISTS = new RegExp(`^\\s*\\{\\s*${KEY}\\[\\s*(?:\\]\\s*,\\s*${KEY}\\[\\s*){0,50}${NUMBER_START}`);
const LIST_OF_RECORDS = new RegExp(`^\\s*\\[\\s*\\{\\s*"[^"\\n]{1,200}"\\s*:\\s*${NUMBER_START}`);

export const jsonHistory: DocumentFormat = {
  id: 'json-history',
  kind: 'document',
  sniff(path, head) {
    if (!baseName(path).endsWith('.json')) return 0;
    const s = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
    if (DICT_OF_LISTS.test(s)) return 0.85;
    if (LIST_OF_RECORDS.test(s)) return 0.8;
    return 0;
  },
  createParser() {
    return new JsonHistoryParser();
  },
};
