import * as path from 'path';
import { capFindings } from './cap-findings';
import { readConfig } from './config/read-config';
import { readConfigFile } from './config/read-config-file';
import type { TrainingConfig } from './config/training-config';
import { configFoldersOf, isConfigFile, isLogFile, runKeyOf } from './files/layout';
import { LogFile } from './logfile';
import { isNotebookFile } from './python/notebook';
import { notebookLayout, type NotebookLayout } from './python/notebook-layout';
import { inCell, notebookRuns, onTrainingCall, type NotebookRun } from './python/notebook-runs';
import { mergeDuplicates, type DuplicateGroup } from './rules/dedupe';
import { configRules, groupRules, runRules } from './rules/registry';
import type { RunContext, Thresholds } from './rules/rule';
import { Run } from './run/run';
import { seedlessFingerprint } from './run/siblings';
import { seedFolderOf } from './files/seed-folders';
import { applySuppressions } from './suppress';
import type { Finding, Severity } from './types';

export interface AnalyzerOptions {
  /** Threshold overrides by key (`traindx.thresholds`, `--threshold k=v`). */
  thresholds?: Thresholds;
  /** Rule ids or scenario ids that are switched off. */
  disabled?: readonly string[];
  /** Severity overrides by rule id or scenario id. */
  severity?: Readonly<Record<string, Severity>>;
  /**
   * The files are read once, as they are now (the CLI): a last line without a final newline is read as
   * complete. Never for files that are followed (the server): a later append would continue that line.
   */
  finishedFiles?: boolean;
}

/** What traindx read of one file (the `files` entry of the findings contract). */
export interface FileReport {
  path: string;
  kind: 'log' | 'config';
  format?: string;
  points?: number;
  /** Problems met while reading (bad CRC, unreadable bytes, huge line skipped, file missing). */
  messages: string[];
}

/** A rule that threw: its findings are dropped, the others go on. */
export interface RuleError {
  rule: string;
  message: string;
}

interface RunState {
  key: string;
  run: Run;
  logs: Set<string>;
  /** A training a notebook's outputs show: its config is the notebook's own code (python/notebook-runs.ts). */
  notebook?: NotebookRun;
}

/** Notebooks with plots saved in their outputs are megabytes; their text is read whole for the outputs. */
const MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024;

/**
 * The analyzer's incremental model of a set of files: log readers that follow appends, runs rebuilt
 * from them, configs read with ranges, and the findings of each, recomputed only for what changed.
 * Shared by the CLI (one pass) and the language server (live).
 */
export class AnalysisWorkspace {
  private readonly logs = new Map<string, LogFile>();
  private readonly logMessages = new Map<string, string[]>();
  private readonly runs = new Map<string, RunState>();
  private readonly configs = new Map<string, TrainingConfig | undefined>();
  private readonly configTexts = new Map<string, string>();
  /** Configs not read from one text file (MLflow params/ folders): their text only stands for them. */
  private readonly composedConfigs = new Set<string>();
  /** Config files by folder, so finding a log's config costs its depth, not the number of configs. */
  private readonly configsByDir = new Map<string, Set<string>>();
  private readonly runFindings = new Map<string, Finding[]>();
  private readonly configFindings = new Map<string, Finding[]>();
  private groupFindingCache: Finding[] | undefined;
  /** `findings()` as last computed; dropped whenever a run, config or group cache is. */
  private allFindings: Finding[] | undefined;
  private readonly errors: RuleError[] = [];
  /** The runs each notebook's outputs were read into (a notebook is a config and, by its outputs, logs). */
  private readonly notebookRunKeys = new Map<string, string[]>();
  /** Where the cells are in the text a notebook's config was read from, to place its config findings. */
  private readonly notebookLayouts = new Map<string, NotebookLayout | undefined>();

  constructor(private options: AnalyzerOptions = {}) {}

  setOptions(options: AnalyzerOptions): void {
    this.options = options;
    this.invalidateAll();
  }

  /** A log by its name (files/layout.ts decides for the CLI walk, the watcher and this workspace). */
  static isLog(file: string): boolean {
    return isLogFile(file);
  }

