/** A CodeLens above the first line of each root cause in a log: what it is, Explain, and Show in timeline. */
import * as vscode from 'vscode';
import type { Finding } from '../core/diagnose/finding';
import type { AnalysisService } from './analysis-service';

/** `8 errors, 1 warning` */
function counted(findings: Finding[]): string {
  const by = new Map<string, number>();
  for (const f of findings) by.set(f.severity, (by.get(f.severity) ?? 0) + 1);
  return [...by].map(([severity, n]) => `${n} ${severity}${n === 1 ? '' : 's'}`).join(', ');
}

export class RootCauseLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly service: AnalysisService) {
    service.onDidAnalyze(() => this.changed.fire());
    service.onDidForget(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const found = this.service.resultFor(document.uri);
    if (!found) return [];
    const { result, input } = found;
    // One pass over the findings: a big log has thousands of root causes.
    const byRootCause = new Map<string, Finding[]>();
    for (const f of result.analysis.findings) {
      if (f.location.input !== input) continue;
      const list = byRootCause.get(f.rootCause);
      if (list) list.push(f);
      else byRootCause.set(f.rootCause, [f]);
    }
    const lenses: vscode.CodeLens[] = [];
    for (const r of result.analysis.rootCauses) {
      const here = byRootCause.get(r.id);
      if (!here) continue;
      const line = Math.min(...here.map((f) => f.location.line)) - 1;
      if (line >= document.lineCount) continue;
      const range = document.lineAt(line).range;
      const args = [{ run: result.run.key, rootCause: r.id }];
      const elsewhere = r.findingCount - here.length;
      lenses.push(
        new vscode.CodeLens(range, {
          title: `${counted(here)}: ${r.title}${elsewhere > 0 ? ` (+${elsewhere} in the run)` : ''}`,
          command: 'hotplugLens.explainFinding',
          arguments: args,
        }),
        new vscode.CodeLens(range, { title: 'Explain', command: 'hotplugLens.explainFinding', arguments: args }),
        new vscode.CodeLens(range, { title: 'Show in timeline', command: 'hotplugLens.openTimeline', arguments: args }),
        new vscode.CodeLens(range, { title: 'Next finding', command: 'hotplugLens.nextFinding' }),
      );
    }
    return lenses;
  }
}
