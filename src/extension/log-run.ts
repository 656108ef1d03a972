/** Which logs are analysed together: a run file's run, one chosen with "Analyze Together", or the log alone. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseRunFile, RUN_FILE_NAME, RunFileEntryError } from './run-file';
import { runFileLogs } from './run-file-paths';
import type { RunFileProblems } from './run-file-problems';

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

async function runFileIn(folder: vscode.Uri): Promise<{ uri: vscode.Uri; text: string } | undefined> {
  const uri = vscode.Uri.joinPath(folder, RUN_FILE_NAME);
  try {
    return { uri, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
  } catch {
    return undefined;
  }
}

/**
 * The run a run file in the log's folder (or a parent folder inside the workspace) puts it in.
 * A run file that cannot be parsed, or whose run names a log that may not be read, is reported
 * on the run file, and the log is analysed on its own.
 */
export async function runFromRunFile(log: vscode.Uri, problems: RunFileProblems): Promise<LogRun | undefined> {
  const root = vscode.workspace.getWorkspaceFolder(log)?.uri;
  let folder = vscode.Uri.joinPath(log, '..');
  for (let depth = 0; depth < 8; depth++) {
    const found = await runFileIn(folder);
    if (found) {
      try {
        for (const spec of parseRunFile(found.text)) {
          if (!spec.files.some((f) => vscode.Uri.joinPath(folder, f).toString() === log.toString())) continue;
          const uris = await runFileLogs(found.uri, spec.files);
          problems.clear(found.uri);
          return makeRun(uris, spec.name);
        }
        problems.clear(found.uri);
      } catch (error) {
        problems.report(found.uri, found.text, (error as Error).message, error instanceof RunFileEntryError ? error.entry : undefined);
      }
    }
    if (!root || folder.toString() === root.toString() || folder.path === '/') break;
    folder = vscode.Uri.joinPath(folder, '..');
  }
  return undefined;
}
