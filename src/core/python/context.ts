/**
 * What the recognisers share: the script's scope (source, bindings, argparse options), its live calls,
 * and builders of Settings whose ranges point into the script.
 */
import type { Setting, TrainingConfig } from '../config/training-config';
import type { Ctx } from '../config/extract';
import type { CMap, ParsedConfig } from '../config/tree';
import type { PyCall } from './calls';
import { keywordMap } from './evaluate';
import type { Scope } from './evaluate';
import { rangeOf } from './syntax';
import type { PyArg, SyntaxNode } from './syntax';

export interface Reading extends Scope {
  calls: PyCall[];
  out: TrainingConfig;
  /** The calls that make the file a training script (an optimizer, a Trainer, `fit(epochs=…)`); empty → not one. */
  trains: SyntaxNode[];
}

/** A config-reader context over a call's keyword arguments, so that `num(ctx, 'lr')` reads `lr=…`. */
export function keywordsOf(r: Reading, call: PyCall, extra: readonly PyArg[] = []): Ctx {
  const root: CMap = keywordMap(r, [...call.args, ...extra], { start: call.node.from, end: call.node.to });
  const parsed: ParsedConfig = {
    format: 'yaml',
    text: r.src.text,
    root,
    hasErrors: false,
    position: (offset) => r.src.lines.position(offset),
  };
  return { parsed, root };
}

/** A positional argument under the keyword name it stands for (`SGD(params, 0.1)` → `lr=0.1`). */
export function asKeyword(arg: PyArg | undefined, name: string): PyArg[] {
  return arg && arg.name === undefined && arg.spread === undefined ? [{ ...arg, name }] : [];
}

/** A setting written by a statement rather than a keyword (`p.requires_grad = False`, a callee's name). */
export function settingAt<T>(r: Reading, key: string, value: T, node: SyntaxNode, valueNode: SyntaxNode = node): Setting<T> {
  return { value, key, range: rangeOf(r.src, node.from, node.to), valueRange: rangeOf(r.src, valueNode.from, valueNode.to) };
}

/** The first call of one of these last names (or full paths), in source order. */
export function callsNamed(r: Reading, test: (c: PyCall) => boolean): PyCall[] {
  return r.calls.filter(test);
}
