/**
 * The generic config edit engine that each framework's fix writers (src/core/frameworks, fixes.ts)
 * build on: set a value, add or replace a key, append a list item. Each takes a TrainingConfig and the
 * text it was read from and returns TextEdits (LSP-shaped, 0-based ranges into that text); nothing is written.
 * The edits of one call never overlap; apply them with `applyEdits` or as an LSP WorkspaceEdit.
 *
 * YAML is edited as text at the indentation the file already uses (comments and layout elsewhere are
 * kept); numbers are written so that both YAML 1.1 (PyYAML, which reads `1e-4` as a string) and
 * YAML 1.2 read them as floats (`1.0e-4`). JSON/JSONC is edited with jsonc-parser `modify`, which
 * keeps commas and comments right.
 */
import { applyEdits as jsonApplyEdits, modify } from 'jsonc-parser';
import type { FormattingOptions } from 'jsonc-parser';
import { stringify as yamlStringify } from 'yaml';
import type { SourceRange } from '../types';
import type { Setting, TrainingConfig } from './training-config';
import { LineIndex, entryOf, locate, parseConfigText, splitPath } from './tree';
import type { CEntry, CMap, CNode, CSeq } from './tree';
import { recovered } from '../recovered';

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

type Seg = string | number;
type Path = string | readonly Seg[];

/** Applies non-overlapping edits (as an editor does: all ranges refer to the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const withOffsets = edits.map((e, i) => ({
    start: lines.offset(e.range.startLine, e.range.startChar),
    end: lines.offset(e.range.endLine, e.range.endChar),
    text: e.newText,
    i,
  }));
  withOffsets.sort((a, b) => b.start - a.start || b.i - a.i);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * The tree a config's text is edited as. A Python script (format 'python') is not edited by these
 * writers (src/core/python/fixes.ts writes its edits); should one reach here, it is treated as YAML
 * and a fix whose re-read does not show the change is dropped by the caller.
 */
function treeFormat(cfg: TrainingConfig): 'yaml' | 'json' {
  return cfg.format === 'json' ? 'json' : 'yaml';
}

// ---------------------------------------------------------------- value setters

