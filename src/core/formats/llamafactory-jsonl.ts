/**
 * LLaMA-Factory `trainer_log.jsonl` (LogCallback): `current_steps` is the step, `epoch` the HF
 * fractional epoch (0-based progress, kept as written); `lr` is the learning rate. Progress fields
 * (`total_steps`, `percentage`, times, tokens) are not metrics.
 */
import type { LineFormat } from './format';
import { JsonlParser } from './jsonl-core';
import { baseName, firstLine } from './event';

const SKIP = new Set(['total_steps', 'percentage', 'elapsed_time', 'remaining_time', 'throughput', 'total_tokens']);

export const llamafactoryJsonl: LineFormat = {
  id: 'llamafactory-jsonl',
  kind: 'lines',
  sniff(path, head) {
    const l = firstLine(head);
    if (!l.startsWith('{')) return 0;
    if (l.indexOf('"current_steps"') >= 0 && l.indexOf('"total_steps"') >= 0) return 0.95;
    return baseName(path) === 'trainer_log.jsonl' && l.indexOf('"current_steps"') >= 0 ? 0.9 : 0;
  },
  createParser() {
    return new JsonlParser({ epochKeys: ['epoch'], stepKeys: ['current_steps'], skipKeys: SKIP, epochOffset: 0 });
  },
};
