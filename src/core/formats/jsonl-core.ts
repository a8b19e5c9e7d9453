/**
 * The engine behind the JSON-lines formats (generic, detectron2, mmengine, LLaMA-Factory): one JSON
 * object per line, numbers become events, the record's epoch/step keys annotate them. Formats differ
 * in those keys, the keys to skip, epoch numbering, and record-level hooks.
 */
import type { MetricEvent } from '../types';
import type { ParserCheckpoint, PointColumn, PointSink, SplittableParser } from './format';
import { canonicalName } from '../run/names';
import { parseJsonLine } from './json-tolerant';
import { parseLinesFast } from './byte-lines';
import { eventsToSink, ev, Messages } from './event';
import { ByteNumber, utf8 } from './numbers';
import { fnv, FNV_SEED, KeyCache } from './key-cache';

export interface JsonlOptions {
  epochKeys: readonly string[];
  stepKeys: readonly string[];
  skipKeys: ReadonlySet<string>;
  /** Subtracted from the written epoch (1 for writers that count epochs from 1). */
  epochOffset: number;
  /**
   * Optional per-record hook: may adjust step/epoch or a name prefix (e.g. mmcv `mode: "val"`). It
   * reads the record, so a format with this hook has no byte path.
   */
  record?(rec: Record<string, unknown>, ctx: RecordContext): void;
  /**
   * Optional hook on the record's context only (detectron2 iteration resets); both paths call it. It
   * may change step/epoch and report, not set a prefix (the byte path does not apply one).
   */
  context?(ctx: RecordContext): void;
}

export interface RecordContext {
  lineNo: number;
  step: number | undefined;
  epoch: number | undefined;
  /** Prefix added to names that carry no train/val prefix of their own. */
  prefix: string;
  messages: Messages;
  /** Free state for the hook, kept across lines and cleared by reset(). */
  state: Map<string, number>;
}

const MAX_FLATTEN_DEPTH = 3;

export class JsonlParser extends Messages implements SplittableParser {
  private readonly state = new Map<string, number>();
  private bad = 0;
  private readonly events: MetricEvent[] = [];
  // The byte path (formats without a `record` hook): the current line's keys and values.
  private readonly fast: boolean;
  private readonly keys: KeyCache<JsonKey>;
  private pairKeys: JsonKey[] = [];
  private pairVals = new Float64Array(16);
  /** 1 when the pair's value is a number (else a string, true, false or null). */
  private pairNum = new Uint8Array(16);
  private stamp = 0;
  private readonly num = new ByteNumber();

  constructor(private readonly opts: JsonlOptions) {
    super();
    this.fast = opts.record === undefined;
    this.keys = new KeyCache((bytes, hash) => new JsonKey(bytes, hash, opts));
  }

  reset(): void {
    this.state.clear();
    this.bad = 0;
  }

  /**
   * Without hooks a line's points depend on that line alone: any range can be read by a fresh parser.
   * (Hooks keep state across lines: detectron2's iteration resets.)
   */
  checkpoint(): ParserCheckpoint | undefined {
    return this.opts.record || this.opts.context ? undefined : {};
  }

  restore(): void {
    // nothing to carry: see checkpoint
  }

  parseLineTo(line: string, lineNo: number, sink: PointSink): void {
    const out = this.events;
    out.length = 0;
    this.parseLineInto(line, lineNo, out);
    eventsToSink(out, sink);
    out.length = 0;
  }

  parseLine(line: string, lineNo: number): MetricEvent[] {
    const out: MetricEvent[] = [];
    this.parseLineInto(line, lineNo, out);
    return out;
  }

  private parseLineInto(line: string, lineNo: number, out: MetricEvent[]): void {
    let a = 0;
    while (a < line.length && line.charCodeAt(a) <= 32) a++;
    if (a >= line.length || line.charCodeAt(a) !== 123) return;
    const rec = parseJsonLine(a === 0 ? line : line.slice(a));
    if (rec === undefined || rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      if (this.bad++ < 5) this.add(`line ${lineNo}: not a valid JSON object, skipped`);
      return;
    }
    const r = rec as Record<string, unknown>;
    const o = this.opts;
    let epoch = firstNumber(r, o.epochKeys);
    if (epoch !== undefined) epoch -= o.epochOffset;
    const ctx: RecordContext = {
      lineNo,
      step: firstNumber(r, o.stepKeys),
      epoch,
      prefix: '',
      messages: this,
      state: this.state,
    };
    if (o.record) o.record(r, ctx);
    if (o.context) o.context(ctx);
    this.collect(r, '', ctx, out, 0);
  }

