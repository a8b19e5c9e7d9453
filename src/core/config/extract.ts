/**
 * Helpers shared by the style readers: value coercion (YAML 1.1 vs 1.2 numbers, MLflow-style strings,
 * detectron2 tuple strings) and Setting construction with ranges.
 */
import type { Setting, TrainingConfig } from './training-config';
import { locate, spanToRange, joinPath, splitPath } from './tree';
import type { CMap, CNode, Located, ParsedConfig } from './tree';

export interface Ctx {
  parsed: ParsedConfig;
  root: CMap;
}

/** One reader per config convention (each framework's folder under src/core/frameworks holds its own). */
export interface StyleReader {
  style: TrainingConfig['style'];
  /** Order among readers whose `detect` scores tie: the lower rank wins. */
  rank: number;
  /** 0 when the document is not in this style; higher means stronger evidence. */
  detect(root: CMap): number;
  /** Fills `out` with what the document says. */
  extract(ctx: Ctx, out: TrainingConfig): void;
  /**
   * Whether what was read is a training config at all; only the fallback reader, which reads any map,
   * needs to say (absent = yes).
   */
  accept?(cfg: TrainingConfig): boolean;
}

const NUMBER_RE = /^[-+]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?$/;

/**
 * A number from a scalar: YAML/JSON numbers, and strings that spell one (`'5e-7'` is a string under
 * PyYAML's YAML 1.1 but jsonargparse/OmegaConf read it as a float; MLflow params are all strings).
 */
export function numberOf(node: CNode | undefined): number | undefined {
  if (!node || node.kind !== 'scalar') return undefined;
  const v = node.value;
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (NUMBER_RE.test(s)) {
    const n = Number(s.replace(/_/g, ''));
    return Number.isNaN(n) ? undefined : n;
  }
  if (/^[-+]?\.?inf(inity)?$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}

const TRUE = new Set(['true', 'yes', 'on', 'y']);
const FALSE = new Set(['false', 'no', 'off', 'n']);

/** A boolean, accepting the YAML 1.1 spellings PyYAML writes and reads (`yes`, `True`, `off`, …). */
export function boolOf(node: CNode | undefined): boolean | undefined {
  if (!node || node.kind !== 'scalar') return undefined;
  const v = node.value;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  return undefined;
}

/** A non-empty string (numbers and booleans are not strings here). */
export function stringOf(node: CNode | undefined): string | undefined {
  if (!node || node.kind !== 'scalar' || typeof node.value !== 'string') return undefined;
  const s = node.value.trim();
  return s === '' ? undefined : s;
}

export function isNull(node: CNode | undefined): boolean {
  if (!node || node.kind !== 'scalar') return false;
  if (node.value === null) return true;
  return typeof node.value === 'string' && !node.quoted && /^(null|none|~)$/i.test(node.value.trim());
}

/**
 * A list of numbers: a YAML/JSON sequence, or a string spelling a tuple/list (`(60000, 80000)` in
 * detectron2 configs, `[8, 11]` from MLflow params).
 */
export function numberListOf(node: CNode | undefined): number[] | undefined {
  if (!node) return undefined;
  if (node.kind === 'seq') {
    const out: number[] = [];
    for (const item of node.items) {
      const n = numberOf(item);
      if (n === undefined) return undefined;
      out.push(n);
    }
    return out;
  }
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    const m = /^\s*[([]\s*([^()[\]]*)[)\]]\s*$/.exec(node.value);
    if (!m) return undefined;
    const parts = m[1].split(',').map((p) => p.trim()).filter((p) => p !== '');
    const out = parts.map((p) => (NUMBER_RE.test(p) ? Number(p.replace(/_/g, '')) : NaN));
    return out.some((n) => Number.isNaN(n)) ? undefined : out;
  }
  return undefined;
}

/** A Setting for a located value; a sequence item (no key) ranges over the value alone. */
export function mk<T>(ctx: Ctx, loc: Located, value: T): Setting<T> {
  const valueRange = spanToRange(ctx.parsed, loc.node.span);
  const range = loc.entry ? spanToRange(ctx.parsed, loc.entry.span) : valueRange;
  return { value, key: loc.path, range, valueRange };
}

