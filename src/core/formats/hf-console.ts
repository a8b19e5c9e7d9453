/**
 * Hugging Face Trainer console output: `{'loss': 0.69, 'learning_rate': 2e-05, 'epoch': 0.16}`, the
 * Python repr of the logs dict (ProgressCallback / PrinterCallback), often after a tqdm bar on the same
 * line. `nan`/`inf` are Python's float reprs. `epoch` is HF's fractional progress, kept as written;
 * the console dict has no step. The final summary dict (`train_runtime`, `train_loss` = mean over
 * the run) is named `final_<key>`, as in hf-trainer-state.
 */
import type { MetricEvent } from '../types';
import type { LineFormat, LineParser } from './format';
import { canonicalName } from '../run/names';
import { parseNumber } from './numbers';
import { ev, headLines } from './event';

const DICT_START = /\{'[A-Za-z_][^']{0,100}': /;

class HfConsoleParser implements LineParser {
  parseLine(line: string, lineNo: number): MetricEvent[] {
    const out: MetricEvent[] = [];
    let from = 0;
    for (;;) {
      const i = line.indexOf("{'", from);
      if (i < 0) break;
      from = parseDict(line, i, lineNo, out);
    }
    return out;
  }
}

interface Pair {
  key: string;
  value: number;
}

/** Reads one dict repr starting at `{`; appends its events; returns the index after it. */
function parseDict(s: string, start: number, lineNo: number, out: MetricEvent[]): number {
  const pairs: Pair[] = [];
  let i = start + 1;
  const n = s.length;
  while (i < n) {
    while (i < n && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 44)) i++;
    const q = s.charCodeAt(i);
    if (q === 125) {
      i++;
      break;
    }
    if (q !== 39 && q !== 34) return i + 1; // not a dict repr after all
    const kEnd = s.indexOf(String.fromCharCode(q), i + 1);
    if (kEnd < 0) return n;
    const key = s.slice(i + 1, kEnd);
    i = kEnd + 1;
    if (s.charCodeAt(i) !== 58) return i;
    i++;
    while (i < n && s.charCodeAt(i) === 32) i++;
    // The value: a quoted string (skipped), or a token up to `,` or `}`.
    const c = s.charCodeAt(i);
    if (c === 39 || c === 34) {
      const e = s.indexOf(String.fromCharCode(c), i + 1);
      if (e < 0) return n;
      i = e + 1;
      continue;
    }
    let j = i;
    while (j < n) {
      const d = s.charCodeAt(j);
      if (d === 44 || d === 125) break;
      j++;
    }
    const v = parseNumber(s.slice(i, j));
    if (v !== undefined) pairs.push({ key, value: v });
    i = j;
  }
  let epoch: number | undefined;
  let final = false;
  for (const p of pairs) {
    if (p.key === 'epoch') epoch = p.value;
    else if (p.key === 'train_runtime') final = true;
  }
  for (const p of pairs) {
    const k = p.key;
    if (k === 'epoch' || k === 'step' || k === 'total_flos' || k.endsWith('_runtime') || k.endsWith('_per_second'))
      continue;
    out.push(ev(final ? `final_${k}` : canonicalName(k), k, p.value, undefined, epoch, lineNo));
  }
  return i;
}

export const hfConsole: LineFormat = {
  id: 'hf-console',
  kind: 'lines',
  sniff(_path, head) {
    let best = 0;
    for (const l of headLines(head, 400)) {
      if (l.indexOf("{'") < 0) continue;
      if (/\{'(?:loss|eval_loss|learning_rate|train_runtime|grad_norm)': /.test(l)) return 0.9;
      if (DICT_START.test(l) && /': -?(?:\d|nan|inf)/.test(l)) best = 0.5;
    }
    return best;
  },
  createParser() {
    return new HfConsoleParser();
  },
};
