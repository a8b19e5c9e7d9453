import * as path from 'path';
import * as vscode from 'vscode';
import type { Finding } from '../core/types';
import type { RunSummary } from '../shared/protocol';
import { findingsOf, groupRuns, isBinaryLog, type RunGroup } from './run-groups';

type Node = { kind: 'run'; group: RunGroup } | { kind: 'finding'; group: RunGroup; finding: Finding };

const ICON: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', information: 'info', hint: 'lightbulb' };

/**
 * The "Training runs" view: one node per run folder, how far it got, and its findings. It refreshes
 * only when what it shows changed and while it is visible: every refresh of a tree VS Code is still
 * rendering cancels that one ("Unable to refresh tree view … Canceled", issue 12).
 */
export class RunsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private groups: RunGroup[] = [];
  private shown = '';

  constructor(private readonly fetch: () => Promise<RunSummary[]>) {}

  async refresh(): Promise<void> {
    const groups = groupRuns(await this.fetch());
    const key = JSON.stringify(groups);
    if (key === this.shown) return;
    this.shown = key;
    this.groups = groups;
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.groups.map((group) => ({ kind: 'run', group }));
    if (node.kind === 'run') return findingsOf(node.group).map((finding) => ({ kind: 'finding', group: node.group, finding }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'run') return runItem(node.group);
    const f = node.finding;
    const item = new vscode.TreeItem(f.message, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.group.folder}\n${f.file}:${f.line}:${f.rule}:${f.message}`;
    item.description = `${f.scenario} · ${path.basename(f.file)}:${f.line}`;
    item.tooltip = new vscode.MarkdownString().appendText(f.message);
    item.iconPath = new vscode.ThemeIcon(ICON[f.severity]);
    item.command = openFinding(f);
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function runItem(group: RunGroup): vscode.TreeItem {
  const findings = findingsOf(group);
  // Collapsed: a workspace of many runs lists runs, not every finding of every run.
  const item = new vscode.TreeItem(group.label, findings.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = group.folder;
  const points = group.runs.reduce((n, r) => n + r.points, 0);
  const epochs = group.runs.map((r) => r.lastEpoch).filter((e): e is number => e !== undefined);
  const best = group.runs.map((r) => r.bestValLoss).filter((v): v is number => v !== undefined);
  const parts = [vscode.l10n.t('{0} points', points)];
  if (epochs.length) {
    const e = Math.max(...epochs);
    parts.push(vscode.l10n.t('epoch {0}', Number.isInteger(e) ? e : e.toFixed(2)));
  }
  if (best.length) parts.push(vscode.l10n.t('best val_loss {0}', Math.min(...best).toPrecision(3)));
  if (findings.length) parts.push(vscode.l10n.t('{0} findings', findings.length));
  item.description = parts.join(' · ');
  item.tooltip = group.runs.flatMap((r) => r.files).join('\n');
  const worst = worstOf(findings);
  item.iconPath = new vscode.ThemeIcon(worst ? ICON[worst] : 'pass');
  item.contextValue = 'traindx.run';
  item.command = { command: 'traindx.showRun', title: vscode.l10n.t('Show Run View'), arguments: [vscode.Uri.file(group.runs[0].files[0]).toString()] };
  return item;
}

/** A finding in a text log opens at its line; one in a binary TensorBoard file opens the run view there. */
function openFinding(f: Finding): vscode.Command {
  if (isBinaryLog(f.file)) return { command: 'traindx.explain', title: vscode.l10n.t('Explain'), arguments: [{ scenario: f.scenario, uri: vscode.Uri.file(f.file).toString(), line: f.line - 1 }] };
  return { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [vscode.Uri.file(f.file), { selection: new vscode.Range(f.line - 1, 0, f.line - 1, 0) }] };
}

function worstOf(fs: readonly Finding[]): Finding['severity'] | undefined {
  const order: Finding['severity'][] = ['error', 'warning', 'information', 'hint'];
  return order.find((s) => fs.some((f) => f.severity === s));
}
