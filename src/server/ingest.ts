import * as fs from 'fs';
import { readMlflowParamsDir } from '../core/config/mlflow-params';
import { readConfigFile } from '../core/config/read-config-file';
import { isLogToo, mlflowParamsFolderOf } from '../core/files/layout';
import { AnalysisWorkspace } from '../core/workspace';
import type { OnceLog } from '../shared/log-once';
import { FilePoller } from './file-poller';
import type { TraindxSettings } from './settings';
import { compileGlob } from './glob';
import { RunWatcher } from './watcher';

/** Typing in a config re-analyses after this pause. */
const CONFIG_DEBOUNCE_MS = 150;

/** What ingest tells the rest of the server. */
export interface IngestEvents {
  /** The workspace's findings may have changed: publish. */
  changed(): void;
  /** A bulk read ended: a publication held back may go out. */
  idle(): void;
  /** The watcher's counts or limits changed: send the status. */
  watchStateChanged(): void;
  /** A limit the user must hear about: `log` for the output, `show` for a message. */
  warn(log: string, show: string): void;
  info(message: string): void;
}

/**
 * Bytes in: follows logs and configs on disk (watcher → poller → tail/parse in the workspace), reads
 * an MLflow run's params once, and takes configs from the editor while they are open (their text may
 * be ahead of the disk). Logs are always read from disk: they are appended by the training job, not
 * edited.
 */
export class Ingest {
  private watcher: RunWatcher | undefined;
  private readonly poller = new FilePoller((file) => this.readLog(file), (file, err) => this.errors.report('log read failed', file, err));
  /** MLflow params/ folders read so far (a run's params are written once, at its start). */
  private readonly paramsRead = new Set<string>();
  private readonly configTimers = new Map<string, NodeJS.Timeout>();
  /** Reads of logs and configs under way, and whether the watcher's first scan has been reported. */
  private reading = 0;
  private scanned = true;
  /** The run whose metrics changed last: the status bar's "active run" (never a default for requests). */
  lastUpdatedRun: string | undefined;

  constructor(
    private readonly workspace: AnalysisWorkspace,
    /** The editor's text of a file, when it is open. */
    private readonly openText: (file: string) => string | undefined,
    private readonly events: IngestEvents,
    private readonly errors: OnceLog,
  ) {}

  get watchedFiles(): number {
    return this.watcher?.count ?? 0;
  }

  get limitReached(): boolean | undefined {
    return this.watcher?.limitReached;
  }

  /** Whether files are being read in bulk (first scan, or reads under way). */
  bulkReading(): boolean {
    return !this.scanned || this.reading > 0;
  }

  startWatcher(roots: readonly string[], settings: TraindxSettings): void {
    if (!settings.watch.enabled || !settings.enable) return;
    const watcher = new RunWatcher(
      (f) => AnalysisWorkspace.isLog(f) || AnalysisWorkspace.isConfig(f),
      {
        changed: (f) => this.onDiskChange(f),
        removed: (f) => this.onDiskRemove(f),
        limitReached: (n) => {
          this.events.warn(
            `traindx follows at most ${n} files (traindx.watch.maxFiles); files beyond it are not analysed.`,
            `traindx stopped following new files at ${n} (setting traindx.watch.maxFiles). Narrow the folder or raise the limit.`,
          );
          this.events.watchStateChanged();
        },
        systemLimit: (code) => {
          const what = code === 'ENOSPC' ? 'file watches (fs.inotify.max_user_watches)' : 'open files';
          this.events.warn(
            `traindx: the system ran out of ${what} (${code}); some files are not followed.`,
            `traindx cannot follow every file: the system ran out of ${what}. Exclude folders (traindx.watch.exclude) or raise the system limit.`,
          );
        },
        ready: () => {
          this.events.info(`traindx is following ${watcher.count} log and config files.`);
          this.scanned = true;
          this.events.watchStateChanged();
          this.events.idle();
        },
      },
      settings.watch.maxFiles,
      settings.watch.exclude.map(compileGlob),
    );
    this.watcher = watcher;
    // RunWatcher reports ready only when it watches something.
    this.scanned = roots.length === 0;
    watcher.start([...roots]);
  }

