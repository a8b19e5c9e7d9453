/**
 * OpenMMLab text logs: mmengine `<timestamp>.log` (MMDet 3.x, MMPretrain, MMSeg 1.x, …) and the
 * mmcv 1.x `TextLoggerHook` `<timestamp>.log` (MMDet 2.x era). Only the record lines are read; the
 * environment and config dumps that fill the first hundreds of lines, COCO tables and checkpoint
 * notes are not metrics.
 *
 * Record lines, from the writers' source:
 * - mmengine (open-mmlab/mmengine mmengine/runner/log_processor.py @25434293, `get_log_after_iter`
 *   and `get_log_after_epoch`): `Epoch(train)  [e][i/N]  lr: 2.0000e-02  eta: …  time: …  data_time: …
 *   memory: …  loss: …  loss_cls: …` with i the iteration within epoch e (`batch_idx + 1`) and N the
 *   dataloader length; `Epoch(val) [e][n/n]  coco/bbox_mAP: …`; `Epoch(test) [n/n]  …`; iteration
 *   loops print `Iter(train) [i/max_iters]` (i = global `runner.iter + 1`) and `Iter(val) [n/n]`.
 *   Items are separated by two spaces; several LRs (`base_lr: … lr: …`) by one.
 * - mmcv 1.x (open-mmlab/mmcv mmcv/runner/hooks/logger/text.py @v1.7.1 `_log_info`):
 *   `Epoch [e][i/N]\tlr: 4.746e-05, eta: …, time: …, data_time: …, memory: …, loss_rpn_cls: …, …,
 *   loss: …` (i = `runner.inner_iter + 1`), `Epoch(val) [e][n]\tbbox_mAP: …, …`, and by iteration
 *   `Iter [i/max_iters]\t…` (i = `runner.iter + 1`) and `Iter(val) [n]\t…`. Items are separated by
 *   `, `; a dict of LRs prints `lr_<group>: …`.
 *
 * Epochs are 1-based as written (both writers print `runner.epoch + 1` for training and the already
 * incremented `runner.epoch` for validation, so a val line carries the epoch it followed). The step is
 * the global iteration: `(e − 1)·N + i` in epoch-based loops (what mmengine's scalars.json calls
 * `step`), `i` in iteration-based ones; a validation line takes the step at the end of its epoch
 * (`e·N`), or the last training step in iteration-based loops.
 *
 * Names: `loss` is the total and `loss_*` components keep their names; `time`, `data_time`, `eta` and
 * `memory` are bookkeeping, not metrics (as in mmengine-json). Validation/test values get `val_`/`test_`
 * unless already phase-named (`coco/bbox_mAP` → `val_coco/bbox_mAP`, mmcv val `loss` → `val_loss`);
 * a value that is not one number (`bbox_mAP_copypaste: 0.0673 0.0952 …`, an ETA) is skipped.
 */
import type { MetricEvent } from '../types';
import type { LineFormat, LineParser } from './format';
import { canonicalName } from '../run/names';
import { parseNumber } from './numbers';
import { ev, headLines } from './event';
import { hasPhasePrefix } from './jsonl-core';
import { clean } from './plain';

/** `Epoch(train)  [  9][010/270]`, `Epoch [4][100/1000]`, `Epoch(val) [4][13]`, `Iter(val) [1000/1000]`. */
const RECORD = /(?:^|\s)(Epoch|Iter)(?:\((train|val|test)\))?\s*((?:\[\s*\d+\s*(?:\/\s*\d+\s*)?\]){1,2})/;
const BRACKET = /\[\s*(\d+)\s*(?:\/\s*(\d+)\s*)?\]/g;
/** `key: ` where key is a metric name as mmlab writes them (`coco/bbox_mAP`, `decode.loss_ce`). */
const KEY = /(?:^|[\s,])([A-Za-z_][\w./@-]*):\s/g;
const SKIP = new Set(['time', 'data_time', 'eta', 'memory', 'iter', 'epoch']);
/**
 * The `logging` prefix of both writers: mmengine `2023/06/09 08:19:29 - mmengine - INFO - ` (console
 * `06/09 08:19:29 …`), mmcv `2023-02-08 16:24:25,413 - mmdet - INFO - `.
 */
