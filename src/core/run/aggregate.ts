/**
 * Compact views of a run for the rules: one point per evaluation, one point per epoch, and alignment
 * of two series (a val point ↔ the train points logged since the previous val point).
 *
 * Everything here is a single pass over the series' typed arrays; rules call these after every append,
 * so they must stay linear and allocation-light.
 */
import type { Run } from './run';
import { advance } from './incremental';
import { Series } from './series';

/** One point of a series, with where it came from. */
export interface Point {
  /** Index in the series. */
  index: number;
  value: number;
  /** NaN when the log gave no step. */
  step: number;
  /** As the log numbers it, possibly fractional (HF); NaN when absent. */
  epoch: number;
  /** 1-based line of the (last) point. */
  line: number;
  fileIndex: number;
}

/** One epoch of a series: the mean of its finite values. */
export interface EpochPoint {
  /** Integer epoch, numbered as the log numbers it. */
  epoch: number;
  value: number;
  /** Finite values averaged. */
  count: number;
  /** Largest step seen in the epoch (NaN when none). */
  step: number;
  firstLine: number;
  /** Line of the epoch's last point (where the epoch's value is complete). */
  line: number;
  fileIndex: number;
}

export function pointAt(s: Series, i: number): Point {
  return { index: i, value: s.value(i), step: s.step(i), epoch: s.epoch(i), line: s.line(i), fileIndex: s.fileIndex(i) };
}

/** All points of a series as objects (use on compact series only: evals, epochs). */
export function allPoints(s: Series): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < s.length; i++) out.push(pointAt(s, i));
  return out;
}

/**
 * One point per evaluation of `name` (e.g. `val_loss`). Consecutive points that carry the same step
 * and epoch (a value re-logged for the same evaluation, e.g. a CSV row repeated by a second logger) are
 * merged into the last one. Points with neither step nor epoch are each their own evaluation.
 */
export function perEval(run: Run, name: string): Point[] {
  const s = run.series(name);
  return s ? perEvalOf(s) : [];
}

/** `perEval` on a series object (e.g. a summed loss). */
export function perEvalOf(s: Series): Point[] {
  return evalsOf(s).slice();
}

/**
 * The evaluations of `s`, kept per series and extended by the points appended since the last call (the
 * merge only looks at the last evaluation, so it carries over). Shared: callers must not modify it.
 */
function evalsOf(s: Series): readonly Point[] {
  return advance(
    s,
    'per-eval',
    () => [] as Point[],
    (out, a, b) => {
      for (let i = a; i < b; i++) {
        const p = pointAt(s, i);
        const prev = out[out.length - 1];
        if (prev && sameEvaluation(prev, p)) {
          out[out.length - 1] = p;
        } else {
          out.push(p);
        }
      }
    },
  );
}

/**
 * Whether `p` belongs to the same evaluation as `prev`: the same step and epoch, and — in one file —
 * printed close together. An evaluation printed batch by batch (Swin `Test: [i/N]`) is on consecutive
 * lines; the same epoch far apart in one file is an epoch header the log lost (real-logs #33: the W&B
 * capture has no `epoch 3`–`5` headers, so four test accuracies 150 lines apart carry epoch 2).
 */
export function sameEvaluation(prev: Point, p: Point): boolean {
  if (!sameKey(prev.step, p.step) || !sameKey(prev.epoch, p.epoch)) return false;
  if (!Number.isFinite(p.step) && !Number.isFinite(p.epoch)) return false;
  return prev.fileIndex !== p.fileIndex || Math.abs(p.line - prev.line) <= SAME_EVAL_MAX_LINES;
}

/** Lines between two prints of one evaluation in one file (a batch-by-batch printout, a metric per line). */
const SAME_EVAL_MAX_LINES = 20;

function sameKey(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** True when some finite epoch of `s` is fractional (HF logs epoch = step / steps_per_epoch). */
export function hasFractionalEpochs(s: Series): boolean {
  for (let i = 0; i < s.length; i++) {
    const e = s.epoch(i);
    if (Number.isFinite(e) && !Number.isInteger(e)) return true;
  }
  return false;
}

/**
 * The integer epoch a point belongs to (numbered as the log numbers it). Integer epochs (Keras, Lightning, YOLO) are used as
 * they are. Fractional epochs (HF: 0.02 … 1.0 for the first epoch) count the epochs completed, so a
 * point at epoch e belongs to epoch ceil(e) − 1.
 */
export function epochBucket(e: number, fractional: boolean): number {
  if (!Number.isFinite(e)) return NaN;
  if (!fractional) return Math.floor(e);
  return Math.max(0, Math.ceil(e - 1e-9) - 1);
}

/**
 * Mean of `name` per epoch, in order of first appearance. Points without an epoch are skipped, so the
 * result is empty for a series logged by step only.
 */
export function perEpochMean(run: Run, name: string): EpochPoint[] {
  const s = run.series(name);
  return s ? epochMeansOf(s) : [];
}

/** `perEpochMean` on a series object. */
export function epochMeansOf(s: Series): EpochPoint[] {
  const frac = hasFractionalEpochs(s);
  const out: EpochPoint[] = [];
  let cur: EpochPoint | undefined;
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const b = epochBucket(s.epoch(i), frac);
    if (Number.isNaN(b)) continue;
    if (!cur || cur.epoch !== b) {
      if (cur) finish(cur, sum);
      cur = { epoch: b, value: NaN, count: 0, step: NaN, firstLine: s.line(i), line: s.line(i), fileIndex: s.fileIndex(i) };
      out.push(cur);
      sum = 0;
    }
    const v = s.value(i);
    if (Number.isFinite(v)) {
      sum += v;
      cur.count++;
    }
    const st = s.step(i);
    if (Number.isFinite(st) && !(st <= cur.step)) cur.step = st;
    cur.line = s.line(i);
    cur.fileIndex = s.fileIndex(i);
  }
  if (cur) finish(cur, sum);
  return out;
}

