/**
 * While files are being read in bulk (the watcher's first scan of a big workspace, or many runs
 * changing at once), a publication waits until this many times the last one's cost has passed since it
 * ended, so publishing takes at most 1 / (1 + factor) of the server's time: each publication sorts
 * every finding and grows with the runs read so far, and one per file read made the first scan of
 * 10 000 runs quadratic. With nothing else being read (an append to a followed log) it goes out at once.
 */
const PUBLISH_COST_FACTOR = 4;

/** Coalesces the analyses of a burst of changes into one publication, and paces publications during bulk reads. */
export class PublishScheduler {
  private queued = false;
  private timer: NodeJS.Timeout | undefined;
  /** What the last publication cost (ms of this thread) and when it ended (performance.now()). */
  private lastCost = 0;
  private lastEnd = 0;

  constructor(
    /** Whether files are being read in bulk (see PUBLISH_COST_FACTOR). */
    private readonly bulkReading: () => boolean,
    private readonly publish: () => void,
  ) {}

  schedule(): void {
    if (this.queued) return;
    this.queued = true;
    // Decided after the reads of this turn have finished (the caller is usually inside one).
    setImmediate(() => {
      const wait = this.lastEnd + PUBLISH_COST_FACTOR * this.lastCost - performance.now();
      if (this.bulkReading() && wait > 1) this.timer = setTimeout(() => this.run(), wait);
      else this.run();
    });
  }

  /** When the bulk reading is over, a publication held back goes out now. */
  flushIfIdle(): void {
    if (this.timer && !this.bulkReading()) {
      clearTimeout(this.timer);
      this.timer = undefined;
      setImmediate(() => this.run());
    }
  }

  private run(): void {
    this.timer = undefined;
    if (!this.queued) return;
    this.queued = false;
    const t0 = performance.now();
    this.publish();
    this.lastEnd = performance.now();
    this.lastCost = this.lastEnd - t0;
  }
}