  async restartWatcher(roots: readonly string[], settings: TraindxSettings): Promise<void> {
    await this.watcher?.stop();
    this.startWatcher(roots, settings);
  }

  /** A document was opened in the editor. */
  opened(file: string, languageId: string, text: string): void {
    if (AnalysisWorkspace.isConfig(file)) {
      this.workspace.setConfigText(file, text);
      // A notebook's saved outputs are on disk only.
      if (isLogToo(file)) this.poller.poll(file);
      this.events.changed();
    } else if (AnalysisWorkspace.isLog(file) || languageId === 'log') {
      // Opening a log outside the watched folders starts following it.
      this.watcher?.add(file);
      this.poller.poll(file);
    }
  }

  /** An open document was edited: a config is re-read after a pause in typing, from `currentText` then. */
  edited(file: string, currentText: () => string | undefined): void {
    if (!AnalysisWorkspace.isConfig(file)) return;
    clearTimeout(this.configTimers.get(file));
    this.configTimers.set(
      file,
      setTimeout(() => {
        this.configTimers.delete(file);
        const text = currentText();
        if (text === undefined) return;
        this.workspace.setConfigText(file, text);
        this.events.changed();
      }, CONFIG_DEBOUNCE_MS),
    );
  }

  /** An open document was closed: a config goes back to what is on disk (unsaved edits are gone). */
  closed(file: string): void {
    if (!AnalysisWorkspace.isConfig(file)) return;
    void this.readConfigFromDisk(file);
  }

  private onDiskChange(file: string): void {
    // A notebook saved or re-run: its outputs are read again, open in the editor or not.
    if (!AnalysisWorkspace.isConfig(file) || isLogToo(file)) this.poller.poll(file);
    if (!AnalysisWorkspace.isConfig(file)) return;
    // An open config is analysed from the editor's text, which may be ahead of the disk.
    if (this.openText(file) !== undefined) return;
    this.reading++;
    void this.readConfigFromDisk(file).finally(() => this.readDone());
  }

  /**
   * A config from disk, or forgotten when it is gone, unreadable or not a config at all (a FIFO, a
   * device, a dataset JSON: readConfigFile refuses them without blocking or reading them whole).
   */
  private async readConfigFromDisk(file: string): Promise<void> {
    let text: string | undefined;
    try {
      text = await readConfigFile(file);
    } catch (err) {
      // Gone between the event and the read (its removal event follows), or no permission.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.errors.report('config read failed', file, err);
    }
    if (text === undefined) this.workspace.removeConfig(file);
    else this.workspace.setConfigText(file, text);
    this.events.changed();
  }

  private onDiskRemove(file: string): void {
    if (AnalysisWorkspace.isConfig(file)) this.workspace.removeConfig(file);
    if (!AnalysisWorkspace.isConfig(file) || isLogToo(file)) this.workspace.removeLog(file);
    this.events.changed();
  }

  private async readLog(file: string): Promise<void> {
    this.reading++;
    try {
      // Only regular files are read: opening a FIFO named like a log blocks until a writer comes, holding
      // one of libuv's few thread-pool threads (a handful of them stall every file read of the server).
      // A failed stat falls through to updateLog, which forgets a missing log and reports other errors.
      const st = await fs.promises.stat(file).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') this.errors.report('log stat failed', file, err);
        return undefined;
      });
      if (st && !st.isFile()) return;
      const key = await this.workspace.updateLog(file);
      if (key) {
        this.lastUpdatedRun = key;
        await this.readParamsOnce(file);
        this.events.changed();
      }
    } finally {
      this.readDone();
    }
  }

  /** MLflow runs: their params/ folder is their config, read when the run is first seen. */
  private async readParamsOnce(file: string): Promise<void> {
    const dir = mlflowParamsFolderOf(file);
    if (!dir || this.paramsRead.has(dir)) return;
    this.paramsRead.add(dir);
    const read = await readMlflowParamsDir(dir);
    if (read) this.workspace.setConfig(dir, read.config, read.text);
  }

  private readDone(): void {
    this.reading--;
    this.events.idle();
  }
}
