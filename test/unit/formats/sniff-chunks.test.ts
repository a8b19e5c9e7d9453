/**
 * LogFile picks a file's format from the same head whatever the size of its reads: every example and
 * real log, read in chunks of a random size (16 B … 80 KiB) with a budget of one chunk per poll, gets
 * the format it gets in one 1 MiB read. (An mmengine log once became `plain` in 997-byte reads and
 * `hf-console` in 1 MiB reads, because the first chunk holding a newline was sniffed.)
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { fcParams } from '../../helpers/fc';
import { LogFile } from '../../../src/core/logfile';
import { isLogCandidate } from '../../../src/core/formats/registry';
import { EXAMPLES, hasRealLogs, REAL_LOGS, skipBecause } from '../../helpers/paths';
import { filesUnder } from './byte-path-helpers';

/** The format LogFile settles on, polling one chunk at a time until it has decided (or read all). */
async function formatOf(file: string, chunkSize: number): Promise<string | undefined> {
  const lf = new LogFile(file, { chunkSize, budget: chunkSize });
  for (let i = 0; i < 100_000; i++) {
    const up = await lf.poll();
    if (lf.format !== undefined || !up.more) return lf.format;
  }
  throw new Error(`${file}: no decision after 100000 polls`);
}

describe('format sniffing does not depend on the read chunk size', function () {
  this.timeout(300_000);

  it('every example and real log: same format in random chunk sizes as in one read', async () => {
    const files = [...filesUnder(EXAMPLES, /./), ...(hasRealLogs() ? filesUnder(REAL_LOGS, /./) : [])].filter(isLogCandidate);
    assert.ok(files.length > 30, `${files.length} logs`);
    const reference = new Map<string, string | undefined>();
    for (const f of files) reference.set(f, await formatOf(f, 1 << 20));
    assert.ok([...reference.values()].filter((x) => x !== undefined).length > 30);
    const chunk = fc.oneof(fc.integer({ min: 16, max: 1024 }), fc.integer({ min: 1024, max: 80 * 1024 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), chunk, async (f, size) => {
        assert.equal(await formatOf(f, size), reference.get(f), `${f} in ${size}-byte reads`);
      }),
      fcParams(200),
    );
  });

  it('generated logs whose first lines say little: same format in random chunk sizes as in one read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-sniff-'));
    // What a run prints before its first metric (environment and option dumps, prose), then lines
    // that only a larger head shows to the sniffers.
    const prelude = fc.constantFrom(
      'Namespace(batch_size=64, lr=0.1)',
      'Starting training',
      '    CUDA available: True',
      'model: resnet50 pretrained',
      '',
      '=================================================',
      "    mp_cfg: {'mp_start_method': 'fork', 'opencv_num_threads': 0}",
    );
    const later = fc.constantFrom(
      "{'loss': 0.6931, 'learning_rate': 2e-05, 'epoch': 0.16}",
      'Epoch 3/20 - loss: 0.41 - val_loss: 0.52',
      'epoch=3 loss=0.41 lr=0.01',
      '2023/06/09 08:19:36 - mmengine - INFO - Epoch(train)  [1][8/8]  lr: 3.0000e-08  loss: 2.7550',
    );
    const file = fc.tuple(fc.array(prelude, { minLength: 1, maxLength: 400 }), fc.array(later, { minLength: 1, maxLength: 30 }));
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 16, max: 70 * 1024 }), async ([pre, post], size) => {
        const f = path.join(dir, 'train.log');
        fs.writeFileSync(f, [...pre, ...post].join('\n') + '\n');
        assert.equal(await formatOf(f, size), await formatOf(f, 1 << 20), `${size}-byte reads`);
      }),
      fcParams(100),
    );
  });

  it('the mmengine log of entry 30 in 997-byte and 1 MiB reads: mmengine-log both times', async function () {
    if (!hasRealLogs()) skipBecause(this, `${REAL_LOGS} is absent; real-log tests need ../shared/real-logs`);
    const f = `${REAL_LOGS}/mmengine_mmdet_balloon_warmup_cosine/20230609_081929.log`;
    assert.equal(await formatOf(f, 997), 'mmengine-log');
    assert.equal(await formatOf(f, 1 << 20), 'mmengine-log');
  });
});
