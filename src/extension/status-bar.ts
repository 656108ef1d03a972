/** The status bar item of the active log: its findings by severity, or the analysis' progress. */
import * as vscode from 'vscode';
import type { AnalysisService } from './analysis-service';
import { activeLog } from './navigation';

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hotplugLens.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly service: AnalysisService) {
    this.item.name = 'Hotplug Lens';
    this.item.command = 'workbench.actions.view.problems';
    this.subscriptions.push(
      service.onDidAnalyze(() => this.update()),
      service.onDidProgress(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.update()),
    );
    this.update();
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  /** The text shown now (the tests read it). */
  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const log = activeLog();
    if (!log) return this.item.hide();
    const key = log.uri.toString();
    const progress = [...this.service.progress.values()].find((p) => p.run.uris.some((u) => u.toString() === key));
    if (progress) {
      this.item.text = `$(sync~spin) Hotplug Lens: ${Math.floor((progress.bytes / Math.max(1, progress.totalBytes)) * 100)}%`;
      this.item.tooltip = `Analysing ${progress.run.name}`;
      return this.item.show();
    }
    const found = this.service.resultFor(log.uri);
    if (!found) return this.item.hide();
    const mine = found.result.analysis.findings.filter((f) => f.location.input === found.input);
    const errors = mine.filter((f) => f.severity === 'error').length;
    const warnings = mine.filter((f) => f.severity === 'warning').length;
    this.item.text = errors + warnings === 0 ? 'Hotplug Lens: no problems' : `Hotplug Lens: ${[errors ? count(errors, 'error') : '', warnings ? count(warnings, 'warning') : ''].filter(Boolean).join(', ')}`;
    this.item.tooltip = `${found.result.run.name}: ${found.result.analysis.rootCauses.length} root cause(s). Click to show the Problems.`;
    this.item.show();
  }
}
