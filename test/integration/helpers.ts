/** Helpers for tests in the real extension host. */
import { strict as assert } from 'node:assert';
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
