import * as vscode from 'vscode';
import type { RunStatus as RunProgress, StatusParams } from '../shared/protocol';

/**
 * The status bar entry: the open run's epoch, best val loss and findings (the run of the active
 * editor, else the run that changed last); click to open the run view.
 */
export class RunStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('traindx.status', vscode.StatusBarAlignment.Left, 50);
  /** In the language status of log files and configs: the same facts where the user reads a log. */
  private readonly language = vscode.languages.createLanguageStatusItem('traindx.language', [
    { language: 'log' },
    { language: 'yaml' },
    { language: 'json' },
    { language: 'jsonc' },
  ]);

  constructor() {
    this.item.name = 'traindx';
    this.item.command = 'traindx.showRun';
    this.item.text = '$(pulse) traindx';
    this.item.tooltip = vscode.l10n.t('traindx: starting');
    this.item.show();
    this.language.name = 'traindx';
    this.language.text = 'traindx';
    this.language.command = { command: 'traindx.showRun', title: vscode.l10n.t('Show Run View') };
  }

  /** `run` is the run the user looks at (see extension.ts); its findings are what the count shows. */
  update(s: StatusParams, run: RunProgress | undefined): void {
    const parts = [`$(pulse) ${run ? run.findings : s.findings}`];
    if (run?.epoch !== undefined) parts.push(vscode.l10n.t('ep {0}', formatEpoch(run.epoch)));
    if (run?.bestValLoss !== undefined) parts.push(vscode.l10n.t('best val {0}', run.bestValLoss.toPrecision(3)));
    this.item.text = parts.join(' · ');
    this.item.tooltip = [
      run ? vscode.l10n.t('Run {0}: {1} findings', run.runKey, run.findings) : '',
      vscode.l10n.t('traindx: {0} findings in {1} runs ({2} files followed)', s.findings, s.runs, s.watchedFiles),
      s.limitReached ? vscode.l10n.t('File limit reached: some files are not followed (traindx.watch.maxFiles).') : '',
      vscode.l10n.t('Click to open the run view.'),
    ]
      .filter(Boolean)
      .join('\n');
    this.item.backgroundColor = s.limitReached ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.language.text = vscode.l10n.t('traindx: {0} findings', run ? run.findings : s.findings);
    this.language.detail = run ? vscode.l10n.t('run {0}', run.runKey.split(/[\\/]/).slice(-2).join('/')) : undefined;
    this.language.severity = s.limitReached ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  }

  stopped(reason: string): void {
    this.language.text = 'traindx';
    this.language.detail = reason;
    this.language.severity = vscode.LanguageStatusSeverity.Error;
    this.item.text = '$(error) traindx';
    this.item.tooltip = reason;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  }

  dispose(): void {
    this.language.dispose();
    this.item.dispose();
  }
}

function formatEpoch(e: number): string {
  return Number.isInteger(e) ? String(e) : e.toFixed(2);
}
