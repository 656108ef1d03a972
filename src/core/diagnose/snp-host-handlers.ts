/**
 * The SEV-SNP host's lines (arch/x86/virt/svm/sev.c, arch/x86/kvm/svm/sev.c): failed RMP
 * operations (HPL020), tied to the guest memory they concern where the RMP entry or the fault
 * names a GPA, and the guest's termination request (HPL014).
 */
import type { HotplugEvent, RmpDump } from '../events';
import { HUGE_PAGE_SIZE, PAGE_SIZE } from '../model/block-size';
import type { Ref } from '../model/model';
import { hexString as hex } from '../text/hex';
import type { Cause } from './codes/definition';
import type { HostRmpFacts, RmpEntryFacts } from './codes/hpl020';
import { HPL020 } from './codes/index';
import type { Handler, Ignored } from './handler-types';
import type { Run } from './run';

type SnpHostKind = Extract<HotplugEvent['kind'], `snp.host.${string}`>;


/** An instruction the firmware runs refused: the host asked wrongly, or the firmware is wrong. */
const HOST_OR_FIRMWARE = { cause: 'host-kernel', otherCauses: ['snp-firmware'] } as const satisfies { cause: Cause; otherCauses: Cause[] };

/** The guest memory a GPA is: the device whose region holds it, if one does. */
function guestMemory(run: Run, gpa: bigint | undefined, size: bigint): { device?: string; range?: { start: bigint; end: bigint } } {
  if (gpa === undefined) return {};
  const start = (gpa / size) * size;
  for (const d of run.model.devices.values()) {
    const g = d.geometry;
    if (g.startAddress !== undefined && g.regionSize !== undefined && start >= g.startAddress && start < g.startAddress + g.regionSize) {
      return { device: d.id, range: { start, end: start + size } };
    }
  }
  return { range: { start, end: start + size } };
}

/** The dumped entry of the failing PFN, when the dump has it. */
function entryOf(dump: RmpDump, pfn: bigint): (RmpEntryFacts & { gpa?: bigint }) | undefined {
  const e = dump.entries?.find((x) => x.pfn === pfn);
  if (!e) return undefined;
  return { assigned: e.assigned, validated: e.validated, asid: e.asid, pageSize: e.pageSize, ...(e.assigned ? { gpa: e.gpa } : {}) };
}

function rmpFailed(run: Run, facts: HostRmpFacts, at: Ref, via: string, where: ReturnType<typeof guestMemory>, blame: { cause: Cause; otherCauses?: readonly Cause[] }): void {
  run.vmEnd.fatal('HPL020', at);
  run.ledger.note(HPL020, facts, { at, ...where, cause: blame.cause, ...(blame.otherCauses ? { otherCauses: [...blame.otherCauses] } : {}), via });
}

export const SNP_HOST_HANDLERS: { readonly [K in SnpHostKind]: Handler<K> | Ignored } = {
  'snp.host.rmpUpdateFailed': ({ run }, e, at) => {
    const entry = entryOf(e, e.pfn);
    const { gpa, ...shown } = entry ?? { gpa: undefined };
    const size = entry?.pageSize === 1 || e.level === 2 ? HUGE_PAGE_SIZE : PAGE_SIZE;
    const facts: HostRmpFacts = {
      op: 'rmpUpdate',
      pfn: e.pfn,
      ret: e.ret,
      ...(e.retName !== undefined ? { retName: e.retName } : {}),
      ...(e.level !== undefined ? { level: e.level } : {}),
      ...(entry ? { entry: shown as RmpEntryFacts } : {}),
    };
    rmpFailed(run, facts, at, e.rule, guestMemory(run, gpa ?? (e.gfn !== undefined ? e.gfn * PAGE_SIZE : undefined), size), e.by === 'kvm' ? { cause: 'host-kernel' } : HOST_OR_FIRMWARE);
  },
  'snp.host.rmpSplitFailed': ({ run }, e, at) => {
    const facts: HostRmpFacts = { op: 'psmash', ret: e.ret, ...(e.pfn !== undefined ? { pfn: e.pfn } : {}), ...(e.race ? { race: true } : {}) };
    rmpFailed(run, facts, at, e.rule, guestMemory(run, e.gpa, HUGE_PAGE_SIZE), e.race ? { cause: 'host-kernel' } : HOST_OR_FIRMWARE);
  },
  'snp.host.rmpFault': ({ run }, e, at) => {
    rmpFailed(run, { op: 'rmpFault', reason: e.reason, ...(e.pfn !== undefined ? { pfn: e.pfn } : {}) }, at, e.rule, guestMemory(run, e.gpa, PAGE_SIZE), { cause: 'host-kernel', otherCauses: ['guest-kernel'] });
  },
  'snp.host.rmpLookupFailed': ({ run }, e, at) => {
    rmpFailed(run, { op: 'rmpLookup', pfn: e.pfn, error: e.error }, at, e.rule, {}, { cause: 'host-kernel' });
  },
  'snp.host.reclaimFailed': ({ run }, e, at) => {
    const facts: HostRmpFacts = { op: 'reclaim', pfn: e.pfn, ...(e.ret !== undefined ? { ret: e.ret } : {}), ...(e.fwErr !== undefined ? { fwErr: e.fwErr } : {}) };
    rmpFailed(run, facts, at, e.rule, {}, { cause: 'snp-firmware', otherCauses: ['host-kernel'] });
  },
  'snp.host.leak': ({ run }, e, at) => {
    const entry = entryOf(e, e.startPfn);
    rmpFailed(run, { op: 'leak', startPfn: e.startPfn, endPfn: e.endPfn }, at, e.rule, guestMemory(run, entry?.gpa, (e.endPfn - e.startPfn) * PAGE_SIZE), HOST_OR_FIRMWARE);
  },
  'snp.host.directMapSplitFailed': ({ run }, e, at) => {
    rmpFailed(run, { op: 'directMapSplit', pfn: e.pfn, ret: e.ret }, at, e.rule, {}, { cause: 'host-kernel' });
  },
  'snp.host.rmpEntry': { ignored: 'an RMP entry dump with no failure before it: context for the reader' },
  'snp.host.guestTermination': ({ run }, e, at) => {
    const reason =
      e.reasonName ??
      (e.reasonSet !== undefined
        ? `reason set ${e.reasonSet}, code ${e.reasonCode}`
        : e.exitInfo1 !== undefined
          ? `reason ${hex(e.exitInfo1)}, info ${hex(e.exitInfo2 ?? 0n)}`
          : 'no reason given');
    run.vmEnd.stopped(at, `the SEV guest asked to be terminated (${reason})`, e.rule);
  },
};