  /** A training config candidate by its name (read to know whether it really is one). */
  static isConfig(file: string): boolean {
    return isConfigFile(file);
  }

  /** Reads what is new in a log on disk. Returns the run key when the run's metrics changed. */
  async updateLog(file: string): Promise<string | undefined> {
    if (isNotebookFile(file)) return this.updateNotebook(file);
    let reader = this.logs.get(file);
    if (!reader) {
      reader = new LogFile(file);
      this.logs.set(file, reader);
    }
    const key = runKeyOf(file);
    let state = this.runs.get(key);
    if (!state) {
      state = { key, run: new Run(key), logs: new Set() };
      this.runs.set(key, state);
    }
    state.logs.add(file);
    // The batch path: the parsers write straight into the run's typed arrays (no MetricEvent per
    // value). A poll stops at its byte budget; read on until the file is consumed.
    const run = state.run;
    const sink = run.sinkFor(file);
    const before = run.pushCount;
    let reset = false;
    for (;;) {
      let update;
      try {
        update = await reader.poll(sink);
      } catch (err) {
        // The reader is built not to throw; if it does, keep what was read and say why.
        this.addMessage(file, `could not read: ${(err as Error).message}`);
        break;
      }
      if (update.messages.length) for (const m of update.messages) this.addMessage(file, m);
      if (update.missing) {
        this.removeLog(file);
        return key;
      }
      if (update.reset) reset = true;
      if (!update.more) break;
    }
    if (this.options.finishedFiles) {
      const last = reader.finishLastLine(sink);
      for (const m of last.messages) this.addMessage(file, m);
    }
    const overflow = run.takeOverflow(file);
    if (overflow) this.addMessage(file, overflow);
    if (!reset && run.pushCount === before) return undefined;
    this.runFindings.delete(key);
    this.forgetConfigFindingsOf(file);
    this.groupFindingCache = undefined;
    this.allFindings = undefined;
    return key;
  }

  /**
   * Reads a notebook's saved outputs again (a notebook is rewritten whole when saved): its runs are
   * replaced. Returns the key of its last run, or the file's when it has none (its runs may be gone).
   */
  private async updateNotebook(file: string): Promise<string | undefined> {
    let text: string | undefined;
    try {
      text = await readConfigFile(file, MAX_NOTEBOOK_BYTES);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.addMessage(file, `could not read: ${(err as Error).message}`);
    }
    const had = this.notebookRunKeys.has(file);
    this.forgetNotebookRuns(file);
    if (text === undefined) return had ? file : undefined;
    const runs = notebookRuns(file, text);
    for (const r of runs) this.runs.set(r.key, { key: r.key, run: r.run, logs: new Set([file]), notebook: r });
    this.notebookRunKeys.set(file, runs.map((r) => r.key));
    this.groupFindingCache = undefined;
    this.allFindings = undefined;
    return runs.length > 0 ? runs[runs.length - 1].key : had ? file : undefined;
  }

  private forgetNotebookRuns(file: string): void {
    for (const key of this.notebookRunKeys.get(file) ?? []) {
      this.runs.delete(key);
      this.runFindings.delete(key);
    }
    this.notebookRunKeys.delete(file);
    this.groupFindingCache = undefined;
    this.allFindings = undefined;
  }

  /** Forgets a deleted log; its run's findings go with it. */
  removeLog(file: string): void {
    if (this.notebookRunKeys.has(file)) {
      this.forgetNotebookRuns(file);
      return;
    }
    this.logs.delete(file);
    this.logMessages.delete(file);
    const key = runKeyOf(file);
    const state = this.runs.get(key);
    if (!state) return;
    state.run.resetFile(file);
    state.logs.delete(file);
    if (state.logs.size === 0) this.runs.delete(key);
    this.runFindings.delete(key);
    this.forgetConfigFindingsOf(file);
    this.groupFindingCache = undefined;
    this.allFindings = undefined;
  }

