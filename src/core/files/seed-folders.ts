/**
 * Seed groups laid out by folder name, for runs that have no config to compare: `seed-0/ seed-1/ …`,
 * `seed_0`, `seed0`, `seed=3`, `run_seed42/ run_seed43/`, `s0/ s1/`. Runs whose logs sit at the same
 * place below sibling folders whose names differ only in the seed number are one config's seeds (the
 * `ensemble` scenario's group). Folders whose names carry no seed (`a/`, `b/`, `exp1/`, `lr0.1/`) never
 * group: a different name may be a different config, and a false ensemble finding costs more than none.
 */
import * as path from 'path';

/** `…seed<sep?><digits>…`: the seed number and the name around it. */
const SEED_IN_NAME = /^(.*?seed[_=-]?)(\d+)(.*)$/i;
/** `s0`, `s1` alone: the short form of seed folders. */
const SHORT_SEED = /^s(\d+)$/i;
/** How many folders above a log may be its seed folder (`seed-0/lightning_logs/version_0/metrics.csv`). */
const MAX_DEPTH = 3;

/** The name a seed folder has with its seed replaced by `*` (`run_seed*`), or undefined. */
export function seedlessFolderName(name: string): string | undefined {
  const m = SEED_IN_NAME.exec(name);
  if (m) return `${m[1]}*${m[3]}`.toLowerCase();
  return SHORT_SEED.test(name) ? 's*' : undefined;
}

export interface SeedFolder {
  /** The folder named for the seed (`…/seed-3`). */
  folder: string;
  /** Same for every seed of one group: the folder above, the seedless name, the log's path below it. */
  key: string;
}

/** The seed folder of a log within MAX_DEPTH folders above it, or undefined. */
export function seedFolderOf(logFile: string): SeedFolder | undefined {
  let dir = path.dirname(logFile);
  const below: string[] = [path.basename(logFile)];
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const name = path.basename(dir);
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    const seedless = seedlessFolderName(name);
    if (seedless !== undefined) return { folder: dir, key: `${parent}\n${seedless}\n${below.join('/')}` };
    below.unshift(name);
    dir = parent;
  }
  return undefined;
}

/** The group key of seedFolderOf (undefined when the log is not in a seed folder). */
export function seedFolderGroupKey(logFile: string): string | undefined {
  return seedFolderOf(logFile)?.key;
}
