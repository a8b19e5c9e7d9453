/**
 * Ultralytics (YOLOv8/11, and YOLOv5 ≥ v6) training output captured from the terminal: a table
 * header, then per epoch a train row with a progress bar and a validation `all` row:
 *
 *       Epoch    GPU_mem   box_loss   cls_loss   dfl_loss  Instances       Size
 *        1/20      5.66G     0.7283      1.357      1.213          6        640: 100%|███| 1603/1603 [03:45<00:00, 7.12it/s]
 *                  Class     Images  Instances      Box(P          R      mAP50  mAP50-95): 100%|███| 34/34 […]
 *                    all        535        601      0.665      0.686      0.668      0.513
 *
 * The train row is the progress bar's description, `('%11s' * 2 + '%11.4g' * (2 + n)) % (f'{epoch + 1}/{epochs}',
 * mem, *tloss, instances, imgsz)` in ultralytics/engine/trainer.py (`_do_train`), where `tloss` is the
 * running mean of the epoch's batch losses: the row of the bar's last state (`N/N` batches) holds the
 * epoch means that results.csv writes as `train/box_loss`…, so only that row is read (earlier states of a
 * bar kept on their own lines by a non-terminal capture are skipped). YOLOv5 ≥ v6.0 prints the same table
 * (`gpu_mem box obj cls labels img_size`, 0-based `k/N`; ultralytics/yolov5 train.py) with a val header
 * `P R mAP@.5 mAP@.5:.95`.
 *
 * Names are those of the results.csv of the same writer (`train/box_loss`, `metrics/mAP50-95(B)`,
 * YOLOv5 `metrics/mAP_0.5:0.95`), so both files read alike. The epoch is the `k` of `k/N` as printed
 * (1-based in Ultralytics 8+, 0-based in YOLOv5, as in their results.csv); several trainings appended
 * to one capture restart their counter, kept as written. A validation row counts once per train row:
 * the final validation of `best.pt` after training, and its per-class rows, are not epochs. GPU
 * memory, instance counts, image sizes, banners, model summaries and dataset paths are not metrics.
 */
import type { MetricEvent } from '../types';
import type { LineFormat, LineParser } from './format';
import { canonicalName } from '../run/names';
import { parseNumber } from './numbers';
import { ev, headLines } from './event';
import { clean } from './plain';

/** The train table header: `Epoch GPU_mem <losses…> Instances Size` (YOLOv5: `gpu_mem … labels img_size`). */
const TRAIN_HEADER = /^\s*Epoch\s+gpu_mem\s/i;
/** Where the loss columns of a train header end. */
const COUNT_COLUMNS = new Set(['instances', 'labels', 'targets']);
/** `Ultralytics 8.3.74 🚀`, `Ultralytics YOLOv8.0.20 🚀`: the banner every training prints first. */
const BANNER = /^Ultralytics (?:YOLOv)?\d+(?:\.\d+)+ /m;
const TRAINER_ARGS = /^(?:yolo\/)?engine\/trainer: /m;
const COUNTER = /^(\d+)\/(\d+)$/;
const MEMORY = /^\d+(?:\.\d+)?[KMG]?$/;
/** The last `i/N` of a progress bar (`1603/1603 [03:45<00:00`, `━━━━ 4/4 1.6s/it`). */
const BAR_COUNT = /(\d+)\/(\d+)/g;

/** Metric names of a validation header's columns after `Class Images Instances`. */
function validationColumns(header: string): string[] | undefined {
  const words = header.trim().split(/\s+/);
  const stop = words.findIndex((w) => w.endsWith(':'));
  const cols = (stop >= 0 ? words.slice(0, stop + 1) : words).map((w) => w.replace(/:$/, ''));
  if (cols[0] === 'classes') {
    // Classification: `classes top1_acc top5_acc`, then `all <top1> <top5>`.
    const names = cols.slice(1).map((c) => (c === 'top1_acc' ? 'metrics/accuracy_top1' : c === 'top5_acc' ? 'metrics/accuracy_top5' : ''));
    return names.length > 0 && names.every((n) => n !== '') ? names : undefined;
  }
  if (cols[0] !== 'Class' || cols[1] !== 'Images' || !COUNT_COLUMNS.has(cols[2]?.toLowerCase() ?? '')) return undefined;
  const out: string[] = [];
  let suffix = '';
  for (const raw of cols.slice(3)) {
    let c = raw.replace(/\)$/, '');
    const group = /^(Box|Mask|Pose)\((.+)$/.exec(c);
    if (group) {
      suffix = `(${group[1][0]})`;
      c = group[2];
    }
    const base = METRIC_OF[c];
    if (base === undefined) return undefined;
    // Grouped columns (YOLOv8+) are results.csv's `metrics/precision(B)`; ungrouped ones YOLOv5's names.
    out.push(suffix !== '' ? `metrics/${base[0]}${suffix}` : `metrics/${base[1]}`);
  }
  return out.length > 0 ? out : undefined;
}