/** Replaces a numeric setting's value. */
export function setNumber(cfg: TrainingConfig, text: string, setting: Setting<unknown>, value: number): TextEdit[] {
  if (!Number.isFinite(value) && cfg.format === 'json') return [];
  const old = sliceRange(text, setting.valueRange);
  const keepFloat = /[.eE]/.test(old) && !/^\s*["']/.test(old);
  return setValue(cfg, text, setting, value, keepFloat);
}

/** Replaces a setting's value with a scalar. */
export function setValue(
  cfg: TrainingConfig,
  text: string,
  setting: Setting<unknown>,
  value: string | number | boolean | null,
  keepFloat = false,
): TextEdit[] {
  const lines = new LineIndex(text);
  let start = lines.offset(setting.valueRange.startLine, setting.valueRange.startChar);
  const end = lines.offset(setting.valueRange.endLine, setting.valueRange.endChar);
  const scalar = cfg.format === 'json' ? jsonScalar(value, keepFloat) : yamlScalar(value, keepFloat);
  let newText = scalar;
  if (cfg.format === 'yaml') {
    const keyStart = lines.offset(setting.range.startLine, setting.range.startChar);
    const colon = findColon(text, keyStart, start);
    const blockList = /^-(\s|$)/.test(text.slice(start, end)) && setting.valueRange.startLine !== setting.range.startLine;
    if (colon >= 0 && (blockList || (start === end && start === colon + 1))) {
      // An empty value right after the colon, or a block list on the following lines: write after the colon.
      start = colon + 1;
      newText = ` ${scalar}`;
    }
  }
  return [{ range: toRange(lines, start, end), newText }];
}

function findColon(text: string, from: number, to: number): number {
  // The colon that ends the key: the first `:` followed by a space, newline or the value itself.
  for (let i = from; i < to && i < text.length; i++) {
    if (text[i] === ':' && (i + 1 >= text.length || /[\s]/.test(text[i + 1]) || i + 1 === to)) return i;
  }
  return -1;
}

// ---------------------------------------------------------------- add / merge keys

/**
 * Sets `keyPath` to `value`, creating the key (and any missing parent maps) at the file's indentation.
 * An existing key is replaced, except that an object value is merged key by key into an existing map.
 * `keyPath` is dotted (`trainer.gradient_clip_val`, `SOLVER.CLIP_GRADIENTS`) or a segment array
 * (for keys containing dots).
 */
export function addKey(cfg: TrainingConfig, text: string, keyPath: Path, value: unknown): TextEdit[] {
  try {
    const segs = splitPath(keyPath);
    if (segs.length === 0) return [];
    let cur = text;
    for (const [path, v] of leaves(treeFormat(cfg), cur, segs, value)) {
      const next = setPath(treeFormat(cfg), cur, path, v);
      if (next === undefined) return [];
      cur = next;
    }
    return diffEdit(text, cur);
  } catch (err) {
    recovered('edits.addKey', err);
    return []; // edit builders never throw: no fix is offered
  }
}

/** Appends an item to the list at `keyPath` (creating the list when absent or null). */
export function appendListItem(cfg: TrainingConfig, text: string, keyPath: Path, item: unknown): TextEdit[] {
  try {
    return appendItem(cfg, text, keyPath, item);
  } catch (err) {
    recovered('edits.appendListItem', err);
    return [];
  }
}

function appendItem(cfg: TrainingConfig, text: string, keyPath: Path, item: unknown): TextEdit[] {
  const segs = splitPath(keyPath);
  const parsed = parseConfigText(text, treeFormat(cfg));
  const loc = locate(parsed.root, segs);
  if (!loc || loc.node.kind !== 'seq') return addKey(cfg, text, segs, [item]);
  if (cfg.format === 'json') {
    const out = jsonModify(text, [...segs, loc.node.items.length], item, true);
    return diffEdit(text, out);
  }
  const seq = loc.node;
  const lines = new LineIndex(text);
  const eol = eolOf(text);
  if (seq.flow) {
    const close = seq.span.end - 1;
    const sep = seq.items.length ? ', ' : '';
    return [{ range: toRange(lines, close, close), newText: sep + yamlFlow(item) }];
  }
  const col = lines.position(seq.span.start).char;
  const at = lineEnd(text, seq.span.end);
  const step = indentStep(text);
  return [{ range: toRange(lines, at, at), newText: eol + yamlItem(item, col, step).join(eol) }];
}

/** A number that must be written as a float (`1.0`, not `1`): loaders such as yacs check the type. */
export class FloatValue {
  constructor(readonly value: number) {}
}

export function float(value: number): FloatValue {
  return new FloatValue(value);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof FloatValue);
}

/** JSON has no float/int distinction jsonc-parser can write: floats go in as plain numbers. */
function jsonData(v: unknown): unknown {
  if (v instanceof FloatValue) return v.value;
  if (Array.isArray(v)) return v.map(jsonData);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonData(x)]));
  return v;
}

/** Object values merged into existing maps become one write per leaf; anything else is one write. */
function leaves(format: 'yaml' | 'json', text: string, segs: Seg[], value: unknown): [Seg[], unknown][] {
  const root = parseConfigText(text, format).root;
  const out: [Seg[], unknown][] = [];
  const walk = (path: Seg[], v: unknown) => {
    const loc = locate(root, path);
    if (isPlainObject(v) && Object.keys(v).length > 0 && loc?.node.kind === 'map') {
      for (const [k, x] of Object.entries(v)) walk([...path, k], x);
    } else out.push([path, v]);
  };
  walk(segs, value);
  return out;
}

/** One write; undefined when the path cannot be made (e.g. an index past a list's end). */
function setPath(format: 'yaml' | 'json', text: string, segs: Seg[], value: unknown): string | undefined {
  if (format === 'json') {
    const parsed = parseConfigText(text, 'json');
    if (!parsed.root || parsed.root.kind !== 'map') return undefined;
    // As in YAML, a scalar met on the way is replaced by the nested object.
    let node: CNode | undefined = parsed.root;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      if (typeof seg === 'number') {
        if (node?.kind !== 'seq' || seg >= node.items.length) return undefined;
        node = node.items[seg];
        continue;
      }
      if (node?.kind !== 'map') {
        const v = nest(segs.slice(i), value);
        return v === undefined ? undefined : jsonModify(text, segs.slice(0, i), v, false);
      }
      node = entryOf(node, seg)?.value;
      if (!node) break;
    }
    return jsonModify(text, segs, value, false);
  }
  return yamlSetPath(text, segs, value);
}

