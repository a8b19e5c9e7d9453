/**
 * mmengine `config.py` files (OpenMMLab: mmpretrain, mmdetection, mmsegmentation…): Python modules whose
 * top-level assignments of `dict(…)` / literals are the config (`optim_wrapper = dict(optimizer=dict(
 * type='SGD', lr=0.02))`, `param_scheduler`, `train_cfg = dict(max_epochs=12)`, `train_dataloader`).
 * mmengine's `Config.fromfile` reads `.py`, `.json` and `.yaml` alike (mmengine/config/config.py), so
 * the assignments are read into the same mapping a dumped YAML gives and through the same reader
 * (frameworks/plain), with every value ranged where the `.py` writes it. Values inherited from
 * `_base_` files are not followed: a file says what it writes.
 */
import type { CEntry, CMap, ParsedConfig } from '../config/tree';
import { plainReader } from '../frameworks/plain/reader';
import type { Reading } from './context';
import { evaluate } from './evaluate';
import { textOf } from './syntax';

/** The top-level names mmengine's runner reads the training setup from (mmengine/runner/runner.py `Runner.from_cfg`). */
const RUNNER_KEYS = new Set([
  'optim_wrapper', 'param_scheduler', 'train_cfg', 'train_dataloader', 'auto_scale_lr', 'default_hooks', 'custom_hooks',
  'model', 'load_from', 'randomness', 'val_cfg', 'val_dataloader', 'val_evaluator',
]);

/** Reads the module as an mmengine config when it is one; true when it was. */
export function readMmengineConfig(r: Reading): boolean {
  if (r.trains.length > 0) return false; // a script that trains by itself is not a config module
  const entries: CEntry[] = [];
  for (let st = r.src.top.firstChild; st; st = st.nextSibling) {
    if (st.name !== 'AssignStatement') continue;
    const target = st.firstChild;
    const value = st.lastChild;
    if (target?.name !== 'VariableName' || !value || target.nextSibling?.name !== 'AssignOp') continue;
    const key = textOf(r.src, target);
    if (!RUNNER_KEYS.has(key)) continue;
    const v = evaluate(r, value);
    if (v) entries.push({ key, keySpan: { start: target.from, end: target.to }, value: v, span: { start: st.from, end: st.to } });
  }
  // Training setup, not a model or dataset file of the `_base_` tree: an optimizer wrapper is what runs.
  const optim = entries.find((e) => e.key === 'optim_wrapper');
  if (!optim || optim.value.kind !== 'map') return false;
  const root: CMap = { kind: 'map', entries, span: { start: 0, end: r.src.text.length }, flow: false };
  const parsed: ParsedConfig = { format: 'yaml', text: r.src.text, root, hasErrors: false, position: (o) => r.src.lines.position(o) };
  plainReader.extract({ parsed, root }, r.out);
  if (!r.out.lr && !r.out.optimizer) return false;
  r.trains.push(r.src.top.resolveInner(optim.span.start, 1));
  return true;
}
