import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineSplitter, LineTail, TailFollower } from '../../../src/core/tail/tail';

function tmpFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-tail-'));
  return path.join(dir, 'train.log');
}

/** Polls until no more bytes are waiting; returns every line and whether a reset was seen. */
async function drain(t: LineTail): Promise<{ lines: string[]; reset: boolean; missing: boolean; messages: string[] }> {
  const lines: string[] = [];
  const messages: string[] = [];
  let reset = false;
  let missing = false;
  for (;;) {
    const r = await t.poll();
    if (r.reset) {
      reset = true;
      lines.length = 0;
    }
    missing = r.missing;
    lines.push(...r.lines);
    messages.push(...r.messages);
    if (!r.more) break;
  }
  return { lines, reset, missing, messages };
}

describe('tail', () => {
  it('holds back a partial last line until it is completed', async () => {
    const f = tmpFile();
    fs.writeFileSync(f, 'a=1\nb=2');
    const t = new LineTail(f);
    assert.deepEqual((await drain(t)).lines, ['a=1']);
    fs.appendFileSync(f, '2\nc=');
    assert.deepEqual((await drain(t)).lines, ['b=22']);
    assert.deepEqual((await drain(t)).lines, []);
    fs.appendFileSync(f, '3\n');
    const r = await t.poll();
    assert.deepEqual(r.lines, ['c=3']);
    assert.equal(r.firstLineNo, 3);
  });

  it('CRLF lines lose their \\r; a \\r\\n split across reads too', async () => {
    const f = tmpFile();
    fs.writeFileSync(f, 'x,y\r\n1,2\r');
    const t = new LineTail(f);
    assert.deepEqual((await drain(t)).lines, ['x,y']);
    fs.appendFileSync(f, '\n3,4\r\n');
    assert.deepEqual((await drain(t)).lines, ['1,2', '3,4']);
  });

  it('a multi-byte UTF-8 character split across reads is decoded once, correctly', async () => {
    const f = tmpFile();
    const bytes = Buffer.from('‖Δw‖/‖w‖: 0.001 ━━ 😀\n', 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      fs.writeFileSync(f, bytes.subarray(0, cut));
      const t = new LineTail(f, { chunkSize: 3 });
      const first = await drain(t);
      fs.appendFileSync(f, bytes.subarray(cut));
      const second = await drain(t);
      assert.deepEqual([...first.lines, ...second.lines], ['‖Δw‖/‖w‖: 0.001 ━━ 😀'], `cut ${cut}`);
    }
  });

  it('invalid UTF-8 becomes U+FFFD and never throws', async () => {
    const f = tmpFile();
    fs.writeFileSync(f, Buffer.from([0x61, 0xff, 0xc3, 0x0a, 0x80, 0x62, 0x0a]));
    const r = await drain(new LineTail(f));
    assert.deepEqual(r.lines, ['a\ufffd\ufffd', '\ufffdb']);
  });

  it('truncation (size < offset) resets and re-reads from 0', async () => {
    const f = tmpFile();
    fs.writeFileSync(f, 'one\ntwo\nthree\n');
    const t = new LineTail(f);
    await drain(t);
    fs.writeFileSync(f, 'uno\n');
    const r = await drain(t);
    assert.equal(r.reset, true);
    assert.deepEqual(r.lines, ['uno']);
  });

  it('a rewrite with a larger file but different first bytes resets', async () => {
    const f = tmpFile();
    fs.writeFileSync(f, 'epoch,loss\n0,1\n');
    const t = new LineTail(f);
    await drain(t);
    fs.writeFileSync(f, 'epoch,loss,val_loss\n0,1,\n1,0.5,0.7\n');
    const r = await drain(t);
    assert.equal(r.reset, true);
    assert.deepEqual(r.lines, ['epoch,loss,val_loss', '0,1,', '1,0.5,0.7']);
  });

  it('rotation (rename + new file) resets: inode change', async () => {
    const f = tmpFile();
    fs.writeFileSync(f, 'a\nb\n');
    const t = new LineTail(f);
    await drain(t);
    fs.renameSync(f, `${f}.1`);
    fs.writeFileSync(f, 'a\nb\nc\n'); // same first bytes, different inode
    const r = await drain(t);
    assert.equal(r.reset, true);
    assert.deepEqual(r.lines, ['a', 'b', 'c']);
  });

  it('a deleted file is missing; when it comes back it is read from 0 with a reset', async () => {
    const f = tmpFile();
    fs.writeFileSync(f, 'a\n');
    const t = new LineTail(f);
    await drain(t);
    fs.unlinkSync(f);
    const m = await drain(t);
    assert.equal(m.missing, true);
    fs.writeFileSync(f, 'b\n');
    const r = await drain(t);
    assert.equal(r.reset, true);
    assert.deepEqual(r.lines, ['b']);
  });

  it('reads in bounded chunks (more: true) and never a file not yet created', async () => {
    const f = tmpFile();
    const tf = new TailFollower(f, { chunkSize: 1024 });
    assert.equal((await tf.poll()).missing, true);
    fs.writeFileSync(f, Buffer.alloc(5000, 0x61));
    const sizes: number[] = [];
    for (;;) {
      const r = await tf.poll();
      sizes.push(r.chunk.length);
      if (!r.more) break;
    }
    assert.deepEqual(sizes, [1024, 1024, 1024, 1024, 904]);
  });

  it('a line longer than maxLine is skipped with a message; numbering stays right', () => {
    const s = new LineSplitter(10);
    const a = s.push(Buffer.from('ok\n0123456789abc'));
    const b = s.push(Buffer.from('def\nnext\n'));
    assert.deepEqual([...a.lines, ...b.lines], ['ok', '', 'next']);
    assert.equal(b.firstLineNo, 2);
    assert.match([...a.messages, ...b.messages].join(), /line 2: longer than 10 bytes/);
  });

  it('a read larger than maxLine skips a longer line inside it, as reads of maxLine bytes would', () => {
    // Reads are 8 MiB and lines are capped at 1 MiB: a long line wholly inside one read must still
    // be skipped (it was only ever caught while held back across reads).
    const text = Buffer.from('ok\n0123456789abcdefghij\nnext\nlast line here\n');
    const whole = new LineSplitter(10).push(text);
    const pieces = new LineSplitter(10);
    const lines: string[] = [];
    const messages: string[] = [];
    for (let a = 0; a < text.length; a += 10) {
      const b = pieces.push(text.subarray(a, a + 10));
      lines.push(...b.lines);
      messages.push(...b.messages);
    }
    assert.deepEqual(whole.lines, ['ok', '', 'next', '']);
    assert.deepEqual(whole.lines, lines);
    assert.deepEqual(whole.messages, messages);
    assert.equal(whole.firstLineNo, 1);
    // The byte form: the same lines reach the parser, the long ones not at all.
    const seen: string[] = [];
    const byteMessages: string[] = [];
    new LineSplitter(10).pushBytes(
      text,
      (buf, start, end) => {
        const part = buf.toString('latin1', start, end);
        seen.push(...part.split('\n').slice(0, -1));
        return part.split('\n').length - 1;
      },
      byteMessages,
    );
    assert.deepEqual(seen, ['ok', 'next']);
    assert.deepEqual(byteMessages, messages);
  });
});
