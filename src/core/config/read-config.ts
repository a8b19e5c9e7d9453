/**
 * Reads a training config (YAML, JSON or JSONC) into a TrainingConfig with the source range of every
 * setting. Which convention a file follows is decided by the readers' `detect` scores (each
 * framework's folder under src/core/frameworks holds its readers); a file that matches none is read by
 * the plain reader and kept only when it names training settings (a learning rate, or two of batch
 * size, epochs, optimizer, scheduler, warmup, early stopping, clipping, …). package.json, tsconfig.json, docker-compose files, GitHub workflows, Kubernetes
 * manifests, Hugging Face model `config.json`s and `trainer_state.json` logs are refused outright.
 * Never throws: a syntax error gives the parser's best-effort tree, or undefined.
 */
import type { TrainingConfig } from './training-config';
import type { SourceRange } from '../types';
import { formatOf, parseConfigText } from './tree';
import type { CEntry, CMap } from './tree';
import type { Ctx, StyleReader } from './extract';
import { DETECTING_READERS, FALLBACK_READER } from '../frameworks';
import { isPythonFile, readPythonScript } from '../python/read-script';
import { isNotebookFile, readNotebook } from '../python/notebook';
import { isLaunchScript, readLaunchScript } from '../frameworks/launch/read-launch';
import { recovered } from '../recovered';

/** Larger texts are not configs (a training config is a few KB); they are not parsed at all. */
const MAX_CONFIG_CHARS = 4 * 1024 * 1024;

export function readConfig(file: string, text: string): TrainingConfig | undefined {
  try {
    return read(file, text);
  } catch (err) {
    recovered('readConfig', err);
    return undefined;
  }
}

function read(file: string, text: string): TrainingConfig | undefined {
  if (typeof text !== 'string' || text.length > MAX_CONFIG_CHARS) return undefined;
  if (isPythonFile(file)) return readPythonScript(file, text);
  if (isNotebookFile(file)) return readNotebook(file, text);
  if (isLaunchScript(file)) return readLaunchScript(file, text, FALLBACK_READER);
  const format = formatOf(file, text);
  const parsed = parseConfigText(text, format);
  if (format === 'json' && parsed.hasErrors && isJsonLines(text)) return undefined; // metrics.json, *.jsonl logs
  let root = parsed.root;
  if (!root || root.kind !== 'map' || root.entries.length === 0) return undefined;
  root = unwrapWandbRunConfig(root);
  if (isNotTrainingConfig(root)) return undefined;

  const ctx: Ctx = { parsed, root };
  let best: StyleReader | undefined;
  let bestScore = 0;
  for (const r of DETECTING_READERS) {
    const s = r.detect(root);
    if (s > bestScore) {
      best = r;
      bestScore = s;
    }
  }
  const reader = best ?? FALLBACK_READER;
  const out: TrainingConfig = { file, format, style: reader.style };
  reader.extract(ctx, out);
  dropUndefined(out);
  if (reader.accept && !reader.accept(out)) return undefined;
  return out;
}

/** Several top-level JSON values, one per line: a JSON-lines log (detectron2 metrics.json, trainer_log.jsonl). */
function isJsonLines(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.length >= 2 && lines.slice(0, 3).every((l) => /^\s*\{.*\}\s*$/.test(l));
}

/**
 * Files with training-looking keys that are not training configs. A Hugging Face model `config.json`
 * (`architectures`, `model_type`, `hidden_size`…) describes the network, `trainer_state.json` is a log.
 */
function isNotTrainingConfig(root: CMap): boolean {
  const keys = new Set(root.entries.map((e) => e.key));
  const has = (...k: string[]) => k.every((x) => keys.has(x));
  if (has('log_history')) return true; // HF trainer_state.json
  if (has('compilerOptions') || has('extends', 'include')) return true; // tsconfig
  if (has('name', 'version') && (keys.has('dependencies') || keys.has('devDependencies') || keys.has('scripts') || keys.has('engines'))) return true; // package.json
  if (keys.has('services') && (keys.has('version') || keys.has('volumes') || keys.has('networks') || root.entries.length <= 4)) return true; // docker-compose
  if (keys.has('jobs') && (keys.has('on') || keys.has('true') || keys.has('name'))) return true; // GitHub workflow (`on` reads as true in YAML 1.1)
  if (has('apiVersion', 'kind')) return true; // Kubernetes
  if ((keys.has('architectures') || keys.has('model_type')) && !keys.has('learning_rate') && !keys.has('lr')) return true; // HF model config
  if (has('experiment_id', 'lifecycle_stage')) return true; // MLflow meta.yaml
  if (isRecordTable(root)) return true;
  return false;
}

