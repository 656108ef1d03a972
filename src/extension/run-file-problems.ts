/**
 * What is wrong with a `.hotplug-lens.json`, in the Problems panel on the run file itself (and
 * once per file version as a notification): the logs it names are then analysed on their own.
 */
import * as vscode from 'vscode';

export class RunFileProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('hotplug-lens-run-file');
  private readonly notified = new Set<string>();

  /** `entry`, when given, is the JSON string the problem is about: the diagnostic underlines it. */
  report(runFile: vscode.Uri, text: string, message: string, entry?: string): void {
    const diagnostic = new vscode.Diagnostic(rangeOf(text, entry), message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'hotplug-lens';
    this.collection.set(runFile, [diagnostic]);
    const key = `${runFile.toString()}\n${text}`;
    if (this.notified.has(key)) return;
    this.notified.add(key);
    void vscode.window.showWarningMessage(`Hotplug Lens: ${vscode.workspace.asRelativePath(runFile)}: ${message}`);
  }

  clear(runFile: vscode.Uri): void {
    this.collection.delete(runFile);
  }

  dispose(): void {
    this.collection.dispose();
  }
}

function rangeOf(text: string, entry: string | undefined): vscode.Range {
  const at = entry === undefined ? -1 : text.indexOf(JSON.stringify(entry));
  if (at < 0) return new vscode.Range(0, 0, 0, Math.max(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')));
  const before = text.slice(0, at).split('\n');
  const line = before.length - 1;
  const character = before[line].length;
  return new vscode.Range(line, character, line, character + JSON.stringify(entry).length);
}
