/** Which logs are analysed together: a run file's run, one chosen with "Analyze Together", or the log alone. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseRunFile, RUN_FILE_NAME } from './run-file';

export interface LogRun {
  /** Identity of the run: its logs' URIs in order. */
  key: string;
  name: string;
  uris: vscode.Uri[];
}

export function makeRun(uris: vscode.Uri[], name?: string): LogRun {
  return {
    key: uris.map((u) => u.toString()).join('\n'),
    name: name ?? uris.map((u) => path.posix.basename(u.path)).join(' + '),
    uris,
  };
}

/** Run files that failed to parse, reported once per file and version. */
const reported = new Set<string>();

async function runFileIn(folder: vscode.Uri): Promise<{ uri: vscode.Uri; text: string } | undefined> {
  const uri = vscode.Uri.joinPath(folder, RUN_FILE_NAME);
  try {
    return { uri, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
  } catch {
    return undefined;
  }
}

/** The run a run file in the log's folder (or a parent folder inside the workspace) puts it in. */
export async function runFromRunFile(log: vscode.Uri): Promise<LogRun | undefined> {
  const root = vscode.workspace.getWorkspaceFolder(log)?.uri;
  let folder = vscode.Uri.joinPath(log, '..');
  for (let depth = 0; depth < 8; depth++) {
    const found = await runFileIn(folder);
    if (found) {
      try {
        for (const spec of parseRunFile(found.text)) {
          const uris = spec.files.map((f) => vscode.Uri.joinPath(folder, f));
          if (uris.some((u) => u.toString() === log.toString())) return makeRun(uris, spec.name);
        }
      } catch (error) {
        const key = `${found.uri.toString()}\n${found.text}`;
        if (!reported.has(key)) {
          reported.add(key);
          void vscode.window.showWarningMessage(`Hotplug Lens: ${vscode.workspace.asRelativePath(found.uri)}: ${(error as Error).message}`);
        }
      }
    }
    if (!root || folder.toString() === root.toString() || folder.path === '/') break;
    folder = vscode.Uri.joinPath(folder, '..');
  }
  return undefined;
}