// ---------------------------------------------------------------- YAML writing

function yamlSetPath(text: string, segs: Seg[], value: unknown): string | undefined {
  const parsed = parseConfigText(text, 'yaml');
  const root = parsed.root;
  const lines = new LineIndex(text);
  const eol = eolOf(text);
  const step = indentStep(text);
  if (!root || (root.kind === 'scalar' && root.value === null)) {
    if (typeof segs[0] === 'number') return undefined;
    const block = yamlEntry(segs, value, 0, step).join(eol);
    const body = text.replace(/\s*$/, '');
    return body === '' ? block + eol : body + eol + block + eol;
  }
  let node: CNode = root;
  let entry: CEntry | undefined;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const rest = segs.slice(i);
    if (typeof seg === 'number') {
      if (node.kind !== 'seq' || seg > node.items.length) return undefined;
      if (seg === node.items.length) {
        const v = nest(segs.slice(i + 1), value);
        return applyOne(text, yamlAppend(text, node, v, lines, eol, step));
      }
      node = node.items[seg];
      entry = undefined;
      continue;
    }
    if (node.kind === 'map') {
      const e = entryOf(node, seg);
      if (!e) return applyOne(text, yamlInsert(text, node, rest, value, lines, eol, step));
      entry = e;
      node = e.value;
      continue;
    }
    // A scalar (often null) or a list where a map is needed: replace it with the nested value.
    return applyOne(text, yamlReplace(text, node, entry, nest(rest as string[], value), lines, eol, step));
  }
  return applyOne(text, yamlReplace(text, node, entry, value, lines, eol, step));
}

interface RawEdit {
  start: number;
  end: number;
  text: string;
}

function applyOne(text: string, e: RawEdit | undefined): string | undefined {
  return e ? text.slice(0, e.start) + e.text + text.slice(e.end) : undefined;
}

function nest(segs: readonly Seg[], value: unknown): unknown {
  let v = value;
  for (let i = segs.length - 1; i >= 0; i--) {
    const s = segs[i];
    if (typeof s === 'number') return undefined;
    v = { [s]: v };
  }
  return v;
}

function yamlInsert(text: string, map: CMap, rest: Seg[], value: unknown, lines: LineIndex, eol: string, step: number): RawEdit | undefined {
  if (rest.some((s) => typeof s === 'number')) return undefined;
  const [key, ...deeper] = rest as string[];
  const v = nest(deeper, value);
  if (map.flow) {
    const close = map.span.end - 1;
    if (text[close] !== '}') return undefined;
    const sep = map.entries.length ? ', ' : '';
    return { start: close, end: close, text: `${sep}${yamlKey(key)}: ${yamlFlow(v)}` };
  }
  const first = map.entries[0];
  const col = first ? lines.position(first.keySpan.start).char : 0;
  const at = lineEnd(text, map.span.end);
  return { start: at, end: at, text: eol + yamlEntry([key], v, col, step).join(eol) };
}

function yamlAppend(text: string, seq: CSeq, item: unknown, lines: LineIndex, eol: string, step: number): RawEdit {
  if (seq.flow) {
    const close = seq.span.end - 1;
    return { start: close, end: close, text: (seq.items.length ? ', ' : '') + yamlFlow(item) };
  }
  const col = lines.position(seq.span.start).char;
  const at = lineEnd(text, seq.span.end);
  return { start: at, end: at, text: eol + yamlItem(item, col, step).join(eol) };
}

