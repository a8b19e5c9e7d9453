import * as assert from 'node:assert/strict';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { parseDocument } from 'yaml';
import { parser as pythonParser } from '@lezer/python';
import { REPO_ROOT } from '../helpers/paths';
import type { ServerUnderTest } from './lsp-harness';

export const CONFIGS = path.join(REPO_ROOT, 'test', 'fixtures', 'config');
export const RUNS = path.join(REPO_ROOT, 'examples', 'runs');
export const PY_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'python');

export const uriOf = (file: string) => pathToFileURL(file).href;

export const ruleOf = (d: Diagnostic) => (d.data as { rule?: string } | undefined)?.rule;

export const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : (d.message as { value: string }).value);

/** Applies LSP text edits (all ranges refer to the original text), as an editor does. */
export function applyLspEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (line: number, ch: number) => {
    if (line >= starts.length) return text.length;
    const end = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
    return Math.min(starts[line] + ch, end);
  };
  const spans = edits.map((e, i) => ({ s: offset(e.range.start.line, e.range.start.character), e: offset(e.range.end.line, e.range.end.character), t: e.newText, i }));
  spans.sort((a, b) => b.s - a.s || b.i - a.i);
  for (let k = 1; k < spans.length; k++) assert.ok(spans[k].e <= spans[k - 1].s, 'edits must not overlap');
  let out = text;
  for (const sp of spans) out = out.slice(0, sp.s) + sp.t + out.slice(sp.e);
  return out;
}

/** The edited config must still be valid: YAML without errors, strict JSON for .json, JSONC for .jsonc. */
export function assertParses(file: string, text: string): void {
  if (/\.ya?ml$/.test(file)) {
    const doc = parseDocument(text);
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      [],
      `YAML still valid:\n${text}`,
    );
  } else if (file.endsWith('.jsonc')) {
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { allowTrailingComma: true });
    assert.deepEqual(errors, [], `JSONC still valid:\n${text}`);
  } else if (file.endsWith('.py')) {
    let errors = 0;
    pythonParser.parse(text).iterate({
      enter: (n) => {
        if (n.type.isError) errors++;
      },
    });
    assert.equal(errors, 0, `Python still parses without error nodes:\n${text}`);
  } else {
    assert.doesNotThrow(() => JSON.parse(text), `strict JSON still valid:\n${text}`);
  }
}

/** An open config document the test edits as an editor would (full-text changes, rising versions). */
export class OpenDoc {
  private version = 1;
  constructor(
    readonly s: ServerUnderTest,
    readonly file: string,
    public text: string,
  ) {}

  static async open(s: ServerUnderTest, file: string, text: string): Promise<OpenDoc> {
    const doc = new OpenDoc(s, file, text);
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uriOf(file), languageId: /\.ya?ml$/.test(file) ? 'yaml' : file.endsWith('.py') ? 'python' : 'json', version: 1, text },
    });
    return doc;
  }

  get uri(): string {
    return uriOf(this.file);
  }

  async change(text: string): Promise<void> {
    this.text = text;
    this.version++;
    await this.s.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: this.uri, version: this.version },
      contentChanges: [{ text }],
    });
  }

  diagnostics(): Diagnostic[] {
    return this.s.diagnosticsOf(this.file);
  }

  async waitForRule(rule: string): Promise<Diagnostic> {
    await this.s.waitFor(() => this.diagnostics().some((d) => ruleOf(d) === rule), `${rule} on ${this.file}`);
    return this.diagnostics().find((d) => ruleOf(d) === rule) as Diagnostic;
  }

  async waitUntil(check: (ds: Diagnostic[]) => boolean, what: string): Promise<void> {
    await this.s.waitFor(() => check(this.diagnostics()), `${what} on ${this.file}`);
  }

  async hover(line: number, character: number): Promise<string | undefined> {
    const h = (await this.s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: this.uri }, position: { line, character } })) as Hover | null;
    return h ? (h.contents as MarkupContent).value : undefined;
  }
}

export async function codeActions(s: ServerUnderTest, uri: string, d: Diagnostic): Promise<CodeAction[]> {
  const res = await s.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
  return (res ?? []) as CodeAction[];
}

/** The action whose title matches, with its edits for `uri`. */
export function pick(actions: CodeAction[], title: RegExp, uri: string): { action: CodeAction; edits: TextEdit[] } {
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `an action matching ${title}; got ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(action.kind, 'quickfix');
  const edits = action.edit?.changes?.[uri];
  assert.ok(edits && edits.length > 0, `edits for ${uri} in ${JSON.stringify(action.edit)}`);
  return { action, edits };
}
