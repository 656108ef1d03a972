/** Helpers for tests in the real extension host. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HotplugLensApi } from '../../src/extension/main';

export const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'examples', 'tdx-replug-failure');

export async function api(): Promise<HotplugLensApi> {
  const ext = vscode.extensions.getExtension<HotplugLensApi>('hotplug-lens.hotplug-lens');
  assert.ok(ext, 'the extension is installed');
  return ext.activate();
}

/** State owned by the window reaches the extension host a little later: poll for it. */
export async function eventually<T>(read: () => T | undefined | false, what: string, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function hpl(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'hotplug-lens');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/**
 * Puts a copy of the example's guest log in a folder of the workspace beside a run file that also
 * names `entry` (after `prepare` made what it points at), opens the log, and returns the
 * diagnostics of the log and of the run file once both are there. Removes the folder after.
 */
export async function withRunFileNaming(entry: string, prepare: (dir: string) => void = () => undefined): Promise<{ log: vscode.Diagnostic[]; runFile: vscode.Diagnostic[] }> {
  const dir = path.join(EXAMPLE, '..', `.run-file-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  fs.mkdirSync(dir);
  try {
    fs.copyFileSync(path.join(EXAMPLE, 'guest.log'), path.join(dir, 'guest.log'));
    prepare(dir);
    const runFile = vscode.Uri.file(path.join(dir, '.hotplug-lens.json'));
    fs.writeFileSync(runFile.fsPath, JSON.stringify({ guest: 'guest.log', host: entry }, null, 2));
    const log = vscode.Uri.file(path.join(dir, 'guest.log'));
    await vscode.window.showTextDocument(log);
    const logDiagnostics = await eventually(() => hpl(log).length > 0 && hpl(log), 'the log analysed on its own');
    const runFileDiagnostics = await eventually(() => hpl(runFile).length > 0 && hpl(runFile), 'a problem on the run file');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    return { log: logDiagnostics, runFile: runFileDiagnostics };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The run-file cases both windows check: what each entry points at, and the message it gets. */
export const HOSTILE_RUN_FILE_ENTRIES: { what: string; entry: string; prepare?: (dir: string) => void; message: RegExp }[] = [
  { what: 'a device outside the workspace', entry: '../../../../../../../../../../dev/zero', message: /^"\.\.\/(?:\.\.\/)+dev\/zero" is outside the workspace folder / },
  { what: 'an absolute path', entry: '/dev/zero', message: /^the run\.host: "\/dev\/zero" must be relative to the run file's folder$/ },
  {
    what: 'a FIFO nobody writes, inside the workspace',
    entry: 'fifo',
    prepare: (dir) => execFileSync('mkfifo', [path.join(dir, 'fifo')]),
    message: /^"fifo" is not a regular file/,
  },
  {
    what: 'a symbolic link to a file outside the workspace',
    entry: 'link.log',
    prepare: (dir) => {
      const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hpl-outside-')), 'host.log');
      fs.copyFileSync(path.join(EXAMPLE, 'guest.log'), outside);
      fs.symlinkSync(outside, path.join(dir, 'link.log'));
    },
    message: /^"link\.log" is outside the workspace folder /,
  },
  { what: 'a log that is not there', entry: 'host.log', message: /^"host\.log": no such file$/ },
];

/** A click on the timeline's canvas at a row and time, or on an element of its page (a CSS selector); a key; text typed. */
export type InputStep = { click: string | { row: string; time: number } } | { press: string } | { type: string };

/** Real clicks and keys into the window (where a browser the harness drives plays it): returns when they are done. */
export async function realInput(steps: InputStep[]): Promise<void> {
  const ack = path.join(os.tmpdir(), `hpl-input-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  console.log(`[[e2e-input ${JSON.stringify({ steps, ack })}]]`);
  await eventually(() => fs.existsSync(ack), 'the harness to finish the input', 60_000);
  fs.rmSync(ack);
}
