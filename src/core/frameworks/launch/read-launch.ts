/**
 * Launch scripts (`run.sh`, `train.sh`): the argument list of the training command they run,
 *
 *   python train.py --lr 0.1 --batch-size 256 --epochs 90 --warmup_epochs=5 \
 *       --milestones 30 60 80
 *
 * read as the config of the logs beside them. The text is only read, never run: words are split as a
 * POSIX shell splits them (quotes, `\` continuations, `#` comments), and a `$VAR` / `${VAR}` argument
 * is the literal of a plain `VAR=value` assignment earlier in the file (its range is that assignment),
 * anything computed (`$((…))`, `$(…)`, a loop variable) is not read. Long options become keys with `-`
 * read as `_` (`--batch-size` = `batch_size`); several values are a list; a bare `--flag` is true.
 *
 * Commands counted: `python[3] [-m torch.distributed.launch|torch.distributed.run …] <script>.py`,
 * `torchrun …`, `accelerate launch …`, `deepspeed …` with a `.py`, and `python -m <module>`; a script
 * named for evaluation or export (`eval*.py`, `test*.py`, `predict*`, `infer*`, `demo*`, `export*`)
 * is not training. Several training commands that set one key to different values (a sweep in a
 * loop) leave that key unread: the script does not say which run a log is.
 *
 * The keys are then read by the plain reader (the spellings of PyTorch reference scripts, HF, timm and
 * hand-written argparse), which keeps the file only when it names training settings.
 */
import type { TrainingConfig } from '../../config/training-config';
import type { CEntry, CMap, CNode, CScalar, ParsedConfig, Span } from '../../config/tree';
import { LineIndex } from '../../config/tree';
import type { Ctx, StyleReader } from '../../config/extract';

/** Launch scripts are a few KB; larger shell files are not read. */
const MAX_SCRIPT_CHARS = 256 * 1024;
const NOT_TRAINING = /^(?:eval|evaluate|test|predict|infer|inference|demo|export|download|prepare|preprocess)/i;
const OPERATORS = new Set([';', '&&', '||', '|', '&', '>', '>>', '<', '2>', '2>&1', '&>', ')', 'do', 'done', 'then', 'fi']);

export function isLaunchScript(file: string): boolean {
  return /\.sh$/i.test(file);
}

interface Word {
  text: string;
  start: number;
  end: number;
  /** Had quotes: never an operator. */
  quoted: boolean;
}

/** The commands of a script, split into words (a line ends a command unless continued with `\`). */
function commands(text: string): Word[][] {
  const out: Word[][] = [];
  let cmd: Word[] = [];
  let i = 0;
  const n = text.length;
  const end = () => {
    if (cmd.length > 0) out.push(cmd);
    cmd = [];
  };
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      end();
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === ';') {
      end();
      i++;
      continue;
    }
    // A word: up to an unquoted blank, newline or `;`.
    const start = i;
    let word = '';
    let quoted = false;
    while (i < n) {
      const d = text[i];
      if (d === ' ' || d === '\t' || d === '\n' || d === '\r' || d === ';') break;
      if (d === '\\' && i + 1 < n && text[i + 1] !== '\n') {
        word += text[i + 1];
        i += 2;
        continue;
      }
      if (d === '\\') break;
      if (d === "'" || d === '"') {
        quoted = true;
        const close = text.indexOf(d, i + 1);
        const stop = close < 0 ? n : close;
        word += text.slice(i + 1, stop);
        i = stop + 1;
        continue;
      }
      word += d;
      i++;
    }
    cmd.push({ text: word, start, end: Math.min(i, n), quoted });
  }
  end();
  return out;
}

/** `VAR=value` literals assigned anywhere before use (no `$` in the value: nothing computed). */
function assignment(cmd: readonly Word[]): { name: string; word: Word } | undefined {
  const first = cmd[0]?.text === 'export' ? cmd[1] : cmd[0];
  if (!first || cmd.length > (cmd[0].text === 'export' ? 2 : 1)) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(first.text);
  if (!m || m[2].includes('$') || m[2].includes('`')) return undefined;
  const at = first.start + m[1].length + 1;
  return { name: m[1], word: { text: m[2], start: at, end: first.end, quoted: first.quoted } };
}

/** Index of the first argument after the training script, or -1 when the command does not train. */
function argumentsStart(cmd: readonly Word[]): number {
  const base = (w: Word) => w.text.slice(w.text.lastIndexOf('/') + 1);
  const k = cmd.findIndex((w) => /^(?:python[\d.]*|torchrun|deepspeed|accelerate)$/.test(base(w)));
  if (k < 0) return -1;
  for (let i = k + 1; i < cmd.length; i++) {
    const w = cmd[i];
    if (!w.quoted && OPERATORS.has(w.text)) return -1;
    if (/\.py$/.test(w.text)) return NOT_TRAINING.test(base(w)) ? -1 : i + 1;
    // `python -m pkg.train`: the module is the script, unless it is a launcher.
    if (w.text === '-m' && i + 1 < cmd.length && !/^torch\.distributed\.(?:launch|run)$/.test(cmd[i + 1].text)) {
      const mod = cmd[i + 1].text;
      return NOT_TRAINING.test(mod.slice(mod.lastIndexOf('.') + 1)) ? -1 : i + 2;
    }
  }
  return -1;
}

