/**
 * detectron2 `metrics.json`: one `json.dumps(..., sort_keys=True)` object per line, appended across
 * launches. `iteration` is 0-based (19, 39, …) and becomes the step; there is no epoch. When the
 * iteration goes back, a new launch was appended to the same file: the points are kept as written
 * (a series may then hold several runs) and a message says where each new launch starts.
 */
import type { LineFormat } from './format';
import { JsonlParser } from './jsonl-core';
import { baseName, firstLine } from './event';

const SKIP = new Set(['data_time', 'eta_seconds', 'time', 'rank_data_time', 'last_time', 'last_data_time']);

export const detectron2Json: LineFormat = {
  id: 'detectron2-json',
  kind: 'lines',
  sniff(path, head) {
    const l = firstLine(head);
    if (!l.startsWith('{') || l.indexOf('"iteration"') < 0) return 0;
    const d2 = /"(?:total_loss|loss_cls|loss_box_reg|eta_seconds|fast_rcnn\/|bbox\/AP)/.test(l);
    if (!d2) return 0.3;
    return baseName(path) === 'metrics.json' ? 0.95 : 0.85;
  },
  createParser() {
    return new JsonlParser({
      epochKeys: [],
      stepKeys: ['iteration'],
      skipKeys: SKIP,
      epochOffset: 0,
      context(ctx) {
        if (ctx.step === undefined) return;
        const last = ctx.state.get('last');
        if (last !== undefined && ctx.step <= last) {
          ctx.messages.add(
            `line ${ctx.lineNo}: iteration went from ${last} back to ${ctx.step}; a new launch was appended to this file here`,
          );
        }
        ctx.state.set('last', ctx.step);
      },
    });
  },
};
