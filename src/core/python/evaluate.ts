/**
 * A literal evaluator: the value of an expression when reading the script is enough to know it
 * (numbers, strings, booleans, None, lists/tuples/dicts of those, arithmetic on numbers, names assigned
 * once, argparse defaults reached as `args.lr`). Nothing is executed; anything else is unknown.
 *
 * Values come out as the config tree's nodes (config/tree.ts) so that the config readers' helpers
 * (`num`, `str`, `mk`…) read a Python call's keywords like a YAML mapping. A node's span is where the
 * value is written: for `lr=args.lr` that is the argparse `default=`, which is what an edit changes.
 */
import type { CEntry, CMap, CNode, CScalar } from '../config/tree';
import type { ArgOption } from './argparse';
import { unquote } from './argparse';
import type { Bindings } from './bindings';
import { argsOf, dottedName, textOf } from './syntax';
import type { PyArg, PySource, SyntaxNode } from './syntax';

export interface Scope {
  src: PySource;
  bindings: Bindings;
  options: Map<string, ArgOption>;
}

/** Names followed through assignments at most this deep (`a = b`, `b = c`…): no cycle can hang us. */
const MAX_DEPTH = 8;

export function evaluate(scope: Scope, node: SyntaxNode | null | undefined, depth = 0): CNode | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  const { src } = scope;
  const span = { start: node.from, end: node.to };
  const scalar = (value: CScalar['value'], quoted = false): CScalar => ({ kind: 'scalar', value, span, quoted });
  switch (node.name) {
    case 'Number': {
      const n = pythonNumber(textOf(src, node));
      return n === undefined ? undefined : scalar(n);
    }
    case 'String':
      return scalar(unquote(textOf(src, node)), true);
    case 'ContinuedString': {
      let s = '';
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (c.name !== 'String') return undefined; // an f-string part
        s += unquote(textOf(src, c));
      }
      return scalar(s, true);
    }
    case 'Boolean':
      return scalar(textOf(src, node) === 'True');
    case 'None':
      return scalar(null);
    case 'ParenthesizedExpression':
      return evaluate(scope, node.firstChild?.nextSibling, depth + 1);
    case 'UnaryExpression':
      return unary(scope, node, depth, scalar);
    case 'BinaryExpression':
      return binary(scope, node, depth, scalar);
    case 'ArrayExpression':
    case 'TupleExpression':
      return sequence(scope, node, depth);
    case 'DictionaryExpression':
      return dictionary(scope, node, depth);
    case 'VariableName': {
      const name = textOf(src, node);
      return evaluate(scope, scope.bindings.values.get(name), depth + 1);
    }
    case 'MemberExpression':
      return argparseDefault(scope, node, depth);
    case 'CallExpression':
      return conversion(scope, node, depth);
    default:
      return undefined;
  }
}

export function numberValue(scope: Scope, node: SyntaxNode | null | undefined): number | undefined {
  const v = evaluate(scope, node);
  return v?.kind === 'scalar' && typeof v.value === 'number' ? v.value : undefined;
}

/** Python truthiness of a known value; undefined when unknown. */
export function truthy(v: CNode | undefined): boolean | undefined {
  if (!v) return undefined;
  if (v.kind === 'seq') return v.items.length > 0;
  if (v.kind === 'map') return v.entries.length > 0;
  return v.value !== null && v.value !== false && v.value !== 0 && v.value !== '';
}

function pythonNumber(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return undefined; // complex
  if (/^0[xX][0-9a-fA-F]+$/.test(t) || /^0[oO][0-7]+$/.test(t) || /^0[bB][01]+$/.test(t)) return Number(t);
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

type MakeScalar = (value: CScalar['value']) => CScalar;

function unary(scope: Scope, node: SyntaxNode, depth: number, scalar: MakeScalar): CNode | undefined {
  const op = node.firstChild;
  const operand = evaluate(scope, op?.nextSibling, depth + 1);
  if (!op || !operand) return undefined;
  const o = textOf(scope.src, op);
  if (o === 'not') {
    const t = truthy(operand);
    return t === undefined ? undefined : scalar(!t);
  }
  if (operand.kind !== 'scalar' || typeof operand.value !== 'number') return undefined;
  if (o === '-') return scalar(-operand.value);
  if (o === '+') return scalar(operand.value);
  return undefined;
}

function binary(scope: Scope, node: SyntaxNode, depth: number, scalar: MakeScalar): CNode | undefined {
  const left = node.firstChild;
  const opNode = left?.nextSibling;
  const right = opNode?.nextSibling;
  const a = evaluate(scope, left, depth + 1);
  const b = evaluate(scope, right, depth + 1);
  if (!opNode || a?.kind !== 'scalar' || b?.kind !== 'scalar' || typeof a.value !== 'number' || typeof b.value !== 'number') return undefined;
  const x = a.value;
  const y = b.value;
  const op = textOf(scope.src, opNode);
  const result: Record<string, () => number> = {
    '+': () => x + y,
    '-': () => x - y,
    '*': () => x * y,
    '/': () => x / y,
    '//': () => Math.floor(x / y),
    '**': () => x ** y,
  };
  const f = result[op];
  if (!f) return undefined;
  const v = f();
  return Number.isFinite(v) ? scalar(v) : undefined;
}

function sequence(scope: Scope, node: SyntaxNode, depth: number): CNode | undefined {
  const items: CNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === '[' || c.name === ']' || c.name === '(' || c.name === ')' || c.name === ',') continue;
    const v = evaluate(scope, c, depth + 1);
    if (!v) return undefined;
    items.push(v);
  }
  return { kind: 'seq', items, span: { start: node.from, end: node.to }, flow: true };
}

