/**
 * The engine behind the JSON-lines formats (generic, detectron2, mmengine, LLaMA-Factory): one JSON
 * object per line, numbers become events, the record's epoch/step keys annotate them. Formats differ
 * in those keys, the keys to skip, epoch numbering, and record-level hooks.
 */
import type { MetricEvent } from '../types';
import type { LineParser } from './format';
import { canonicalName } from '../run/names';
import { parseJsonLine } from './json-tolerant';
import { ev, Messages } from './event';

export interface JsonlOptions {
  epochKeys: readonly string[];
  stepKeys: readonly string[];
  skipKeys: ReadonlySet<string>;
  /** Subtracted from the written epoch (1 for writers that count epochs from 1). */
  epochOffset: number;
  /**
   * Optional per-record hook: may adjust step/epoch or a name prefix (e.g. mmcv `mode: "val"`), or
   * report something (detectron2 iteration resets).
   */
  record?(rec: Record<string, unknown>, ctx: RecordContext): void;
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

export class JsonlParser extends Messages implements LineParser {
  private readonly state = new Map<string, number>();
  private bad = 0;

  constructor(private readonly opts: JsonlOptions) {
    super();
  }

  reset(): void {
    this.state.clear();
    this.bad = 0;
  }

  parseLine(line: string, lineNo: number): MetricEvent[] {
    let a = 0;
    while (a < line.length && line.charCodeAt(a) <= 32) a++;
    if (a >= line.length || line.charCodeAt(a) !== 123) return [];
    const rec = parseJsonLine(a === 0 ? line : line.slice(a));
    if (rec === undefined || rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      if (this.bad++ < 5) this.add(`line ${lineNo}: not a valid JSON object, skipped`);
      return [];
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
    const out: MetricEvent[] = [];
    this.collect(r, '', ctx, out, 0);
    return out;
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
