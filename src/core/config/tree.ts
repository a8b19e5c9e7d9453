/**
 * A small, format-neutral tree over a YAML or JSON/JSONC document that keeps the source offsets of
 * every key and value. The style extractors read this tree, never the `yaml` or `jsonc-parser` nodes,
 * so that one extractor serves `training_args.json` and a LLaMA-Factory YAML alike.
 *
 * Offsets are UTF-16 code-unit indices into the text (what both libraries report, and what LSP
 * positions count by default).
 */
import { LineCounter, parseDocument, isAlias, isMap, isPair, isScalar, isSeq, Scalar, visit } from 'yaml';
import type { Alias } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { parseTree } from 'jsonc-parser';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import type { SourceRange } from '../types';

export interface Span {
  start: number;
  end: number;
}

export type CValue = string | number | boolean | null;

export interface CScalar {
  kind: 'scalar';
  value: CValue;
  span: Span;
  /** Written in quotes (YAML `'…'`/`"…"`, every JSON string). */
  quoted: boolean;
}

export interface CMap {
  kind: 'map';
  entries: CEntry[];
  span: Span;
  /** `{…}` (YAML flow mapping, JSON object) rather than a YAML block mapping. */
  flow: boolean;
}

export interface CSeq {
  kind: 'seq';
  items: CNode[];
  span: Span;
  flow: boolean;
}

export type CNode = CScalar | CMap | CSeq;

export interface CEntry {
  key: string;
  keySpan: Span;
  value: CNode;
  /** From the start of the key to the end of the value. */
  span: Span;
}

export interface ParsedConfig {
  format: 'yaml' | 'json';
  text: string;
  root: CNode | undefined;
  /** Syntax errors were reported; the tree is the parser's best effort. */
  hasErrors: boolean;
  /** 0-based line/character of an offset. */
  position(offset: number): { line: number; char: number };
}

/** Deeper nesting than this is cut (read as null): no training config nests this deep. */
const MAX_DEPTH = 64;

export function spanToRange(cfg: Pick<ParsedConfig, 'position'>, span: Span): SourceRange {
  const s = cfg.position(span.start);
  const e = cfg.position(span.end);
  return { startLine: s.line, startChar: s.char, endLine: e.line, endChar: e.char };
}

/** Line-start table for offset → position and back (used for JSON, and by the edit builders). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): { line: number; char: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, char: o - this.starts[lo] };
  }
  offset(line: number, char: number): number {
    if (line < 0) return 0;
    if (line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[line] + Math.max(0, char), this.text.length);
  }
}

/** Format by file extension; unknown extensions are sniffed (a leading `{` or `[` means JSON). */
export function formatOf(file: string, text: string): 'yaml' | 'json' {
  const lower = file.toLowerCase();
  if (/\.(json|jsonc|json5)$/.test(lower)) return 'json';
  if (/\.(ya?ml)$/.test(lower)) return 'yaml';
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'yaml';
}

export function parseConfigText(text: string, format: 'yaml' | 'json'): ParsedConfig {
  return format === 'json' ? parseJson(text) : parseYaml(text);
}

// ---------------------------------------------------------------- YAML

function parseYaml(text: string): ParsedConfig {
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema (the `yaml` default): `5e-7` is a number, as jsonargparse/OmegaConf coerce it too.
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
  const position = (offset: number) => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line - 1, char: p.col - 1 };
  };
  const root = doc.contents ? convertYaml(doc.contents as YamlNode, text, 0, new Anchors(doc)) : undefined;
  return { format: 'yaml', text, root, hasErrors: doc.errors.length > 0, position };
}

/** End of a YAML node's value, without the trailing newlines that block collections and scalars include. */
function trimEnd(text: string, start: number, end: number): number {
  let e = Math.min(end, text.length);
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}

function yamlSpan(node: { range?: [number, number, number] | null }, text: string, fallback: number): Span {
  const r = node.range;
  if (!r) return { start: fallback, end: fallback };
  return { start: r[0], end: trimEnd(text, r[0], r[1]) };
}

function scalarValue(v: unknown): CValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}

/**
 * The anchors of one YAML document, indexed once. `Alias.resolve(doc)` searches the whole document per
 * alias, so a file of 20 000 aliases of one scalar (140 KB) took over 30 s; here each alias costs a map
 * lookup. An alias refers to the nearest anchor of its name before it (an anchor may be redefined).
 */
class Anchors {
  private readonly byName = new Map<string, { start: number; node: YamlNode }[]>();
  constructor(doc: ReturnType<typeof parseDocument>) {
    visit(doc, {
      Node: (_key, n) => {
        const anchor = (n as { anchor?: string }).anchor;
        const start = (n as { range?: [number, number, number] }).range?.[0];
        if (!anchor || start === undefined) return;
        const list = this.byName.get(anchor) ?? [];
        list.push({ start, node: n as YamlNode });
        this.byName.set(anchor, list);
      },
    });
  }

  resolve(alias: Alias): YamlNode | undefined {
    const list = this.byName.get(alias.source);
    const at = alias.range?.[0] ?? Infinity;
    let found: YamlNode | undefined;
    for (const a of list ?? []) if (a.start < at) found = a.node; // listed in document order
    return found;
  }
}