  /** Reads (or re-reads, as the user types) a config. Returns whether it is a training config. */
  setConfigText(file: string, text: string): boolean {
    const config = readConfig(file, text);
    this.composedConfigs.delete(file);
    this.configs.set(file, config);
    this.notebookLayouts.delete(file);
    this.indexConfig(file);
    // The text of what is not a training config is not kept (a folder's JSONs can be datasets).
    if (config) this.configTexts.set(file, text);
    else this.configTexts.delete(file);
    this.configFindings.delete(file);
    this.allFindings = undefined;
    // A config informs the rules of every run beneath its folder.
    this.invalidateRuns();
    return config !== undefined;
  }

  /**
   * Sets a config read by other means than one text file (an MLflow run's `params/` folder); `text`
   * stands for its content when comparing sibling runs.
   */
  setConfig(file: string, config: TrainingConfig | undefined, text: string): void {
    this.composedConfigs.add(file);
    this.configs.set(file, config);
    this.indexConfig(file);
    this.configTexts.set(file, text);
    this.configFindings.delete(file);
    this.allFindings = undefined;
    this.invalidateRuns();
  }

  removeConfig(file: string): void {
    this.notebookLayouts.delete(file);
    this.composedConfigs.delete(file);
    this.configs.delete(file);
    this.configsByDir.get(path.dirname(file))?.delete(file);
    this.configTexts.delete(file);
    this.configFindings.delete(file);
    this.allFindings = undefined;
    this.invalidateRuns();
  }

  hasLog(file: string): boolean {
    return this.logs.has(file) || this.notebookRunKeys.has(file);
  }

  /** The text a config file was last read from (the editor's while open, else the disk's). */
  configText(file: string): string | undefined {
    return this.composedConfigs.has(file) ? undefined : this.configTexts.get(file);
  }

  configOf(file: string): TrainingConfig | undefined {
    return this.configs.get(file);
  }

  runKeys(): string[] {
    return [...this.runs.keys()];
  }

  run(key: string): Run | undefined {
    return this.runs.get(key)?.run;
  }

  /** The key of the run a log file belongs to, when that log has been read. */
  runKeyOfFile(file: string): string | undefined {
    // A notebook's run is its last training (the one its latest outputs show).
    const notebookRuns = this.notebookRunKeys.get(file);
    if (notebookRuns) return notebookRuns[notebookRuns.length - 1];
    const key = runKeyOf(file);
    return this.runs.get(key)?.logs.has(file) ? key : undefined;
  }

  /** The first run a notebook's cell printed (its outputs' first training), if it printed one. */
  notebookRunOfCell(file: string, cell: number): string | undefined {
    return this.notebookRunKeys.get(file)?.find((k) => this.runs.get(k)?.notebook?.place.index === cell);
  }

  /** The cell (0-based) whose outputs a notebook run was read from; undefined for any other run. */
  notebookCellOfRun(key: string): number | undefined {
    return this.runs.get(key)?.notebook?.place.index;
  }

  /** The run a log file belongs to. */
  runOfFile(file: string): Run | undefined {
    const notebookRuns = this.notebookRunKeys.get(file);
    return this.runs.get(notebookRuns ? notebookRuns[notebookRuns.length - 1] : runKeyOf(file))?.run;
  }

  /** The config found beside (or above) a log, if any: the nearest folder's (files/layout.ts configFoldersOf). */
  configForLog(file: string): TrainingConfig | undefined {
    for (const dir of configFoldersOf(file)) {
      const here = this.configsByDir.get(dir);
      if (!here) continue;
      // The first training config of the folder by name (stable whatever the order files came in).
      const first = [...here].sort((a, b) => a.localeCompare(b)).find((p) => this.configs.get(p) !== undefined);
      if (first) return this.configs.get(first);
    }
    return undefined;
  }

  /** Every finding, in a stable order (file, line, scenario). */
  findings(): Finding[] {
    // Publication asks more than once per change (diagnostics, status): sort once per change.
    this.allFindings ??= this.collectFindings();
    return this.allFindings.slice();
  }