export function at(ctx: Ctx, path: string | readonly (string | number)[], base?: Located): Located | undefined {
  if (!base) return locate(ctx.root, path);
  const found = locate(base.node, path);
  if (!found) return undefined;
  return { ...found, path: joinPath([...splitPath(base.path), ...splitPath(path)]) };
}

export function num(ctx: Ctx, path: string, base?: Located): Setting<number> | undefined {
  const loc = at(ctx, path, base);
  const n = numberOf(loc?.node);
  return loc && n !== undefined ? mk(ctx, loc, n) : undefined;
}

export function str(ctx: Ctx, path: string, base?: Located): Setting<string> | undefined {
  const loc = at(ctx, path, base);
  const s = stringOf(loc?.node);
  return loc && s !== undefined && !isNull(loc.node) ? mk(ctx, loc, s) : undefined;
}

export function bool(ctx: Ctx, path: string, base?: Located): Setting<boolean> | undefined {
  const loc = at(ctx, path, base);
  const b = boolOf(loc?.node);
  return loc && b !== undefined ? mk(ctx, loc, b) : undefined;
}

/** A number, or `whenNull` when the key is written with a null value (e.g. `gradient_clip_val: null` → 0). */
export function numOrNull(ctx: Ctx, path: string, whenNull: number, base?: Located): Setting<number> | undefined {
  const loc = at(ctx, path, base);
  if (!loc) return undefined;
  const n = numberOf(loc.node);
  if (n !== undefined) return mk(ctx, loc, n);
  return isNull(loc.node) ? mk(ctx, loc, whenNull) : undefined;
}

/** First setting that is defined, in order of preference. */
export function first<T>(...candidates: (Setting<T> | undefined)[]): Setting<T> | undefined {
  return candidates.find((c) => c !== undefined);
}

/**
 * Breadth-first search for the shallowest key among `names` (in order of preference within a depth).
 * `skip` names subtrees not to enter (e.g. `hydra` in a Hydra config); sequences are entered only with
 * `enterSeq` (a list of records is data, not settings).
 */
export function findKey(
  ctx: Ctx,
  names: readonly string[],
  accept: (loc: Located) => boolean = () => true,
  opts: { maxDepth?: number; skip?: ReadonlySet<string>; base?: Located; enterSeq?: boolean } = {},
): Located | undefined {
  const maxDepth = opts.maxDepth ?? 5;
  let level: Located[] = [opts.base ?? { node: ctx.root, path: '' }];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    for (const name of names) {
      for (const loc of level) {
        if (loc.node.kind !== 'map') continue;
        for (let i = loc.node.entries.length - 1; i >= 0; i--) {
          const e = loc.node.entries[i];
          if (e.key !== name) continue;
          const found: Located = { node: e.value, entry: e, path: joinPath([...splitPath(loc.path), e.key]) };
          if (accept(found)) return found;
        }
      }
    }
    const next: Located[] = [];
    for (const loc of level) {
      if (loc.node.kind === 'map') {
        for (const e of loc.node.entries) {
          if (opts.skip?.has(e.key)) continue;
          if (e.value.kind !== 'scalar') next.push({ node: e.value, entry: e, path: joinPath([...splitPath(loc.path), e.key]) });
        }
      } else if (loc.node.kind === 'seq' && opts.enterSeq) {
        loc.node.items.forEach((item, i) => {
          if (item.kind !== 'scalar') next.push({ node: item, path: joinPath([...splitPath(loc.path), i]) });
        });
      }
    }
    level = next;
  }
  return undefined;
}

/** Number of scalar-valued keys, to tell a config from a bag of nested objects. */
export function keysOf(root: CMap): Set<string> {
  return new Set(root.entries.map((e) => e.key));
}

export function countKeys(root: CMap, names: readonly string[]): number {
  const keys = keysOf(root);
  return names.reduce((n, k) => n + (keys.has(k) ? 1 : 0), 0);
}

/** Class name at the end of a dotted import path (`torch.optim.lr_scheduler.StepLR` → `StepLR`). */
export function className(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? path : path.slice(i + 1);
}
