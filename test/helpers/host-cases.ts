/**
 * One case per host-side source row: each line as the named kernel file and version prints it
 * (KVM's `kvm_intel: `/`kvm_amd: ` prefix, the TDX host core's `virt/tdx: ` or the host trees'
 * `tdx: `, the SNP host core's `SEV-SNP: `), with the decoded event it must give. Shared by the
 * unit suites (every prefix variant) and the CLI corpus test.
 */
import { type Case, type Fields, one } from './source-cases';

const seamcall = (rule: string, fields: Fields): Fields => ({ kind: 'kvm.seamcallFailed', rule, ...fields });

/** A register dump of zeros as the host core prints it with `0x%016llx`. */
const Z = '0x0000000000000000';

export const TDX_HOST_CASES: readonly Case[] = [
  one('K2 pr_tdx_error (arch/x86/kvm/vmx/tdx.c, v6.16)', 'kvm_intel: SEAMCALL TDH_MEM_TRACK failed: 0x8000020000000092', seamcall('K2', {
    fn: 'TDH_MEM_TRACK',
    leaf: 38,
    leafName: 'TDH.MEM.TRACK',
    status: 0x8000020000000092n,
    statusName: 'TDX_OPERAND_BUSY',
    operand: 'SEPT_TREE',
    rcx: undefined,
    outputs: undefined,
  })),
  one(
    'K3 pr_tdx_error_2 (arch/x86/kvm/vmx/tdx.c, v6.16)',
    'kvm_intel: SEAMCALL TDH_MEM_PAGE_AUG failed: 0xc0000b0d00000001, rcx 0x8000000108000007, rdx 0x100',
    seamcall('K3', {
      fn: 'TDH_MEM_PAGE_AUG',
      leaf: 6,
      leafName: 'TDH.MEM.PAGE.AUG',
      statusName: 'TDX_EPT_ENTRY_STATE_INCORRECT',
      operand: 'RCX',
      rcx: 0x8000000108000007n,
      rdx: 0x100n,
      r8: undefined,
    }),
  ),
  one(
    'K3 pr_tdx_error_3 (arch/x86/kvm/vmx/tdx.c, v6.16)',
    'kvm_intel: SEAMCALL TDH_MEM_SEPT_ADD failed: 0xc0000b0200000000, rcx 0x800000010fe00007, rdx 0x1, r8 0x0',
    seamcall('K3', { fn: 'TDH_MEM_SEPT_ADD', leaf: 3, statusName: 'TDX_EPT_ENTRY_NOT_FREE', operand: 'RAX', rcx: 0x800000010fe00007n, rdx: 1n, r8: 0n }),
  ),
  one(
    "TDX_BUG_ON_2 with the variables' names (KVM: TDX series v3 18/25, 2025-10-16)",
    'kvm_intel: SEAMCALL TDH_MEM_PAGE_AUG failed: 0xc0000b0d00000001, entry 0x8000000108000007, level_state 0x100',
    seamcall('K3', {
      fn: 'TDH_MEM_PAGE_AUG',
      statusName: 'TDX_EPT_ENTRY_STATE_INCORRECT',
      operand: 'RCX',
      rcx: undefined,
      outputs: { entry: 0x8000000108000007n, level_state: 0x100n },
    }),
  ),
  one(
    'TDX_BUG_ON_3 with its comma after the second name (same series, 2025-10-16)',
    'kvm_intel: SEAMCALL TDH_PHYMEM_PAGE_RECLAIM failed: 0xc000030000000001, rcx 0x1, rdx, 0x2, r8 0x3',
    seamcall('K3', {
      fn: 'TDH_PHYMEM_PAGE_RECLAIM',
      leaf: 28,
      statusName: 'TDX_PAGE_METADATA_INCORRECT',
      operand: 'RCX',
      rcx: 1n,
      rdx: 2n,
      r8: 3n,
    }),
  ),
  one(
    'pr_tdx_error_N stringifying the leaf number (KVM TDX uAPI breakout v1, 2024-08)',
    'kvm_intel: SEAMCALL 7 failed: 0xc0000b0c00000000, rcx 0x107e00000, rdx 0x0',
    seamcall('K3', { fn: 'TDH_MEM_RANGE_BLOCK', leaf: 7, leafName: 'TDH.MEM.RANGE.BLOCK', statusName: 'TDX_GPA_RANGE_BLOCKED', rcx: 0x107e00000n }),
  ),
  one(
    'pr_tdx_error with every output register (Intel KVM TDX v19, arch/x86/kvm/vmx/tdx_error.c, 2024-02)',
    `kvm_intel: SEAMCALL (0x0000000000000006) failed: 0x8000020000000092 RCX 0x0000000108000000 RDX ${Z} R8 ${Z} R9 ${Z} R10 ${Z} R11 0x0000000000000001`,
    seamcall('K2-long', {
      fn: 'TDH_MEM_PAGE_AUG',
      leaf: 6,
      statusName: 'TDX_OPERAND_BUSY',
      operand: 'SEPT_TREE',
      rcx: 0x108000000n,
      rdx: 0n,
      r8: 0n,
      r9: 0n,
      r10: 0n,
      r11: 1n,
    }),
  ),
  {
    id: 'the ratelimit report before it (lib/ratelimit.c, printed with no prefix; Intel KVM TDX v19)',
    lines: [
      'pr_tdx_error: 5 callbacks suppressed',
      `kvm_intel: SEAMCALL (0x000000000000001d) failed: 0xc0000b0600000000 RCX ${Z} RDX ${Z} R8 ${Z} R9 ${Z} R10 ${Z} R11 ${Z}`,
    ],
    events: [
      { kind: 'kvm.seamcallSuppressed', rule: 'K2-suppressed', func: 'pr_tdx_error', count: 5 },
      seamcall('K2-long', { fn: 'TDH_MEM_PAGE_REMOVE', leaf: 29, statusName: 'TDX_GPA_RANGE_NOT_BLOCKED' }),
    ],
  },
  one('the ratelimit report of a KVM function (pr_err_ratelimited in tdx_sept_remove_private_spte, v6.16)', 'tdx_sept_remove_private_spte: 2 callbacks suppressed', {
    kind: 'kvm.seamcallSuppressed',
    func: 'tdx_sept_remove_private_spte',
    count: 2,
  }),
  one(
    'pr_tdx_error without outputs (Intel KVM TDX v19, tdx_error.c)',
    'kvm_intel: SEAMCALL (0x0000000000000026) failed: 0x8000020000000092',
    seamcall('K2-core', { fn: 'TDH_MEM_TRACK', leaf: 38, statusName: 'TDX_OPERAND_BUSY', rcx: undefined }),
  ),
  one(
    'seamcall_err (arch/x86/virt/vmx/tdx/tdx.c, v6.8)',
    'virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc000050c00000000',
    seamcall('K2-core', { fn: 'TDH_SYS_CONFIG', leaf: 45, leafName: 'TDH.SYS.CONFIG', statusName: 'TDX_SYS_CONFIG_NOT_PENDING', operand: 'RAX' }),
  ),
  {
    id: 'seamcall_err_ret with its two register lines, one record (arch/x86/virt/vmx/tdx/tdx.c, v6.8)',
    lines: [
      'virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc0000c0000000002',
      `virt/tdx: RCX ${Z} RDX 0x9100000300000003 R08 ${Z}`,
      `virt/tdx: R09 ${Z} R10 ${Z} R11 0x0000000000000007`,
    ],
    events: [
      seamcall('K2-core', {
        fn: 'TDH_SYS_RD',
        leaf: 34,
        statusName: 'TDX_METADATA_FIELD_ID_INCORRECT',
        operand: 'RDX',
        rcx: 0n,
        rdx: 0x9100000300000003n,
        r8: 0n,
        r9: 0n,
        r10: 0n,
        r11: 7n,
      }),
    ],
  },
  {
    id: "decimal leaf and %#016llx registers (x86/virt/tdx SEAMCALL messages, Chao Gao's v2 01-02/21, 2025-09-30)",
    lines: [
      'virt/tdx: SEAMCALL (34) failed: 0xc0000c0000000002',
      'virt/tdx: RCX 0x00000000000000 RDX 0x9100000300000003 R08 0x00000000000000',
      'virt/tdx: R09 0x00000000000000 R10 0x00000000000000 R11 0x00000000000000',
    ],
    events: [seamcall('K2-core', { fn: 'TDH_SYS_RD', leaf: 34, statusName: 'TDX_METADATA_FIELD_ID_INCORRECT', rdx: 0x9100000300000003n, r11: 0n })],
  },
  one(
    'a leaf with version bits (TDH.VP.INIT version 1) in the host core form',
    'virt/tdx: SEAMCALL (0x0000000000010016) failed: 0xc000010000000002',
    seamcall('K2-core', { fn: 'TDH_VP_INIT', leaf: 22, leafVersion: 1, leafName: 'TDH.VP.INIT', statusName: 'TDX_OPERAND_INVALID', operand: 'RDX' }),
  ),
  one(
    'a leaf the ABI table does not have',
    'virt/tdx: SEAMCALL (0x00000000000000c8) failed: 0xc000010000000001',
    seamcall('K2-core', { fn: 'leaf 200', leaf: 200, leafName: undefined, statusName: 'TDX_OPERAND_INVALID' }),
  ),
  {
    id: 'the 2022 host series with its additional output, one record (x86/virt/tdx: Add SEAMCALL infrastructure, v5)',
    lines: [
      'tdx: SEAMCALL failed: CPU 3: leaf 36, error 0xc0000a0000000000.',
      'tdx: additional output: rcx 0x0, rdx 0x0, r8 0x0, r9 0x0, r10 0x0, r11 0x0.',
    ],
    events: [
      seamcall('K2-host', {
        fn: 'TDH_SYS_TDMR_INIT',
        leaf: 36,
        leafName: 'TDH.SYS.TDMR.INIT',
        status: 0xc0000a0000000000n,
        statusName: 'TDX_INVALID_TDMR',
        cpu: 3,
        rcx: 0n,
        r11: 0n,
      }),
    ],
  },
  one(
    'the later host series without the CPU (x86/virt/tdx: Add SEAMCALL error printing, v10)',
    'tdx: SEAMCALL failed: leaf 33, error 0xc000050000000000.',
    seamcall('K2-host', { fn: 'TDH_SYS_INIT', leaf: 33, statusName: 'TDX_SYS_INIT_NOT_PENDING', cpu: undefined, rcx: undefined }),
  ),
  one(
    'a SEAMCALL that raised #UD (host series v5, 2022)',
    'tdx: SEAMCALL failed: CPU 5 is not in VMX operation.',
    seamcall('K2-vmx', { fn: 'unknown leaf', status: 0x8000ff0000000006n, statusName: 'TDX_SEAMCALL_UD', operand: 'none', cpu: 5 }),
  ),
  one('#UD, later host series (v10)', 'tdx: CPU is not in VMX operation.', seamcall('K2-vmx', { statusName: 'TDX_SEAMCALL_UD', cpu: undefined })),
  one('no module (host series v5)', 'tdx: TDX module is not loaded.', seamcall('K2-noModule', { status: 0x8000ff00ffff0000n, statusName: 'TDX_SEAMCALL_VMFAILINVALID' })),
  one('no module (host series v10)', 'tdx: module is not loaded.', seamcall('K2-noModule', { statusName: 'TDX_SEAMCALL_VMFAILINVALID', fn: 'unknown leaf' })),
  one(
    'no module after TDH.SYS.INIT (arch/x86/virt/vmx/tdx/tdx.c, v6.8)',
    'virt/tdx: module not loaded',
    seamcall('K2-noModule', { fn: 'TDH_SYS_INIT', leaf: 33, statusName: 'TDX_SEAMCALL_VMFAILINVALID' }),
  ),
  one('#GP, TDX off in the BIOS (host series v5)', 'tdx: [firmware bug]: TDX is not enabled by BIOS.', seamcall('K2-bios', { status: 0x8000ff000000000dn, statusName: 'TDX_SEAMCALL_GP' })),
  one('#GP (host series v10)', 'tdx: not enabled by BIOS.', seamcall('K2-bios', { statusName: 'TDX_SEAMCALL_GP' })),
  {
    id: "pr_tdx_error with its register line (Intel's KVM TDX RFC, arch/x86/kvm/vmx/tdx_error.c, 2021; no pr_fmt)",
    lines: ['SEAMCALL[0x1d] failed: 0xc0000b0600000000', 'RCX 0x0, RDX 0x0, R8 0x0, R9 0x0, R10 0x0, R11 0x0'],
    events: [seamcall('K2-rfc', { fn: 'TDH_MEM_PAGE_REMOVE', leaf: 29, statusName: 'TDX_GPA_RANGE_NOT_BLOCKED', rcx: 0n, r11: 0n, sept: undefined })],
  },
  {
    id: "pr_seamcall_error with names and a Secure-EPT walk report (Intel's TDX host tree, 2021–2022)",
    lines: [
      'SEAMCALL[TDH_MEM_PAGE_AUG(0x6)] failed: TDX_EPT_WALK_FAILED (0xc0000b0000000001)',
      'Secure EPT walk error: SEPTE 0x8000000108000007, level 1, SEPT_PENDING',
    ],
    events: [
      seamcall('K2-rfc', {
        fn: 'TDH_MEM_PAGE_AUG',
        statusName: 'TDX_EPT_WALK_FAILED',
        operand: 'RCX',
        sept: { entry: 0x8000000108000007n, level: 1, state: 'SEPT_PENDING' },
        rcx: undefined,
      }),
    ],
  },
  one(
    'a leaf that tree did not know, prefixed (same tree)',
    'kvm_intel: SEAMCALL[Unknown TDX SEAMCALL op(0x3a)] failed: Unknown SEAMCALL status code (0xc0001234000000ff)',
    seamcall('K2-rfc', { fn: 'TDH_PHYMEM_PAMT_ADD', leaf: 58, statusName: 'unknown status 0xc0001234', operand: 'operand 255' }),
  ),
  one('a module older than 1.0.3 (Intel host tree, 2022)', 'tdx: TDX module is outdated. Use v1.0.3 or newer.', seamcall('K2-outdated', {
    status: 0xc000090000000000n,
    statusName: 'TDX_INCORRECT_CPUID_VALUE',
  })),
];