function convertYaml(node: YamlNode, text: string, depth: number, doc: Anchors): CNode {
  const span = yamlSpan(node, text, 0);
  if (depth > MAX_DEPTH) return { kind: 'scalar', value: null, span, quoted: false };
  if (isMap(node)) {
    const entries: CEntry[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = pair.key as YamlNode | null;
      if (!k || !isScalar(k)) continue; // complex keys are not training keys
      const keySpan = yamlSpan(k, text, span.start);
      const key = String(scalarValue(k.value));
      const v = pair.value as YamlNode | null;
      const value: CNode = v
        ? convertYaml(v, text, depth + 1, doc)
        : { kind: 'scalar', value: null, span: { start: keySpan.end, end: keySpan.end }, quoted: false };
      entries.push({ key, keySpan, value, span: { start: keySpan.start, end: Math.max(keySpan.end, value.span.end) } });
    }
    return { kind: 'map', entries, span, flow: node.flow === true };
  }
  if (isSeq(node)) {
    const items: CNode[] = [];
    for (const item of node.items) {
      if (item && typeof item === 'object' && 'range' in item) items.push(convertYaml(item as YamlNode, text, depth + 1, doc));
      else if (isPair(item)) continue;
      else items.push({ kind: 'scalar', value: null, span: { start: span.end, end: span.end }, quoted: false });
    }
    return { kind: 'seq', items, span, flow: node.flow === true };
  }
  if (isScalar(node)) {
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    return { kind: 'scalar', value: scalarValue(node.value), span, quoted };
  }
  if (isAlias(node)) {
    // An alias reads as the scalar it points to; a collection alias is not followed (its ranges are elsewhere).
    // An alias to an anchor the YAML does not define reads as absent.
    const target = doc.resolve(node);
    const value = target && isScalar(target) ? scalarValue((target as Scalar).value) : null;
    return { kind: 'scalar', value, span, quoted: false };
  }
  return { kind: 'scalar', value: null, span, quoted: false };
}

// ---------------------------------------------------------------- JSON / JSONC

function parseJson(text: string): ParsedConfig {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const lines = new LineIndex(text);
  const root = tree ? convertJson(tree, 0) : undefined;
  return { format: 'json', text, root, hasErrors: errors.length > 0, position: (o) => lines.position(o) };
}

function convertJson(node: JsonNode, depth: number): CNode {
  const span = { start: node.offset, end: node.offset + node.length };
  if (depth > MAX_DEPTH) return { kind: 'scalar', value: null, span, quoted: false };
  switch (node.type) {
    case 'object': {
      const entries: CEntry[] = [];
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || !v || typeof k.value !== 'string') continue;
        const keySpan = { start: k.offset, end: k.offset + k.length };
        const value = convertJson(v, depth + 1);
        entries.push({ key: k.value, keySpan, value, span: { start: keySpan.start, end: value.span.end } });
      }
      return { kind: 'map', entries, span, flow: true };
    }
    case 'array':
      return { kind: 'seq', items: (node.children ?? []).map((c) => convertJson(c, depth + 1)), span, flow: true };
    case 'string':
      return { kind: 'scalar', value: typeof node.value === 'string' ? node.value : '', span, quoted: true };
    case 'number':
      return { kind: 'scalar', value: typeof node.value === 'number' ? node.value : null, span, quoted: false };
    case 'boolean':
      return { kind: 'scalar', value: node.value === true, span, quoted: false };
    default:
      return { kind: 'scalar', value: null, span, quoted: false };
  }
}

// ---------------------------------------------------------------- navigation

/** The entry of `key` in a map (the last one when a key is repeated, as JSON.parse and PyYAML keep it). */
export function entryOf(node: CNode | undefined, key: string): CEntry | undefined {
  if (!node || node.kind !== 'map') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i].key === key) return node.entries[i];
  return undefined;
}

export function childOf(node: CNode | undefined, key: string): CNode | undefined {
  return entryOf(node, key)?.value;
}

/** Splits a dotted key path (`trainer.callbacks[0].init_args.patience`) into segments. */
export function splitPath(path: string | readonly (string | number)[]): (string | number)[] {
  if (typeof path !== 'string') return [...path];
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1] !== '') out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export function joinPath(segments: readonly (string | number)[]): string {
  let s = '';
  for (const seg of segments) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s === '' ? seg : `.${seg}`;
  }
  return s;
}

/** Where a key path leads: the node, and the entry holding it (absent for sequence items and the root). */
export interface Located {
  node: CNode;
  entry?: CEntry;
  path: string;
}

export function locate(root: CNode | undefined, path: string | readonly (string | number)[]): Located | undefined {
  const segs = splitPath(path);
  let node = root;
  let entry: CEntry | undefined;
  for (const seg of segs) {
    if (!node) return undefined;
    if (typeof seg === 'number') {
      if (node.kind !== 'seq' || seg >= node.items.length) return undefined;
      node = node.items[seg];
      entry = undefined;
    } else {
      entry = entryOf(node, seg);
      node = entry?.value;
    }
  }
  return node ? { node, entry, path: joinPath(segs) } : undefined;
}

/** A node as plain data (what the YAML/JSON says, without positions). */
export function plainOf(node: CNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plainOf);
  return Object.fromEntries(node.entries.map((e) => [e.key, plainOf(e.value)]));
}

/**
 * The data format a config's text is parsed and edited as. A Python script (`format: 'python'`) is read
 * by src/core/python and never reaches the YAML/JSON engine; this only narrows the type for code that
 * runs on YAML/JSON configs.
 */
export function dataFormat(cfg: { format: 'yaml' | 'json' | 'python' | 'shell' }): 'yaml' | 'json' {
  return cfg.format === 'json' ? 'json' : 'yaml';
}
