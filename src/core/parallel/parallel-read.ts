/**
 * Reading the backlog of one large line-format file on several threads (issue 12: a cold check of a
 * 256 MB metrics.csv). The bytes from `begin` to `limit` are cut into chunks; worker threads parse
 * chunks (read-range.ts) while this thread replays their points into the sink strictly in file order,
 * so the run is the one a single-threaded read gives: the same pushes in the same order, line numbers
 * shifted by the lines before each chunk.
 *
 * It stops at the first chunk that is not `ok` (a second header, a parser message, an over-long line,
 * a worker that failed) or that does not start where the previous one ended, and reports how far it
 * got; the caller reads on from there on its own thread, so nothing is lost and nothing is read twice.
 */
import type { Worker } from 'worker_threads';
import type { FormatId, ParserCheckpoint } from '../formats/format';
import type { PointColumn, PointSink } from '../points/point-sink';
import type { RangeResult } from './read-range';
import type { RangeReply, RangeRequest } from './parse-worker';
import { replayPoints, transferList, type RecordedPoints } from './recorded-points';
import { borrowWorkers, discardWorker, returnWorker } from './worker-pool';

export interface ParallelRead {
  file: string;
  format: FormatId;
  checkpoint: ParserCheckpoint;
  /** First byte of a line: where the parallel read starts. */
  begin: number;
  /** The file's size now: lines past it (or unfinished at it) are left to the caller. */
  limit: number;
  /** Lines of the file before `begin`. */
  lineBase: number;
  sink: PointSink;
  threads: number;
  chunkBytes: number;
  maxLine: number;
}

export interface ParallelOutcome {
  /** The byte after the last line whose points were replayed (`begin` when none were). */
  pos: number;
  /** Lines replayed, from `begin` to `pos`. */
  lines: number;
  /** Why it stopped before the last whole line below `limit`, when it did. */
  stopped?: string;
}

export async function readInParallel(o: ParallelRead): Promise<ParallelOutcome> {
  const starts: number[] = [];
  for (let a = o.begin; a < o.limit; a += o.chunkBytes) starts.push(a);
  if (starts.length === 0) return { pos: o.begin, lines: 0 };
  const workers = borrowWorkers(Math.min(o.threads, starts.length));
  // None free (other reads hold them) or none can start: not started, the caller reads on its own.
  if (workers.length === 0) return { pos: o.begin, lines: 0 };

  const results = new Map<number, RangeResult>();
  const columns = new Map<string, PointColumn>();
  /** Arrays of replayed ranges, sent back with the next requests: memory stays a few chunks' worth. */
  const spare: RecordedPoints[] = [];
  /** Ranges sent to each worker and not answered yet. */
  const busy = new Map<Worker, number>();
  /**
   * Workers left without a range while answers wait for an earlier one to be replayed: at most
   * `maxWaiting` answers are held, so a slow range never lets the others pile up in memory.
   */
  const parked: Worker[] = [];
  const maxWaiting = 2 * workers.length;
  let nextTask = 0;
  let nextReplay = 0;
  let pos = o.begin;
  let lines = 0;
  let stopped: string | undefined;

  return new Promise<ParallelOutcome>((resolve) => {
    let settled = false;
    const onFailure = (e: unknown): void => stop(`a worker failed: ${e instanceof Error ? e.message : String(e)}`);
    const onExit = (code: number): void => stop(`a worker exited (${code})`);
    const finish = (): void => {
      if (settled) return;
      settled = true;
      for (const w of workers) {
        w.off('error', onFailure);
        w.off('exit', onExit);
        // A worker still on a range would answer the next read: end it.
        if ((busy.get(w) ?? 0) > 0) discardWorker(w);
        else returnWorker(w);
      }
      resolve(stopped === undefined ? { pos, lines } : { pos, lines, stopped });
    };
    const stop = (why: string): void => {
      stopped ??= why;
      finish();
    };
    const send = (w: Worker): void => {
      if (nextTask >= starts.length || settled) return;
      const id = nextTask++;
      const start = starts[id];
      const req: RangeRequest = {
        id,
        task: { file: o.file, format: o.format, checkpoint: o.checkpoint, start, end: Math.min(o.limit, start + o.chunkBytes), limit: o.limit, maxLine: o.maxLine },
      };
      busy.set(w, (busy.get(w) ?? 0) + 1);
      const recycled = spare.pop();
      if (recycled) {
        req.recycled = recycled;
        w.postMessage(req, transferList(recycled));
      } else w.postMessage(req);
    };
    /** Replays every finished chunk that is next in file order. */
    const drain = (): void => {
      for (let r = results.get(nextReplay); r !== undefined && !settled; r = results.get(nextReplay)) {
        results.delete(nextReplay);
        nextReplay++;
        if (!r.ok) return stop(r.why);
        if (r.lines === 0) continue; // no line starts in it: its bytes belong to a longer line
        if (r.begin !== pos) return stop(`a chunk began at byte ${r.begin}, not ${pos}`);
        let failed: unknown;
        try {
          replayPoints(r.points, o.lineBase + lines, o.sink, columns);
        } catch (e) {
          failed = e;
        }
        // The chunk counts as read even when the sink threw part-way, as a range does on the single-
        // threaded path (parseByteLines): reading it again would push its first points twice.
        pos = r.after;
        lines += r.lines;
        if (failed !== undefined) return stop(failed instanceof Error ? failed.message : String(failed));
        if (spare.length < 4) spare.push(r.points);
      }
      if (nextReplay >= starts.length) return finish();
      while (parked.length > 0 && results.size < maxWaiting) send(parked.pop() as Worker);
    };
    for (const w of workers) {
      w.on('message', (reply: RangeReply) => {
        busy.set(w, (busy.get(w) ?? 1) - 1);
        results.set(reply.id, reply.result);
        if (results.size < maxWaiting) send(w);
        else parked.push(w);
        drain();
      });
      w.on('error', onFailure);
      w.on('exit', onExit);
      send(w);
    }
  });
}
