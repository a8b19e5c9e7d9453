/**
 * argparse options of a script: `parser.add_argument('--lr', '--learning-rate', default=0.1, type=float,
 * dest='lr')`. The default is what the script trains with when run without flags, which is how the
 * logs beside it were usually made (and what a quick fix should edit). Destination names follow
 * argparse (CPython Lib/argparse.py `_get_optional_kwargs`): `dest=` when given, else the first long
 * option, else the first short one, without leading dashes and with `-` turned into `_`.
 */
import { argsOf, argument, textOf } from './syntax';
import type { PyArg, PySource, SyntaxNode } from './syntax';

export interface ArgOption {
  dest: string;
  /** The `default=` value, when written. */
  defaultValue?: SyntaxNode;
  /** `action='store_true'` / `'store_false'`: the default is the opposite of the flag. */
  flagDefault?: boolean;
  /** `type=float` / `type=int`: a string default is converted (argparse does so). */
  type?: 'float' | 'int';
  /** The whole `add_argument(…)` call, where a diagnostic about a flag default can point. */
  call: SyntaxNode;
}

export function argparseOptions(src: PySource): Map<string, ArgOption> {
  const byDest = new Map<string, ArgOption>();
  const ambiguous = new Set<string>();
  const cursor = src.top.cursor();
  do {
    if (cursor.name !== 'CallExpression') continue;
    const call = cursor.node;
    const callee = call.firstChild;
    if (!callee || callee.name !== 'MemberExpression' || callee.lastChild?.name !== 'PropertyName') continue;
    if (textOf(src, callee.lastChild) !== 'add_argument') continue;
    const option = readOption(src, call, argsOf(src, call.getChild('ArgList')));
    if (!option) continue;
    if (byDest.has(option.dest)) ambiguous.add(option.dest); // two parsers with the same option
    byDest.set(option.dest, option);
  } while (cursor.next());
  for (const d of ambiguous) byDest.delete(d);
  return byDest;
}

function readOption(src: PySource, call: SyntaxNode, args: PyArg[]): ArgOption | undefined {
  const flags = args.filter((a) => a.name === undefined && a.value.name === 'String').map((a) => unquote(textOf(src, a.value)));
  if (flags.length === 0) return undefined;
  const destArg = argument(args, 'dest');
  let dest = destArg?.value.name === 'String' ? unquote(textOf(src, destArg.value)) : undefined;
  if (!dest) {
    const long = flags.find((f) => f.startsWith('--'));
    const chosen = long ?? flags[0];
    dest = chosen.replace(/^-+/, '').replace(/-/g, '_');
  }
  if (!dest) return undefined;
  const option: ArgOption = { dest, call };
  const def = argument(args, 'default');
  if (def) option.defaultValue = def.value;
  const action = argument(args, 'action');
  const actionText = action?.value.name === 'String' ? unquote(textOf(src, action.value)) : undefined;
  if (!def && actionText === 'store_true') option.flagDefault = false;
  if (!def && actionText === 'store_false') option.flagDefault = true;
  const type = argument(args, 'type');
  const typeText = type ? textOf(src, type.value) : undefined;
  if (typeText === 'float' || typeText === 'int') option.type = typeText;
  return option;
}

/** The content of a plain (not f-) string literal; undefined for anything else. */
export function unquote(literal: string): string {
  const m = /^([rRbBuU]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(literal);
  return m ? m[3] : literal;
}
