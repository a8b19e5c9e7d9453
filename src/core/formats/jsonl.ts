/**
 * Generic JSON lines: any `{…}` per line (W&B-style exports, custom loggers). Top-level numbers (and
 * numbers in nested objects, as `a/b`) become events; `epoch` is taken as written (0-based assumed),
 * the step from the usual step keys.
 */
import type { LineFormat } from './format';
import { JsonlParser } from './jsonl-core';
import { baseName, firstLine } from './event';

const SKIP = new Set(['_timestamp', '_runtime', 'timestamp', 'time', 'wall_time', 'walltime', 'data_time']);

export const jsonl: LineFormat = {
  id: 'jsonl',
  kind: 'lines',
  sniff(path, head) {
    const l = firstLine(head).trim();
    const name = baseName(path);
    if (!l.startsWith('{')) return 0;
    const closed = l.endsWith('}');
    if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return closed ? 0.5 : 0.4;
    return closed && /"[^"]+":\s*-?[\d.]/.test(l) ? 0.3 : 0;
  },
  createParser() {
    return new JsonlParser({
      epochKeys: ['epoch'],
      stepKeys: ['step', 'global_step', '_step', 'iteration', 'iter', 'current_steps'],
      skipKeys: SKIP,
      epochOffset: 0,
    });
  },
};