function scalar(w: Word): CScalar {
  const t = w.text;
  let value: CScalar['value'] = t;
  if (!w.quoted && /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(t)) value = Number(t);
  else if (!w.quoted && /^(?:true|True)$/.test(t)) value = true;
  else if (!w.quoted && /^(?:false|False)$/.test(t)) value = false;
  else if (!w.quoted && /^(?:None|null)$/.test(t)) value = null;
  return { kind: 'scalar', value, span: { start: w.start, end: w.end }, quoted: w.quoted };
}

/** `$VAR` / `${VAR}` as the whole word: the assigned literal; other `$` words are not read. */
function resolve(w: Word, vars: ReadonlyMap<string, Word>): Word | undefined {
  if (!w.text.includes('$')) return w;
  const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(w.text);
  return m ? vars.get(m[1] ?? m[2]) : undefined;
}

/** The options of one training command as config entries. */
function optionsOf(cmd: readonly Word[], from: number, vars: ReadonlyMap<string, Word>): CEntry[] {
  const entries: CEntry[] = [];
  let i = from;
  while (i < cmd.length) {
    const w = cmd[i];
    if (!w.quoted && OPERATORS.has(w.text)) break;
    const opt = /^--([A-Za-z][\w.-]*)(?:=(.*))?$/s.exec(w.text);
    if (!opt) {
      i++;
      continue;
    }
    const key = opt[1].replace(/-/g, '_');
    const keySpan: Span = { start: w.start, end: w.start + 2 + opt[1].length };
    const values: Word[] = [];
    if (opt[2] !== undefined) {
      values.push({ text: opt[2], start: keySpan.end + 1, end: w.end, quoted: w.quoted });
      i++;
    } else {
      i++;
      while (i < cmd.length && !(!cmd[i].quoted && OPERATORS.has(cmd[i].text)) && !/^-[A-Za-z-]/.test(cmd[i].text)) values.push(cmd[i++]);
    }
    const resolved = values.map((v) => resolve(v, vars));
    if (resolved.some((v) => v === undefined)) continue; // computed: not read
    const ws = resolved as Word[];
    let value: CNode;
    if (ws.length === 0) value = { kind: 'scalar', value: true, span: keySpan, quoted: false };
    else if (ws.length === 1) value = scalar(ws[0]);
    else value = { kind: 'seq', items: ws.map(scalar), span: { start: ws[0].start, end: ws[ws.length - 1].end }, flow: true };
    const last = values.length > 0 ? values[values.length - 1].end : keySpan.end;
    entries.push({ key, keySpan, value, span: { start: keySpan.start, end: Math.max(last, keySpan.end) } });
  }
  return entries;
}

/** Same value written (a list compared item by item). */
function sameValue(a: CNode, b: CNode): boolean {
  if (a.kind === 'scalar' && b.kind === 'scalar') return a.value === b.value;
  if (a.kind === 'seq' && b.kind === 'seq') return a.items.length === b.items.length && a.items.every((x, k) => sameValue(x, b.items[k]));
  return false;
}

/** The settings of the script's training commands as one map (undefined when it runs none). */
export function launchArguments(text: string): CMap | undefined {
  const vars = new Map<string, Word>();
  const byKey = new Map<string, CEntry>();
  const conflicting = new Set<string>();
  let trains = false;
  for (const cmd of commands(text)) {
    const a = assignment(cmd);
    if (a) {
      vars.set(a.name, a.word);
      continue;
    }
    const from = argumentsStart(cmd);
    if (from < 0) continue;
    trains = true;
    for (const e of optionsOf(cmd, from, vars)) {
      const seen = byKey.get(e.key);
      if (!seen) byKey.set(e.key, e);
      else if (!sameValue(seen.value, e.value)) conflicting.add(e.key);
    }
  }
  if (!trains) return undefined;
  const entries = [...byKey.values()].filter((e) => !conflicting.has(e.key));
  return { kind: 'map', entries, span: { start: 0, end: text.length }, flow: false };
}

/** Reads a launch script with `reader` (the plain reader); undefined when it trains nothing readable. */
export function readLaunchScript(file: string, text: string, reader: StyleReader): TrainingConfig | undefined {
  if (typeof text !== 'string' || text.length > MAX_SCRIPT_CHARS) return undefined;
  const root = launchArguments(text);
  if (!root || root.entries.length === 0) return undefined;
  const index = new LineIndex(text);
  const parsed: ParsedConfig = { format: 'yaml', text, root, hasErrors: false, position: (o) => index.position(o) };
  const ctx: Ctx = { parsed, root };
  const out: TrainingConfig = { file, format: 'shell', style: 'launch-script' };
  reader.extract(ctx, out);
  for (const k of Object.keys(out) as (keyof TrainingConfig)[]) if (out[k] === undefined) delete out[k];
  if (reader.accept && !reader.accept(out)) return undefined;
  return out;
}
