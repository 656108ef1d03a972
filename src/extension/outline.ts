/** The Outline of a log: its devices, and under each the resize phases (one per new requested size). */
import * as vscode from 'vscode';
import type { AnalysisService } from './analysis-service';

export class LogOutline implements vscode.DocumentSymbolProvider {
  constructor(private readonly service: AnalysisService) {}

  async provideDocumentSymbols(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentSymbol[]> {
    let found = this.service.resultFor(document.uri);
    if (!found) {
      await this.service.analyze(await this.service.runFor(document.uri), token).catch(() => undefined);
      found = this.service.resultFor(document.uri);
    }
    if (!found) return [];
    const last = Math.max(0, document.lineCount - 1);
    const lines = (from: number, to: number) => new vscode.Range(Math.min(from - 1, last), 0, Math.min(to - 1, last), Number.MAX_SAFE_INTEGER);
    return (found.result.analysis.outline[found.input] ?? []).map((d) => {
      const symbol = new vscode.DocumentSymbol(d.device, 'device', vscode.SymbolKind.Module, lines(d.firstLine, d.lastLine), lines(d.firstLine, d.firstLine));
      symbol.children = d.phases.map((p) => new vscode.DocumentSymbol(p.label, `line ${p.line}`, vscode.SymbolKind.Event, lines(p.line, p.endLine), lines(p.line, p.line)));
      return symbol;
    });
  }
}