function yamlReplace(
  text: string,
  node: CNode,
  entry: CEntry | undefined,
  value: unknown,
  lines: LineIndex,
  eol: string,
  step: number,
): RawEdit | undefined {
  const compound = (isPlainObject(value) && Object.keys(value).length > 0) || (Array.isArray(value) && value.some((x) => typeof x === 'object' && x !== null));
  const inFlow = isInFlow(text, node, entry);
  if (!entry) {
    // A list item or the root: replace the node in place.
    if (compound && !inFlow) {
      const col = lines.position(node.span.start).char;
      const block = yamlValueBlock(value, col, step);
      return { start: node.span.start, end: node.span.end, text: block.join(eol).slice(col) };
    }
    return { start: node.span.start, end: node.span.end, text: inFlow ? yamlFlow(value) : yamlInline(value) };
  }
  if (inFlow) return { start: node.span.start, end: node.span.end, text: yamlFlow(value) };
  const colon = findColon(text, entry.keySpan.end, Math.max(node.span.start, entry.keySpan.end + 1));
  const from = colon >= 0 ? colon + 1 : node.span.start;
  if (compound) {
    const keyCol = lines.position(entry.keySpan.start).char;
    return { start: from, end: node.span.end, text: eol + yamlValueBlock(value, keyCol + step, step).join(eol) };
  }
  return { start: from, end: Math.max(from, node.span.end), text: ` ${yamlInline(value)}` };
}

/** Is the node written inside `{…}`/`[…]` (then block syntax cannot be used)? */
function isInFlow(text: string, node: CNode, entry: CEntry | undefined): boolean {
  // A flow collection's entries sit on the same line as an opening bracket before them with no closing one.
  const start = entry ? entry.keySpan.start : node.span.start;
  let depth = 0;
  for (let i = start - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '\n') {
      // Look at the previous non-empty line only when the bracket is still open; block context otherwise.
      if (depth < 0) return true;
      const lineStart = text.lastIndexOf('\n', i - 1) + 1;
      const line = text.slice(lineStart, i);
      if (!/[[{,]\s*$/.test(line)) return false;
      continue;
    }
    if (c === '}' || c === ']') depth++;
    if (c === '{' || c === '[') {
      depth--;
      if (depth < 0) return true;
    }
  }
  return false;
}

const PLAIN_KEY = /^[A-Za-z_][\w.\-/]*$/;

function yamlKey(key: string): string {
  return PLAIN_KEY.test(key) ? key : JSON.stringify(key);
}

/** A float YAML 1.1 and 1.2 both read as a float: `1.0e-4`, not `1e-4`. */
export function yamlNumber(n: number, keepFloat = false): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  if (Object.is(n, -0)) return '-0.0';
  let s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([-+]?)(\d+)$/.exec(s);
  if (m) s = `${m[1]}${m[2]}.${m[3] ?? '0'}e${m[4] === '-' ? '-' : '+'}${m[5]}`;
  else if (keepFloat && Number.isInteger(n)) s = `${s}.0`;
  return s;
}

function jsonScalar(v: string | number | boolean | null, keepFloat: boolean): string {
  if (typeof v === 'number') return Number.isInteger(v) && keepFloat && Math.abs(v) < 1e21 ? `${v}.0` : JSON.stringify(v);
  return JSON.stringify(v);
}

function yamlScalar(v: unknown, keepFloat = false): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof FloatValue) return yamlNumber(v.value, true);
  if (typeof v === 'number') return yamlNumber(v, keepFloat);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = String(v);
  // Quote what YAML 1.1 or 1.2 would read as something else (yes/no/on/off, numbers, null, …).
  if (/^(y|n|yes|no|on|off|true|false|null|~)$/i.test(s) || /^[-+.\d]/.test(s) && !Number.isNaN(Number(s))) return JSON.stringify(s);
  const out = yamlStringify(s).replace(/\n$/, '');
  return out.includes('\n') ? JSON.stringify(s) : out;
}

