/**
 * The parse workers of this process, kept between reads: starting one costs tens of milliseconds
 * (a language server reads many large files over its life, a test many small ones). An idle worker is
 * unref'd, so it never keeps a finished CLI alive; a worker lent to a read is ref'd, so the process
 * waits for its answers. A worker that failed, or whose read was abandoned mid-range, is terminated,
 * never lent again.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMainThread, Worker } from 'worker_threads';

const idle: Worker[] = [];
/** Workers alive (idle or lent): concurrent reads of several large files share at most LIVE_LIMIT. */
let live = 0;
const LIVE_LIMIT = 8;

/** Whether this is the process's main thread (not a CLI analysis worker, not a parse worker). */
export function onMainThread(): boolean {
  return isMainThread;
}

/** The worker script: dist/parse-worker.js beside the bundles, or parse-worker.js beside this file in out/. */
export function workerScript(): string | undefined {
  const p = path.join(__dirname, 'parse-worker.js');
  return fs.existsSync(p) ? p : undefined;
}

/**
 * Up to `n` workers for one read: idle ones first, then new ones while fewer than LIVE_LIMIT live (so
 * fewer, or none, while other reads hold them; none without the script).
 */
export function borrowWorkers(n: number): Worker[] {
  const out: Worker[] = [];
  while (out.length < n && idle.length > 0) out.push(idle.pop() as Worker);
  const script = workerScript();
  while (out.length < n && script && live < LIVE_LIMIT) {
    try {
      const w = new Worker(script);
      live++;
      // Gone from the pool when it dies (an idle worker has no other listener).
      w.on('error', () => drop(w));
      w.once('exit', () => {
        live--;
        drop(w);
      });
      out.push(w);
    } catch {
      break;
    }
  }
  for (const w of out) w.ref();
  return out;
}

/** Back to the pool after a read that got every answer it asked for. */
export function returnWorker(w: Worker): void {
  w.removeAllListeners('message');
  w.unref();
  idle.push(w);
}

/** Ends a worker that may still be busy (an abandoned read) or has failed. */
export function discardWorker(w: Worker): void {
  drop(w);
  void w.terminate();
}

function drop(w: Worker): void {
  const i = idle.indexOf(w);
  if (i >= 0) idle.splice(i, 1);
}
