/**
 * Issue 13, items 2 and 4: files named like configs that are not (FIFOs, links to devices, dataset
 * JSONs). They are refused without blocking and without being read whole, and nothing of a file that
 * is not a training config is kept. Big inputs with STRESS=1.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzePaths } from '../../../src/core/analyze';
import { MAX_JSON_CONFIG_BYTES, readConfigFile } from '../../../src/core/config/read-config-file';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { skipBecause } from '../../helpers/paths';

const STRESS = process.env.STRESS === '1';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-hostile-cfg-'));
}

/** A COCO-like annotations file of about `bytes` (an object, as COCO's are, so only its size tells). */
function cocoLike(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, '{"info": {"description": "synthetic"}, "images": [');
  const row = JSON.stringify({ id: 1, file_name: '000000000001.jpg', height: 480, width: 640 });
  const chunk = Array.from({ length: 1000 }, () => row).join(',');
  for (let written = 0; written < bytes; written += chunk.length + 1) fs.writeSync(fd, `${written ? ',' : ''}${chunk}`);
  fs.writeSync(fd, ']}');
  fs.closeSync(fd);
}

describe('hostile configs (issue 13)', function () {
  this.timeout(STRESS ? 300_000 : 20_000);

  it('a FIFO named config.yaml is refused at once, not waited on', async function () {
    const fifo = path.join(tmp(), 'config.yaml');
    spawnSync('mkfifo', [fifo]);
    if (!fs.existsSync(fifo)) skipBecause(this, 'mkfifo is not available here');
    // Before: the open waited for a writer for ever (the test's timeout).
    assert.equal(await readConfigFile(fifo), undefined);
  });

  it('a config.yaml linked to /dev/zero is refused, not read without end', async function () {
    if (!fs.existsSync('/dev/zero')) skipBecause(this, 'this system has no /dev/zero');
    const link = path.join(tmp(), 'config.yaml');
    fs.symlinkSync('/dev/zero', link);
    assert.equal(await readConfigFile(link), undefined);
  });

  it('a dataset JSON beyond the JSON cap is not read, a list JSON not past its head, a training JSON is', async () => {
    const dir = tmp();
    const big = path.join(dir, 'annotations.json');
    cocoLike(big, MAX_JSON_CONFIG_BYTES + 1);
    assert.equal(await readConfigFile(big), undefined);
    const list = path.join(dir, 'captions.json');
    fs.writeFileSync(list, `[${Array.from({ length: 2000 }, (_, i) => `{"id": ${i}}`).join(',')}]`);
    assert.equal(await readConfigFile(list), undefined);
    const args = path.join(dir, 'training_args.json');
    fs.writeFileSync(args, '// exported\n{"learning_rate": 5e-5, "num_train_epochs": 3}');
    assert.match((await readConfigFile(args)) ?? '', /learning_rate/);
  });

  it('the text of a JSON that is not a training config is not kept', () => {
    const ws = new AnalysisWorkspace();
    const file = path.join(tmp(), 'instances_val.json');
    assert.equal(ws.setConfigText(file, '{"images": [], "annotations": []}'), false);
    assert.equal(ws.configText(file), undefined);
  });

  it('a COCO-like folder beside a run: the run is analysed, the dataset JSONs cost neither a problem nor their size', async () => {
    const dir = tmp();
    const each = STRESS ? 300 * 1024 * 1024 : 3 * 1024 * 1024;
    for (const name of ['annotations.json', 'instances_train2017.json', 'instances_val2017.json']) cocoLike(path.join(dir, name), each);
    fs.writeFileSync(path.join(dir, 'train.log'), Array.from({ length: 20 }, (_, e) => `epoch: ${e} train_loss: ${e >= 12 ? 'nan' : (2 / (e + 1)).toFixed(4)} lr: 0.001`).join('\n'));
    const rss0 = process.memoryUsage().rss;
    const r = await analyzePaths([dir]);
    const grew = process.memoryUsage().rss - rss0;
    assert.ok(r.findings.some((f) => f.scenario === 'divergence'), 'the run beside the dataset is analysed');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.files.filter((f) => f.kind === 'config'), []);
    // Read whole, three files of `each` bytes would be held as text at least once.
    assert.ok(grew < each, `RSS grew by ${(grew / 2 ** 20).toFixed(0)} MB`);
  });
});
