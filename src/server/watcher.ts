import * as fs from 'fs';
import * as path from 'path';
import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'fs';
import { isSkippedFolder } from '../core/files/layout';
import type { PathMatcher } from './glob';

/** chokidar's throttle window for 'change' events of one path (node_modules/chokidar: `_throttle(EV.CHANGE, path, 50)`). */
const CHANGE_THROTTLE_MS = 50;

export interface WatchEvents {
  changed(file: string): void;
  removed(file: string): void;
  /** Called once when the file limit stops the watcher from following more files. */
  limitReached(limit: number): void;
  /**
   * Called once when the system refuses more watches (ENOSPC: fs.inotify.max_user_watches; EMFILE /
   * ENFILE: open files): files from then on may be followed no more, which the user must be told.
   */
  systemLimit?(code: string): void;
  ready(): void;
}

/**
 * Follows training logs and configs on disk (those the editor has not opened too). Only files that
 * `interesting` accepts are followed; skipped folders (core/files) or ones matching `exclude` are not entered.
 */
export class RunWatcher {
  private watcher: FSWatcher | undefined;
  private readonly followed = new Set<string>();
  private limitHit = false;
  private systemLimitHit = false;
  /** One more read per file after chokidar's change throttle (see onFile). */
  private readonly trailing = new Map<string, NodeJS.Timeout>();
  /** The symlinked logs pointing at each link target we watch (see followLink). */
  private readonly linksByTarget = new Map<string, Set<string>>();
  /** Link targets watched only for their links (not followed as files of their own). */
  private readonly targetsOnly = new Set<string>();

  constructor(
    private readonly interesting: (file: string) => boolean,
    private readonly events: WatchEvents,
    private readonly maxFiles: number,
    private readonly exclude: readonly PathMatcher[] = [],
  ) {}

  get count(): number {
    return this.followed.size;
  }

  get limitReached(): boolean {
    return this.limitHit;
  }

  start(roots: readonly string[]): void {
    if (roots.length === 0) return;
    this.watcher = watch([...roots], {
      ignoreInitial: false,
      persistent: true,
      followSymlinks: false,
      // Polling would cost CPU on a cluster's shared folder; native events are enough for appends.
      usePolling: false,
      ignored: (p: string, stats?: Stats) => this.ignored(p, stats),
    });
    this.watcher.on('add', (p) => {
      if (this.onTarget(p)) return;
      this.onFile(p);
      void this.followLink(p);
    });
    this.watcher.on('change', (p) => {
      if (!this.onTarget(p)) this.onFile(p);
    });
    this.watcher.on('unlink', (p) => {
      if (this.targetsOnly.has(p)) return;
      clearTimeout(this.trailing.get(p));
      this.trailing.delete(p);
      if (this.followed.delete(p)) this.events.removed(p);
      this.forgetLink(p);
    });
    this.watcher.on('ready', () => this.events.ready());
    this.watcher.on('error', (err: unknown) => {
      // An unreadable folder (permissions) must not stop the watcher; chokidar carries on. Running out
      // of kernel watches or file handles is different: what is past it is not followed, silently.
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      if ((code === 'ENOSPC' || code === 'EMFILE' || code === 'ENFILE') && !this.systemLimitHit) {
        this.systemLimitHit = true;
        this.events.systemLimit?.(code);
      }
    });
  }

  /** Follows one more file (a log opened from outside the workspace). */
  add(file: string): void {
    if (this.watcher && !this.followed.has(file)) this.watcher.add(file);
  }

  async stop(): Promise<void> {
    for (const t of this.trailing.values()) clearTimeout(t);
    this.trailing.clear();
    await this.watcher?.close();
    this.watcher = undefined;
  }

  private onFile(p: string): void {
    if (!this.followed.has(p)) {
      if (this.followed.size >= this.maxFiles) {
        if (!this.limitHit) {
          this.limitHit = true;
          this.events.limitReached(this.maxFiles);
        }
        return;
      }
      this.followed.add(p);
    }
    this.events.changed(p);
    // chokidar drops a 'change' that comes within 50 ms of the one before and sends none after the
    // window: the last append of a burst, or a file replaced right after a write, would wait for the
    // next write (for ever, at the end of training). One more read after the window catches it.
    clearTimeout(this.trailing.get(p));
    this.trailing.set(
      p,
      setTimeout(() => {
        this.trailing.delete(p);
        if (this.followed.has(p)) this.events.changed(p);
      }, CHANGE_THROTTLE_MS + 25),
    );
  }

  /**
   * A log that is a symlink: chokidar (followSymlinks off, so that linked folders cannot loop or lead
   * out of the workspace) watches the link, not the file it points at, and appends to that file went
   * unseen. The target is watched too, and its events are the link's. The CLI reads links the same way.
   */
  private async followLink(link: string): Promise<void> {
    const st = await fs.promises.lstat(link).catch(() => undefined);
    if (!st?.isSymbolicLink() || !this.followed.has(link)) return;
    const target = await fs.promises.realpath(link).catch(() => undefined);
    if (!target || target === link || !this.watcher) return;
    let links = this.linksByTarget.get(target);
    if (!links) {
      links = new Set();
      this.linksByTarget.set(target, links);
      if (!this.followed.has(target)) {
        this.targetsOnly.add(target);
        this.watcher.add(target);
      }
    }
    links.add(link);
  }

  /** Passes a link target's event on to its links; true when the target is not followed itself. */
  private onTarget(p: string): boolean {
    const links = this.linksByTarget.get(p);
    if (links) for (const link of links) if (this.followed.has(link)) this.onFile(link);
    return this.targetsOnly.has(p);
  }

  private forgetLink(link: string): void {
    for (const [target, links] of this.linksByTarget) {
      if (!links.delete(link) || links.size > 0) continue;
      this.linksByTarget.delete(target);
      if (this.targetsOnly.delete(target)) void this.watcher?.unwatch(target);
    }
  }

  private ignored(p: string, stats?: Stats): boolean {
    if (this.targetsOnly.has(p)) return false;
    const base = path.basename(p);
    if (isSkippedFolder(base)) return true;
    if (this.exclude.some((matches) => matches(p))) return true;
    if (stats?.isFile()) return !this.interesting(p);
    return false;
  }
}