function yamlFlow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(yamlFlow).join(', ')}]`;
  if (isPlainObject(v)) return `{${Object.entries(v).map(([k, x]) => `${yamlKey(k)}: ${yamlFlow(x)}`).join(', ')}}`;
  const s = yamlScalar(v);
  return /[,[\]{}]/.test(s) && !/^["']/.test(s) ? JSON.stringify(String(v)) : s;
}

/** A value written after `key:` on the same line (scalars, empty or all-scalar collections). */
function yamlInline(v: unknown): string {
  if (Array.isArray(v) || isPlainObject(v)) return yamlFlow(v);
  return yamlScalar(v);
}

function yamlEntry(segs: readonly Seg[], value: unknown, indent: number, step: number): string[] {
  const key = segs[0] as string;
  const v = nest(segs.slice(1), value);
  const pad = ' '.repeat(indent);
  const compound = (isPlainObject(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.some((x) => typeof x === 'object' && x !== null));
  if (!compound) return [`${pad}${yamlKey(key)}: ${yamlInline(v)}`];
  return [`${pad}${yamlKey(key)}:`, ...yamlValueBlock(v, indent + step, step)];
}

/** Lines of a block mapping or sequence whose entries start at column `indent`. */
function yamlValueBlock(v: unknown, indent: number, step: number): string[] {
  if (Array.isArray(v)) return v.flatMap((item) => yamlItem(item, indent, step));
  if (isPlainObject(v)) return Object.entries(v).flatMap(([k, x]) => yamlEntry([k], x, indent, step));
  return [`${' '.repeat(indent)}${yamlScalar(v)}`];
}

function yamlItem(item: unknown, col: number, step: number): string[] {
  const pad = ' '.repeat(col);
  if (isPlainObject(item) && Object.keys(item).length > 0) {
    const inner = yamlValueBlock(item, col + 2, step);
    inner[0] = `${pad}- ${inner[0].slice(col + 2)}`;
    return inner;
  }
  if (Array.isArray(item) && item.length > 0) return [`${pad}- ${yamlFlow(item)}`];
  return [`${pad}- ${yamlInline(item)}`];
}

// ---------------------------------------------------------------- JSON writing

function jsonModify(text: string, segs: Seg[], value: unknown, isArrayInsertion: boolean): string {
  try {
    const edits = modify(text, segs, jsonData(value), { formattingOptions: jsonFormatting(text), isArrayInsertion });
    return jsonApplyEdits(text, edits);
  } catch {
    return text; // jsonc-parser refuses the path (an expected refusal, not a bug): no edit
  }
}

function jsonFormatting(text: string): FormattingOptions {
  const m = /\n([ \t]+)["}\]]/.exec(text);
  const indent = m ? m[1] : '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: eolOf(text) };
}

// ---------------------------------------------------------------- text helpers

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Smallest indentation of an indented key line, the file's indent unit (2 when none is seen). */
function indentStep(text: string): number {
  let best = 0;
  for (const m of text.matchAll(/\n( +)(?:- )?[^\s#-]/g)) {
    const n = m[1].length;
    if (n > 0 && (best === 0 || n < best)) best = n;
  }
  return best || 2;
}

/** Offset of the end of the line holding the last non-space character before `offset`. */
function lineEnd(text: string, offset: number): number {
  let p = Math.min(offset, text.length);
  while (p > 0 && /\s/.test(text[p - 1])) p--;
  const nl = text.indexOf('\n', p);
  if (nl < 0) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

function toRange(lines: LineIndex, start: number, end: number): SourceRange {
  const s = lines.position(start);
  const e = lines.position(end);
  return { startLine: s.line, startChar: s.char, endLine: e.line, endChar: e.char };
}

function sliceRange(text: string, r: SourceRange): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offset(r.startLine, r.startChar), lines.offset(r.endLine, r.endChar));
}

/** One edit turning `before` into `after` (their common prefix and suffix left alone). */
export function diffEdits(before: string, after: string): TextEdit[] {
  return diffEdit(before, after);
}

function diffEdit(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before[p] === after[p]) p++;
  let s = 0;
  while (s < max - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  const lines = new LineIndex(before);
  return [{ range: toRange(lines, p, before.length - s), newText: after.slice(p, after.length - s) }];
}

// ---------------------------------------------------------------- whole-key writes

/** Sets a key to a value, replacing (not merging) an existing map. */
export function replaceKey(cfg: TrainingConfig, text: string, keyPath: Path, value: unknown): TextEdit[] {
  const segs = splitPath(keyPath);
  const out = setPath(treeFormat(cfg), text, segs, value);
  return out === undefined ? [] : diffEdit(text, out);
}

/** Several top-level keys in one edit (each replaced or added). */
export function setTopKeys(cfg: TrainingConfig, text: string, values: Record<string, unknown>): TextEdit[] {
  let cur = text;
  for (const [k, v] of Object.entries(values)) {
    const next = setPath(treeFormat(cfg), cur, [k], v);
    if (next === undefined) return [];
    cur = next;
  }
  return diffEdit(text, cur);
}
