/**
 * Text edits of Python calls, as the fix writers of scripts need them: add keyword arguments before
 * the closing parenthesis (on a line of their own when the call lists its arguments one per line),
 * set a keyword written with a literal value, append an item to a list literal, add an import. Every
 * edit is computed on the script's syntax tree; nothing is written and nothing is run.
 */
import type { TextEdit } from '../config/edits';
import type { TrainingConfig } from '../config/training-config';
import { LineIndex } from '../config/tree';
import type { SourceRange } from '../types';
import { argparseOptions } from './argparse';
import { bindingsOf } from './bindings';
import { callsOf, type PyCall } from './calls';
import type { Scope } from './evaluate';
import { argsOf, parsePython, rangeOf, textOf } from './syntax';
import type { PySource, SyntaxNode } from './syntax';

/** A script parsed for editing: its scope and its live calls. */
export interface EditableScript extends Scope {
  calls: PyCall[];
}

/**
 * Whether fixes can edit this config's text as Python: a script read from a `.py`. A notebook's text
 * is its JSON (the cells' code is inside strings), which these edits do not write.
 */
export function isEditableScript(cfg: TrainingConfig): boolean {
  return cfg.format === 'python' && /\.py$/i.test(cfg.file);
}

/**
 * Whether a setting of a script is written as a number literal where it is set (`lr=0.1`, an argparse
 * `default=0.1`), so that writing a number there changes only that number. A value computed in the
 * script (`args.lr * args.batch_size / 256`) is the script's own rule: overwriting it with a constant
 * would drop the rule, so no fix writes there. Always true for a config that is not a script.
 */
export function writtenAsNumber(cfg: TrainingConfig, text: string, setting: { valueRange: SourceRange }): boolean {
  if (cfg.format !== 'python') return true;
  const l = new LineIndex(text);
  const r = setting.valueRange;
  const written = text.slice(l.offset(r.startLine, r.startChar), l.offset(r.endLine, r.endChar));
  return /^\s*-?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][-+]?\d+)?\s*$/.test(written);
}

export function editableScript(text: string): EditableScript {
  const src = parsePython(text);
  const scope = { src, bindings: bindingsOf(src), options: argparseOptions(src) };
  return { ...scope, calls: callsOf(scope) };
}

const insertAt = (src: PySource, offset: number, newText: string): TextEdit => ({ range: rangeOf(src, offset, offset), newText });

/** Literal values a fix may overwrite in place (a name or an expression is the script's own logic). */
const LITERAL = new Set(['Number', 'String', 'Boolean', 'None']);

/**
 * `name=value` for each keyword, in the call: a keyword already written with a literal is set in
 * place, the others are added before `)`. Undefined when a keyword is written with something else
 * (a variable, an expression, `**kwargs` that may hold it): the script decides that value elsewhere.
 */
export function setKeywords(src: PySource, call: SyntaxNode, keywords: readonly [string, string][]): TextEdit[] | undefined {
  const argList = call.getChild('ArgList');
  if (!argList) return undefined;
  const args = argsOf(src, argList);
  const edits: TextEdit[] = [];
  const added: string[] = [];
  for (const [name, value] of keywords) {
    const arg = args.find((a) => a.name === name);
    if (!arg) {
      if (args.some((a) => a.spread === '**')) return undefined;
      added.push(`${name}=${value}`);
    } else if (!LITERAL.has(arg.value.name)) return undefined;
    else if (textOf(src, arg.value) !== value) edits.push({ range: rangeOf(src, arg.value.from, arg.value.to), newText: value });
  }
  if (added.length > 0) edits.push(appendArguments(src, argList, added));
  return edits;
}

/** Arguments added before the closing `)`: after the last one, with the call's own layout. */
function appendArguments(src: PySource, argList: SyntaxNode, items: readonly string[]): TextEdit {
  const close = argList.lastChild?.name === ')' ? argList.lastChild : undefined;
  const end = close ? close.from : argList.to;
  const inner = src.text.slice(argList.from + 1, end);
  const trimmed = inner.replace(/\s+$/, '');
  const hasArgs = trimmed.trim() !== '';
  const trailingComma = trimmed.endsWith(',');
  const multiline = /\n/.test(inner) && hasArgs;
  if (!multiline) {
    const at = argList.from + 1 + trimmed.length;
    const sep = !hasArgs ? '' : trailingComma ? ' ' : ', ';
    return insertAt(src, at, sep + items.join(', '));
  }
  // One argument per line: each new one on its own line at the indentation of the last argument.
  const at = argList.from + 1 + trimmed.length;
  const lastLineStart = src.text.lastIndexOf('\n', at - 1) + 1;
  const indent = /^[ \t]*/.exec(src.text.slice(lastLineStart, at))?.[0] ?? '';
  const eol = src.text.includes('\r\n') ? '\r\n' : '\n';
  const lines = items.map((i) => `${eol}${indent}${i}`);
  return insertAt(src, at, trailingComma ? lines.map((l) => `${l},`).join('') : `,${lines.join(',')}`);
}

/**
 * Adds `item` to the list passed as `keyword` (`callbacks=[…]`), or the keyword with a one-item list
 * when the call has none. Undefined when the keyword holds anything but a list literal.
 */
export function appendToListKeyword(src: PySource, call: SyntaxNode, keyword: string, item: string): TextEdit[] | undefined {
  const argList = call.getChild('ArgList');
  if (!argList) return undefined;
  const args = argsOf(src, argList);
  const arg = args.find((a) => a.name === keyword);
  if (!arg) return args.some((a) => a.spread === '**') ? undefined : [appendArguments(src, argList, [`${keyword}=[${item}]`])];
  if (arg.value.name !== 'ArrayExpression') return undefined;
  const close = arg.value.lastChild?.name === ']' ? arg.value.lastChild : undefined;
  if (!close) return undefined;
  const inner = src.text.slice(arg.value.from + 1, close.from).replace(/\s+$/, '');
  const sep = inner.trim() === '' ? '' : inner.endsWith(',') ? ' ' : ', ';
  return [insertAt(src, arg.value.from + 1 + inner.length, sep + item)];
}

/**
 * `importLine` after the script's last top-level import (or at the top), unless the script already
 * binds `local` to something `accepts` (the class under another module path of the same package).
 * Undefined when `local` is bound to something else.
 */
export function ensureImport(s: EditableScript, local: string, accepts: (bound: string) => boolean, importLine: string): TextEdit[] | undefined {
  const bound = s.bindings.imports.get(local);
  if (bound !== undefined && accepts(bound)) return [];
  if (bound !== undefined || s.bindings.values.has(local)) return undefined;
  let last: SyntaxNode | undefined;
  for (let st = s.src.top.firstChild; st; st = st.nextSibling) if (st.name === 'ImportStatement') last = st;
  const eol = s.src.text.includes('\r\n') ? '\r\n' : '\n';
  return [last ? insertAt(s.src, last.to, eol + importLine) : insertAt(s.src, 0, importLine + eol)];
}
