import * as assert from 'node:assert/strict';
import { OnceLog } from '../../../src/shared/log-once';

describe('OnceLog', () => {
  it('writes the first error of each kind with its context, and counts the rest', () => {
    const written: string[] = [];
    const log = new OnceLog((m) => written.push(m));
    log.report('log read failed', '/runs/a/output.log', new Error('EACCES'));
    log.report('log read failed', '/runs/b/output.log', new Error('EACCES'));
    log.report('config read failed', '/runs/a/config.yaml', 'gone');
    assert.equal(written.length, 2);
    assert.match(written[0], /^log read failed: \/runs\/a\/output\.log: EACCES/);
    assert.match(written[1], /^config read failed: \/runs\/a\/config\.yaml: gone/);
    assert.deepEqual([...log.summary()], [
      ['log read failed', 2],
      ['config read failed', 1],
    ]);
  });
});
