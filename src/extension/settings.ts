/** The extension's settings (`hotplugLens.*`), read in one place with their defaults. */
import * as vscode from 'vscode';
import type { Policies } from '../core/model/policy';

export interface Settings {
  /** `recognized`: every log recognised as a kernel or QEMU log; `off`: only on command. */
  autoAnalyze: 'recognized' | 'off';
  policies: Partial<Policies>;
  maxFileBytes: number;
  useWorker: boolean;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('hotplugLens');
  const policies = Object.fromEntries(
    Object.entries(c.get<Record<string, string>>('policies', {})).filter(([, value]) => value !== 'unknown'),
  ) as Partial<Policies>;
  return {
    autoAnalyze: c.get<'recognized' | 'off'>('autoAnalyze', 'recognized'),
    policies,
    maxFileBytes: c.get<number>('maxFileSizeMB', 4096) * 1024 * 1024,
    useWorker: c.get<boolean>('useWorker', true),
  };
}