function dictionary(scope: Scope, node: SyntaxNode, depth: number): CMap | undefined {
  const entries: CEntry[] = [];
  let key: SyntaxNode | undefined;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === '{' || c.name === '}' || c.name === ',' || c.name === ':') continue;
    if (!key) {
      key = c;
      continue;
    }
    const k = evaluate(scope, key, depth + 1);
    const v = evaluate(scope, c, depth + 1);
    if (k?.kind === 'scalar' && typeof k.value === 'string' && v) {
      entries.push({ key: k.value, keySpan: { start: key.from, end: key.to }, value: v, span: { start: key.from, end: c.to } });
    }
    key = undefined;
  }
  return { kind: 'map', entries, span: { start: node.from, end: node.to }, flow: true };
}

/**
 * `args.lr` → the default of the option whose dest is `lr`, when `args` is not bound to anything
 * but the parser's result (or is a parameter, as in `def main_worker(gpu, args)`).
 */
function argparseDefault(scope: Scope, node: SyntaxNode, depth: number): CNode | undefined {
  const dotted = dottedName(scope.src, node);
  if (!dotted) return undefined;
  const parts = dotted.split('.');
  if (parts.length !== 2) return undefined;
  const [object, attr] = parts;
  const bound = scope.bindings.values.get(object);
  if (bound && !(bound.name === 'CallExpression' && /\.parse_args$/.test(dottedName(scope.src, bound.firstChild ?? bound) ?? ''))) return undefined;
  const option = scope.options.get(attr);
  if (!option) return undefined;
  if (option.flagDefault !== undefined) {
    return { kind: 'scalar', value: option.flagDefault, span: { start: option.call.from, end: option.call.to }, quoted: false };
  }
  const v = evaluate(scope, option.defaultValue, depth + 1);
  if (v?.kind === 'scalar' && typeof v.value === 'string' && option.type) {
    const n = Number(v.value);
    return Number.isFinite(n) ? { ...v, value: option.type === 'int' ? Math.trunc(n) : n } : undefined;
  }
  return v;
}

/** `float('1e-3')`, `int(EPOCHS)`, `dict(lr=0.1)`: the conversions scripts write around literals. */
function conversion(scope: Scope, node: SyntaxNode, depth: number): CNode | undefined {
  const callee = node.firstChild;
  const name = callee ? dottedName(scope.src, callee) : undefined;
  const args: PyArg[] = argsOf(scope.src, node.getChild('ArgList'));
  if (name === 'dict' && args.every((a) => a.name !== undefined)) return keywordMap(scope, args, { start: node.from, end: node.to }, depth);
  if ((name !== 'float' && name !== 'int') || args.length !== 1) return undefined;
  const v = evaluate(scope, args[0].value, depth + 1);
  if (v?.kind !== 'scalar') return undefined;
  const n = typeof v.value === 'number' ? v.value : typeof v.value === 'string' ? Number(v.value) : NaN;
  if (!Number.isFinite(n)) return undefined;
  return { ...v, value: name === 'int' ? Math.trunc(n) : n };
}

/**
 * A call's keyword arguments as a mapping (what the config readers read), `**kwargs` of a known dict
 * merged in. Each entry spans the keyword as written in the call; its value spans where the value is
 * written (possibly elsewhere: an argparse default, a constant).
 */
export function keywordMap(scope: Scope, args: readonly PyArg[], span: { start: number; end: number }, depth = 0): CMap {
  const entries: CEntry[] = [];
  for (const a of args) {
    if (a.spread === '**') {
      const spread = evaluate(scope, a.value, depth + 1);
      if (spread?.kind === 'map') entries.push(...spread.entries);
      continue;
    }
    if (a.name === undefined) continue;
    const v = evaluate(scope, a.value, depth + 1);
    if (!v) continue;
    entries.push({ key: a.name, keySpan: { start: a.from, end: a.from + a.name.length }, value: v, span: { start: a.from, end: a.to } });
  }
  return { kind: 'map', entries, span, flow: true };
}
