/**
 * Where a run file's logs may be: regular files inside the run file's workspace folder (its own
 * folder when it is in none), symbolic links resolved. A run file is workspace content that is
 * read in Restricted Mode too; followed anywhere, `../../dev/zero` or a FIFO nobody writes would
 * make the analysis worker read without end or block a thread of the extension host for good.
 */
import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunFileEntryError } from './run-file';

function inside(root: string, target: string, sep: string, relative: (from: string, to: string) => string): boolean {
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep);
}

async function checkedFile(rootUri: vscode.Uri, uri: vscode.Uri, entry: string): Promise<void> {
  const outside = new RunFileEntryError(entry, `"${entry}" is outside the workspace folder ${rootUri.scheme === 'file' ? rootUri.fsPath : rootUri.path}: a run file names logs inside it`);
  if (uri.scheme === 'file') {
    let real: string;
    try {
      real = await realpath(uri.fsPath);
    } catch {
      throw new RunFileEntryError(entry, `"${entry}": no such file`);
    }
    if (!inside(await realpath(rootUri.fsPath), real, path.sep, path.relative)) throw outside;
    if (!(await stat(real)).isFile()) throw new RunFileEntryError(entry, `"${entry}" is not a regular file (a device, FIFO or folder is never read as a log)`);
    return;
  }
  if (!inside(rootUri.path, uri.path, '/', path.posix.relative)) throw outside;
  let type: vscode.FileType;
  try {
    type = (await vscode.workspace.fs.stat(uri)).type;
  } catch {
    throw new RunFileEntryError(entry, `"${entry}": no such file`);
  }
  if (!(type & vscode.FileType.File)) throw new RunFileEntryError(entry, `"${entry}" is not a regular file`);
}

/** The logs a run file names, as URIs; throws a RunFileEntryError for the first that may not be read. */
export async function runFileLogs(runFile: vscode.Uri, entries: string[]): Promise<vscode.Uri[]> {
  const folder = vscode.Uri.joinPath(runFile, '..');
  const root = vscode.workspace.getWorkspaceFolder(runFile)?.uri ?? folder;
  const uris = entries.map((entry) => vscode.Uri.joinPath(folder, entry));
  for (let i = 0; i < uris.length; i++) await checkedFile(root, uris[i], entries[i]);
  return uris;
}
