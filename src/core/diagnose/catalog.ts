/**
 * The findings catalog (DIAGNOSTICS.md), read from the definitions in `codes/`. Codes never
 * change meaning once released.
 */
import type { Cause, FindingDefinition } from './codes/definition';
import { DEFINITIONS } from './codes/index';

export type { Cause, Confidence, Platform, Severity } from './codes/definition';

/** Cause classes as a person writes them (JSON and SARIF keep the class ids). */
export const CAUSE_NAMES: Record<Cause, string> = {
  vmm: 'VMM',
  'host-kernel': 'host kernel (KVM)',
  'tdx-module': 'TDX module',
  'snp-firmware': 'SEV-SNP firmware',
  'guest-kernel': 'guest kernel',
  config: 'VM configuration',
  log: 'the log',
  unknown: 'unknown',
};

/** A cause as a person reads it, with the less likely ones the logs cannot rule out, ranked. */
export function causeText(cause: Cause, otherCauses: readonly Cause[] = []): string {
  return [cause, ...otherCauses].map((c) => CAUSE_NAMES[c]).join(', else ');
}

export type CodeInfo = FindingDefinition<never>;

export const CATALOG: ReadonlyMap<string, CodeInfo> = new Map(DEFINITIONS.map((c) => [c.code, c]));

export function codeInfo(code: string): CodeInfo {
  const info = CATALOG.get(code);
  if (!info) throw new Error(`unknown finding code ${code}`);
  return info;
}
