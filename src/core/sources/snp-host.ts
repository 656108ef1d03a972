/**
 * The SEV-SNP host: the RMP code of `arch/x86/virt/svm/sev.c` (pr_fmt `SEV-SNP: `, v6.9+ and the
 * posted host series before it), whose failures are followed by `dump_rmpentry()` and
 * `dump_stack()` lines that belong to them (`snpHostRmp`, one record each), and KVM's
 * `arch/x86/kvm/svm/sev.c` (pr_fmt `kvm_amd: `): unexpected RMP faults, PSMASH, RMP lookup and
 * update failures, and the guest's termination requests.
 */
import type { EventBody, RmpDump, RmpEntry, SnpHostRmpFaultEvent } from '../events';
import type { GroupFamily, GroupRecord, GroupRow } from './group';
import { DUMP_LINES } from './splat';
import { rmpupdateFailure, terminationReason } from '../snp/codes';
import { type Family, hex, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';
/** `%#llx` prints `0x0` for zero in the kernel, but logs relayed by other tools may drop the `0x`. */
const SHARP_HEX = '(?:0x)?([0-9a-fA-F]+)';
const INT = '(-?\\d+)';
const CORE_PREFIX = '^(?:SEV-SNP: )?';

const bit = (value: bigint, n: number): boolean => ((value >> BigInt(n)) & 1n) === 1n;

/**
 * A raw RMP entry as `dump_rmpentry()` prints it, `[lo - hi]`, in the layout the kernel documents
 * for Zen 3/4 (`struct rmpentry_raw`, from PPR Family 19h): assigned:1, pagesize:1, immutable:1,
 * rsvd:9, gpa:39, asid:10, vmsa:1, validated:1.
 */
export function decodeRmpEntry(pfn: bigint, lo: bigint, hi: bigint): RmpEntry {
  return {
    pfn,
    lo,
    hi,
    assigned: bit(lo, 0),
    pageSize: Number((lo >> 1n) & 1n),
    immutable: bit(lo, 2),
    gpa: ((lo >> 12n) & ((1n << 39n) - 1n)) << 12n,
    asid: Number((lo >> 51n) & 0x3ffn),
    vmsa: bit(lo, 61),
    validated: bit(lo, 62),
  };
}

function fault(reason: SnpHostRmpFaultEvent['reason'], gpa: string, extra: Partial<SnpHostRmpFaultEvent> = {}): EventBody {
  return { kind: 'snp.host.rmpFault', rule: 'SNP-KVM-fault', reason, gpa: hex(gpa), ...extra };
}

function split(rule: string, ret: string, fields: { pfn?: string; gpa?: string; race?: boolean }): EventBody {
  return {
    kind: 'snp.host.rmpSplitFailed',
    rule,
    ret: Number(ret),
    ...(fields.pfn !== undefined ? { pfn: hex(fields.pfn) } : {}),
    ...(fields.gpa !== undefined ? { gpa: hex(fields.gpa) } : {}),
    ...(fields.race ? { race: true } : {}),
  };
}

/** KVM's SEV-SNP lines (`kvm_amd: `, or none inside a WARN_ONCE) since the SNP host support of v6.11 and the posted series. */
export const snpHostKvm: Family = {
  name: 'SEV-SNP host KVM',
  prefix:
    /(?:kvm_amd: )?(?=SEV: (?:Unexpected RMP fault|Unable to split|Failed to (?:PSMASH|retrieve|update) RMP)|SEV-ES guest requested termination|Unexpected RMP fault|psmash failed|\w+: PSMASH for GPA|Failed to reclaim PFN)/y,
  rows: [
    {
      // v6.11+ sev_handle_rmp_fault(), in its wordings across the series: the first five leave
      // the fault unresolved; the GPA is the guest's.
      id: 'SNP-KVM-fault',
      pattern: whole(
        `SEV: Unexpected RMP fault(?: for non-private GPA ${HEX}|, size-mismatch for non-private GPA ${HEX}|, non-private slot for GPA ${HEX}|, no (?:backing page for private|private backing page for) GPA ${HEX}|, no assigned RMP entry found for GPA ${HEX} PFN ${HEX} error ${INT})`,
      ),
      build: (m) => {
        if (m[1] !== undefined) return fault('nonPrivate', m[1]);
        if (m[2] !== undefined) return fault('sizeMismatchNonPrivate', m[2]);
        if (m[3] !== undefined) return fault('nonPrivateSlot', m[3]);
        if (m[4] !== undefined) return fault('noBackingPage', m[4]);
        return fault('noAssignedEntry', m[5], { pfn: hex(m[6]), error: Number(m[7]) });
      },
    },
    {
      // The posted series (v9–v12, 2023–2024): a fault without PFERR_GUEST_SIZEM, printed without `\n`.
      id: 'SNP-KVM-fault-old',
      pattern: whole(`Unexpected RMP fault for GPA ${HEX}, error_code ${HEX}`),
      build: (m) => ({ ...fault('unexpected', m[1], { errorCode: hex(m[2]) }), rule: 'SNP-KVM-fault-old' }),
    },
    {
      id: 'SNP-KVM-psmash',
      pattern: whole(`SEV: Unable to split RMP entry for GPA ${HEX} PFN ${HEX} ret ${INT}`),
      build: (m) => split('SNP-KVM-psmash', m[3], { gpa: m[1], pfn: m[2] }),
    },
    {
      // Posted series v10–v12: another vCPU split the entry first.
      id: 'SNP-KVM-psmash-race',
      pattern: whole(`\\w+: PSMASH for GPA ${HEX} failed with ret ${INT} due to potential race`),
      build: (m) => split('SNP-KVM-psmash-race', m[2], { gpa: m[1], race: true }),
    },
    {
      // guest_memfd invalidation (v6.11+ sev_gmem_invalidate()).
      id: 'SNP-KVM-psmash-gmem',
      pattern: whole(`SEV: Failed to PSMASH RMP entry for PFN ${HEX} error ${INT}`),
      build: (m) => split('SNP-KVM-psmash-gmem', m[2], { pfn: m[1] }),
    },
    {
      // The 2021–2022 SNP hypervisor series (RFC v1–v8).
      id: 'SNP-KVM-psmash-rfc',
      pattern: whole(`psmash failed, gpa ${HEX} pfn ${HEX} rc ${INT}`),
      build: (m) => split('SNP-KVM-psmash-rfc', m[3], { gpa: m[1], pfn: m[2] }),
    },
    {
      id: 'SNP-KVM-lookup',
      pattern: whole(`SEV: Failed to retrieve RMP entry for PFN ${HEX} error ${INT}`),
      build: (m) => ({ kind: 'snp.host.rmpLookupFailed', rule: 'SNP-KVM-lookup', pfn: hex(m[1]), error: Number(m[2]) }),
    },
    {
      // sev_gmem_invalidate() (back to shared) and sev_gmem_prepare() (to private: `level` in
      // v6.11+, `order` in the 2025 huge-page series).
      id: 'SNP-KVM-update',
      pattern: whole(`SEV: Failed to update RMP entry(?: for PFN ${HEX} error ${INT}|: GFN ${SHARP_HEX} PFN ${SHARP_HEX} (level|order) (\\d+) error ${INT})`),
      build: (m) => ({
        kind: 'snp.host.rmpUpdateFailed',
        rule: 'SNP-KVM-update',
        by: 'kvm',
        pfn: hex(m[1] ?? m[4]),
        ret: Number(m[2] ?? m[7]),
        ...(m[3] !== undefined ? { gfn: hex(m[3]) } : {}),
        ...(m[5] === 'level' ? { level: Number(m[6]) } : m[5] === 'order' ? { order: Number(m[6]) } : {}),
      }),
    },
    {
      // snp_page_reclaim(): the message of a KVM_BUG (v6.11+, with rc and the firmware's
      // error) or WARN_ONCE (series v12), so it follows a `cut here` line.
      id: 'SNP-KVM-reclaim',
      pattern: whole(`Failed to reclaim PFN ([0-9a-fA-F]+)(?:, rc ${INT} fw_err ${INT})?`),
      build: (m) => ({
        kind: 'snp.host.reclaimFailed',
        rule: 'SNP-KVM-reclaim',
        pfn: hex(m[1]),
        ...(m[2] !== undefined ? { ret: Number(m[2]), fwErr: Number(m[3]) } : {}),
      }),
    },
    {
      // The GHCB MSR protocol's request (v5.11+): reason set and reason code.
      id: 'SNP-KVM-term',
      pattern: whole(`SEV-ES guest requested termination: ${SHARP_HEX}:${SHARP_HEX}`),
      build: (m) => {
        const reasonSet = Number(hex(m[1]));
        const reasonCode = Number(hex(m[2]));
        const reasonName = terminationReason(reasonSet, reasonCode);
        return { kind: 'snp.host.guestTermination', rule: 'SNP-KVM-term', reasonSet, reasonCode, ...(reasonName !== undefined ? { reasonName } : {}) };
      },
    },
    {
      // SVM_VMGEXIT_TERM_REQUEST through the GHCB page (v6.11+): the exit infos as given.
      id: 'SNP-KVM-term-ghcb',
      pattern: whole(`SEV-ES guest requested termination: reason ${SHARP_HEX} info ${SHARP_HEX}`),
      build: (m) => ({ kind: 'snp.host.guestTermination', rule: 'SNP-KVM-term-ghcb', exitInfo1: hex(m[1]), exitInfo2: hex(m[2]) }),
    },
  ],
};

/**
 * What kind of SEV host this is: KVM's SNP ASIDs (`SEV-SNP enabled (ASIDs 1 - 99)`, v6.11+,
 * with the planes series' `, VMPL Levels N`; the SEV and SEV-ES lines name no subject), the RMP table set-up and its failures
 * (arch/x86/virt/svm/sev.c, v6.9+; SNP is off after any of them), and the firmware the PSP
 * driver found (`ccp 0000:…: SEV-SNP API:1.55 build:21`, drivers/crypto/ccp/sev-dev.c).
 */
export const snpHostPlatform: Family = {
  name: 'SEV-SNP host platform',
  prefix: /(?:kvm_amd: |SEV-SNP: |ccp [\w:.]+: )(?=SEV-SNP |RMP |Reserving start|Memory (?:for|reserved for) the RMP|Failed to map RMP)/y,
  rows: [
    {
      id: 'PLAT-snp-asids',
      pattern: whole('(SEV-SNP (?:enabled|disabled|unusable) \\(ASIDs \\d+ - \\d+\\)(?:, VMPL Levels \\d+)?)'),
      build: (m) => ({ kind: 'platform.info', rule: 'PLAT-snp-asids', what: 'snpHost', detail: m[1] }),
    },
    {
      id: 'PLAT-snp-rmp',
      pattern: whole(
        [
          `RMP table physical range \\[${HEX} - ${HEX}\\]`,
          `Reserving start/end of RMP table on a 2MB boundary \\[${HEX}\\]`,
          'Memory for the RMP table has not been reserved by BIOS',
          `RMP configuration not valid: base=${SHARP_HEX}, end=${SHARP_HEX}`,
          `Memory reserved for the RMP table does not cover full system RAM \\(expected ${HEX} got ${HEX}\\)`,
          'Failed to map RMP table',
        ]
          .map((text) => `(?:${text})`)
          .join('|'),
      ),
      build: (m) => ({ kind: 'platform.info', rule: 'PLAT-snp-rmp', what: 'snpHost', detail: m[0].trim() }),
    },
    {
      id: 'PLAT-snp-firmware',
      pattern: whole('(SEV-SNP API:\\d+\\.\\d+ build:\\d+)'),
      build: (m) => ({ kind: 'platform.info', rule: 'PLAT-snp-firmware', what: 'snpHost', detail: m[1] }),
    },
  ],
};

/** The host core's one-line failures (no dump follows them). */
export const snpHostCore: Family = {
  name: 'SEV-SNP host core',
  prefix: /SEV-SNP: (?=Failed to split direct map)/y,
  rows: [
    {
      id: 'SNP-H4',
      pattern: whole(`Failed to split direct map for PFN ${HEX}, ret: ${INT}`),
      build: (m) => ({ kind: 'snp.host.directMapSplitFailed', rule: 'SNP-H4', pfn: hex(m[1]), ret: Number(m[2]) }),
    },
  ],
};

/** `pfn:lo:hi` of each dumped entry, `;`-separated: what a group record keeps as text. */
function addEntry(r: GroupRecord, pfn: string, lo: string, hi: string): void {
  r.fields.pfn ??= pfn;
  const entry = `${pfn}:${lo}:${hi}`;
  r.fields.entries = r.fields.entries === undefined ? entry : `${r.fields.entries};${entry}`;
}

function row(id: string, role: GroupRow['role'], pattern: string, collect?: GroupRow['collect']): GroupRow {
  return { id, role, pattern: new RegExp(`${CORE_PREFIX}${pattern}\\s*$`), ...(collect ? { collect } : {}) };
}

function dumpOf(f: Record<string, string>): RmpDump {
  const entries = f.entries?.split(';').map((e) => {
    const [pfn, lo, hi] = e.split(':');
    return decodeRmpEntry(hex(pfn), hex(lo), hex(hi));
  });
  return {
    ...(entries !== undefined ? { entries } : {}),
    ...(f.unassigned !== undefined ? { unassigned: true } : {}),
    ...(f.readError !== undefined ? { readError: Number(f.readError) } : {}),
  };
}

/**
 * `rmpupdate()` and `snp_leak_pages()` failures with what `dump_rmpentry()` and `dump_stack()`
 * print after them; an RMP entry dump without a failure line before it is a record of its own.
 */
export const snpHostRmp: GroupFamily = {
  name: 'SEV-SNP host RMP report',
  takesMessage: false,
  // A leak of a 2M range dumps 512 entries.
  maxLines: 1200,
  rows: [
    row('SNP-H1', 'start', `(MMIO )?RMPUPDATE failed for PFN ([0-9a-fA-F]+)(?:, pg_level: (\\d+))?, ret: ${INT}`, (m, r) => {
      if (m[1] !== undefined) r.fields.mmio = '1';
      r.fields.failedPfn = m[2];
      if (m[3] !== undefined) r.fields.level = m[3];
      r.fields.ret = m[4];
    }),
    row('SNP-H2', 'start', `Leaking PFN range ${HEX}-${HEX}`, (m, r) => {
      r.fields.startPfn = m[1];
      r.fields.endPfn = m[2];
    }),
    row('SNP-H3', 'item', `PFN ${HEX}, RMP entry: \\[${HEX} - ${HEX}\\]`, (m, r) => addEntry(r, m[1], m[2], m[3])),
    row('SNP-H3-unassigned', 'item', `PFN ${HEX} unassigned, dumping non-zero entries in 2M PFN region: \\[${HEX} - ${HEX}\\]`, (m, r) => {
      r.fields.pfn ??= m[1];
      r.fields.unassigned = '1';
    }),
    row('SNP-H3-region', 'body', `PFN: ${HEX}, \\[${HEX} - ${HEX}\\]`, (m, r) => addEntry(r, m[1], m[2], m[3])),
    row('SNP-H3-read', 'item', `Failed to read RMP (?:entry|contents) for PFN ${HEX}, error ${INT}`, (m, r) => {
      r.fields.pfn ??= m[1];
      r.fields.readError = m[2];
    }),
    row('SNP-H3-read-region', 'body', `Error ${INT} reading RMP (?:entry|contents) for PFN ${HEX}`, (m, r) => {
      r.fields.readError = m[1];
    }),
    ...DUMP_LINES,
  ],
  build: (r) => {
    const f = r.fields;
    const dump = dumpOf(f);
    if (r.openedBy === 'SNP-H1') {
      const ret = Number(f.ret);
      const retName = rmpupdateFailure(ret);
      return {
        kind: 'snp.host.rmpUpdateFailed',
        rule: 'SNP-H1',
        by: f.mmio !== undefined ? 'mmio' : 'rmpupdate',
        pfn: hex(f.failedPfn),
        ret,
        ...(retName !== undefined ? { retName } : {}),
        ...(f.level !== undefined ? { level: Number(f.level) } : {}),
        ...dump,
      };
    }
    if (r.openedBy === 'SNP-H2') {
      return { kind: 'snp.host.leak', rule: 'SNP-H2', startPfn: hex(f.startPfn), endPfn: hex(f.endPfn), ...dump };
    }
    return { kind: 'snp.host.rmpEntry', rule: r.openedBy, pfn: hex(f.pfn), ...dump };
  },
};
