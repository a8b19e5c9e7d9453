/**
 * mmengine `config.py` files (OpenMMLab: mmpretrain, mmdetection, mmsegmentation…): Python modules whose
 * top-level assignments of `dict(…)` / literals are the config (`optim_wrapper = dict(optimizer=dict(
 * type='SGD', lr=0.02))`, `param_scheduler`, `train_cfg = dict(max_epochs=12)`, `train_dataloader`).
 * mmengine's `Config.fromfile` reads `.py`, `.json` and `.yaml` alike (mmengine/config/config.py), so
 * the assignments are read into the same mapping a dumped YAML gives and through the same reader
 * (frameworks/plain), with every value ranged where the `.py` writes it. Only a module that stands
 * alone is read: one that inherits (`_base_`) is a set of overrides whose missing settings may be in
 * a base file traindx does not merge (a warning about a missing warmup would be wrong there).
 */
import { boolOf, mk, numberOf, stringOf } from '../config/extract';
import type { Ctx } from '../config/extract';
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
    // A module that inherits (`_base_ = [...]`) writes overrides of a tree traindx does not merge:
    // what it leaves out (a warmup, early stopping) may be in a base file, so nothing is said of it.
    if (key === '_base_') return false;
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
  // Without training data or hooks the module is a schedule piece of a config tree (_base_/schedules).
  if (!entries.some((e) => e.key === 'train_dataloader' || e.key === 'default_hooks')) r.out.fragment = true;
  const schedule = entries.find((e) => e.key === 'param_scheduler');
  if (schedule) readParamScheduler(r, parsed, schedule);
  r.trains.push(r.src.top.resolveInner(optim.span.start, 1));
  return true;
}

/**
 * The warmup of `param_scheduler` (one scheduler dict or a list of them, each active from `begin` to
 * `end`, in epochs when `by_epoch`, mmengine's default, else iterations): a `LinearLR` ramping up
 * (`start_factor` < `end_factor`; mmengine's defaults 1/3 → 1.0, mmengine/optim/scheduler/lr_scheduler.py),
 * over `end - begin`. The main schedule's type is left to the plain reader, as for the YAML form.
 */
function readParamScheduler(r: Reading, parsed: ParsedConfig, e: CEntry): void {
  const ctx: Ctx = { parsed, root: parsed.root as CMap };
  const items = e.value.kind === 'seq' ? e.value.items : [e.value];
  items.forEach((item, i) => {
    if (item.kind !== 'map' || r.out.warmup) return;
    const at = (key: string) => item.entries.find((x) => x.key === key);
    const n = (key: string, fallback: number) => numberOf(at(key)?.value) ?? fallback;
    const type = at('type');
    if (!type || stringOf(type.value) !== 'LinearLR' || !(n('start_factor', 1 / 3) < n('end_factor', 1))) return;
    const end = at('end');
    const length = end && numberOf(end.value);
    if (!end || length === undefined || !(length - n('begin', 0) > 0)) return;
    const path = e.value.kind === 'seq' ? `param_scheduler.${i}.end` : 'param_scheduler.end';
    r.out.warmup = mk(ctx, { node: end.value, entry: end, path }, length - n('begin', 0));
    r.out.warmupUnit = boolOf(at('by_epoch')?.value) === false ? 'steps' : 'epochs';
  });
}
