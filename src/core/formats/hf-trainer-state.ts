/**
 * Hugging Face Trainer `trainer_state.json`, rewritten whole at every save, so it is a document
 * format: each change re-parses the file and replaces its points.
 *
 * - `log_history` entries are train logs (`loss`, `learning_rate`, `grad_norm`), eval logs
 *   (`eval_*`) and one final summary (`train_loss` = mean over the run, `train_runtime`, …). The
 *   summary's numbers are named `final_<key>`, so the run's mean loss does not become a last point
 *   of the `train_loss` series.
 * - `step` is the global step; `epoch` is HF's fractional epoch progress (1.0 = end of the first
 *   epoch), kept as written.
 * - `NaN`/`Infinity` tokens are read (Python json.dumps writes them).
 * - Each event's line is the line of its key inside the entry (indent=2 puts one key per line), so
 *   a diagnostic points at the value.
 */
import type { MetricEvent } from '../types';
import type { DocumentFormat, DocumentParser } from './format';
import { canonicalName } from '../run/names';
import { JObject, parseTolerantJson } from './json-tolerant';
import { baseName, ev, Messages } from './event';

function skipKey(k: string): boolean {
  return (
    k === 'step' ||
    k === 'epoch' ||
    k === 'total_flos' ||
    k === 'num_input_tokens_seen' ||
    k.endsWith('_runtime') ||
    k.endsWith('_per_second')
  );
}

class HfTrainerStateParser extends Messages implements DocumentParser {
  parseDocument(text: string): MetricEvent[] {
    const out: MetricEvent[] = [];
    const r = parseTolerantJson(text);
    if (r.error) this.add(`trainer_state.json: ${r.error}${r.value ? ' (the entries before it are used)' : ''}`);
    const root = r.value;
    if (!(root instanceof JObject)) return out;
    const hist = root.get('log_history');
    if (!Array.isArray(hist)) {
      if (!r.error) this.add('trainer_state.json: no log_history array');
      return out;
    }
    for (const entry of hist) {
      // An entry cut off by a concurrent rewrite may end in a truncated number: skip it.
      if (!(entry instanceof JObject) || !entry.closed) continue;
      const s = entry.get('step');
      const e = entry.get('epoch');
      const step = typeof s === 'number' ? s : undefined;
      const epoch = typeof e === 'number' ? e : undefined;
      const final = entry.keys.includes('train_runtime');
      for (let i = 0; i < entry.keys.length; i++) {
        const k = entry.keys[i];
        const v = entry.values[i];
        if (typeof v !== 'number' || skipKey(k)) continue;
        const name = final ? `final_${k}` : canonicalName(k);
        out.push(ev(name, k, v, step, epoch, entry.keyLines[i]));
      }
    }
    return out;
  }
}

export const hfTrainerState: DocumentFormat = {
  id: 'hf-trainer-state',
  kind: 'document',
  sniff(path, head) {
    const name = baseName(path);
    const hasHist = head.indexOf('"log_history"') >= 0;
    if (name === 'trainer_state.json') return head.trimStart().startsWith('{') ? 0.95 : 0.5;
    if (hasHist && /"(?:global_step|best_metric|epoch)"/.test(head)) return 0.9;
    return 0;
  },
  createParser() {
    return new HfTrainerStateParser();
  },
};
