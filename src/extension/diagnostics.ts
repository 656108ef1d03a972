/** Findings → the Problems panel: one diagnostic per finding, the evidence as related information. */
import * as vscode from 'vscode';
import type { Finding } from '../core/diagnose/finding';
import type { RunResult } from './analysis-service';
import type { LogRun } from './log-run';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** A whole line: the finding is about the line, and a line of a big log may not be loaded. */
export function lineRange(line: number): vscode.Range {
  return new vscode.Range(line - 1, 0, line - 1, Number.MAX_SAFE_INTEGER);
}

export class Diagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('hotplug-lens');

  constructor(private readonly docs: vscode.Uri) {}

  dispose(): void {
    this.collection.dispose();
  }

  clear(run: LogRun): void {
    for (const uri of run.uris) this.collection.delete(uri);
  }

  show(result: RunResult): void {
    const { run, analysis } = result;
    const perInput = run.uris.map((): vscode.Diagnostic[] => []);
    const uriOf = (input: number, path: string) => run.uris[input] ?? vscode.Uri.file(path);
    for (const f of analysis.findings) {
      const d = new vscode.Diagnostic(lineRange(f.location.line), f.message, SEVERITY[f.severity]);
      d.source = 'hotplug-lens';
      d.code = { value: f.code, target: this.docs.with({ fragment: f.code.toLowerCase() }) };
      d.relatedInformation = f.related.map(
        (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uriOf(r.input, r.path), lineRange(r.line)), r.message),
      );
      perInput[f.location.input]?.push(d);
    }
    run.uris.forEach((uri, i) => this.collection.set(uri, perInput[i]));
  }
}