function finish(p: EpochPoint, sum: number): void {
  p.value = p.count ? sum / p.count : NaN;
}

/** How two series can be lined up: by step, by epoch, or by line in the same file. */
export type AlignKey = 'step' | 'epoch' | 'line';

/** Whether every point of `s` has a step / an epoch (tracked incrementally). */
function always(s: Series, what: 'step' | 'epoch'): boolean {
  if (s.length === 0) return false;
  return advance(
    s,
    `always-${what}`,
    () => ({ ok: true }),
    (st, a, b) => {
      const buf = scratch();
      for (let i = a; i < b && st.ok; i += buf.length) {
        const n = Math.min(b - i, buf.length);
        if (what === 'step') s.stepsInto(i, i + n, buf);
        else s.epochsInto(i, i + n, buf);
        for (let k = 0; k < n; k++) {
          if (!Number.isFinite(buf[k])) {
            st.ok = false;
            break;
          }
        }
      }
    },
  ).ok;
}

let scratchBuf: Float64Array | undefined;
/** A reused block for bulk reads of a series' steps/epochs (scans are not re-entrant). */
function scratch(): Float64Array {
  return (scratchBuf ??= new Float64Array(4096));
}

/** The best common key of `a` and `b`: steps if both always have one, else epochs, else lines. */
export function alignKey(a: Series, b: Series): AlignKey {
  if (always(a, 'step') && always(b, 'step')) return 'step';
  if (always(a, 'epoch') && always(b, 'epoch')) return 'epoch';
  return 'line';
}

export function keyOf(s: Series, i: number, k: AlignKey): number {
  return k === 'step' ? s.step(i) : k === 'epoch' ? s.epoch(i) : s.line(i);
}

export function pointKey(p: Point, k: AlignKey): number {
  return k === 'step' ? p.step : k === 'epoch' ? p.epoch : p.line;
}