  /**
   * The byte path (ByteLineParser): a line holding one flat JSON object whose values are numbers,
   * strings without escapes, true, false or null is read from the bytes; keys are resolved through a
   * cache keyed by their bytes, numbers converted from the bytes (numbers.ts, the value JSON.parse
   * gives). Anything else (nesting, arrays, escapes, NaN/Infinity, a repeated key, a key starting with
   * a digit, which JSON objects order first, invalid JSON) goes to the string path. Points are those
   * of `parseLine`: the record's epoch/step from the first of the format's keys holding a number,
   * then every other number in the line's key order.
   */
  parseBytes(buf: Uint8Array, start: number, end: number, firstLineNo: number, sink: PointSink): number {
    return parseLinesFast(this, buf, start, end, firstLineNo, sink);
  }

  /** Reads the line at `buf[a]` (see parseBytes): the index of its `\n` (or `end`), or -1 having done nothing. */
  fastLine(buf: Uint8Array, a: number, end: number, lineNo: number, sink: PointSink): number {
    if (!this.fast) return -1;
    let p = a;
    let c = p < end ? buf[p] : 10;
    while (c === 32 || c === 9 || c === 13) c = ++p < end ? buf[p] : 10;
    if (c === 10) return p; // blank
    if (c !== 123) return -1;
    c = ++p < end ? buf[p] : 10;
    while (c === 32 || c === 9 || c === 13) c = ++p < end ? buf[p] : 10;
    const stamp = ++this.stamp;
    let n = 0;
    if (c === 125) c = ++p < end ? buf[p] : 10;
    else {
      for (;;) {
        if (c !== 34) return -1;
        // The key: printable bytes up to the closing quote, no escapes.
        const ks = ++p;
        let h = FNV_SEED;
        c = p < end ? buf[p] : 10;
        if (c >= 48 && c <= 57) return -1;
        while (c !== 34) {
          if (c < 32 || c === 92) return -1;
          h = fnv(h, c);
          c = ++p < end ? buf[p] : 10;
        }
        let key: JsonKey | undefined = this.pairKeys[n];
        if (key === undefined || key.hash !== h || !key.is(buf, ks, p)) {
          key = this.keys.get(buf, ks, p, h);
          if (key === undefined) return -1;
        }
        if (key.stamp === stamp) return -1; // a repeated key: JSON.parse keeps the last value
        key.stamp = stamp;
        c = ++p < end ? buf[p] : 10;
        while (c === 32 || c === 9 || c === 13) c = ++p < end ? buf[p] : 10;
        if (c !== 58) return -1;
        c = ++p < end ? buf[p] : 10;
        while (c === 32 || c === 9 || c === 13) c = ++p < end ? buf[p] : 10;
        let v = NaN;
        let isNum = 0;
        if (c === 45 || (c >= 48 && c <= 57)) {
          v = this.num.readJson(buf, p, end);
          if (v !== v) return -1;
          isNum = 1;
          p = this.num.end;
        } else if (c === 34) {
          c = ++p < end ? buf[p] : 10;
          while (c !== 34) {
            if (c < 32 || c === 92) return -1; // control bytes are invalid JSON; escapes: string path
            c = ++p < end ? buf[p] : 10;
          }
          p++;
        } else if (c === 110) {
          if (!word(buf, p, end, NULL)) return -1;
          p += 4;
        } else if (c === 116) {
          if (!word(buf, p, end, TRUE)) return -1;
          p += 4;
        } else if (c === 102) {
          if (!word(buf, p, end, FALSE)) return -1;
          p += 5;
        } else return -1;
        if (n === this.pairVals.length) this.growPairs();
        this.pairKeys[n] = key;
        this.pairVals[n] = v;
        this.pairNum[n] = isNum;
        n++;
        c = p < end ? buf[p] : 10;
        while (c === 32 || c === 9 || c === 13) c = ++p < end ? buf[p] : 10;
        if (c === 44) {
          c = ++p < end ? buf[p] : 10;
          while (c === 32 || c === 9 || c === 13) c = ++p < end ? buf[p] : 10;
          continue;
        }
        if (c !== 125) return -1;
        c = ++p < end ? buf[p] : 10;
        break;
      }
    }
    while (c === 32 || c === 9 || c === 13) c = ++p < end ? buf[p] : 10;
    if (c !== 10) return -1;
    // firstNumber: the first of the format's epoch (step) keys holding a number.
    const keys = this.pairKeys;
    const vals = this.pairVals;
    const nums = this.pairNum;
    let epochRank = 1 << 30;
    let stepRank = 1 << 30;
    let epoch: number | undefined;
    let step: number | undefined;
    for (let i = 0; i < n; i++) {
      if (!nums[i]) continue;
      const k = keys[i];
      if (k.epochRank >= 0 && k.epochRank < epochRank) {
        epochRank = k.epochRank;
        epoch = vals[i];
      }
      if (k.stepRank >= 0 && k.stepRank < stepRank) {
        stepRank = k.stepRank;
        step = vals[i];
      }
    }
    const o = this.opts;
    if (epoch !== undefined) epoch -= o.epochOffset;
    if (o.context) {
      const ctx: RecordContext = { lineNo, step, epoch, prefix: '', messages: this, state: this.state };
      o.context(ctx);
      step = ctx.step;
      epoch = ctx.epoch;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (!nums[i] || k.skip) continue;
      k.column(sink).push(vals[i], step, epoch, lineNo);
    }
    return p;
  }

