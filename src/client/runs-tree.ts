import * as path from 'path';
import * as vscode from 'vscode';
import type { Finding } from '../core/types';
import type { RunSummary } from '../shared/protocol';

type Node = { kind: 'run'; run: RunSummary } | { kind: 'finding'; run: RunSummary; finding: Finding };

const ICON: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', information: 'info', hint: 'lightbulb' };

/** The "Training runs" view: each run followed, how far it got, and its findings. */
export class RunsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private runs: RunSummary[] = [];

  constructor(private readonly fetch: () => Promise<RunSummary[]>) {}

  async refresh(): Promise<void> {
    this.runs = await this.fetch();
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.runs.map((run) => ({ kind: 'run', run }));
    if (node.kind === 'run') return node.run.findings.map((finding) => ({ kind: 'finding', run: node.run, finding }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'run') {
      const r = node.run;
      const label = runLabel(r.runKey);
      const item = new vscode.TreeItem(label, r.findings.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      const parts = [vscode.l10n.t('{0} points', r.points)];
      if (r.lastEpoch !== undefined) parts.push(vscode.l10n.t('epoch {0}', Number.isInteger(r.lastEpoch) ? r.lastEpoch : r.lastEpoch.toFixed(2)));
      if (r.bestValLoss !== undefined) parts.push(vscode.l10n.t('best val_loss {0}', r.bestValLoss.toPrecision(3)));
      item.description = parts.join(' · ');
      item.tooltip = r.files.join('\n');
      item.iconPath = new vscode.ThemeIcon(worst(r.findings) ? ICON[worst(r.findings) as Finding['severity']] : 'pass');
      item.contextValue = 'traindx.run';
      item.command = { command: 'traindx.showRun', title: vscode.l10n.t('Show Run View'), arguments: [vscode.Uri.file(r.files[0]).toString()] };
      return item;
    }
    const f = node.finding;
    const item = new vscode.TreeItem(f.message, vscode.TreeItemCollapsibleState.None);
    item.description = `${f.scenario} · ${path.basename(f.file)}:${f.line}`;
    item.tooltip = new vscode.MarkdownString().appendText(f.message);
    item.iconPath = new vscode.ThemeIcon(ICON[f.severity]);
    item.command = {
      command: 'vscode.open',
      title: vscode.l10n.t('Open'),
      arguments: [vscode.Uri.file(f.file), { selection: new vscode.Range(f.line - 1, 0, f.line - 1, 0) }],
    };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** A run key is a log path or a run folder; show its last folders so sibling runs stay distinct. */
function runLabel(key: string): string {
  const parts = key.split(/[\\/]/).filter(Boolean);
  return parts.slice(-3).join('/');
}

function worst(fs: readonly Finding[]): Finding['severity'] | undefined {
  const order: Finding['severity'][] = ['error', 'warning', 'information', 'hint'];
  return order.find((s) => fs.some((f) => f.severity === s));
}
