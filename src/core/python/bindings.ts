/**
 * What the names of a script stand for, as far as reading (not running) it can tell: the modules and
 * classes its imports bind, and the expressions assigned to plain names. Scopes are flattened (a
 * training script's `lr = 0.1` is as likely inside `main()` as at module level); a name assigned more
 * than once, augmented (`lr *= 2`) or bound by a `for` loop has no single value and is left unknown.
 */
import { dottedName, textOf } from './syntax';
import type { PySource, SyntaxNode } from './syntax';

export interface Bindings {
  /** Local name → dotted path it imports (`optim` → `torch.optim`, `StepLR` → `torch.optim.lr_scheduler.StepLR`). */
  imports: Map<string, string>;
  /** Name → the one expression assigned to it (absent when assigned several times). */
  values: Map<string, SyntaxNode>;
}

export function bindingsOf(src: PySource): Bindings {
  const imports = new Map<string, string>();
  const assigned = new Map<string, SyntaxNode[]>();
  const unknowable = new Set<string>();
  const cursor = src.top.cursor();
  do {
    const node = cursor.node;
    switch (node.name) {
      case 'ImportStatement':
        readImport(src, node, imports);
        break;
      case 'AssignStatement':
        readAssignment(src, node, assigned, unknowable);
        break;
      case 'UpdateStatement':
      case 'ForStatement': {
        const target = node.firstChild?.name === 'for' ? node.firstChild.nextSibling : node.firstChild;
        if (target?.name === 'VariableName') unknowable.add(textOf(src, target));
        break;
      }
      case 'ParamList':
        readDefaults(src, node, assigned);
        break;
    }
  } while (cursor.next());
  const values = new Map<string, SyntaxNode>();
  for (const [name, nodes] of assigned) {
    if (unknowable.has(name) || imports.has(name)) continue;
    const texts = new Set(nodes.map((n) => textOf(src, n)));
    if (texts.size === 1) values.set(name, nodes[0]);
  }
  return { imports, values };
}

/** `import a.b as c`, `import a.b`, `from a.b import c as d`, `from a import (b, c)`. */
function readImport(src: PySource, node: SyntaxNode, imports: Map<string, string>): void {
  const parts: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) parts.push(c);
  const isFrom = parts[0]?.name === 'from';
  let i = 1;
  let module = '';
  if (isFrom) {
    while (i < parts.length && parts[i].name !== 'import') module += textOf(src, parts[i++]);
    i++; // `import`
  }
  while (i < parts.length) {
    let path = '';
    while (i < parts.length && (parts[i].name === 'VariableName' || parts[i].name === '.')) path += textOf(src, parts[i++]);
    let local = isFrom ? path : path.split('.')[0];
    let target = isFrom ? `${module}.${path}` : local;
    if (parts[i]?.name === 'as') {
      local = textOf(src, parts[i + 1] ?? parts[i]);
      if (!isFrom) target = path;
      i += 2;
    }
    if (path && local && !module.startsWith('.')) imports.set(local, target);
    while (i < parts.length && parts[i].name !== 'VariableName') i++;
  }
}

/** `a = b = value`, `lr: float = 1e-3`; tuple targets (`a, b = …`) bind nothing readable. */
function readAssignment(src: PySource, node: SyntaxNode, assigned: Map<string, SyntaxNode[]>, unknowable: Set<string>): void {
  const children: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) children.push(c);
  const value = children[children.length - 1];
  if (!value || children.length < 3) return;
  for (let i = 0; i < children.length - 1; i++) {
    const c = children[i];
    if (c.name !== 'VariableName') continue;
    const next = children[i + 1];
    if (next?.name !== 'AssignOp' && next?.name !== 'TypeDef') {
      unknowable.add(textOf(src, c)); // `a, b = …`
      continue;
    }
    const name = textOf(src, c);
    const list = assigned.get(name);
    if (list) list.push(value);
    else assigned.set(name, [value]);
  }
}

/** `def main(lr=1e-3, epochs: int = 90)`: a default is the value the script runs with unless called otherwise. */
function readDefaults(src: PySource, node: SyntaxNode, assigned: Map<string, SyntaxNode[]>): void {
  let name: string | undefined;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === 'VariableName') name = textOf(src, c);
    else if (c.name === 'AssignOp') continue;
    else if (c.name === ',' || c.name === '(' || c.name === ')' || c.name === 'TypeDef') {
      if (c.name !== 'TypeDef') name = undefined;
    } else if (name && c.prevSibling?.name === 'AssignOp') {
      const list = assigned.get(name);
      if (list) list.push(c);
      else assigned.set(name, [c]);
      name = undefined;
    }
  }
}

/** The dotted path a callee stands for once its first name is resolved through the imports. */
export function qualifiedName(src: PySource, b: Bindings, callee: SyntaxNode): string | undefined {
  const dotted = dottedName(src, callee);
  if (dotted === undefined) return undefined;
  const dot = dotted.indexOf('.');
  const head = dot < 0 ? dotted : dotted.slice(0, dot);
  const imported = b.imports.get(head);
  return imported === undefined ? dotted : imported + (dot < 0 ? '' : dotted.slice(dot));
}
