import * as fs from 'fs';
import * as path from 'path';
import { readMlflowParams } from './read-config';
import { readConfigFile } from './read-config-file';
import type { TrainingConfig } from './training-config';

/** Most params read from one MLflow run (an Ultralytics run logs ~100; a sweep run a few). */
const MAX_PARAMS = 2000;
/** Largest param file read (MLflow caps a param value at 6000 characters: mlflow/utils/validation.py). */
const MAX_PARAM_BYTES = 64 * 1024;

/**
 * The `params/` folder of an MLflow file-store run (one file per param, nested for keys with `/`),
 * read as that run's training config. Undefined when the folder is absent or holds no training
 * settings. Never throws.
 */
export async function readMlflowParamsDir(paramsDir: string): Promise<{ config: TrainingConfig; text: string } | undefined> {
  // Only a real MLflow run folder (the file store writes meta.yaml in each): a folder named `metrics`
  // anywhere above a log, even above the workspace, must not make a `params/` beside it a config.
  const meta = await fs.promises.lstat(path.join(path.dirname(paramsDir), 'meta.yaml')).catch(() => undefined);
  if (!meta?.isFile()) return undefined;
  const params: Record<string, string> = {};
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return; // no params folder (or it went away): the run has no config
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (Object.keys(params).length >= MAX_PARAMS) return;
      const key = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(dir, e.name), key);
      else if (e.isFile()) params[key] = (await readConfigFile(path.join(dir, e.name), MAX_PARAM_BYTES).catch(() => undefined)) ?? '';
    }
  };
  await walk(paramsDir, '');
  if (Object.keys(params).length === 0) return undefined;
  const config = readMlflowParams(paramsDir, params);
  if (!config) return undefined;
  // The params as text, for the sibling-run fingerprint (seed-only differences form ensemble groups).
  const text = Object.keys(params)
    .sort()
    .map((k) => `${k}: ${params[k]}`)
    .join('\n');
  return { config, text };
}
