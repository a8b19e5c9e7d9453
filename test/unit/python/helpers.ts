import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../../helpers/paths';
import type { TrainingConfig } from '../../../src/core/config/training-config';
import { readConfig } from '../../../src/core/config/read-config';
import { configRules } from '../../../src/core/rules/registry';
import type { Finding } from '../../../src/core/types';

export const PY_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'python');

export function script(name: string): { file: string; text: string } {
  const file = path.join(PY_FIXTURES, name);
  return { file, text: fs.readFileSync(file, 'utf8') };
}

/** Reads a script through the config entry point (as the workspace does) and asserts it is one. */
export function readScript(file: string, text: string): TrainingConfig {
  const cfg = readConfig(file, text);
  assert.ok(cfg, `${path.basename(file)} should read as a training script`);
  assert.equal(cfg.format, 'python');
  assert.equal(cfg.style, 'python-script');
  return cfg;
}

/** Config-rule findings of a script's text (the rules every YAML/JSON config goes through). */
export function findingsOf(file: string, text: string): Finding[] {
  return configRules(readScript(file, text)).findings;
}

/** Replaces one exact piece of a fixture's text, failing when it is not there exactly once. */
export function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `expected exactly one ${JSON.stringify(from)}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
