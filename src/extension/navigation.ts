/**
 * "Next/Previous Inconsistent Transition": walks the findings of the active log in line order.
 * Works on logs too big for VS Code to hand over as documents: the log is found from the active
 * tab, and locations are opened with `vscode.open` and a selection.
 */
import * as vscode from 'vscode';
import type { AnalysisService } from './analysis-service';

/** The log in the active tab, whether or not it is loaded as a document. */
export function activeLog(): { uri: vscode.Uri; line?: number } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor) return { uri: editor.document.uri, line: editor.selection.active.line + 1 };
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputText ? { uri: input.uri } : undefined;
}

export class FindingWalker {
  /** Where the walk stands in logs without an editor (no cursor to start from). */
  private readonly positions = new Map<string, number>();

  constructor(private readonly service: AnalysisService) {}

  /** Moves to the next (+1) or previous (-1) finding; returns the line moved to, 1-based. */
  async step(direction: 1 | -1): Promise<number | undefined> {
    const log = activeLog();
    if (!log) return undefined;
    const found = this.service.resultFor(log.uri) ?? (await this.analyse(log.uri));
    if (!found) return undefined;
    const lines = [...new Set(found.result.analysis.findings.filter((f) => f.location.input === found.input).map((f) => f.location.line))].sort((a, b) => a - b);
    if (lines.length === 0) {
      void vscode.window.showInformationMessage('Hotplug Lens: no inconsistent transitions in this log.');
      return undefined;
    }
    const from = log.line ?? this.positions.get(log.uri.toString()) ?? (direction > 0 ? 0 : Number.MAX_SAFE_INTEGER);
    const target =
      direction > 0 ? (lines.find((l) => l > from) ?? lines[0]) : ([...lines].reverse().find((l) => l < from) ?? lines[lines.length - 1]);
    this.positions.set(log.uri.toString(), target);
    const selection = new vscode.Range(target - 1, 0, target - 1, 0);
    await vscode.commands.executeCommand('vscode.open', log.uri, { selection, preview: false });
    return target;
  }

  private async analyse(uri: vscode.Uri) {
    await this.service.analyze(await this.service.runFor(uri));
    return this.service.resultFor(uri);
  }
}
