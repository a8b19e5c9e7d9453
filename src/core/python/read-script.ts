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
import { readAdapter, readFreezing, readPretrained } from './finetune';
import { readEarlyStopping, readHfArguments, readKeras, readLightningTrainer, readWandbSweep } from './frameworks';
import { parsePython } from './syntax';
import { readDataLoader, readEpochLoop, readLoopExtras, readOptimizer, readScheduler } from './torch';

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
  } catch {
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
  if (r.trains.length === 0) return undefined;
  const out = r.out;
  for (const k of Object.keys(out) as (keyof TrainingConfig)[]) if (out[k] === undefined) delete out[k];
  return out;
}