  private growPairs(): void {
    const m = this.pairVals.length * 2;
    const v = new Float64Array(m);
    v.set(this.pairVals);
    this.pairVals = v;
    const c = new Uint8Array(m);
    c.set(this.pairNum);
    this.pairNum = c;
  }

  private collect(r: Record<string, unknown>, path: string, ctx: RecordContext, out: MetricEvent[], depth: number): void {
    const o = this.opts;
    for (const k in r) {
      const v = r[k];
      const key = path === '' ? k : `${path}/${k}`;
      if (typeof v === 'number') {
        if (depth === 0 && (o.skipKeys.has(k) || o.epochKeys.includes(k) || o.stepKeys.includes(k))) continue;
        const raw = key;
        const qualified = ctx.prefix !== '' && !hasPhasePrefix(raw) ? ctx.prefix + raw : raw;
        out.push(ev(canonicalName(qualified), raw, v, ctx.step, ctx.epoch, ctx.lineNo));
      } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < MAX_FLATTEN_DEPTH) {
        this.collect(v as Record<string, unknown>, key, ctx, out, depth + 1);
      }
    }
  }
}

function firstNumber(r: Record<string, unknown>, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const v = r[k];
    if (typeof v === 'number') return v;
  }
  return undefined;
}

/** Names that already say which phase they belong to (`val_loss`, `eval/acc`, `train_loss`, …). */
export function hasPhasePrefix(name: string): boolean {
  return /^(?:train|training|val|valid|validation|eval|evaluation|test)[_/\-.]/i.test(name);
}

const NULL = [110, 117, 108, 108];
const TRUE = [116, 114, 117, 101];
const FALSE = [102, 97, 108, 115, 101];

function word(buf: Uint8Array, p: number, end: number, w: readonly number[]): boolean {
  if (p + w.length > end) return false;
  for (let k = 0; k < w.length; k++) if (buf[p + k] !== w[k]) return false;
  return true;
}

/** A top-level key of the byte path: its role in the format and its column in the current sink. */
class JsonKey {
  readonly key: string;
  /** Index in the format's epoch (step) keys, or -1. */
  readonly epochRank: number;
  readonly stepRank: number;
  /** Skipped at the top level (a skip, epoch or step key). */
  readonly skip: boolean;
  /** The line that last held this key (repeated keys go to the string path). */
  stamp = 0;
  private sink: PointSink | undefined;
  private col: PointColumn | undefined;

  constructor(
    readonly bytes: Uint8Array,
    readonly hash: number,
    opts: JsonlOptions,
  ) {
    const key = utf8(bytes, 0, bytes.length);
    this.key = key;
    this.epochRank = opts.epochKeys.indexOf(key);
    this.stepRank = opts.stepKeys.indexOf(key);
    this.skip = opts.skipKeys.has(key) || this.epochRank >= 0 || this.stepRank >= 0;
  }

  is(buf: Uint8Array, a: number, b: number): boolean {
    const kb = this.bytes;
    if (kb.length !== b - a) return false;
    for (let k = 0; k < kb.length; k++) if (kb[k] !== buf[a + k]) return false;
    return true;
  }

  column(sink: PointSink): PointColumn {
    if (this.sink !== sink) {
      this.sink = sink;
      this.col = sink.column(canonicalName(this.key), this.key);
    }
    return this.col as PointColumn;
  }
}
