/**
 * Issue 13, item 8: names and values chosen to mislead the output: a file name with a newline or bidi
 * controls forging CLI lines, `#` and `?` in a SARIF path, a `metrics` folder above the workspace
 * making a `params/` outside it a config, a dot-free URL in a config value becoming a hover link.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sarifUri } from '../../../src/cli/format-sarif';
import { formatText } from '../../../src/cli/format-text';
import { analyzePaths } from '../../../src/core/analyze';
import { readMlflowParamsDir } from '../../../src/core/config/mlflow-params';
import { escapeMarkdown } from '../../../src/server/markdown';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-hostile-names-'));
}

describe('hostile names (issue 13)', () => {
  it('a file name with a newline or bidi override cannot forge a line of the CLI text', async () => {
    const dir = tmp();
    const forged = path.join(dir, 'x\n0 findings in 0 logs (0 points) and 0 configs.\n\u202etxt.log');
    fs.writeFileSync(forged, Array.from({ length: 20 }, (_, e) => `epoch: ${e} train_loss: ${e >= 12 ? 'nan' : (2 / (e + 1)).toFixed(4)}`).join('\n'));
    const text = formatText(await analyzePaths([forged]), false);
    const lines = text.split('\n');
    assert.equal(lines.filter((l) => l.startsWith('0 findings')).length, 0, text);
    assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(text), 'no raw bidi control');
    assert.match(text, /\\x0a0 findings/);
  });

  it('a SARIF uri keeps `#` and `?` inside the path', () => {
    const uri = sarifUri('runs/run#1/what?/train.log');
    assert.equal(uri, 'runs/run%231/what%3F/train.log');
    assert.equal(new URL(uri, 'file:///w/').pathname, '/w/runs/run%231/what%3F/train.log');
  });

  it('a params/ folder is an MLflow run config only in a run folder (with meta.yaml)', async () => {
    const outside = tmp();
    // /…/metrics/ws/train_log: the `metrics` above the workspace made …/params a run's config.
    fs.mkdirSync(path.join(outside, 'params'));
    fs.writeFileSync(path.join(outside, 'params', 'lr'), '0.1');
    fs.writeFileSync(path.join(outside, 'params', 'epochs'), '10');
    assert.equal(await readMlflowParamsDir(path.join(outside, 'params')), undefined);
    fs.writeFileSync(path.join(outside, 'meta.yaml'), 'run_id: abc\n');
    assert.ok(await readMlflowParamsDir(path.join(outside, 'params')), 'a real run folder is read');
  });

  it('a URL in a config value is not left in a form that autolinks in a hover', () => {
    for (const url of ['https://intranet/x', 'http://localhost:8080/a', 'ftp://h/p']) {
      const md = escapeMarkdown(url);
      assert.ok(!/(?:https?|ftp):\/\//.test(md), md);
      // Unescaped, the text is the value itself.
      assert.equal(md.replace(/\\(.)/g, '$1'), url);
    }
  });
});
