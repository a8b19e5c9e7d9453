import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../../helpers/paths';
import type { Setting, TrainingConfig } from '../../../src/core/config/training-config';
import type { SourceRange } from '../../../src/core/types';
import { readConfig } from '../../../src/core/config/read-config';

export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'config');

export function fixture(rel: string): { file: string; text: string } {
  const file = path.join(FIXTURES, rel);
  return { file, text: fs.readFileSync(file, 'utf8') };
}

/** Reads a fixture and asserts it is a config of the given style. */
export function readFixture(rel: string, style?: TrainingConfig['style']): { cfg: TrainingConfig; text: string } {
  const { file, text } = fixture(rel);
  const cfg = readConfig(file, text);
  assert.ok(cfg, `${rel} should read as a training config`);
  if (style) assert.equal(cfg.style, style, `${rel} style`);
  checkAllRanges(cfg, text);
  return { cfg, text };
}

/** The text at a 0-based range, cut with an independent line split. */
export function slice(text: string, r: SourceRange): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (line: number, ch: number) => starts[line] + ch;
  return text.slice(off(r.startLine, r.startChar), off(r.endLine, r.endChar));
}

export function settingsOf(cfg: TrainingConfig): [string, Setting<unknown>][] {
  const out: [string, Setting<unknown>][] = [];
  for (const [k, v] of Object.entries(cfg)) {
    if (v && typeof v === 'object' && 'valueRange' in v) out.push([k, v as Setting<unknown>]);
  }
  if (cfg.sweep?.methodSetting) out.push(['sweep.method', cfg.sweep.methodSetting]);
  if (cfg.sweep?.trials) out.push(['sweep.trials', cfg.sweep.trials]);
  return out;
}

/**
 * Every setting's range starts at its key as written and ends with its value; the value range lies
 * inside it and holds the value's text.
 */
export function checkAllRanges(cfg: TrainingConfig, text: string): void {
  for (const [field, s] of settingsOf(cfg)) {
    const whole = slice(text, s.range);
    const value = slice(text, s.valueRange);
    const last = s.key.replace(/\[\d+\]$/, '').split('.').pop() as string;
    if (s.key.endsWith(']')) continue; // a list item has no key of its own
    assert.ok(
      whole.startsWith(last) || whole.startsWith(`"${last}"`) || whole.startsWith(`'${last}'`),
      `${field}: range ${JSON.stringify(whole.slice(0, 40))} should start at key ${last}`,
    );
    assert.ok(whole.endsWith(value), `${field}: range should end with the value text ${JSON.stringify(value)}`);
    assert.ok(!/^\s|\s$/.test(value), `${field}: value range ${JSON.stringify(value)} has no surrounding space`);
  }
  for (const p of cfg.sweep?.parameters ?? []) {
    const whole = slice(text, p.range);
    const last = p.key.split('.').pop() as string;
    assert.ok(whole.includes(last), `sweep parameter ${p.key}: range ${JSON.stringify(whole.slice(0, 40))}`);
  }
}

/** Asserts a setting's value, its key path, and the text of its value range. */
export function expectSetting<T>(
  text: string,
  s: Setting<T> | undefined,
  value: T,
  key: string,
  valueText?: string,
): void {
  assert.ok(s, `setting ${key} missing`);
  assert.deepEqual(s.value, value, `${key} value`);
  assert.equal(s.key, key);
  if (valueText !== undefined) assert.equal(slice(text, s.valueRange), valueText, `${key} value text`);
}