/** Keys that say what an object is, shared by unrelated sections of one config (Hydra, jsonargparse). */
const STRUCTURAL_KEYS = new Set(['_target_', '_partial_', 'class_path', 'init_args', 'type', 'name']);

/**
 * A map of records, one per run, experiment or model, each with the same fields (a results summary
 * such as examples/runs/summary.json, a leaderboard): it has training-looking keys but describes
 * outcomes, not a run to start. Recognised when every top-level value is a map and one field (other
 * than a structural key) is in at least 3 of them and 80% of them; the sections of a real config
 * (model / data / trainer, SOLVER / INPUT / MODEL) have different fields.
 */
function isRecordTable(root: CMap): boolean {
  const n = root.entries.length;
  if (n < 3 || !root.entries.every((e) => e.value.kind === 'map')) return false;
  const counts = new Map<string, number>();
  for (const e of root.entries) {
    for (const x of (e.value as CMap).entries) if (!STRUCTURAL_KEYS.has(x.key)) counts.set(x.key, (counts.get(x.key) ?? 0) + 1);
  }
  return [...counts.values()].some((c) => c >= 3 && c >= n * 0.8);
}

/**
 * A W&B run `config.yaml` (files/config.yaml in a run directory) wraps each value as
 * `key: {desc: null, value: x}` next to a `_wandb` entry; unwrap to `key: x`, keeping ranges on the
 * inner value so that edits replace the value itself.
 */
export function unwrapWandbRunConfig(root: CMap): CMap {
  const wrapped = (e: CEntry) => e.value.kind === 'map' && e.value.entries.some((x) => x.key === 'value') && e.value.entries.every((x) => x.key === 'value' || x.key === 'desc');
  const candidates = root.entries.filter((e) => e.key !== '_wandb' && e.key !== 'wandb_version');
  if (candidates.length === 0) return root;
  const isRunConfig = root.entries.some((e) => e.key === '_wandb') || candidates.filter(wrapped).length >= Math.max(2, candidates.length * 0.8);
  if (!isRunConfig) return root;
  const entries: CEntry[] = candidates.filter(wrapped).map((e) => {
    const inner = (e.value as CMap).entries.find((x) => x.key === 'value') as CEntry;
    return { key: e.key, keySpan: e.keySpan, value: inner.value, span: { start: e.keySpan.start, end: inner.value.span.end } };
  });
  return { kind: 'map', entries, span: root.span, flow: root.flow };
}

function dropUndefined(out: TrainingConfig): void {
  for (const k of Object.keys(out) as (keyof TrainingConfig)[]) if (out[k] === undefined) delete out[k];
}



/**
 * MLflow file-store params (`mlruns/<exp>/<run>/params/<key>`, one file per param whose whole content is
 * `str(value)`: `0.01`, `True`, `None`, `[0]`). Read as one config of whatever style the keys say (an
 * Ultralytics run logs all its args). `file` is the params directory; each setting's `key` is the param
 * name, i.e. the file `<paramsDir>/<key>`, and its ranges cover that file's content (line 0).
 */
export function readMlflowParams(paramsDir: string, params: Readonly<Record<string, string>>): TrainingConfig | undefined {
  try {
    const names = Object.keys(params).filter((k) => !k.includes('\n'));
    // A synthetic YAML document: Python reprs of None/True/False, numbers and number lists as YAML
    // scalars, everything else as a quoted string so that no value is reinterpreted.
    const yamlValue = (v: string) => {
      const t = v.trim();
      if (t === 'None') return 'null';
      if (t === 'True' || t === 'False') return t.toLowerCase();
      if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) || /^\[[-\d.,\s eE]*\]$/.test(t)) return t;
      return JSON.stringify(v);
    };
    const text = names.map((k) => `${JSON.stringify(k)}: ${yamlValue(params[k])}`).join('\n') + '\n';
    const cfg = read(`${paramsDir}/params.yaml`, text);
    if (!cfg) return undefined;
    cfg.file = paramsDir;
    const fix = (s: { key: string; range: SourceRange; valueRange: SourceRange }) => {
      const name = names.find((n) => n === s.key) ?? s.key.split('.')[0];
      const content = params[name] ?? '';
      const lines = content.split('\n');
      const whole: SourceRange = { startLine: 0, startChar: 0, endLine: lines.length - 1, endChar: lines[lines.length - 1].length };
      s.key = name;
      s.range = whole;
      s.valueRange = { ...whole };
    };
    for (const v of Object.values(cfg)) if (v && typeof v === 'object' && 'valueRange' in v) fix(v);
    if (cfg.sweep?.methodSetting) fix(cfg.sweep.methodSetting);
    if (cfg.sweep?.trials) fix(cfg.sweep.trials);
    return cfg;
  } catch (err) {
    recovered('readMlflowParams', err);
    return undefined;
  }
}
