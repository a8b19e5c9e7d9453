/**
 * The Python syntax tree of a script, from `@lezer/python` (an error-tolerant LR grammar: a script
 * with a typo still gives a tree whose other statements are intact), and the few shapes traindx reads
 * from it: dotted names and argument lists. Nothing here runs any code.
 */
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import { LineIndex } from '../config/tree';
import type { SourceRange } from '../types';

export type { SyntaxNode };

export interface PySource {
  text: string;
  top: SyntaxNode;
  lines: LineIndex;
}

export function parsePython(text: string): PySource {
  return { text, top: parser.parse(text).topNode, lines: new LineIndex(text) };
}

export function textOf(src: PySource, node: SyntaxNode): string {
  return src.text.slice(node.from, node.to);
}

export function rangeOf(src: PySource, from: number, to: number): SourceRange {
  const s = src.lines.position(from);
  const e = src.lines.position(to);
  return { startLine: s.line, startChar: s.char, endLine: e.line, endChar: e.char };
}

/** `a.b.c` as written, for a chain of names; undefined for anything else (`x[0].y`, `f().g`). */
export function dottedName(src: PySource, node: SyntaxNode): string | undefined {
  if (node.name === 'VariableName') return textOf(src, node);
  if (node.name !== 'MemberExpression') return undefined;
  const object = node.firstChild;
  const property = node.lastChild;
  if (!object || !property || property.name !== 'PropertyName') return undefined;
  const head = dottedName(src, object);
  return head === undefined ? undefined : `${head}.${textOf(src, property)}`;
}

/** One argument of a call: positional (no name), keyword (`name=value`), or a `*x` / `**x` spread. */
export interface PyArg {
  name?: string;
  spread?: '*' | '**';
  value: SyntaxNode;
  /** From the keyword (or the value when positional) to the end of the value. */
  from: number;
  to: number;
}

const SKIPPED = new Set(['(', ')', ',', 'Comment']);

/** The arguments of an `ArgList` node, in order. */
export function argsOf(src: PySource, argList: SyntaxNode | null): PyArg[] {
  const out: PyArg[] = [];
  if (!argList) return out;
  let pendingName: SyntaxNode | undefined;
  let pendingSpread: '*' | '**' | undefined;
  let spreadFrom = 0;
  for (let c = argList.firstChild; c; c = c.nextSibling) {
    if (SKIPPED.has(c.name) || c.type.isError) continue;
    if (c.name === '*' || c.name === '**') {
      pendingSpread = c.name;
      spreadFrom = c.from;
      continue;
    }
    if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
      pendingName = c;
      continue;
    }
    if (c.name === 'AssignOp') continue;
    if (pendingName) out.push({ name: textOf(src, pendingName), value: c, from: pendingName.from, to: c.to });
    else if (pendingSpread) out.push({ spread: pendingSpread, value: c, from: spreadFrom, to: c.to });
    else out.push({ value: c, from: c.from, to: c.to });
    pendingName = undefined;
    pendingSpread = undefined;
  }
  return out;
}

/** The keyword argument `name`, else the positional argument at `position` (when given). */
export function argument(args: readonly PyArg[], name: string, position?: number): PyArg | undefined {
  const kw = args.find((a) => a.name === name);
  if (kw) return kw;
  if (position === undefined) return undefined;
  const positional = args.filter((a) => a.name === undefined && a.spread === undefined);
  // A `*args` spread before the position makes the positions unknowable.
  const firstSpread = args.findIndex((a) => a.spread !== undefined);
  const candidate = positional[position];
  if (!candidate) return undefined;
  if (firstSpread >= 0 && args.indexOf(candidate) > firstSpread) return undefined;
  return candidate;
}