/** Raw RMP entry of a validated, assigned 4K page of ASID 2, GPA 0x108000000 (Zen 3/4 layout). */
const ENTRY_LO = 0x4010000108000001n;
const entryLo = `0x${ENTRY_LO.toString(16).padStart(16, '0')}`;
const decodedEntry = (pfn: bigint): Fields => ({
  pfn,
  lo: ENTRY_LO,
  hi: 0n,
  assigned: true,
  pageSize: 0,
  immutable: false,
  gpa: 0x108000000n,
  asid: 2,
  vmsa: false,
  validated: true,
});

/** `dump_stack()` after an RMPUPDATE failure. */
const STACK = [
  'CPU: 12 UID: 107 PID: 4321 Comm: qemu-system-x86 Not tainted 6.11.0 #1',
  'Hardware name: AMD Corporation ETHANOL_X/ETHANOL_X, BIOS RXM100AB 10/17/2022',
  'Call Trace:',
  ' <TASK>',
  ' dump_stack_lvl+0x2b/0x40',
  ' rmpupdate+0x11a/0x150',
  ' sev_gmem_invalidate+0x96/0x1e0 [kvm_amd]',
  ' </TASK>',
];

const fault = (reason: string, gpa: bigint, extra: Fields = {}): Fields => ({ kind: 'snp.host.rmpFault', reason, gpa, ...extra });
const split = (rule: string, fields: Fields): Fields => ({ kind: 'snp.host.rmpSplitFailed', rule, ...fields });