/** First index of `s` whose key is ≥ `key` (s.length when none); keys are assumed non-decreasing. */
export function lowerBound(s: Series, k: AlignKey, key: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(s, mid, k) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index of `s` whose key is > `key`. */
export function upperBound(s: Series, k: AlignKey, key: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(s, mid, k) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Mean of the finite values of `s` with key in (lo, hi] (the train points logged between two
 * evaluations). When that interval is empty, the last value at or before `hi`, else the first value.
 */
export function meanInInterval(s: Series, k: AlignKey, lo: number, hi: number): number {
  const a = upperBound(s, k, lo);
  const b = upperBound(s, k, hi);
  let sum = 0;
  let n = 0;
  for (let i = a; i < b; i++) {
    const v = s.value(i);
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  if (n) return sum / n;
  for (let i = Math.min(b, s.length) - 1; i >= 0; i--) if (Number.isFinite(s.value(i))) return s.value(i);
  for (let i = 0; i < s.length; i++) if (Number.isFinite(s.value(i))) return s.value(i);
  return NaN;
}

/**
 * Indices where a new launch starts inside one series: the step goes backwards (detectron2 and other
 * loggers that append a restarted run to the same file). Always contains 0 for a non-empty series.
 */
export function segmentStarts(s: Series): readonly number[] {
  if (s.length === 0) return [];
  const st = advance(
    s,
    'segments',
    () => ({ starts: [0], prev: NaN }),
    (state, a, b) => {
      const buf = scratch();
      for (let i = a; i < b; i += buf.length) {
        const n = Math.min(b - i, buf.length);
        s.stepsInto(i, i + n, buf);
        for (let k = 0; k < n; k++) {
          const x = buf[k];
          if (Number.isFinite(x)) {
            if (Number.isFinite(state.prev) && x < state.prev) state.starts.push(i + k);
            state.prev = x;
          }
        }
      }
    },
  );
  return st.starts;
}

/**
 * Steps per epoch estimated from any series that carries both (NaN when unknown): the slope between
 * its first and last points with both a step and an epoch.
 */
export function stepsPerEpoch(run: Run): number {
  for (const name of ['train_loss', 'lr', 'val_loss', 'val_acc', ...run.names()]) {
    const s = run.series(name);
    if (!s) continue;
    const { first, last } = stepEpochRange(s);
    if (first < 0 || last <= first) continue;
    const de = s.epoch(last) - s.epoch(first);
    const ds = s.step(last) - s.step(first);
    if (de > 0 && ds > 0) return ds / de;
  }
  return NaN;
}

/** First and last index of `s` with both a step and an epoch (-1 when none), tracked incrementally. */
function stepEpochRange(s: Series): { first: number; last: number } {
  return advance(
    s,
    'step-epoch-range',
    () => ({ first: -1, last: -1 }),
    (st, a, b) => {
      for (let i = a; i < b; i++) {
        if (Number.isFinite(s.step(i)) && Number.isFinite(s.epoch(i))) {
          if (st.first < 0) st.first = i;
          st.last = i;
        }
      }
    },
  );
}

/** Finite values of a series as a plain array with their indices (for rules on compact series). */
export function finiteValues(s: Series): { values: number[]; indices: number[] } {
  const values: number[] = [];
  const indices: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const v = s.value(i);
    if (Number.isFinite(v)) {
      values.push(v);
      indices.push(i);
    }
  }
  return { values, indices };
}

const VAL_PART = /^(val|valid|validation|eval)[/_.].*loss$/i;
const TRAIN_PART = /^(train|training)[/_.].*loss$/i;

/**
 * A loss series for one side of the run: the canonical `val_loss` / `train_loss`, else the sum of its
 * logged components (YOLO `val/box_loss` + `val/obj_loss` + `val/cls_loss`, MMDet `train/loss_cls` …)
 * when they all have the same number of points (one row each). The sum keeps the first component's
 * steps, epochs and lines. Undefined when neither exists.
 */
export function lossSeries(run: Run, side: 'val' | 'train'): Series | undefined {
  const canonical = run.series(side === 'val' ? 'val_loss' : 'train_loss');
  if (canonical) return canonical;
  const re = side === 'val' ? VAL_PART : TRAIN_PART;
  const parts = run
    .names()
    .filter((n) => re.test(n))
    .sort()
    .map((n) => run.series(n)!);
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  const n = parts[0].length;
  if (parts.some((p) => p.length !== n)) return undefined;
  // The sum is kept per run and extended by the rows appended since (so that rules re-run after an
  // append cost the new rows, and their incremental state on the sum carries over); rebuilt when the
  // components changed or a component's read prefix was rewritten.
  let byRun = summed.get(run);
  if (!byRun) summed.set(run, (byRun = new Map()));
  let c = byRun.get(side);
  if (!c || c.parts.length !== parts.length || c.parts.some((p, k) => p !== parts[k] || !sameSig(c!.sigs[k], sigOf(p, c!.sum.length))) || c.sum.length > n) {
    c = {
      parts,
      sum: new Series(`${side}_loss (${parts.map((p) => p.name).join(' + ')})`),
      sigs: [],
    };
    byRun.set(side, c);
  }
  const sum = c.sum;
  const first = parts[0];
  for (let i = sum.length; i < n; i++) {
    let v = 0;
    for (const p of parts) v += p.value(i);
    sum.push(v, first.step(i), first.epoch(i), first.line(i), first.fileIndex(i));
  }
  c.sigs = parts.map((p) => sigOf(p, n));
  return sum;
}

interface Summed {
  parts: Series[];
  sum: Series;
  sigs: number[][];
}
const summed = new WeakMap<Run, Map<string, Summed>>();

function sigOf(s: Series, n: number): number[] {
  return n === 0 ? [] : [s.value(0), s.line(0), s.value(n - 1), s.line(n - 1)];
}
function sameSig(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!(a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) return false;
  return true;
}

/**
 * The epoch of a step for a series logged without epochs (Lightning's LearningRateMonitor rows have a
 * step but an empty epoch cell): the epoch of the first point at or after that step in a series that
 * has both (train_loss first), else of the last point before it. NaN when no series has both.
 */
export function epochAtStep(run: Run, step: number): number {
  if (!Number.isFinite(step)) return NaN;
  const names = ['train_loss', ...run.names().filter((n) => n !== 'train_loss')];
  for (const name of names) {
    const s = run.series(name);
    if (!s || (!Number.isFinite(s.epoch(0)) && !Number.isFinite(s.epoch(s.length - 1)))) continue;
    if (!always(s, 'step')) continue;
    const i = lowerBound(s, 'step', step);
    for (const j of [i, i - 1]) if (j >= 0 && j < s.length && Number.isFinite(s.epoch(j))) return s.epoch(j);
  }
  return NaN;
}