/** Printed column → [YOLOv8+ results.csv base name, YOLOv5 results.csv name]. */
const METRIC_OF: Readonly<Record<string, readonly [string, string]>> = {
  P: ['precision', 'precision'],
  R: ['recall', 'recall'],
  mAP50: ['mAP50', 'mAP_0.5'],
  'mAP@.5': ['mAP50', 'mAP_0.5'],
  'mAP50-95': ['mAP50-95', 'mAP_0.5:0.95'],
  'mAP@.5:.95': ['mAP50-95', 'mAP_0.5:0.95'],
};

/** Loss names of a train header: `box_loss` as written, YOLOv5 ≤ 6.1's bare `box`/`obj`/`cls` as results.csv names them. */
function trainColumns(header: string): string[] | undefined {
  const words = header.trim().split(/\s+/).slice(2);
  const end = words.findIndex((w) => COUNT_COLUMNS.has(w.toLowerCase()));
  if (end <= 0) return undefined;
  return words.slice(0, end).map((w) => `train/${/loss/i.test(w) ? w : `${w}_loss`}`);
}

/** True when the progress bar after a row's values is absent or at its last batch. */
function barComplete(rest: string): boolean {
  let last: RegExpExecArray | undefined;
  BAR_COUNT.lastIndex = 0;
  for (let m = BAR_COUNT.exec(rest); m !== null; m = BAR_COUNT.exec(rest)) last = m;
  return last === undefined || last[1] === last[2];
}

class UltralyticsConsoleParser implements LineParser {
  private train: Array<{ raw: string; name: string }> | undefined;
  private val: Array<{ raw: string; name: string }> | undefined;
  private epoch: number | undefined;
  /** A train row was read and its validation row has not come yet. */
  private awaitingVal = false;

  reset(): void {
    this.train = undefined;
    this.val = undefined;
    this.epoch = undefined;
    this.awaitingVal = false;
  }

  parseLine(line: string, lineNo: number): MetricEvent[] {
    const s = clean(line);
    if (TRAIN_HEADER.test(s)) {
      this.train = trainColumns(s)?.map(named);
      return [];
    }
    const words = s.trim().split(/\s+/);
    if (words[0] === 'Class' || words[0] === 'classes') {
      const v = validationColumns(s);
      if (v !== undefined) this.val = v.map(named);
      return [];
    }
    if (words[0] === 'all') return this.validationRow(words, lineNo);
    return this.trainRow(words, lineNo);
  }

  private trainRow(words: readonly string[], lineNo: number): MetricEvent[] {
    const cols = this.train;
    if (cols === undefined || words.length < cols.length + 4) return [];
    const counter = COUNTER.exec(words[0]);
    if (!counter || !MEMORY.test(words[1])) return [];
    const values: number[] = [];
    for (let i = 0; i < cols.length; i++) {
      const v = parseNumber(words[2 + i]);
      if (v === undefined) return [];
      values.push(v);
    }
    // Instances and image size, then the bar (`640: 100%|…| 1603/1603 […]`).
    if (!/^\d+$/.test(words[2 + cols.length]) || !/^\d+:?$/.test(words[3 + cols.length])) return [];
    if (!barComplete(words.slice(4 + cols.length).join(' '))) return [];
    this.epoch = Number(counter[1]);
    this.awaitingVal = true;
    return cols.map((c, i) => ev(c.name, c.raw, values[i], undefined, this.epoch, lineNo));
  }

  private validationRow(words: readonly string[], lineNo: number): MetricEvent[] {
    const cols = this.val;
    if (cols === undefined || !this.awaitingVal) return [];
    // Detection rows carry image and instance counts before the metrics; classification rows do not.
    const offset = words.length - cols.length;
    if (offset !== 1 && offset !== 3) return [];
    const out: MetricEvent[] = [];
    for (let i = 0; i < cols.length; i++) {
      const v = parseNumber(words[offset + i]);
      if (v === undefined) return [];
      out.push(ev(cols[i].name, cols[i].raw, v, undefined, this.epoch, lineNo));
    }
    this.awaitingVal = false;
    return out;
  }
}

function named(raw: string): { raw: string; name: string } {
  return { raw, name: canonicalName(raw) };
}

export const ultralyticsConsole: LineFormat = {
  id: 'ultralytics-console',
  kind: 'lines',
  sniff(_path, head) {
    const lines = headLines(head, 2000);
    if (lines.some((l) => TRAIN_HEADER.test(clean(l)) && trainColumns(clean(l)) !== undefined)) return 0.95;
    // A capture whose table has not been printed yet: the banner and the trainer's argument line.
    return BANNER.test(head) && TRAINER_ARGS.test(head) ? 0.9 : 0;
  },
  createParser() {
    return new UltralyticsConsoleParser();
  },
};
