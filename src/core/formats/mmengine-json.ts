/**
 * OpenMMLab JSON lines: mmengine `vis_data/scalars.json` and mmcv 1.x `<timestamp>.log.json`.
 * - Both count epochs from 1 (`"epoch": 1` in the first interval); kept as written.
 * - `iter`/`step` give the step. mmengine val records carry only `step`, which equals the (1-based)
 *   epoch in epoch-based runs: such a record gets epoch = step (the epoch it followed) and no step.
 * - mmcv records say `"mode": "val"`: their unprefixed names get `val_` (`loss` → `val_loss`).
 * - mmcv's first line is a meta dict (`env_info`, `config`) without numbers worth keeping.
 */
import type { LineFormat } from './format';
import { JsonlParser } from './jsonl-core';
import { baseName, firstLine } from './event';

const SKIP = new Set(['data_time', 'time', 'memory', 'iter', 'seed', 'eta']);

export const mmengineJson: LineFormat = {
  id: 'mmengine-json',
  kind: 'lines',
  sniff(path, head) {
    const l = firstLine(head);
    if (!l.startsWith('{')) return 0;
    const name = baseName(path);
    if (l.indexOf('"env_info"') >= 0 && name.endsWith('.log.json')) return 0.9;
    if (/"mode": "(?:train|val)"/.test(l) && l.indexOf('"iter"') >= 0) return 0.9;
    const mm = l.indexOf('"data_time"') >= 0 && l.indexOf('"step"') >= 0;
    if (mm && name === 'scalars.json') return 0.95;
    if (mm && (l.indexOf('"iter"') >= 0 || l.indexOf('"memory"') >= 0 || /"[a-z]+\/[A-Za-z_0-9]+"/.test(l))) return 0.8;
    return 0;
  },
  createParser() {
    return new JsonlParser({
      epochKeys: ['epoch'],
      stepKeys: ['step', 'iter'],
      skipKeys: SKIP,
      epochOffset: 0,
      record(rec, ctx) {
        if (rec['mode'] === 'val') ctx.prefix = 'val_';
        if (typeof rec['epoch'] === 'number') ctx.state.set('byEpoch', 1);
        else if (rec['iter'] === undefined && rec['mode'] === undefined && ctx.step !== undefined && ctx.state.has('byEpoch')) {
          ctx.epoch = ctx.step;
          ctx.step = undefined;
        }
      },
    });
  },
};