  private collectFindings(): Finding[] {
    const all: Finding[] = [];
    for (const key of this.runs.keys()) all.push(...this.findingsOfRun(key));
    for (const file of this.configs.keys()) all.push(...this.findingsOfConfig(file));
    all.push(...this.findingsOfGroups());
    const kept = all.filter((f) => this.enabled(f)).map((f) => this.inNotebookCell(this.withSeverity(f)));
    return capFindings(mergeDuplicates(kept, (file) => this.duplicateGroupOf(file)).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.scenario.localeCompare(b.scenario)));
  }

  /** Files whose findings may repeat one another (dedupe.ts): the logs reading one config; the seed configs of one group. */
  private duplicateGroupOf(file: string): DuplicateGroup | undefined {
    if (this.configs.has(file)) return { key: `config:${path.dirname(path.dirname(file))}\n${seedlessFingerprint(this.configTexts.get(file) ?? '')}` };
    const config = this.configForLog(file);
    return config ? { key: `log:${config.file}`, writer: this.logs.get(file)?.format ?? file } : undefined;
  }

  /** Findings grouped by the file they point into. */
  findingsByFile(): Map<string, Finding[]> {
    const byFile = new Map<string, Finding[]>();
    for (const f of this.findings()) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    return byFile;
  }

  ruleErrors(): readonly RuleError[] {
    return this.errors;
  }

  fileReports(): FileReport[] {
    const reports: FileReport[] = [];
    // One count per run (an MLflow run of 20 000 metric files counted file by file was quadratic).
    const counts = new Map<Run, number[]>();
    for (const [file, reader] of this.logs) {
      const run = this.runOfFile(file);
      const fi = run ? run.indexOfFile(file) : -1;
      let perFile = run && counts.get(run);
      if (run && !perFile) {
        perFile = run.pointsByFile();
        counts.set(run, perFile);
      }
      reports.push({
        path: file,
        kind: 'log',
        format: reader.format,
        points: perFile && fi >= 0 ? perFile[fi] : 0,
        messages: this.logMessages.get(file) ?? [],
      });
    }
    for (const [file, keys] of this.notebookRunKeys) {
      // A notebook whose outputs show no training is a config only.
      if (keys.length === 0) continue;
      const points = keys.reduce((n, k) => n + (this.runs.get(k)?.run.pointCount() ?? 0), 0);
      reports.push({ path: file, kind: 'log', format: 'notebook-outputs', points, messages: this.logMessages.get(file) ?? [] });
    }
    for (const [file, config] of this.configs) {
      if (config) reports.push({ path: file, kind: 'config', format: `${config.format}:${config.style}`, messages: [] });
    }
    return reports.sort((a, b) => a.path.localeCompare(b.path));
  }

  private findingsOfRun(key: string): Finding[] {
    const cached = this.runFindings.get(key);
    if (cached) return cached;
    const state = this.runs.get(key);
    if (!state || state.run.pointCount() === 0) return [];
    const ctx = this.contextOf(state);
    const { findings: all, errors } = runRules(ctx, this.options.thresholds);
    this.noteErrors(errors);
    const notebook = state.notebook;
    const findings = notebook ? all.map((f) => onTrainingCall(f, ctx.logFile, notebook)) : all;
    this.runFindings.set(key, findings);
    return findings;
  }

  private findingsOfConfig(file: string): Finding[] {
    const cached = this.configFindings.get(file);
    if (cached) return cached;
    const config = this.configs.get(file);
    if (!config) return [];
    const { findings: all, errors } = configRules(config, this.options.thresholds, undefined, this.runsReading(config));
    this.noteErrors(errors);
    // `# traindx-disable…` comments in the config itself (see suppress.ts; logs have none: their
    // findings are switched off by the `disabled` option only).
    const findings = applySuppressions(all, this.configTexts.get(file) ?? '');
    this.configFindings.set(file, findings);
    return findings;
  }

  /** The findings of the config a log reads depend on that log (Rule.checkConfig's runs). */
  private forgetConfigFindingsOf(logFile: string): void {
    const config = this.configForLog(logFile);
    if (!config) return;
    for (const [file, c] of this.configs) if (c === config) this.configFindings.delete(file);
  }

  /** The runs whose logs read this config (configForLog), for config rules that check a prediction against the log. */
  private runsReading(config: TrainingConfig): RunContext[] {
    const out: RunContext[] = [];
    for (const state of this.runs.values()) {
      if (state.run.pointCount() === 0) continue;
      const ctx = this.contextOf(state);
      if (ctx.config === config) out.push(ctx);
    }
    return out;
  }

  /**
   * Sibling runs whose configs are the same but for the seed form an ensemble group; runs without a
   * config group by their seed folders' names (files/seed-folders.ts).
   */
  private findingsOfGroups(): Finding[] {
    if (this.groupFindingCache) return this.groupFindingCache;
    const groups = new Map<string, RunContext[]>();
    const seenConfigs = new Set<TrainingConfig>();
    for (const state of this.runs.values()) {
      // A notebook's trainings are not seeds of one experiment: each has its own code before it.
      if (state.notebook) continue;
      const ctx = this.contextOf(state);
      // No config of its own (none, or one shared from above the seed folders): the folder names say.
      const seeds = seedFolderOf(ctx.logFile);
      if (seeds !== undefined && (!ctx.config || !isInside(ctx.config.file, seeds.folder))) {
        const key = `folders\n${seeds.key}\n${ctx.config?.file ?? ''}`;
        groups.set(key, [...(groups.get(key) ?? []), ctx]);
        continue;
      }
      if (!ctx.config || seenConfigs.has(ctx.config)) continue;
      seenConfigs.add(ctx.config);
      const runDir = path.dirname(ctx.config.file);
      const key = `${path.dirname(runDir)}\n${seedlessFingerprint(this.configTexts.get(ctx.config.file) ?? '')}`;
      const list = groups.get(key);
      if (list) list.push(ctx);
      else groups.set(key, [ctx]);
    }
    const out: Finding[] = [];
    for (const runs of groups.values()) {
      if (runs.length < 2) continue;
      const { findings, errors } = groupRules({ runs }, this.options.thresholds);
      this.noteErrors(errors);
      out.push(...findings);
    }
    this.groupFindingCache = out;
    return out;
  }

  private contextOf(state: RunState): RunContext {
    const logFile = [...state.logs].sort()[0];
    return { run: state.run, logFile, config: state.notebook ? state.notebook.config : this.configForLog(logFile) };
  }

  /** A finding on a notebook's code, with the cell it is in (placed in the text its config was read from). */
  private inNotebookCell(f: Finding): Finding {
    if (!f.range || f.cell || !isNotebookFile(f.file)) return f;
    if (!this.notebookLayouts.has(f.file)) {
      const text = this.configTexts.get(f.file);
      this.notebookLayouts.set(f.file, text === undefined ? undefined : notebookLayout(text));
    }
    return inCell(f, this.notebookLayouts.get(f.file));
  }

  private indexConfig(file: string): void {
    const dir = path.dirname(file);
    const set = this.configsByDir.get(dir);
    if (set) set.add(file);
    else this.configsByDir.set(dir, new Set([file]));
  }

  private enabled(f: Finding): boolean {
    const off = this.options.disabled ?? [];
    return !off.includes(f.rule) && !off.includes(f.scenario);
  }

  private withSeverity(f: Finding): Finding {
    const sev = this.options.severity?.[f.rule] ?? this.options.severity?.[f.scenario];
    return sev ? { ...f, severity: sev } : f;
  }

  private noteErrors(errors: readonly RuleError[]): void {
    for (const e of errors) {
      if (!this.errors.some((x) => x.rule === e.rule && x.message === e.message)) this.errors.push(e);
    }
  }

  private addMessage(file: string, message: string): void {
    const list = this.logMessages.get(file) ?? [];
    // Keep the latest few: a log that keeps producing the same problem must not grow memory.
    if (!list.includes(message)) list.push(message);
    if (list.length > 20) list.shift();
    this.logMessages.set(file, list);
  }

  private invalidateRuns(): void {
    this.runFindings.clear();
    // Config findings read the runs that read the config (Rule.checkConfig), and which config a run
    // reads may have changed.
    this.configFindings.clear();
    this.groupFindingCache = undefined;
    this.allFindings = undefined;
  }

  private invalidateAll(): void {
    this.invalidateRuns();
    this.configFindings.clear();
    this.allFindings = undefined;
  }
}

/** True when `file` is inside `folder` (at any depth). */
function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
