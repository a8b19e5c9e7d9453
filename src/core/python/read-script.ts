/**
 * Reads a Python training script into a TrainingConfig: what it trains with when run with its
 * defaults, each setting ranged at the argument that sets it. A script is a training config only when
 * it trains (constructs an optimizer, a Trainer or its arguments, calls `fit(epochs=…)`, starts a
 * W&B sweep); any other `.py` gives undefined, most without being parsed (a cheap text test first).
 * Never throws and never runs anything: the script is parsed (`@lezer/python`) and its literals read.
 */
import type { TrainingConfig } from '../config/training-config';
import { argparseOptions } from './argparse';
import { bindingsOf } from './bindings';
import { callsOf } from './calls';
import type { Reading } from './context';
import { readClassCount } from './classes';
import { readAdapter, readFreezing, readPretrained } from './finetune';
import { readEarlyStopping, readHfArguments, readKeras, readLightningTrainer, readWandbSweep } from './frameworks';
import { parsePython, textOf } from './syntax';
import type { SyntaxNode } from './syntax';
import { readDataLoader, readEpochLoop, readLoopExtras, readOptimizer, readScheduler } from './torch';
import { readMmengineConfig } from './mmengine';
import { readValidation } from './validation';
import { recovered } from '../recovered';

/** Scripts larger than this are not training scripts worth parsing on every keystroke (a big one is ~50 KB). */
const MAX_SCRIPT_CHARS = 1024 * 1024;

/** Words one of which every training script this reader recognises contains. */
const TRAINS_HINT = /optim|Trainer|TrainingArguments|Config\(|\.fit\(|wandb\.sweep/;

export function isPythonFile(file: string): boolean {
  return /\.py$/i.test(file);
}

export function readPythonScript(file: string, text: string): TrainingConfig | undefined {
  try {
    if (typeof text !== 'string' || text.length > MAX_SCRIPT_CHARS || !TRAINS_HINT.test(text)) return undefined;
    return read(file, text);
  } catch (err) {
    recovered('readPythonScript', err);
    return undefined;
  }
}

function read(file: string, text: string): TrainingConfig | undefined {
  const src = parsePython(text);
  const scope = { src, bindings: bindingsOf(src), options: argparseOptions(src) };
  const r: Reading = { ...scope, calls: callsOf(scope), out: { file, format: 'python', style: 'python-script' }, trains: [] };
  // Trainer arguments first: where a script says both, the trainer's keywords are the ones that run.
  readHfArguments(r);
  readLightningTrainer(r);
  readKeras(r);
  readOptimizer(r);
  readScheduler(r);
  readDataLoader(r);
  readEpochLoop(r);
  readLoopExtras(r);
  readEarlyStopping(r);
  readPretrained(r);
  readFreezing(r);
  readAdapter(r);
  readWandbSweep(r);
  readClassCount(r);
  // A config module's evaluation may be set in a `_base_` file: unknown, not absent.
  if (!readMmengineConfig(r)) readValidation(r);
  if (r.trains.length === 0 || !runsItself(r)) return undefined;
  const out = r.out;
  for (const k of Object.keys(out) as (keyof TrainingConfig)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * A script that trains when run: it has a `if __name__ == "__main__":` block, or trains at module level
 * (a notebook-style script). A module whose training calls all sit in functions (a library the real
 * entry point imports, like examples/lib/run_*.py) describes no run by itself: its values are the
 * caller's arguments.
 */
function runsItself(r: Reading): boolean {
  for (let s = r.src.top.firstChild; s; s = s.nextSibling) {
    if (s.name === 'IfStatement' && /__name__\s*==\s*['"]__main__['"]|['"]__main__['"]\s*==\s*__name__/.test(textOf(r.src, s.firstChild?.nextSibling ?? s))) return true;
  }
  return r.trains.some((node) => !insideDefinition(node));
}

function insideDefinition(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.name === 'FunctionDefinition' || p.name === 'ClassDefinition') return true;
  return false;
}
