import { hexString as hex } from '../../text/hex';
import { type FindingDefinition, rangeText, withRemedies } from './definition';

/** An RMP entry as the dump after the failure shows it, in the words that matter here. */
export interface RmpEntryFacts {
  assigned: boolean;
  validated: boolean;
  asid: number;
  pageSize: number;
}

export type HostRmpFacts =
  | { op: 'rmpUpdate'; pfn: bigint; ret: number; retName?: string; level?: number; entry?: RmpEntryFacts }
  | { op: 'psmash'; pfn?: bigint; ret: number; race?: boolean }
  | { op: 'rmpFault'; reason: string; pfn?: bigint }
  | { op: 'rmpLookup'; pfn: bigint; error: number }
  | { op: 'reclaim'; pfn: bigint; ret?: number; fwErr?: number }
  | { op: 'leak'; startPfn: bigint; endPfn: bigint }
  | { op: 'directMapSplit'; pfn: bigint; ret: number };

/** What KVM's `Unexpected RMP fault` forms say about the faulting access. */
const FAULT_REASONS: Record<string, string> = {
  unexpected: 'an RMP fault KVM did not expect',
  nonPrivate: 'an RMP fault on memory that is not private',
  sizeMismatchNonPrivate: 'a page-size mismatch fault on memory that is not private',
  nonPrivateSlot: 'an RMP fault in a memory slot without private memory',
  noBackingPage: 'an RMP fault on a private GPA with no guest_memfd page behind it',
  noAssignedEntry: 'an RMP fault on a page whose RMP entry is not assigned',
};

function entryText(e: RmpEntryFacts | undefined): string {
  if (!e) return '';
  if (!e.assigned) return '; its RMP entry is not assigned';
  return `; its RMP entry is assigned to ASID ${e.asid}, ${e.validated ? 'validated' : 'not validated'}, ${e.pageSize === 1 ? '2M' : '4K'}`;
}

export const HPL020: FindingDefinition<HostRmpFacts> = withRemedies({
  code: 'HPL020',
  name: 'host-rmp-failed',
  severity: 'error',
  cause: 'host-kernel',
  confidence: 'likely',
  title: 'SEV-SNP host RMP operation failed',
  help:
    'An SEV-SNP host RMP operation failed (`SEV-SNP: RMPUPDATE failed for PFN …, pg_level: …, ret: …`, PSMASH failures, ' +
    'an RMP #PF on the host, a page the firmware did not reclaim, leaked PFN ranges), with the RMP entry dump that follows ' +
    'it decoded (assigned, validated, page size, ASID) and tied to the guest memory it belongs to where the logs allow.',
  message(facts, place) {
    const where = place.range ? ` (guest memory ${rangeText(place)})` : '';
    switch (facts.op) {
      case 'rmpUpdate':
        return `The host's RMPUPDATE of PFN ${hex(facts.pfn)}${facts.level !== undefined ? ` at level ${facts.level}` : ''} failed with ${facts.retName ?? `ret ${facts.ret}`}${where}${entryText(facts.entry)}: the page's ownership did not change.`;
      case 'psmash':
        return facts.race
          ? `PSMASH of ${facts.pfn !== undefined ? `PFN ${hex(facts.pfn)}` : 'a 2M RMP entry'}${where} failed because another vCPU split it first (ret ${facts.ret}).`
          : `The host could not split the 2M RMP entry of ${facts.pfn !== undefined ? `PFN ${hex(facts.pfn)}` : 'a page'}${where} (PSMASH ret ${facts.ret}).`;
      case 'rmpFault':
        return `KVM reports ${FAULT_REASONS[facts.reason] ?? 'an unexpected RMP fault'}${where}${facts.pfn !== undefined ? ` (PFN ${hex(facts.pfn)})` : ''}.`;
      case 'rmpLookup':
        return `KVM could not read the RMP entry of PFN ${hex(facts.pfn)} (error ${facts.error}) while releasing guest memory${where}.`;
      case 'reclaim':
        return `The SEV firmware did not give PFN ${hex(facts.pfn)} back to the host${facts.fwErr !== undefined ? ` (fw_err ${facts.fwErr})` : ''}${where}: the page is leaked.`;
      case 'leak':
        return `The host leaked PFNs [${hex(facts.startPfn)}, ${hex(facts.endPfn)})${where}: their RMP entries could not be returned to the hypervisor, the pages are lost to the host.`;
      case 'directMapSplit':
        return `The host could not split its direct map for PFN ${hex(facts.pfn)} (ret ${facts.ret})${where}, so the RMPUPDATE that needed it failed with -EFAULT.`;
    }
  },
  why: () =>
    'On SEV-SNP the host changes a page between hypervisor-owned and guest-owned with RMPUPDATE (and splits 2M entries with ' +
    'PSMASH); when that fails, the guest page is left in the state it had, and a later validation, conversion or reclaim of it fails.',
  remedies: () => [],
});