export const SNP_HOST_CASES: readonly Case[] = [
  {
    id: 'RMPUPDATE failure, its RMP entry and dump_stack(), one record (arch/x86/virt/svm/sev.c, v6.11)',
    lines: [
      'SEV-SNP: RMPUPDATE failed for PFN 28357f7c, pg_level: 1, ret: 2',
      `SEV-SNP: PFN 0x28357f7c, RMP entry: [${entryLo} - 0x0000000000000000]`,
      ...STACK,
    ],
    events: [
      {
        kind: 'snp.host.rmpUpdateFailed',
        rule: 'SNP-H1',
        by: 'rmpupdate',
        pfn: 0x28357f7cn,
        level: 1,
        ret: 2,
        retName: 'FAIL_PERMISSION',
        entries: [decodedEntry(0x28357f7cn)],
        unassigned: undefined,
      },
    ],
  },
  {
    id: 'the posted series wording with an unassigned PFN and its 2M region (SNP host support v10, 2023-10)',
    lines: [
      'SEV-SNP: RMPUPDATE failed for PFN 108005, ret: 3',
      'SEV-SNP: PFN 0x108005 unassigned, dumping non-zero entries in 2M PFN region: [0x108000 - 0x108200]',
      `SEV-SNP: PFN: 0x108000, [${entryLo} - 0x0000000000000000]`,
      `SEV-SNP: PFN: 0x108001, [${entryLo} - 0x0000000000000000]`,
    ],
    events: [
      {
        kind: 'snp.host.rmpUpdateFailed',
        pfn: 0x108005n,
        level: undefined,
        ret: 3,
        retName: 'FAIL_INUSE',
        unassigned: true,
        entries: [decodedEntry(0x108000n), decodedEntry(0x108001n)],
      },
    ],
  },
  {
    id: 'an RMP entry that cannot be read (arch/x86/virt/svm/sev.c, v6.9: error %ld)',
    lines: ['SEV-SNP: RMPUPDATE failed for PFN 7fff0, pg_level: 2, ret: 1', 'SEV-SNP: Failed to read RMP entry for PFN 0x7fff0, error -14'],
    events: [{ kind: 'snp.host.rmpUpdateFailed', pfn: 0x7fff0n, level: 2, retName: 'FAIL_INPUT', readError: -14, entries: undefined }],
  },
  {
    id: 'a raw entry that cannot be read, RMPREAD kernels (arch/x86/virt/svm/sev.c, v6.16)',
    lines: ['SEV-SNP: RMPUPDATE failed for PFN 7fff0, pg_level: 1, ret: 2', 'SEV-SNP: Failed to read RMP contents for PFN 0x7fff0, error -19'],
    events: [{ kind: 'snp.host.rmpUpdateFailed', readError: -19 }],
  },
  one('the MMIO variant (SEV-TIO series, 2025)', 'SEV-SNP: MMIO RMPUPDATE failed for PFN fe000, pg_level: 1, ret: 2', {
    kind: 'snp.host.rmpUpdateFailed',
    by: 'mmio',
    pfn: 0xfe000n,
    ret: 2,
  }),
  {
    id: 'leaked pages with the dump of each, one record (snp_leak_pages, v6.9)',
    lines: [
      'SEV-SNP: Leaking PFN range 0x108000-0x108002',
      `SEV-SNP: PFN 0x108000, RMP entry: [${entryLo} - 0x0000000000000000]`,
      `SEV-SNP: PFN 0x108001, RMP entry: [${entryLo} - 0x0000000000000000]`,
    ],
    events: [{ kind: 'snp.host.leak', rule: 'SNP-H2', startPfn: 0x108000n, endPfn: 0x108002n, entries: [decodedEntry(0x108000n), decodedEntry(0x108001n)] }],
  },
  one(
    'an RMP entry dump with no failure line before it (the host RMP #PF report, Ubuntu 6.18)',
    'SEV-SNP: PFN 0x40fdf36, RMP entry: [0x6010fffffffff001 - 0x000000000000001f]',
    {
      kind: 'snp.host.rmpEntry',
      rule: 'SNP-H3',
      pfn: 0x40fdf36n,
      entries: [
        {
          pfn: 0x40fdf36n,
          lo: 0x6010fffffffff001n,
          hi: 0x1fn,
          assigned: true,
          pageSize: 0,
          immutable: false,
          gpa: 0xfffffffff000n,
          asid: 2,
          vmsa: true,
          validated: true,
        },
      ],
    },
  ),
  {
    id: "an unassigned PFN's region dump alone, with a read error inside it (arch/x86/virt/svm/sev.c, v6.16)",
    lines: [
      'SEV-SNP: PFN 0x108005 unassigned, dumping non-zero entries in 2M PFN region: [0x108000 - 0x108200]',
      'SEV-SNP: Error -14 reading RMP contents for PFN 0x108007',
    ],
    events: [{ kind: 'snp.host.rmpEntry', rule: 'SNP-H3-unassigned', pfn: 0x108005n, unassigned: true, readError: -14 }],
  },
  one('direct map split failure (adjust_direct_map, v6.11)', 'SEV-SNP: Failed to split direct map for PFN 0x108000, ret: -12', {
    kind: 'snp.host.directMapSplitFailed',
    pfn: 0x108000n,
    ret: -12,
  }),
  one('RMP fault on a shared GPA (arch/x86/kvm/svm/sev.c, v6.11)', 'kvm_amd: SEV: Unexpected RMP fault for non-private GPA 0x7fd4c000', fault('nonPrivate', 0x7fd4c000n)),
  one(
    'RMP fault, size mismatch on a shared GPA (SNP KVM series v14, 2024-04)',
    'kvm_amd: SEV: Unexpected RMP fault, size-mismatch for non-private GPA 0x7fd4c000',
    fault('sizeMismatchNonPrivate', 0x7fd4c000n),
  ),
  one('RMP fault, slot without guest_memfd (v6.11)', 'kvm_amd: SEV: Unexpected RMP fault, non-private slot for GPA 0x100000000', fault('nonPrivateSlot', 0x100000000n)),
  one('RMP fault, no backing page (v6.11)', 'kvm_amd: SEV: Unexpected RMP fault, no backing page for private GPA 0x108000000', fault('noBackingPage', 0x108000000n)),
  one(
    'RMP fault, no backing page (series v14 wording)',
    'kvm_amd: SEV: Unexpected RMP fault, no private backing page for GPA 0x108000000',
    fault('noBackingPage', 0x108000000n),
  ),
  one(
    'RMP fault, no assigned RMP entry (v6.11)',
    'kvm_amd: SEV: Unexpected RMP fault, no assigned RMP entry found for GPA 0x108000000 PFN 0x28357f7c error 0',
    fault('noAssignedEntry', 0x108000000n, { pfn: 0x28357f7cn, error: 0 }),
  ),
  one(
    'RMP fault without PFERR_GUEST_SIZEM (SNP KVM series v12, 2024-03; no newline in the format)',
    'kvm_amd: Unexpected RMP fault for GPA 0x108000000, error_code 0x800000004',
    { kind: 'snp.host.rmpFault', rule: 'SNP-KVM-fault-old', reason: 'unexpected', gpa: 0x108000000n, errorCode: 0x800000004n },
  ),
  one(
    'PSMASH failure while resolving an RMP fault (v6.11)',
    'kvm_amd: SEV: Unable to split RMP entry for GPA 0x108000000 PFN 0x28357e00 ret 3',
    split('SNP-KVM-psmash', { gpa: 0x108000000n, pfn: 0x28357e00n, ret: 3, race: undefined }),
  ),
  one(
    'PSMASH lost a race (SNP KVM series v12)',
    'kvm_amd: sev_handle_rmp_fault: PSMASH for GPA 0x108000000 failed with ret 3 due to potential race',
    split('SNP-KVM-psmash-race', { gpa: 0x108000000n, ret: 3, race: true }),
  ),
  one(
    'PSMASH failure in guest_memfd invalidation (v6.11)',
    'kvm_amd: SEV: Failed to PSMASH RMP entry for PFN 0x28357e01 error 1',
    split('SNP-KVM-psmash-gmem', { pfn: 0x28357e01n, ret: 1, gpa: undefined }),
  ),
  one('PSMASH failure (SNP hypervisor RFC, 2021–2022)', 'kvm_amd: psmash failed, gpa 0x191560000 pfn 0x536cd60 rc 7', split('SNP-KVM-psmash-rfc', { gpa: 0x191560000n, pfn: 0x536cd60n, ret: 7 })),
  one('RMP lookup failure in guest_memfd invalidation (v6.11)', 'kvm_amd: SEV: Failed to retrieve RMP entry for PFN 0x28357e01 error -14', {
    kind: 'snp.host.rmpLookupFailed',
    pfn: 0x28357e01n,
    error: -14,
  }),
  one(
    'the same inside WARN_ONCE, no prefix (SNP KVM series v15, 2024-05)',
    'SEV: Failed to retrieve RMP entry for PFN 0x28357e01 error -19',
    { kind: 'snp.host.rmpLookupFailed', pfn: 0x28357e01n, error: -19 },
  ),
  one('RMP update to shared failed (sev_gmem_invalidate, v6.11)', 'kvm_amd: SEV: Failed to update RMP entry for PFN 0x28357e01 error 2', {
    kind: 'snp.host.rmpUpdateFailed',
    rule: 'SNP-KVM-update',
    by: 'kvm',
    pfn: 0x28357e01n,
    ret: 2,
    gfn: undefined,
  }),
  one(
    'RMP update to private failed (sev_gmem_prepare, v6.11)',
    'kvm_amd: SEV: Failed to update RMP entry: GFN 108000 PFN 28357e00 level 2 error -14',
    { kind: 'snp.host.rmpUpdateFailed', by: 'kvm', gfn: 0x108000n, pfn: 0x28357e00n, level: 2, order: undefined, ret: -14 },
  ),
  one(
    'RMP update to private failed (guest_memfd huge-page series, 2025)',
    'kvm_amd: SEV: Failed to update RMP entry: GFN 0x108000 PFN 0x28357e00 order 9 error -14',
    { kind: 'snp.host.rmpUpdateFailed', gfn: 0x108000n, order: 9, level: undefined, ret: -14 },
  ),
  {
    id: 'a page the firmware did not give back, in its KVM_BUG report, then leaked (snp_page_reclaim, v6.11)',
    lines: [
      '------------[ cut here ]------------',
      'Failed to reclaim PFN 28357e01, rc -5 fw_err 1',
      'WARNING: CPU: 12 PID: 4321 at arch/x86/kvm/svm/sev.c:302 snp_page_reclaim+0x8c/0xb0 [kvm_amd]',
      'Modules linked in: kvm_amd kvm ccp',
      '---[ end trace 0000000000000000 ]---',
      'SEV-SNP: Leaking PFN range 0x28357e01-0x28357e02',
      `SEV-SNP: PFN 0x28357e01, RMP entry: [${entryLo} - 0x0000000000000000]`,
    ],
    events: [
      { kind: 'kernel.splat', splat: 'warning', file: 'arch/x86/kvm/svm/sev.c', func: 'snp_page_reclaim', message: 'Failed to reclaim PFN 28357e01, rc -5 fw_err 1' },
      { kind: 'snp.host.reclaimFailed', rule: 'SNP-KVM-reclaim', pfn: 0x28357e01n, ret: -5, fwErr: 1 },
      { kind: 'snp.host.leak', startPfn: 0x28357e01n, endPfn: 0x28357e02n, entries: [decodedEntry(0x28357e01n)] },
    ],
  },
  one('reclaim failure, WARN_ONCE without codes (SNP KVM series v12)', 'Failed to reclaim PFN 28357e01', {
    kind: 'snp.host.reclaimFailed',
    pfn: 0x28357e01n,
    ret: undefined,
  }),
  one('guest termination, GHCB MSR protocol (arch/x86/kvm/svm/sev.c, v5.11+)', 'kvm_amd: SEV-ES guest requested termination: 0x1:0x2', {
    kind: 'snp.host.guestTermination',
    rule: 'SNP-KVM-term',
    reasonSet: 1,
    reasonCode: 2,
    reasonName: 'GHCB_TERM_PVALIDATE',
  }),
  one('guest termination, reason set 0, code 0 printed by %#llx as 0x0', 'kvm_amd: SEV-ES guest requested termination: 0x0:0x0', {
    kind: 'snp.host.guestTermination',
    reasonSet: 0,
    reasonCode: 0,
    reasonName: 'GHCB_SEV_ES_GEN_REQ',
  }),
  one('guest termination through the GHCB page (v6.11)', 'kvm_amd: SEV-ES guest requested termination: reason 0x1021 info 0x0', {
    kind: 'snp.host.guestTermination',
    rule: 'SNP-KVM-term-ghcb',
    exitInfo1: 0x1021n,
    exitInfo2: 0n,
    reasonSet: undefined,
  }),
  one('SNP ASIDs (arch/x86/kvm/svm/sev.c, v6.11)', 'kvm_amd: SEV-SNP enabled (ASIDs 1 - 99)', {
    kind: 'platform.info',
    rule: 'PLAT-snp-asids',
    what: 'snpHost',
    detail: 'SEV-SNP enabled (ASIDs 1 - 99)',
  }),
  one('SNP ASIDs with VMPL levels (KVM planes series, 2025)', 'kvm_amd: SEV-SNP enabled (ASIDs 1 - 99), VMPL Levels 4', {
    kind: 'platform.info',
    detail: 'SEV-SNP enabled (ASIDs 1 - 99), VMPL Levels 4',
  }),
  one('SNP ASIDs, SNP off (v6.11)', 'kvm_amd: SEV-SNP disabled (ASIDs 1 - 99)', { kind: 'platform.info', detail: 'SEV-SNP disabled (ASIDs 1 - 99)' }),
  one('the RMP table (arch/x86/virt/svm/sev.c, v6.9)', 'SEV-SNP: RMP table physical range [0x0000001000000000 - 0x00000010ffffffff]', {
    kind: 'platform.info',
    rule: 'PLAT-snp-rmp',
    what: 'snpHost',
    detail: 'RMP table physical range [0x0000001000000000 - 0x00000010ffffffff]',
  }),
  one('the RMP table rounded to 2M (v6.11)', 'SEV-SNP: Reserving start/end of RMP table on a 2MB boundary [0x00000010ffe00000]', {
    kind: 'platform.info',
    rule: 'PLAT-snp-rmp',
  }),
  one(
    'an RMP table too small: SNP is off (v6.9)',
    'SEV-SNP: Memory reserved for the RMP table does not cover full system RAM (expected 0x4104000 got 0x4004000)',
    { kind: 'platform.info', rule: 'PLAT-snp-rmp', detail: 'Memory reserved for the RMP table does not cover full system RAM (expected 0x4104000 got 0x4004000)' },
  ),
  one('no RMP table from the BIOS (v6.9)', 'SEV-SNP: Memory for the RMP table has not been reserved by BIOS', { kind: 'platform.info', rule: 'PLAT-snp-rmp' }),
  one('the PSP firmware (drivers/crypto/ccp/sev-dev.c, v6.11)', 'ccp 0000:23:00.1: SEV-SNP API:1.55 build:21', {
    kind: 'platform.info',
    rule: 'PLAT-snp-firmware',
    what: 'snpHost',
    detail: 'SEV-SNP API:1.55 build:21',
  }),
];

/** Host lines that look like ours and must stay ignored: neither events nor unparsed. */
export const HOST_LOOKALIKES: readonly string[] = [
  'net_ratelimit: 12 callbacks suppressed',
  'ext4_end_bio: 3 callbacks suppressed',
  'x86/cpu: SGX disabled by BIOS.',
  'kvm_amd: TSC scaling supported',
  'kvm_amd: Nested Virtualization enabled',
  'kvm_amd: SEV-ES enabled (ASIDs 100 - 509)',
  'ccp 0000:23:00.1: SEV API:1.55 build:21',
  'kvm: SMP vm created on host with unstable TSC; guest TSC will not be reliably synchronized',
  'ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x7fffffff]',
  'nvme nvme0: 64/0/0 default/read/poll queues',
];
