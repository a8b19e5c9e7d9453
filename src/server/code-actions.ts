/**
 * Quick fixes for traindx diagnostics, as LSP code actions. Which fixes a finding gets and their edits
 * come from core/fixes/policy.ts, computed against the config's current text (the open editor's, else
 * the disk's), read afresh so that the ranges are those of the text being edited, not of the last
 * analysis. A finding on a log is fixed in the config beside the log.
 *
 * Besides the fixes: "Disable <scenario> for this line/file" on configs, writing a suppression
 * comment (core/suppress.ts). Strict JSON has no comments (json.load would refuse the file), so it is
 * offered in YAML and in `.jsonc` files only.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit } from 'vscode-languageserver/node';
import type { TextEdit } from '../core/config/edits';
import { readConfig } from '../core/config/read-config';
import type { TrainingConfig } from '../core/config/training-config';
import { fixesFor, type ConfigFix } from '../core/fixes/policy';
import { disableNextLineComment } from '../core/suppress';
import type { DiagnosticData } from '../shared/protocol';
import { isRuleId } from '../core/types';
import { recovered } from '../core/recovered';

/** What the server knows of the files a fix may edit. */
export interface FixEnv {
  /** Current text of a file: the open document's, else what is on disk; undefined when unreadable. */
  textOf(file: string): string | undefined;
  /** Whether traindx reads this file as a config (else it is a log). */
  isConfig(file: string): boolean;
  /** The config beside (or above) a log. */
  configForLog(file: string): TrainingConfig | undefined;
  uriOf(file: string): string;
}

/** A config and the text the edits are computed against. */
export interface FixTarget {
  uri: string;
  text: string;
  config: TrainingConfig;
  /** The diagnostic is on another file (a log) than this config. */
  elsewhere: boolean;
}

/** The config a diagnostic of `file` is fixed in, read from its current text. */
export function fixTargetOf(file: string, env: FixEnv): FixTarget | undefined {
  const cfgFile = env.isConfig(file) ? file : env.configForLog(file)?.file;
  if (!cfgFile) return undefined;
  const text = env.textOf(cfgFile);
  if (text === undefined) return undefined;
  const config = readConfig(cfgFile, text);
  return config ? { uri: env.uriOf(cfgFile), text, config, elsewhere: cfgFile !== file } : undefined;
}

export function toLsp(e: TextEdit): LspTextEdit {
  return { range: { start: { line: e.range.startLine, character: e.range.startChar }, end: { line: e.range.endLine, character: e.range.endChar } }, newText: e.newText };
}

/** The quick fixes of one traindx diagnostic as LSP code actions; the first is the preferred one. */
export function quickFixActions(d: Diagnostic, data: DiagnosticData, target: FixTarget | undefined): CodeAction[] {
  // Diagnostic data comes back from the client as JSON: a rule id we do not know gets no fix.
  if (!target || !isRuleId(data.rule)) return [];
  let fixes: ConfigFix[];
  try {
    fixes = fixesFor(data.rule, data.evidence ?? {}, target.config, target.text, { elsewhere: target.elsewhere });
  } catch (err) {
    recovered('quick fixes', err);
    return []; // a fix that cannot be built is not offered
  }
  return fixes.map((f, i) => ({
    title: f.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: i === 0,
    edit: { changes: { [target.uri]: f.edits.map(toLsp) } },
  }));
}

/** Whether suppression comments can be written into this config. */
export function acceptsComments(file: string): 'yaml' | 'json' | undefined {
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  if (/\.jsonc$/i.test(file)) return 'json';
  return undefined;
}

/** "Disable <scenario> for this line" and "… for this file" on a config diagnostic. */
export function suppressActions(d: Diagnostic, data: DiagnosticData, file: string, uri: string, text: string): CodeAction[] {
  const format = acceptsComments(file);
  if (!format) return [];
  const lines = text.split(/\r\n|\r|\n/);
  const line = d.range.start.line;
  if (line < 0 || line >= lines.length) return [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^[ \t]*/.exec(lines[line])?.[0] ?? '';
  const lineEdit: LspTextEdit = {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: `${indent}${disableNextLineComment(format, [data.scenario])}${eol}`,
  };
  const fileEdit: LspTextEdit = {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    newText: `${format === 'json' ? '//' : '#'} traindx-disable ${data.rule}${eol}`,
  };
  return [
    { title: `Disable ${data.scenario} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: [lineEdit] } } },
    { title: `Disable ${data.rule} for this file`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: [fileEdit] } } },
  ];
}
