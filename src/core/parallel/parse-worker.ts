/**
 * Worker thread entry (bundled as dist/parse-worker.js, compiled beside parallel-read.js for tests):
 * reads the ranges it is sent (read-range.ts) and posts their points back without copying them.
 * It never throws at its parent: a failure is a range that is not `ok`, read again on the main thread.
 */
import { parentPort } from 'worker_threads';
import { readRange, type RangeResult, type RangeTask } from './read-range';
import { transferList, type RecordedPoints } from './recorded-points';

export interface RangeRequest {
  id: number;
  task: RangeTask;
  /** A replayed range's arrays, sent back to be recorded into again. */
  recycled?: RecordedPoints;
}

export interface RangeReply {
  id: number;
  result: RangeResult;
}

const port = parentPort;
if (port) {
  port.on('message', (req: RangeRequest) => {
    let result: RangeResult;
    try {
      result = readRange(req.task, req.recycled);
    } catch (e) {
      result = { ok: false, why: e instanceof Error ? e.message : String(e) };
    }
    const reply: RangeReply = { id: req.id, result };
    port.postMessage(reply, result.ok ? transferList(result.points) : []);
  });
}
