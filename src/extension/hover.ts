/** Hover on a log line: the subblocks it touched, their state before and after, and its findings. */
import * as vscode from 'vscode';
import { causeText } from '../core/diagnose/catalog';
import type { Finding } from '../core/diagnose/finding';
import type { Change } from '../core/model/history';
import { tupleChanges, tupleText } from '../core/model/state';
import { hexString } from '../core/text/hex';
import type { AnalysisService } from './analysis-service';

/** Rows in one hover; a line that touched more runs says how many more. */
const MAX_ROWS = 12;

export class StateHover implements vscode.HoverProvider {
  constructor(private readonly service: AnalysisService) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const found = this.service.resultFor(document.uri);
    if (!found) return undefined;
    const { result, input } = found;
    const line = position.line + 1;
    const md = hoverMarkdown(result.history.at(input, line), result.analysis.findings.filter((f) => f.location.input === input && f.location.line === line));
    if (!md) return undefined;
    return new vscode.Hover(md, document.lineAt(position.line).range);
  }
}

/** Names read from a log go into table cells as text: no markup, no cell breaks. */
function cell(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (ch) => `\\${ch}`);
}

export function hoverMarkdown(changes: Change[], findings: Finding[]): vscode.MarkdownString | undefined {
  if (changes.length === 0 && findings.length === 0) return undefined;
  const md = new vscode.MarkdownString();
  md.isTrusted = false;
  md.supportHtml = false;
  if (changes.length > 0) {
    md.appendMarkdown('**Hotplug Lens: subblock state** (dev use attr accept backing)\n\n');
    md.appendMarkdown('| Device | Subblocks | Before | After | Changed |\n|---|---|---|---|---|\n');
    for (const c of changes.slice(0, MAX_ROWS)) {
      const changed = tupleChanges(c.before, c.after);
      md.appendMarkdown(
        `| ${cell(c.device)} | \`[${hexString(c.start)}, ${hexString(c.end)})\` | ${tupleText(c.before)} | ${tupleText(c.after)} | ` +
          `${changed.length > 0 ? changed.join('; ') : 'nothing'}${c.inferred ? ' (deduced)' : ''} |\n`,
      );
    }
    if (changes.length > MAX_ROWS) md.appendMarkdown(`\n…and ${changes.length - MAX_ROWS} more runs of subblocks.\n`);
  }
  for (const f of findings) md.appendMarkdown(`\n\n**${f.code}** ${f.name} (cause: ${causeText(f.cause, f.otherCauses)}, ${f.confidence})`);
  return md;
}