const PREFIX = /^(?:\d{4}[-/])?\d\d[-/]\d\d \d\d:\d\d:\d\d(?:,\d{3})? - ([\w.]+) - (?:INFO|WARNING|ERROR|DEBUG|CRITICAL) - /;

interface Header {
  mode: 'train' | 'val' | 'test';
  epoch: number | undefined;
  step: number | undefined;
  /** Where the items after the header start. */
  end: number;
}

class MmengineLogParser implements LineParser {
  /** Iterations per training epoch, from the last training line. */
  private trainLen: number | undefined;
  private lastStep: number | undefined;
  private readonly names = new Map<string, string>();

  reset(): void {
    this.trainLen = undefined;
    this.lastStep = undefined;
  }

  parseLine(line: string, lineNo: number): MetricEvent[] {
    const s = clean(line);
    const h = this.header(s);
    if (!h) return [];
    const out: MetricEvent[] = [];
    const rest = s.slice(h.end);
    KEY.lastIndex = 0;
    let m = KEY.exec(rest);
    while (m) {
      const key = m[1];
      const from = m.index + m[0].length;
      const next = KEY.exec(rest);
      const to = next ? next.index : rest.length;
      if (!SKIP.has(key.toLowerCase())) {
        const v = parseNumber(rest.slice(from, to).replace(/[\s,]+$/, ''));
        if (v !== undefined) out.push(ev(this.nameOf(h.mode, key), key, v, h.step, h.epoch, lineNo));
      }
      m = next;
    }
    return out;
  }

  /** The record header of a line, with the epoch and step it stands for; undefined for other lines. */
  private header(s: string): Header | undefined {
    const r = RECORD.exec(s);
    if (!r) return undefined;
    const nums: Array<[number, number | undefined]> = [];
    BRACKET.lastIndex = 0;
    for (let b = BRACKET.exec(r[3]); b; b = BRACKET.exec(r[3])) nums.push([Number(b[1]), b[2] === undefined ? undefined : Number(b[2])]);
    const mode = r[2] === 'val' || r[2] === 'test' ? r[2] : 'train';
    const end = r.index + r[0].length;
    if (r[1] === 'Epoch' && nums.length === 2) {
      const epoch = nums[0][0];
      if (mode === 'train') {
        const [i, n] = nums[1];
        if (n !== undefined) this.trainLen = n;
        const step = n === undefined ? undefined : (epoch - 1) * n + i;
        if (step !== undefined) this.lastStep = step;
        return { mode, epoch, step, end };
      }
      return { mode, epoch, step: this.trainLen === undefined ? undefined : epoch * this.trainLen, end };
    }
    if (nums.length !== 1) return undefined;
    if (r[1] === 'Iter' && mode === 'train') {
      this.lastStep = nums[0][0];
      return { mode, epoch: undefined, step: this.lastStep, end };
    }
    // `Epoch(test) [n/n]`, `Iter(val) [n/n]`, mmcv `Iter(val) [n]`: counts of the evaluation loop.
    return mode === 'train' ? undefined : { mode, epoch: undefined, step: this.lastStep, end };
  }

  private nameOf(mode: Header['mode'], key: string): string {
    const id = `${mode}\u0000${key}`;
    let name = this.names.get(id);
    if (name === undefined) {
      name = canonicalName(key);
      // `accuracy/top1` is already `val_acc`; in a test loop it is a test value all the same.
      if (mode === 'val' && !hasPhasePrefix(key) && !name.startsWith('val_')) name = canonicalName(`val_${key}`);
      else if (mode === 'test' && !hasPhasePrefix(key)) name = canonicalName(`test_${key}`);
      this.names.set(id, name);
    }
    return name;
  }
}

export const mmengineLog: LineFormat = {
  id: 'mmengine-log',
  kind: 'lines',
  sniff(_path, head) {
    let prefixed = 0;
    for (const raw of headLines(head, 400)) {
      const l = clean(raw);
      const p = PREFIX.exec(l);
      if (!p) continue;
      // The first logged line names the logger: `mmengine`, or the codebase in mmcv 1.x (`mmdet`, `mmcls`, `mmseg`, …).
      if (prefixed === 0 && /^mm/.test(p[1])) return 0.95;
      prefixed++;
      if (RECORD.test(l.slice(p[0].length))) return 0.95;
    }
    return 0;
  },
  createParser() {
    return new MmengineLogParser();
  },
};
