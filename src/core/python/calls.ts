/**
 * The calls of a script, each with the dotted path its callee resolves to through the imports
 * (`optim.Adadelta` → `torch.optim.Adadelta` after `import torch.optim as optim`). Calls in a branch
 * the script cannot take with its defaults are left out: `if args.pretrained:` with a `store_true`
 * flag is dead code for the run the defaults describe.
 */
import { qualifiedName } from './bindings';
import { evaluate, truthy } from './evaluate';
import type { Scope } from './evaluate';
import { argsOf, textOf } from './syntax';
import type { PyArg, SyntaxNode } from './syntax';

export interface PyCall {
  node: SyntaxNode;
  /** Resolved dotted path (`torch.optim.SGD`), or the callee as written when it is not a name chain. */
  path: string;
  /** Last segment of the path (`SGD`, `from_pretrained`, `fit`). */
  name: string;
  args: PyArg[];
  /** The name the call's result is assigned to (`optimizer = …` → `optimizer`). */
  assignedTo?: string;
}

export function callsOf(scope: Scope): PyCall[] {
  const out: PyCall[] = [];
  const cursor = scope.src.top.cursor();
  do {
    if (cursor.name !== 'CallExpression') continue;
    const node = cursor.node;
    const callee = node.firstChild;
    if (!callee) continue;
    const path = qualifiedName(scope.src, scope.bindings, callee) ?? textOf(scope.src, callee);
    if (isDeadCode(scope, node)) continue;
    const dot = path.lastIndexOf('.');
    const call: PyCall = { node, path, name: dot < 0 ? path : path.slice(dot + 1), args: argsOf(scope.src, node.getChild('ArgList')) };
    const parent = node.parent;
    if (parent?.name === 'AssignStatement' && parent.lastChild?.from === node.from && parent.lastChild.to === node.to && parent.firstChild?.name === 'VariableName') {
      call.assignedTo = textOf(scope.src, parent.firstChild);
    }
    out.push(call);
  } while (cursor.next());
  return out;
}

/** Inside an `if` body whose condition is known false, or an `else` body whose condition is known true. */
export function isDeadCode(scope: Scope, node: SyntaxNode): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.name !== 'IfStatement' || child.name !== 'Body') continue;
    // IfStatement: if Cond Body (elif Cond Body)* (else Body)?
    const condOf = (body: SyntaxNode) => {
      const prev = body.prevSibling;
      return prev && prev.name !== 'else' ? prev : undefined;
    };
    const cond = condOf(child);
    if (cond) {
      if (truthy(evaluate(scope, cond)) === false) return true;
    } else if (child.prevSibling?.name === 'else') {
      // The else body is dead when any earlier branch is known taken.
      for (let b = parent.firstChild; b && b !== child; b = b.nextSibling) {
        if (b.name === 'Body') {
          const c = condOf(b);
          if (c && truthy(evaluate(scope, c)) === true) return true;
        }
      }
    }
  }
  return false;
}
