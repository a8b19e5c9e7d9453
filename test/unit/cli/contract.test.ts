import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import { SCENARIO_IDS } from '../../../src/core/types';
import { EXAMPLES, hasRealLogs, REAL_LOGS } from '../../helpers/paths';

class Sink extends Writable {
  text = '';
  _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function check(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Sink();
  const err = new Sink();
  const code = await main(['check', ...args], out, err);
  return { code, out: out.text, err: err.text };
}

interface ContractFile {
  path: string;
  kind: string;
  format: string | null;
  points: number;
}
interface ContractFinding {
  scenario: string;
  rule: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  evidence: object;
}

/** `traindx check --format json` keeps the findings contract of DESIGN.md on every bundled and real log. */
describe('traindx check: the findings contract', function () {
  this.timeout(120_000);

  function assertContract(json: string): { files: ContractFile[]; findings: ContractFinding[] } {
    const doc = JSON.parse(json) as { version: number; files: ContractFile[]; findings: ContractFinding[] };
    assert.equal(doc.version, 1);
    assert.ok(Array.isArray(doc.files) && Array.isArray(doc.findings));
    for (const f of doc.files) {
      assert.ok(f.kind === 'log' || f.kind === 'config', `kind of ${f.path}`);
      if (f.kind === 'log') {
        assert.ok(f.format, `a format for ${f.path}`);
        assert.ok(f.points > 0, `points read from ${f.path}`);
      }
    }
    for (const x of doc.findings) {
      assert.ok((SCENARIO_IDS as readonly string[]).includes(x.scenario), x.scenario);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(x.severity));
      assert.ok(Number.isInteger(x.line) && x.line >= 1, `1-based line in ${x.file}`);
      assert.ok(x.message.length > 0 && x.rule.length > 0 && typeof x.evidence === 'object');
      assert.ok(doc.files.some((f) => f.path === x.file || x.file.startsWith(f.path)), `finding file ${x.file} is among the files read`);
    }
    return doc;
  }

  it('on the example runs: every log has a format and points; exit 1 because warnings exist', async () => {
    const r = await check([EXAMPLES, '--format', 'json']);
    const doc = assertContract(r.out);
    assert.equal(r.code, 1);
    assert.ok(doc.files.filter((f) => f.kind === 'log').length >= 20);
    const formats = new Set(doc.files.map((f) => f.format));
    for (const f of ['plain', 'lightning-csv', 'hf-console', 'hf-trainer-state', 'keras-csv', 'timm-csv', 'ultralytics-csv']) assert.ok(formats.has(f), `examples include ${f}`);
  });

  it('on the real logs of public repositories', async function () {
    if (!hasRealLogs()) this.skip();
    const doc = assertContract((await check([REAL_LOGS, '--format', 'json'])).out);
    const formats = new Set(doc.files.map((f) => f.format));
    for (const f of [
      'tensorboard', 'mlflow', 'detectron2-json', 'hf-trainer-state', 'keras-csv', 'lightning-csv', 'plain', 'ultralytics-csv',
      'tsv', 'mmengine-log', 'yolo-results-txt', 'json-history',
    ]) assert.ok(formats.has(f), `real logs include ${f}`);
  });

  it('exit codes: 0 below the fail-on level, 2 on usage and I/O errors', async () => {
    const run = path.join(EXAMPLES, 'runs', 'cosine');
    // large-batch-no-warmup has warnings and no error (overfit no longer has a warning: its eval
    // accuracy did not get worse, so its val-loss rise is information).
    const warned = path.join(EXAMPLES, 'runs', 'large-batch-no-warmup');
    assert.equal((await check([warned, '--fail-on', 'never'])).code, 0);
    assert.equal((await check([warned, '--fail-on', 'error'])).code, 0);
    assert.equal((await check([warned])).code, 1);
    const missing = await check([path.join(run, 'no-such-file.log')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such file or folder/);
    const bad = await check([run, '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--format must be text, json or sarif/);
  });

  it('text output is a table with file:line, severity, scenario and message', async () => {
    const r = await check([path.join(EXAMPLES, 'runs', 'step-decay'), '--no-color']);
    // The drops seen in both metrics.csv and output.log are reported once (on metrics.csv, output.log related).
    const rows = r.out.split('\n').filter((l) => /metrics\.csv:\d+/.test(l));
    assert.ok(rows.length >= 2);
    assert.match(rows[0], /^\S+metrics\.csv:\d+\s+(information|warning)\s+lr-schedule\s+lr dropped/);
    assert.match(r.out, /\d+ findings? \(.*\) in \d+ logs \(\d+ points\) and \d+ configs?\./);
  });
});
