/**
 * SEV-SNP's return codes and termination reasons users meet in logs: PVALIDATE's and
 * RMPUPDATE's returns (AMD APM vol. 3; Linux's arch/x86/include/asm/sev.h names the same
 * values) and the GHCB termination reasons (set 0 the GHCB specification's, set 1 Linux's,
 * arch/x86/include/asm/sev-common.h).
 */

export interface SnpCode {
  name: string;
  value: number;
  /** What it means, in one sentence. */
  meaning: string;
  /** The findings that cover it. */
  findings: string[];
}

export const PVALIDATE_RETURNS: readonly SnpCode[] = [
  { name: 'PVALIDATE_FAIL_INPUT', value: 1, meaning: 'PVALIDATE was given an invalid input (an address or page size it cannot take).', findings: ['HPL003'] },
  { name: 'PVALIDATE_FAIL_SIZEMISMATCH', value: 6, meaning: 'PVALIDATE of a 2M page whose RMP entry is 4K, or the other way round.', findings: ['HPL003'] },
  {
    name: 'PVALIDATE_FAIL_NOUPDATE',
    value: 255,
    meaning:
      "PVALIDATE found the RMP entry's validated bit already as asked (CF=1): re-validating a page that is still validated, e.g. memory re-plugged after an unplug that did not return the page to the hypervisor. Linux terminates the guest.",
    findings: ['HPL011'],
  },
];

export const RMPUPDATE_RETURNS: readonly SnpCode[] = [
  { name: 'RMPUPDATE_FAIL_INPUT', value: 1, meaning: 'RMPUPDATE was given an invalid input (a page size or an address it cannot take).', findings: ['HPL020'] },
  { name: 'RMPUPDATE_FAIL_PERMISSION', value: 2, meaning: 'RMPUPDATE is not allowed on this page (it is immutable, or firmware-owned).', findings: ['HPL020'] },
  { name: 'RMPUPDATE_FAIL_INUSE', value: 3, meaning: 'The RMP entry is in use: another update of the same 2M region is in flight.', findings: ['HPL020'] },
  { name: 'RMPUPDATE_FAIL_OVERLAP', value: 4, meaning: 'The update overlaps a 2M entry that must be split first (Linux retries it, so it is rarely printed).', findings: ['HPL020'] },
];

/** The name of RMPUPDATE's return `ret`, as the kernel's table prints it (`FAIL_INUSE`). */
export function rmpupdateFailure(ret: number): string | undefined {
  return RMPUPDATE_RETURNS.find((c) => c.value === ret)?.name.replace(/^RMPUPDATE_/, '');
}

/** GHCB termination reasons by set and code. */
const TERMINATION: Readonly<Record<number, readonly string[]>> = {
  0: ['GHCB_SEV_ES_GEN_REQ', 'GHCB_SEV_ES_PROT_UNSUPPORTED', 'GHCB_SNP_UNSUPPORTED'],
  1: [
    'GHCB_TERM_REGISTER', 'GHCB_TERM_PSC', 'GHCB_TERM_PVALIDATE', 'GHCB_TERM_NOT_VMPL0', 'GHCB_TERM_CPUID',
    'GHCB_TERM_CPUID_HV', 'GHCB_TERM_SECRETS_PAGE', 'GHCB_TERM_NO_SVSM', 'GHCB_TERM_SVSM_VMPL0', 'GHCB_TERM_SVSM_CAA',
  ],
};

/** What each of Linux's termination reasons says the guest was doing. */
const TERMINATION_MEANING: Readonly<Record<string, { meaning: string; findings: string[] }>> = {
  GHCB_TERM_PSC: { meaning: 'a page state change (private ↔ shared) failed.', findings: ['HPL010', 'HPL014'] },
  GHCB_TERM_PVALIDATE: { meaning: 'a PVALIDATE failed (often PVALIDATE_FAIL_NOUPDATE: a page still validated).', findings: ['HPL011', 'HPL003', 'HPL014'] },
};

export function terminationReason(set: number, code: number): string | undefined {
  return TERMINATION[set]?.[code];
}

/** Every termination reason as an SnpCode, the value being set << 8 | code. */
export function terminationCodes(): SnpCode[] {
  return Object.entries(TERMINATION).flatMap(([set, names]) =>
    names.map((name, code) => {
      const known = TERMINATION_MEANING[name];
      return {
        name,
        value: (Number(set) << 8) | code,
        meaning: `The guest asked to be terminated (reason set ${set}, code ${code})${known ? `: ${known.meaning}` : '.'}`,
        findings: known?.findings ?? ['HPL014'],
      };
    }),
  );
}

/** A name users type, with or without its table's prefix (`FAIL_NOUPDATE`, `PVALIDATE_FAIL_NOUPDATE`). */
export function snpCodeByName(name: string): SnpCode | undefined {
  const all = [...PVALIDATE_RETURNS, ...RMPUPDATE_RETURNS, ...terminationCodes()];
  return all.find((c) => c.name === name) ?? all.find((c) => c.name.endsWith(`_${name}`) && name.startsWith('FAIL_'));
}
