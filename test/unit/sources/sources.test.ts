/**
 * Every log format of DOMAIN.md §1, one family at a time: a line written as its program prints
 * it (concrete values, old and new wordings) goes through the whole ingest pipeline under each
 * prefix style that source is seen with, and must come out as exactly the expected event(s),
 * with no line left unparsed. Negative cases: unrelated lines that must be ignored, not events
 * and not unparsed.
 */
import { strict as assert } from 'node:assert';
import { assertFields, assertIgnored, type Fields, KERNEL, MONITOR, one, parseLines, QEMU_ERROR, QEMU_LOG, QEMU_STDERR, QEMU_TRACE, QEMU_WARNING, show, suite } from '../../helpers/source-cases';

// Guest virtio-mem driver (§1.1, §1.2). dev_* prefix: `virtio_mem virtio5: `.
const D = 'virtio_mem virtio5: ';
const geometry = (rule: string, field: string, value: bigint): Fields => ({ kind: 'vmem.geometry', rule, device: 'virtio5', field, value });
const notice = (rule: string, what: string, extra: Fields = {}): Fields => ({ kind: 'vmem.notice', rule, device: 'virtio5', notice: what, ...extra });
const range = (rule: string, op: string, start: bigint, end: bigint): Fields => ({ kind: 'vmem.range', rule, device: 'virtio5', op, start, end });
const failed = (rule: string, op: string, errno: number): Fields => ({ kind: 'vmem.opFailed', rule, device: 'virtio5', op, errno });

suite('sources: guest virtio-mem driver (V1–V38, R1, probe failures)', KERNEL, [
  one('V1', `${D}start address: 0x100000000`, geometry('V1', 'startAddress', 0x100000000n)),
  one('V2', `${D}region size: 0x100000000`, geometry('V2', 'regionSize', 0x100000000n)),
  one('V3', `${D}device block size: 0x200000`, geometry('V3', 'deviceBlockSize', 0x200000n)),
  one('V4', `${D}nid: 0`, { kind: 'vmem.node', rule: 'V4', device: 'virtio5', node: 0 }),
  one('V4 (node 1)', 'virtio_mem virtio7: nid: 1', { kind: 'vmem.node', rule: 'V4', device: 'virtio7', node: 1 }),
  one('V5', `${D}The alignment of the physical start address can make some memory unusable.`, notice('V5', 'startAlignment')),
  one('V6', `${D}The alignment of the physical end address can make some memory unusable.`, notice('V6', 'endAlignment')),
  one('V7', `${D}Some device memory is not addressable/pluggable. This can make some memory unusable.`, notice('V7', 'notAddressable')),
  one('V8', `${D}bbm_block_size is not a power of 2`, notice('V8', 'bbmBlockSizeNotPowerOf2')),
  one('V8 (too small)', `${D}bbm_block_size is too small`, notice('V8b', 'bbmBlockSizeTooSmall')),
  one('V9', `${D}memory block size: 0x8000000`, geometry('V9', 'memoryBlockSize', 0x8000000n)),
  one('V10', `${D}subblock size: 0x200000`, geometry('V10', 'subblockSize', 0x200000n)),
  one('V10 (older kernels: 4 MiB)', `${D}subblock size: 0x400000`, geometry('V10', 'subblockSize', 0x400000n)),
  one('V11', `${D}big block size: 0x8000000`, geometry('V11', 'bigBlockSize', 0x8000000n)),
  one('V12', `${D}unplugging all memory is required`, notice('V12', 'unplugAllRequired')),
  one('V13', `${D}could not reserve device region`, notice('V13', 'reserveFailed')),
  one('V13 (second line)', `${D}reloading the driver is not supported`, notice('V13b', 'reloadUnsupported')),
  one('V14', `${D}config access disabled`, notice('V14', 'configAccessDisabled')),
  one('V15', `${D}plugged size: 0x80000000`, { kind: 'vmem.size', rule: 'V15', device: 'virtio5', which: 'plugged', size: 0x80000000n }),
  one('V15 (zero)', `${D}plugged size: 0x0`, { kind: 'vmem.size', rule: 'V15', which: 'plugged', size: 0n }),
  one('V16', `${D}requested size: 0x2e00000`, { kind: 'vmem.size', rule: 'V16', device: 'virtio5', which: 'requested', size: 0x2e00000n }),
  one('V18', `${D}plugging memory: 0x100000000 - 0x107ffffff`, range('V18', 'plug', 0x100000000n, 0x108000000n)),
  one('V19 (NACK)', `${D}plugging memory failed: -11`, failed('V19', 'plug', -11)),
  one('V19 (BUSY)', `${D}plugging memory failed: -26`, failed('V19', 'plug', -26)),
  one('V19 (ERROR)', `${D}plugging memory failed: -22`, failed('V19', 'plug', -22)),
  one('V19 (other)', `${D}plugging memory failed: -12`, failed('V19', 'plug', -12)),
  one('V20', `${D}unplugging memory: 0x107e00000 - 0x107ffffff`, range('V20', 'unplug', 0x107e00000n, 0x108000000n)),
  one('V21', `${D}unplugging memory failed: -26`, failed('V21', 'unplug', -26)),
  one('V22', `${D}unplugging all memory`, { kind: 'vmem.unplugAll', rule: 'V22', device: 'virtio5' }),
  one('V23', `${D}unplugging all memory failed: -26`, failed('V23', 'unplugAll', -26)),
  one('V24', `${D}requesting state: 0x100000000 - 0x107ffffff`, range('V24', 'state', 0x100000000n, 0x108000000n)),
  one('V24 (failed)', `${D}requesting state failed: -22`, failed('V24b', 'state', -22)),
  one('V25', `${D}adding memory: 0x108000000 - 0x10fffffff`, range('V25', 'add', 0x108000000n, 0x110000000n)),
  one('V26', `${D}adding memory failed: -12`, failed('V26', 'add', -12)),
  one('V27', `${D}removing memory: 0x108000000 - 0x10fffffff`, range('V27', 'remove', 0x108000000n, 0x110000000n)),
  one('V27 (failed)', `${D}removing memory failed: -16`, failed('V27b', 'remove', -16)),
  one('V28', `${D}offlining and removing memory: 0x108000000 - 0x10fffffff`, range('V28', 'offlineRemove', 0x108000000n, 0x110000000n)),
  one('V28 (failed)', `${D}offlining and removing memory failed: -16`, failed('V28b', 'offlineRemove', -16)),
  one('V29', `${D}memory block onlining denied`, notice('V29', 'onliningDenied')),
  one('V30', 'page dumped because: fake-offline page referenced', { kind: 'vmem.notice', rule: 'V30', notice: 'fakeOfflineReferenced' }),
  one('V31', `${D}unknown error, marking device broken: -22`, { kind: 'vmem.broken', rule: 'V31', device: 'virtio5', errno: -22 }),
  one('V31 (-EIO)', `${D}unknown error, marking device broken: -5`, { kind: 'vmem.broken', rule: 'V31', errno: -5 }),
  one('V32', `${D}unexpected workqueue run in kdump kernel`, notice('V32', 'kdumpUnexpectedRun')),
  one('V33', `${D}hibernation is not supported.`, notice('V33', 'hibernationUnsupported')),
  one('V34', `${D}suspending with plugged memory is not supported`, notice('V34', 'suspendUnsupported')),
  one('V34 (older)', `${D}save/restore not supported.`, notice('V34', 'suspendUnsupported')),
  one('V35', `${D}memory hot(un)plug disabled in kdump kernel`, notice('V35', 'kdumpDisabled')),
  one('V35 (without vmcore)', `${D}disabled in kdump kernel without vmcore`, notice('V35', 'kdumpDisabled')),
  one('V35 (older)', `${D}disabled in kdump kernel`, notice('V35', 'kdumpDisabled')),
  one('V36', `${D}Error querying block states: -5`, notice('V36', 'vmcoreQueryFailed', { errno: -5 })),
  one('V36 (RAM range)', `${D}Error adding device RAM range: -12`, notice('V36b', 'vmcoreAddFailed', { errno: -12 })),
  one('V37', `${D}device still has system memory added`, notice('V37', 'stillHasMemory')),
  one('R1', `${D}CoCo set_encrypted failed, leaking memory`, { kind: 'vmem.cocoLeak', rule: 'R1', device: 'virtio5' }),
  one('probe failure (older driver core)', 'virtio_mem: probe of virtio4 failed with error -16', {
    kind: 'vmem.probeFailed',
    rule: 'PROBE-old',
    device: 'virtio4',
    errno: -16,
  }),
  one('probe failure (newer driver core)', 'virtio_mem virtio4: probe with driver virtio_mem failed with error -16', {
    kind: 'vmem.probeFailed',
    rule: 'PROBE',
    device: 'virtio4',
    errno: -16,
  }),
]);

suite('sources: guest TDX and CPA (T1–T12)', KERNEL, [
  one('T1 (newer)', 'CPA VMM failure to convert memory (addr=000000008c6e2b1f, numpages=32768) to private: -5', {
    kind: 'cpa.failure',
    rule: 'T1',
    hashedAddr: '000000008c6e2b1f',
    numPages: 32768,
    to: 'private',
    errno: -5,
  }),
  one('T1 (newer, to shared)', 'CPA VMM failure to convert memory (addr=00000000b3f1a7c4, numpages=512) to shared: -5', {
    kind: 'cpa.failure',
    numPages: 512,
    to: 'shared',
    errno: -5,
  }),
  one('T1 (older)', 'CPA VMM failure to convert memory (addr=000000008c6e2b1f, numpages=32768) to private.', {
    kind: 'cpa.failure',
    rule: 'T1',
    hashedAddr: '000000008c6e2b1f',
    numPages: 32768,
    to: 'private',
    errno: undefined,
  }),
  one('T2/T3', 'tdx: Failed to accept memory [0x108000000, 0x110000000)', {
    kind: 'tdx.acceptFailed',
    rule: 'T2',
    start: 0x108000000n,
    end: 0x110000000n,
  }),
  one('T4', 'tdx: Failed to release memory [0x107e00000, 0x108000000)', {
    kind: 'tdx.releaseFailed',
    rule: 'T4',
    start: 0x107e00000n,
    end: 0x108000000n,
  }),
  one('T8 (older)', 'tdx: TD misconfiguration: SEPT_VE_DISABLE attribute must be set.', { kind: 'tdx.septVeMisconfigured', rule: 'T8' }),
  one('T8 (newer)', 'tdx: TD misconfiguration: SEPT #VE has to be disabled', { kind: 'tdx.septVeMisconfigured', rule: 'T8' }),
  one('T9', 'tdx: Failed to stop shared<->private conversions', { kind: 'tdx.kexec', rule: 'T9', problem: 'stopConversions' }),
  one('T10', 'tdx: Failed to unshare range 0xffff888108000000-0xffff888108200000', {
    kind: 'tdx.kexec',
    rule: 'T10',
    problem: 'unshareFailed',
    range: { start: 0xffff888108000000n, end: 0xffff888108200000n },
  }),
  one('T10 (accounting)', 'tdx: shared page accounting is off', { kind: 'tdx.kexec', rule: 'T10b', problem: 'accountingOff' }),
  one('T10 (counts)', 'tdx: nr_shared = 1024, nr_found = 512', { kind: 'tdx.kexec', rule: 'T10c', problem: 'counts' }),
  one('T12', 'tdx: Guest detected', { kind: 'tdx.guestDetected', rule: 'T12' }),
  one('T12 (older pr_fmt)', 'x86/tdx: Guest detected', { kind: 'tdx.guestDetected', rule: 'T12' }),
  one('T5', 'Kernel panic - not syncing: tdx_release_memory Failed to re-accept memory', {
    kind: 'kernel.panic',
    rule: 'panic',
    reason: 'tdxReleaseReaccept',
    message: 'tdx_release_memory Failed to re-accept memory',
  }),
  one('T6', 'Kernel panic - not syncing: TDX: Failed to accept memory', { kind: 'kernel.panic', reason: 'tdxAccept' }),
  one('T7', 'Kernel panic - not syncing: Unexpected EPT-violation on private memory.', { kind: 'kernel.panic', reason: 'eptViolation' }),
  one('T11 (TDVMCALL)', 'Kernel panic - not syncing: TDVMCALL failed. TDX module bug?', { kind: 'kernel.panic', reason: 'tdvmcall' }),
  one('T11 (TDCALL)', 'Kernel panic - not syncing: TDCALL 6 failed (Buggy TDX module!)', { kind: 'kernel.panic', reason: 'tdcall' }),
]);

suite('sources: guest SEV-SNP (S1–S6)', KERNEL, [
  one('S1', 'PVALIDATE failure: pfn 0x108000, action=1, size=0 - ret=255', {
    kind: 'snp.pvalidateFailed',
    rule: 'S1',
    pfn: 0x108000n,
    action: 1,
    pageSize: 0,
    ret: 255,
    svsmRet: undefined,
  }),
  one('S2', 'PVALIDATE failure: pfn 0x108200, action=1, size=1 - ret=6, svsm_ret=0x0', {
    kind: 'snp.pvalidateFailed',
    rule: 'S2',
    pfn: 0x108200n,
    action: 1,
    pageSize: 1,
    ret: 6,
    svsmRet: 0n,
  }),
  one('S3', 'Failed to validate address 0x108000000 ret 255', {
    kind: 'snp.pvalidateFailed',
    rule: 'S3',
    pfn: 0x108000n,
    ret: 255,
    action: undefined,
  }),
  one('S4', 'SNP: PSC failed ret=-22 exit_info_2=100000002', {
    kind: 'snp.pscFailed',
    rule: 'S4',
    detail: 'psc',
    ret: -22,
    exitInfo2: 0x100000002n,
  }),
  one('S4 (older)', 'SEV-SNP: PSC failed ret=1 exit_info_2=0', { kind: 'snp.pscFailed', rule: 'S4', ret: 1, exitInfo2: 0n }),
  one('S5', 'Reserved bit is set in the PSC header', { kind: 'snp.pscFailed', rule: 'S5', detail: 'reservedBit' }),
  one('S5 (backwards)', 'SNP: PSC processing going backward, end_entry 63 (got 62) cur_entry 0 (got 1)', {
    kind: 'snp.pscFailed',
    rule: 'S5b',
    detail: 'backwards',
  }),
  one('S6', 'Wrong PSC response code: 0x1', { kind: 'snp.pscFailed', rule: 'S6', detail: 'wrongResponse', ret: 1 }),
  one('S6 (page state)', "Failed to change page state to 'private' paddr 0x108000000 error 0x1", {
    kind: 'snp.pscFailed',
    rule: 'S6b',
    detail: 'changeFailed',
    address: 0x108000000n,
    exitInfo2: 1n,
  }),
]);

suite('sources: guest memory hotplug core (M1–M3)', KERNEL, [
  one('M1', 'online_pages [mem 0x108000000-0x10fffffff] failed', {
    kind: 'mm.onlineFailed',
    rule: 'M1',
    start: 0x108000000n,
    end: 0x110000000n,
  }),
  one('M2', 'memory offlining [mem 0x108000000-0x10fffffff] failed due to unmovable page', {
    kind: 'mm.offlineFailed',
    rule: 'M2',
    start: 0x108000000n,
    end: 0x110000000n,
    reason: 'unmovable page',
  }),
  one('M2 (notifier)', 'memory offlining [mem 0x108000000-0x10fffffff] failed due to notifier failure', {
    kind: 'mm.offlineFailed',
    reason: 'notifier failure',
  }),
  one('M2 (signal)', 'memory offlining [mem 0x110000000-0x117ffffff] failed due to signal backoff', {
    kind: 'mm.offlineFailed',
    start: 0x110000000n,
    end: 0x118000000n,
    reason: 'signal backoff',
  }),
  one('M3', 'Block size [0x8000000] unaligned hotplug range: start 0x100100000, size 0x7f00000', {
    kind: 'mm.unalignedRange',
    rule: 'M3',
    blockSize: 0x8000000n,
    start: 0x100100000n,
    size: 0x7f00000n,
  }),
]);

const request = (rule: string, op: string, addr?: bigint, nbBlocks?: number): Fields => ({ kind: 'qemu.vmem.request', rule, op, addr, nbBlocks });

suite('sources: QEMU virtio-mem trace events (Q1–Q8)', QEMU_TRACE, [
  one('Q1 ACK', 'virtio_mem_send_response type=0', { kind: 'qemu.vmem.response', rule: 'Q1', type: 0 }),
  one('Q1 NACK', 'virtio_mem_send_response type=1', { kind: 'qemu.vmem.response', type: 1 }),
  one('Q1 BUSY', 'virtio_mem_send_response type=2', { kind: 'qemu.vmem.response', type: 2 }),
  one('Q1 ERROR', 'virtio_mem_send_response type=3', { kind: 'qemu.vmem.response', type: 3 }),
  one('Q2', 'virtio_mem_plug_request addr=0x100000000 nb_blocks=64', request('Q2', 'plug', 0x100000000n, 64)),
  one('Q2 (partial run)', 'virtio_mem_plug_request addr=0x102e00000 nb_blocks=41', request('Q2', 'plug', 0x102e00000n, 41)),
  one('Q3', 'virtio_mem_unplug_request addr=0x107e00000 nb_blocks=1', request('Q3', 'unplug', 0x107e00000n, 1)),
  one('Q4 (trailing space)', 'virtio_mem_unplugged_all ', { kind: 'qemu.vmem.unpluggedAll', rule: 'Q4' }),
  one('Q4 (space trimmed)', 'virtio_mem_unplugged_all', { kind: 'qemu.vmem.unpluggedAll', rule: 'Q4' }),
  one('Q5 (trailing space)', 'virtio_mem_unplug_all_request ', request('Q5', 'unplugAll', undefined, undefined)),
  one('Q6 (no separator)', 'virtio_mem_resized_usable_region old_size=0x0new_size=0x20000000', {
    kind: 'qemu.vmem.resized',
    rule: 'Q6',
    oldSize: 0n,
    newSize: 0x20000000n,
  }),
  one('Q6 (unchanged)', 'virtio_mem_resized_usable_region old_size=0x90000000new_size=0x90000000', {
    kind: 'qemu.vmem.resized',
    oldSize: 0x90000000n,
    newSize: 0x90000000n,
  }),
  one('Q6 (shrink on UNPLUG_ALL)', 'virtio_mem_resized_usable_region old_size=0x20000000new_size=0x18000000', {
    kind: 'qemu.vmem.resized',
    oldSize: 0x20000000n,
    newSize: 0x18000000n,
  }),
  one('Q7', 'virtio_mem_state_request addr=0x100000000 nb_blocks=64', request('Q7', 'state', 0x100000000n, 64)),
  one('Q8', 'virtio_mem_state_response state=2', { kind: 'qemu.vmem.state', rule: 'Q8', state: 2 }),
]);

suite('sources: QEMU KVM conversion and discard traces (K-Q1–K-Q4, P1–P3)', QEMU_TRACE, [
  one('K-Q1 to private', 'kvm_hc_map_gpa_range gpa 0x108000000 size 0x200000 attributes 0x10 flags 0x1', {
    kind: 'qemu.mapGpa',
    rule: 'K-Q1',
    gpa: 0x108000000n,
    size: 0x200000n,
    attributes: 0x10n,
    flags: 1n,
  }),
  one('K-Q1 to shared', 'kvm_hc_map_gpa_range gpa 0x107e00000 size 0x200000 attributes 0x0 flags 0x1', {
    kind: 'qemu.mapGpa',
    gpa: 0x107e00000n,
    attributes: 0n,
  }),
  one('K-Q2 shared_to_private', 'kvm_convert_memory start 0x108000000 size 0x200000 shared_to_private', {
    kind: 'qemu.convert',
    rule: 'K-Q2',
    start: 0x108000000n,
    size: 0x200000n,
    to: 'private',
  }),
  one('K-Q2 private_to_shared', 'kvm_convert_memory start 0x107e00000 size 0x200000 private_to_shared', {
    kind: 'qemu.convert',
    start: 0x107e00000n,
    to: 'shared',
  }),
  one('K-Q2 (size 0)', 'kvm_convert_memory start 0x108003000 size 0x0 shared_to_private', { kind: 'qemu.convert', size: 0n }),
  one('K-Q3', 'kvm_memory_fault start 0x108003000 size 0x1000 flags 0x8', {
    kind: 'qemu.memoryFault',
    rule: 'K-Q3',
    start: 0x108003000n,
    size: 0x1000n,
    flags: 8n,
  }),
  one(
    'K-Q4',
    'kvm_set_user_memory AddrSpace#0 Slot#4 flags=0x4 gpa=0x100000000 size=0x8000000 ua=0x7f5a48000000 guest_memfd=35 guest_memfd_offset=0x0 ret=0',
    {
      kind: 'qemu.setUserMemory',
      rule: 'K-Q4',
      addressSpace: 0,
      slot: 4,
      flags: 4n,
      gpa: 0x100000000n,
      size: 0x8000000n,
      userAddr: 0x7f5a48000000n,
      guestMemfd: 35,
      guestMemfdOffset: 0n,
      ret: 0,
    },
  ),
  one('K-Q4 (without guest_memfd)', 'kvm_set_user_memory AddrSpace#0 Slot#4 flags=0x0 gpa=0x100000000 size=0x8000000 ua=0x7f5a48000000 ret=0', {
    kind: 'qemu.setUserMemory',
    slot: 4,
    guestMemfd: -1,
    ret: 0,
  }),
  one('P1', 'ram_block_discard_range vmem0@0x7f5a50000000 + 0x8000000: madvise: 1 fallocate: 0 ret: 0', {
    kind: 'qemu.discard',
    rule: 'P1',
    variant: 'range',
    ramBlock: 'vmem0',
    hostAddr: 0x7f5a50000000n,
    length: 0x8000000n,
    madvise: true,
    fallocate: false,
    ret: 0,
  }),
  one('P1 (hugetlb, failed)', 'ram_block_discard_range mem1@0x7f5a40000000 + 0x200000: madvise: 0 fallocate: 1 ret: -22', {
    kind: 'qemu.discard',
    rule: 'P1',
    ramBlock: 'mem1',
    madvise: false,
    fallocate: true,
    ret: -22,
  }),
  one('P2', 'ram_block_discard_shared_range vmem0@0x7f5a4fe00000 + 0x200000: madvise: 1 fallocate: 0 ret: 0', {
    kind: 'qemu.discard',
    rule: 'P2',
    variant: 'shared-range',
    ramBlock: 'vmem0',
    hostAddr: 0x7f5a4fe00000n,
    length: 0x200000n,
  }),
  one('P3', "ram_block_attributes_state_change offset 0x8000000 size 0x200000 from 'populated' to 'discarded'", {
    kind: 'qemu.attributeChange',
    rule: 'P3',
    offset: 0x8000000n,
    size: 0x200000n,
    from: 'populated',
    to: 'discarded',
  }),
  one('P3 (mixture)', "ram_block_attributes_state_change offset 0x0 size 0x8000000 from 'mixture' to 'populated'", {
    kind: 'qemu.attributeChange',
    from: 'mixture',
    to: 'populated',
  }),
]);

const qemuError = (rule: string, detail: string, severity = 'error'): Fields => ({ kind: 'qemu.error', rule, severity, detail });

suite('sources: QEMU error_report (QE1, QE4, QE6–QE9, KE1–KE7, KE9)', QEMU_ERROR, [
  one('QE1', 'virtio-mem protocol violation: invalid request size: 16', qemuError('QE1', 'virtio-mem protocol violation: invalid request size: 16')),
  one('QE1 (response)', 'virtio-mem protocol violation: not enough space for response: 8', qemuError('QE1', 'virtio-mem protocol violation: not enough space for response: 8')),
  one('QE1 (type)', 'virtio-mem protocol violation: unknown request type: 7', qemuError('QE1', 'virtio-mem protocol violation: unknown request type: 7')),
  one('QE4', "-device virtio-mem-pci,id=vmem0,memdev=mem1,node=0,requested-size=0: 'memdev' property specifies a busy memdev: mem1", qemuError('QE4', "'memdev' property specifies a busy memdev: mem1")),
  one('QE4 (not set)', "-device virtio-mem-pci,id=vmem0: 'memdev' property is not set", qemuError('QE4', "'memdev' property is not set")),
  one('QE4 (block size)', "-device virtio-mem-pci,id=vmem0,memdev=mem1,block-size=1M: 'block-size' property has to be multiples of 'memdev' (0x200000)", qemuError('QE4', "'block-size' property has to be multiples of 'memdev' (0x200000)")),
  one('QE4 (mlock)', 'Incompatible with mlock', qemuError('QE4', 'Incompatible with mlock')),
  one('QE4 (discard)', 'Discarding RAM is disabled', qemuError('QE4', 'Discarding RAM is disabled')),
  one('QE6', "Error: 'requested-size' has to be multiples of 'block-size' (0x200000)", qemuError('QE6', "'requested-size' has to be multiples of 'block-size' (0x200000)")),
  one('QE6 (too big)', "Error: 'requested-size' cannot exceed the memory backend size(0x100000000)", qemuError('QE6', "'requested-size' cannot exceed the memory backend size(0x100000000)")),
  one('QE7', 'virtio_mem_rdm_register_listener: Replaying plugged ranges failed: Invalid argument', qemuError('QE7', 'virtio_mem_rdm_register_listener: Replaying plugged ranges failed: Invalid argument')),
  one('QE8', "Property 'block-size' changed from 0x200000 to 0x400000", qemuError('QE8', "Property 'block-size' changed from 0x200000 to 0x400000")),
  one('QE8 (size)', "Property 'memdev' size changed from 0x100000000 to 0x80000000", qemuError('QE8', "Property 'memdev' size changed from 0x100000000 to 0x80000000")),
  one('QE8 (node)', "Property 'node' changed from 0 to 1", qemuError('QE8', "Property 'node' changed from 0 to 1")),
  one('QE9', 'virtio-mem device cannot get unplugged while some of its memory is still plugged', qemuError('QE9', 'virtio-mem device cannot get unplugged while some of its memory is still plugged')),
  one('KE1', "failed to set memory (0x100000000+0x200000) with attr 0x8 error 'Invalid argument'", {
    kind: 'qemu.setAttributesFailed',
    rule: 'KE1',
    start: 0x100000000n,
    size: 0x200000n,
    attributes: 8n,
    error: 'Invalid argument',
  }),
  one('KE2', 'Convert non guest_memfd backed memory region (0x100000000 ,+ 0x200000) to private', {
    kind: 'qemu.convertNonGuestMemfd',
    rule: 'KE2',
    start: 0x100000000n,
    size: 0x200000n,
    to: 'private',
  }),
  one('KE3', 'kvm_set_phys_mem: failed to set memory attribute private: Invalid argument', qemuError('KE3', 'kvm_set_phys_mem: failed to set memory attribute private: Invalid argument')),
  one('KE4 (start)', 'ram_block_discard_range: Unaligned start address: 0x7f5a50001000', qemuError('KE4', 'ram_block_discard_range: Unaligned start address: 0x7f5a50001000')),
  one('KE4 (length)', 'ram_block_discard_range: Unaligned length: 1000', qemuError('KE4', 'ram_block_discard_range: Unaligned length: 1000')),
  one('KE4 (readonly)', 'ram_block_discard_range: Discarding RAM with readonly files is not supported', qemuError('KE4', 'ram_block_discard_range: Discarding RAM with readonly files is not supported')),
  one('KE4 (discard)', 'ram_block_discard_range: Failed to discard range vmem0:8000000 +200000 (-22)', qemuError('KE4', 'ram_block_discard_range: Failed to discard range vmem0:8000000 +200000 (-22)')),
  one('KE4 (overrun)', "ram_block_discard_range: Overrun block 'vmem0' (8000000/200000/100000000)", qemuError('KE4', "ram_block_discard_range: Overrun block 'vmem0' (8000000/200000/100000000)")),
  one('KE4 (fallocate, QEMU 9.2)', 'ram_block_discard_range: Failed to fallocate vmem0:8000000 +200000 (-95)', qemuError('KE4', 'ram_block_discard_range: Failed to fallocate vmem0:8000000 +200000 (-95)')),
  one('KE4 (fallocate, QEMU master)', 'ram_block_discard_shared_range: Failed to fallocate vmem0:8000000+0 +200000 (-95)', qemuError('KE4', 'ram_block_discard_shared_range: Failed to fallocate vmem0:8000000+0 +200000 (-95)')),
  one('KE5', 'ram_block_discard_guest_memfd_range: Failed to fallocate vmem0:8000000 +200000 (-22)', qemuError('KE5', 'ram_block_discard_guest_memfd_range: Failed to fallocate vmem0:8000000 +200000 (-22)')),
  one('KE5 (no fallocate)', 'ram_block_discard_guest_memfd_range: fallocate not available vmem0:8000000 +200000 (-95)', qemuError('KE5', 'ram_block_discard_guest_memfd_range: fallocate not available vmem0:8000000 +200000 (-95)')),
  one('KE6', 'ram_block_attributes_state_change, invalid range: offset 0x8000000, size 0x1000', qemuError('KE6', 'ram_block_attributes_state_change, invalid range: offset 0x8000000, size 0x1000')),
  one('KE7', '-object memory-backend-ram,id=mem1,size=4G: Failed to create ram block attribute', qemuError('KE7', 'Failed to create ram block attribute')),
  one('KE7 (blocked)', 'cannot set up private guest memory: discard currently blocked: Operation not permitted', qemuError('KE7', 'cannot set up private guest memory: discard currently blocked: Operation not permitted')),
  one('KE8 (memory fault flag)', 'KVM_EXIT_MEMORY_FAULT: Unknown flag 0x10', { kind: 'qemu.kvmRunFailed', rule: 'KE8', reason: 'memory fault with unknown flag 0x10' }),
  one('KE9', 'TDX: REPORT_FATAL_ERROR: invalid error code: 0x1', qemuError('KE9', 'TDX: REPORT_FATAL_ERROR: invalid error code: 0x1')),
]);

suite('sources: QEMU warn_report (QE3, QE5, KE4)', QEMU_WARNING, [
  one('QE3', 'Read unsupported THP size: 1000', qemuError('QE3', 'Read unsupported THP size: 1000', 'warning')),
  one('QE3 (fallback, two spaces)', 'Could not detect THP size, falling back to 2  MiB.', qemuError('QE3', 'Could not detect THP size, falling back to 2  MiB.', 'warning')),
  one('QE5', "'block-size' property is smaller than the default block size (2 MiB)", qemuError('QE5', "'block-size' property is smaller than the default block size (2 MiB)", 'warning')),
  one('QE5 (zeropage)', "'prealloc' property set to 'off' with a memdev that does not support the shared zeropage.", qemuError('QE5', "'prealloc' property set to 'off' with a memdev that does not support the shared zeropage.", 'warning')),
  one(
    'KE4 (private file mapping)',
    'ram_block_discard_range: Discarding RAM in private file mappings is possibly dangerous, because it will modify the underlying file and will affect other users of the file',
    qemuError(
      'KE4b',
      'ram_block_discard_range: Discarding RAM in private file mappings is possibly dangerous, because it will modify the underlying file and will affect other users of the file',
      'warning',
    ),
  ),
]);

suite('sources: QEMU stderr without a program name (KE8)', QEMU_STDERR, [
  one('KE8', 'error: kvm run failed Input/output error', { kind: 'qemu.kvmRunFailed', rule: 'KE8', reason: 'Input/output error' }),
  one('KE8 (EFAULT)', 'error: kvm run failed Bad address', { kind: 'qemu.kvmRunFailed', reason: 'Bad address' }),
  one('KE8 (unknown exit)', 'KVM: unknown exit, hardware reason 5', { kind: 'qemu.kvmRunFailed', reason: 'unknown exit, hardware reason 5' }),
]);

suite('sources: QEMU qemu_log_mask(LOG_GUEST_ERROR) (KE9)', QEMU_LOG, [
  one('KE9 (fatal error report)', 'TDX guest reports fatal error: error code: 0x2 error message:"accept failed"', qemuError('KE9', 'TDX guest reports fatal error: error code: 0x2 error message:"accept failed"')),
  one('KE9 (gpa page)', 'Additional error information can be found at gpa page: 0x7fd4c000', qemuError('KE9', 'Additional error information can be found at gpa page: 0x7fd4c000')),
]);

const seamcall = (rule: string, fn: string, status: bigint, regs: Fields = {}): Fields => ({
  kind: 'kvm.seamcallFailed',
  rule,
  fn,
  status,
  rcx: undefined,
  rdx: undefined,
  r8: undefined,
  ...regs,
});

suite('sources: host KVM TDX (K1–K9)', KERNEL, [
  one('K1', 'kvm_intel: Guest access before accepting 0x100a3c000 on vCPU 2', {
    kind: 'kvm.accessBeforeAccept',
    rule: 'K1',
    gpa: 0x100a3c000n,
    vcpu: 2,
  }),
  one('K2 (0 operands)', 'kvm_intel: SEAMCALL TDH_MEM_TRACK failed: 0x8000020000000000', seamcall('K2', 'TDH_MEM_TRACK', 0x8000020000000000n)),
  one('K2 (K5 WBINVD)', 'kvm_intel: SEAMCALL TDH_PHYMEM_PAGE_WBINVD failed: 0xc000010000000000', seamcall('K2', 'TDH_PHYMEM_PAGE_WBINVD', 0xc000010000000000n)),
  one('K3 (1 operand)', 'kvm_intel: SEAMCALL TDH_VP_FLUSH failed: 0x8000020000000000, rcx 0x1f2c3000', seamcall('K3', 'TDH_VP_FLUSH', 0x8000020000000000n, { rcx: 0x1f2c3000n })),
  one('K3 (2 operands, K4 AUG)', 'kvm_intel: SEAMCALL TDH_MEM_PAGE_AUG failed: 0xc0000b0d00000001, rcx 0x8000000108000007, rdx 0x100', seamcall('K3', 'TDH_MEM_PAGE_AUG', 0xc0000b0d00000001n, { rcx: 0x8000000108000007n, rdx: 0x100n })),
  one('K3 (2 operands, K5 REMOVE)', 'kvm_intel: SEAMCALL TDH_MEM_PAGE_REMOVE failed: 0xc0000b0d00000001, rcx 0x8000000107e00007, rdx 0x0', seamcall('K3', 'TDH_MEM_PAGE_REMOVE', 0xc0000b0d00000001n, { rcx: 0x8000000107e00007n, rdx: 0n })),
  one('K3 (2 operands, K6 BLOCK)', 'kvm_intel: SEAMCALL TDH_MEM_RANGE_BLOCK failed: 0xc0000b0c00000000, rcx 0x107e00000, rdx 0x0', seamcall('K3', 'TDH_MEM_RANGE_BLOCK', 0xc0000b0c00000000n, { rcx: 0x107e00000n, rdx: 0n })),
  one('K3 (3 operands, K7 SEPT_ADD)', 'kvm_intel: SEAMCALL TDH_MEM_SEPT_ADD failed: 0xc0000b0200000000, rcx 0x800000010fe00007, rdx 0x1, r8 0x0', seamcall('K3', 'TDH_MEM_SEPT_ADD', 0xc0000b0200000000n, { rcx: 0x800000010fe00007n, rdx: 1n, r8: 0n })),
  one('K8', 'kvm_intel: kvm [4321]: TD vp_enter_ret 0x8000000300000000', { kind: 'kvm.tdxError', rule: 'K8', status: 0x8000000300000000n }),
  one('K8 (as DOMAIN.md prints it)', 'kvm_intel: TD vp_enter_ret 0xc000091200000000', { kind: 'kvm.tdxError', rule: 'K8', status: 0xc000091200000000n }),
  one('K9 (RD)', 'kvm_intel: TDH_VP_RD[VMCS.0x4402] failed 0xc000010000000000', { kind: 'kvm.tdxError', rule: 'K9', status: 0xc000010000000000n }),
  one('K9 (WR)', 'kvm_intel: TDH_VP_WR[VMCS.0x4002] = 0x1f failed: 0xc000010000000000', { kind: 'kvm.tdxError', rule: 'K9', status: 0xc000010000000000n }),
  one('TDX host core SEAMCALL', 'virt/tdx: SEAMCALL (0x000000000000000f) failed: 0xc0000b0d00000001', seamcall('K2-core', 'TDH_MEM_PAGE_DEMOTE', 0xc0000b0d00000001n)),
]);

// ---- Multi-line records ----

const CUT = '------------[ cut here ]------------';
const END = '---[ end trace 0000000000000000 ]---';

suite('sources: kernel splats and panics, grouped as one record', KERNEL, [
  {
    id: 'V17 WARNING (old form, WARN_ON without message)',
    lines: [
      CUT,
      'WARNING: CPU: 0 PID: 71 at drivers/virtio/virtio_mem.c:2553 virtio_mem_refresh_config+0x130/0x140 [virtio_mem]',
      'Modules linked in: virtio_mem nf_tables sunrpc virtio_balloon loop fuse xfs virtio_net',
      'CPU: 0 UID: 0 PID: 71 Comm: kworker/0:2 Not tainted 6.15.0-rc2-coco+ #3 PREEMPT(voluntary)',
      'Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS unknown 2/2/2022',
      'Workqueue: events_freezable virtio_mem_run_wq [virtio_mem]',
      'RIP: 0010:virtio_mem_refresh_config+0x130/0x140 [virtio_mem]',
      'RSP: 0018:ffffc9000038fd98 EFLAGS: 00010206',
      'RAX: 0000000000000000 RBX: ffff888103a2c000 RCX: 0000000000000000',
      'FS:  0000000000000000(0000) GS:ffff88813bc00000(0000) knlGS:0000000000000000',
      'CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033',
      'CR2: 00007f2a8c3e4000 CR3: 000000000382c000 CR4: 0000000000750ef0',
      'Call Trace:',
      ' <TASK>',
      ' ? __warn+0x89/0x130',
      ' virtio_mem_run_wq+0x59/0xb30 [virtio_mem]',
      ' ret_from_fork_asm+0x1a/0x30',
      ' </TASK>',
      'irq event stamp: 18734',
      'hardirqs last  enabled at (18733): [<ffffffff81e7c8b4>] _raw_spin_unlock_irq+0x24/0x50',
      'hardirqs last disabled at (18734): [<ffffffff81e6a1d2>] __schedule+0xc52/0x1640',
      END,
    ],
    events: [
      {
        kind: 'kernel.splat',
        rule: 'splat',
        splat: 'warning',
        file: 'drivers/virtio/virtio_mem.c',
        fileLine: '2553',
        func: 'virtio_mem_refresh_config',
        cpu: 0,
        pid: 71,
        message: undefined,
      },
    ],
  },
  {
    id: 'T1 inside WARN_ONCE (new WARNING form)',
    lines: [
      CUT,
      'CPA VMM failure to convert memory (addr=000000008c6e2b1f, numpages=32768) to private: -5',
      'WARNING: arch/x86/mm/pat/set_memory.c:2248 at __set_memory_enc_pgtable+0x2f4/0x340, CPU#1: kworker/1:2/87',
      'CPU: 1 UID: 0 PID: 87 Comm: kworker/1:2 Not tainted 6.18.0-coco+ #7 PREEMPT(voluntary)',
      'Tainted: [W]=WARN',
      'RIP: 0010:__set_memory_enc_pgtable+0x2f4/0x340',
      'Call Trace:',
      ' <TASK>',
      ' set_memory_encrypted+0x1f/0x30',
      ' virtio_mem_sbm_coco_set_encrypted+0x6a/0xa0 [virtio_mem]',
      ' </TASK>',
      END,
    ],
    events: [
      {
        kind: 'kernel.splat',
        splat: 'warning',
        file: 'arch/x86/mm/pat/set_memory.c',
        fileLine: '2248',
        func: '__set_memory_enc_pgtable',
        cpu: 1,
        pid: 87,
        message: 'CPA VMM failure to convert memory (addr=000000008c6e2b1f, numpages=32768) to private: -5',
      },
      { kind: 'cpa.failure', rule: 'T1', numPages: 32768, to: 'private', errno: -5 },
    ],
  },
  {
    id: 'S1 inside WARN (old WARNING form)',
    lines: [
      CUT,
      'PVALIDATE failure: pfn 0x108000, action=1, size=0 - ret=255',
      'WARNING: CPU: 3 PID: 90 at arch/x86/coco/sev/core.c:1127 pval_terminate+0x3c/0x40',
      'Modules linked in: virtio_mem',
      'CPU: 3 UID: 0 PID: 90 Comm: kworker/3:1 Not tainted 6.15.0 #1',
      'RIP: 0010:pval_terminate+0x3c/0x40',
      END,
    ],
    events: [
      { kind: 'kernel.splat', splat: 'warning', file: 'arch/x86/coco/sev/core.c', fileLine: '1127', func: 'pval_terminate', cpu: 3, pid: 90 },
      { kind: 'snp.pvalidateFailed', rule: 'S1', pfn: 0x108000n, ret: 255 },
    ],
  },
  {
    id: 'K5 host WARNING in a module, then K3',
    lines: [
      CUT,
      'WARNING: CPU: 12 PID: 4321 at arch/x86/kvm/vmx/tdx.c:1683 tdx_sept_drop_private_spte+0x1c6/0x200 [kvm_intel]',
      'Modules linked in: kvm_intel kvm irqbypass',
      'CPU: 12 UID: 107 PID: 4321 Comm: qemu-system-x86 Not tainted 6.16.0 #1 PREEMPT(voluntary)',
      'RIP: 0010:tdx_sept_drop_private_spte+0x1c6/0x200 [kvm_intel]',
      ' kvm_gmem_fallocate+0x27a/0x300 [kvm]',
      'RIP: 0033:0x7f9f1a12b8aa',
      'RSP: 002b:00007ffd1e6a2cb8 EFLAGS: 00000246 ORIG_RAX: 000000000000011d',
      END,
      'kvm_intel: SEAMCALL TDH_MEM_PAGE_REMOVE failed: 0xc0000b0d00000001, rcx 0x8000000107e00007, rdx 0x0',
    ],
    events: [
      { kind: 'kernel.splat', splat: 'warning', file: 'arch/x86/kvm/vmx/tdx.c', fileLine: '1683', func: 'tdx_sept_drop_private_spte', cpu: 12, pid: 4321 },
      seamcall('K3', 'TDH_MEM_PAGE_REMOVE', 0xc0000b0d00000001n, { rcx: 0x8000000107e00007n, rdx: 0n }),
    ],
  },
  {
    id: 'V38 kernel BUG at with its Oops: headline',
    lines: [
      CUT,
      'kernel BUG at drivers/virtio/virtio_mem.c:2155!',
      'Oops: invalid opcode: 0000 [#1] PREEMPT SMP NOPTI',
      'CPU: 0 UID: 0 PID: 71 Comm: kworker/0:2 Not tainted 6.15.0 #3',
      'Workqueue: events_freezable virtio_mem_run_wq [virtio_mem]',
      'RIP: 0010:virtio_mem_sbm_unplug_any_sb_offline+0x1a0/0x1b0 [virtio_mem]',
      END,
    ],
    events: [
      {
        kind: 'kernel.splat',
        splat: 'bug',
        file: 'drivers/virtio/virtio_mem.c',
        fileLine: '2155',
        func: 'virtio_mem_sbm_unplug_any_sb_offline',
        message: 'invalid opcode: 0000 [#1] PREEMPT SMP NOPTI',
      },
    ],
  },
  {
    id: 'V38 kernel BUG at, older die() headline without Oops:',
    lines: [
      CUT,
      'kernel BUG at drivers/virtio/virtio_mem.c:1968!',
      'invalid opcode: 0000 [#1] SMP NOPTI',
      'CPU: 1 PID: 71 Comm: kworker/1:1 Not tainted 5.12.0 #1',
      'RIP: 0010:virtio_mem_deinit_hotplug+0x90/0xa0 [virtio_mem]',
      END,
    ],
    events: [
      { kind: 'kernel.splat', splat: 'bug', file: 'drivers/virtio/virtio_mem.c', fileLine: '1968', func: 'virtio_mem_deinit_hotplug' },
    ],
  },
  {
    id: 'BUG: page fault with #PF lines and Oops:',
    lines: [
      'BUG: unable to handle page fault for address: ffff888107e01000',
      '#PF: supervisor write access in kernel mode',
      '#PF: error_code(0x0002) - not-present page',
      'PGD 3801067 P4D 3801067 PUD 0 ',
      'Oops: Oops: 0002 [#1] PREEMPT SMP NOPTI',
      'CPU: 1 UID: 0 PID: 90 Comm: kworker/1:1 Not tainted 6.15.0 #3',
      'RIP: 0010:clear_page_erms+0x7/0x10',
      END,
    ],
    events: [
      {
        kind: 'kernel.splat',
        splat: 'bug',
        func: 'clear_page_erms',
        message: 'unable to handle page fault for address: ffff888107e01000',
        file: undefined,
      },
    ],
  },
  {
    id: 'Oops: on its own',
    lines: [
      'Oops: general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI',
      'CPU: 2 UID: 0 PID: 1187 Comm: bash Not tainted 6.15.0 #3',
      'RIP: 0010:virtio_mem_sbm_notify_going_online+0x31/0x90 [virtio_mem]',
      'Call Trace:',
      ' <TASK>',
      ' </TASK>',
      END,
    ],
    events: [
      {
        kind: 'kernel.splat',
        splat: 'oops',
        func: 'virtio_mem_sbm_notify_going_online',
        message: 'general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI',
      },
    ],
  },
  {
    id: 'T7 panic with its dump',
    lines: [
      'Kernel panic - not syncing: Unexpected EPT-violation on private memory.',
      'CPU: 1 UID: 0 PID: 1187 Comm: stress-ng Not tainted 6.12.0-rc7+ #12',
      'Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS unknown 2/2/2022',
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x5d/0x80',
      ' panic+0x118/0x2f0',
      ' </TASK>',
      'Kernel Offset: disabled',
      '---[ end Kernel panic - not syncing: Unexpected EPT-violation on private memory. ]---',
    ],
    events: [{ kind: 'kernel.panic', rule: 'panic', reason: 'eptViolation', message: 'Unexpected EPT-violation on private memory.' }],
  },
]);

suite('sources: QEMU register dump after KE8', QEMU_STDERR, [
  {
    id: 'KE8 + cpu_dump_state (long mode)',
    lines: [
      'error: kvm run failed Input/output error',
      'RAX=0000000000000000 RBX=ffff888107e01000 RCX=0000000000000200 RDX=0000000000000000',
      'RSI=ffff888107e01000 RDI=ffff888102c4a000 RBP=ffffc9000045bd30 RSP=ffffc9000045bd08',
      'R8 =0000000000000000 R9 =0000000000000000 R10=0000000000000000 R11=0000000000000000',
      'R12=ffff888107e01000 R13=0000000000001000 R14=ffffea00041f8040 R15=0000000000000000',
      'RIP=ffffffff81f7e7d7 RFL=00010246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=0',
      'ES =0000 0000000000000000 00000000 00000000',
      'CS =0010 0000000000000000 ffffffff 00a09b00 DPL=0 CS64 [-RA]',
      'SS =0018 0000000000000000 ffffffff 00c09300 DPL=0 DS   [-WA]',
      'LDT=0000 0000000000000000 00000000 00000000',
      'TR =0040 fffffe0000003000 00004087 00008b00 DPL=0 TSS64-busy',
      'GDT=     fffffe0000001000 0000007f',
      'IDT=     fffffe0000000000 00000fff',
      'CR0=80050033 CR2=00007f2a8c3e4000 CR3=0000000102a38000 CR4=00750ef0',
      'DR0=0000000000000000 DR1=0000000000000000 DR2=0000000000000000 DR3=0000000000000000 ',
      'DR6=00000000fffe0ff0 DR7=0000000000000400',
      'EFER=0000000000000d01',
      'Code=cc cc cc f3 0f 1e fa 0f 1f 44 00 00 48 89 f8 48 89 d1 <f3> a4 e9 71 8c 01 00 66 2e 0f 1f 84 00 00',
    ],
    events: [
      { kind: 'qemu.kvmRunFailed', rule: 'KE8', reason: 'Input/output error' },
      { kind: 'qemu.cpuDump', rule: 'KE8-dump', rip: 0xffffffff81f7e7d7n },
    ],
  },
  {
    id: 'KE8 + cpu_dump_state (reset state a TD shows)',
    lines: [
      'error: kvm run failed Input/output error',
      'EAX=00000000 EBX=00000000 ECX=00000000 EDX=00000000',
      'ESI=00000000 EDI=00000000 EBP=00000000 ESP=00000000',
      'EIP=0000fff0 EFL=00000002 [-------] CPL=0 II=0 A20=1 SMM=0 HLT=0',
      'ES =0000 00000000 0000ffff 00009300',
      'CS =f000 ffff0000 0000ffff 00009b00',
      'GDT=     00000000 0000ffff',
      'CR0=60000010 CR2=00000000 CR3=00000000 CR4=00000000',
      'EFER=0000000000000000',
      'Code=?? ?? ?? ?? <??> ?? ?? ?? ??',
    ],
    events: [
      { kind: 'qemu.kvmRunFailed', rule: 'KE8' },
      { kind: 'qemu.cpuDump', rule: 'KE8-dump', rip: 0xfff0n },
    ],
  },
]);

suite('sources: QEMU human monitor', MONITOR, [
  one('qom-set requested-size', '(qemu) qom-set vmem0 requested-size 2G', {
    kind: 'monitor.command',
    rule: 'HMP-qom-set',
    command: 'qom-set vmem0 requested-size 2G',
    requestedSize: { id: 'vmem0', size: 0x80000000n },
  }),
  one('qom-set by QOM path, bytes', '(qemu) qom-set /machine/peripheral/vmem0 requested-size 536870912', {
    kind: 'monitor.command',
    requestedSize: { id: 'vmem0', size: 0x20000000n },
  }),
  one('other command', '(qemu) info memory-devices', { kind: 'monitor.command', rule: 'HMP', command: 'info memory-devices' }),
  {
    id: 'info memory-devices output',
    lines: [
      'Memory device [virtio-mem]: "vmem0"',
      '  memaddr: 0x100000000',
      '  node: 0',
      '  requested-size: 2147483648',
      '  size: 48234496',
      '  max-size: 4294967296',
      '  block-size: 2097152',
      '  memdev: /objects/mem1',
    ],
    events: [
      {
        kind: 'monitor.memoryDevice',
        rule: 'HMP-memdev',
        type: 'virtio-mem',
        id: 'vmem0',
        memaddr: 0x100000000n,
        node: 0,
        requestedSize: 0x80000000n,
        size: 0x2e00000n,
        maxSize: 0x100000000n,
        blockSize: 0x200000n,
        memdev: '/objects/mem1',
      },
    ],
  },
]);

describe('sources: console wraps', () => {
  it('rejoins `plugged size` wrapped after `plugged`', async () => {
    const { events, summary } = await parseLines(['[ 5707.392231] virtio_mem virtio5: plugged', 'size: 0x80000000']);
    assert.equal(summary.unparsed, 0);
    assert.equal(summary.recognized, 2);
    assert.equal(events.length, 1);
    assertFields(events[0], { kind: 'vmem.size', rule: 'V15', size: 0x80000000n }, 'wrap');
    assert.equal(events[0].source.span, 2);
  });

  it('rejoins a range wrapped before its last number', async () => {
    const { events, summary } = await parseLines(['[  960.100283] virtio_mem virtio5: plugging memory: 0x108000000 -', '0x10fffffff']);
    assert.equal(summary.unparsed, 0);
    assert.equal(events.length, 1);
    assertFields(events[0], { kind: 'vmem.range', start: 0x108000000n, end: 0x110000000n }, 'wrap');
  });
});

suite('sources: platform lines (what kind of guest or host)', KERNEL, [
  one('PLAT-mem-encrypt', 'Memory Encryption Features active: Intel TDX', { kind: 'platform.info', what: 'memoryEncryption', detail: 'Intel TDX' }),
  one('PLAT-sev-status', 'SEV: Status: SEV SEV-ES SEV-SNP', { kind: 'platform.info', what: 'sevStatus', detail: 'SEV SEV-ES SEV-SNP' }),
  one('PLAT-cmdline', 'Kernel command line: BOOT_IMAGE=/vmlinuz root=/dev/vda1 virtio_mem.dyndbg=+p', {
    kind: 'platform.info',
    what: 'commandLine',
    dynamicDebug: true,
  }),
  one('PLAT-tdx-module', 'virt/tdx: module initialized', { kind: 'platform.info', what: 'tdxModule', detail: 'module initialized' }),
  one('PLAT-tdx-supported', 'kvm_intel: TDX is supported.', { kind: 'platform.info', what: 'tdxSupported' }),
]);

describe('sources: a console wrap inside a number', () => {
  it('does not take the cut number for the end of the range, and rejoins it', async () => {
    const { events, summary } = await parseLines(['[  960.100283] virtio_mem virtio5: plugging memory: 0x108000000 - 0x10ff', 'fffff']);
    assert.equal(summary.unparsed, 0);
    assert.equal(events.length, 1, show(events));
    assertFields(events[0], { kind: 'vmem.range', start: 0x108000000n, end: 0x110000000n }, 'wrap');
    assert.equal(events[0].source.span, 2);
  });
});

describe('sources: unrelated lines are ignored, neither events nor unparsed', () => {
  const NOISE = [
    'virtio_blk virtio1: [vda] 41943040 512-byte logical blocks',
    'virtio_blk virtio1: [vda] 41943040 512-byte logical blocks (21.5 GB/20.0 GiB)',
    'virtio_net virtio0 enp1s0: renamed from eth0',
    'Fallback order for Node 0: 0',
    'Fallback order for Node 0: 0 ',
    'Built 1 zonelists, mobility grouping on.  Total pages: 2064227',
    'ata1.00: failed command: READ DMA',
    'audit: type=1400 audit(1732855000.123:45): apparmor="STATUS"',
    'Memory: 2048000K/2097152K available',
    'Memory: 2048000K/2097152K available (16384K kernel code, 2890K rwdata, 10368K rodata, 4356K init, 4908K bss, 48916K reserved, 0K cma-reserved)',
    'br0: port 2(tap0) entered forwarding state',
    'hrtimer: interrupt took 2113720 ns',
  ];
  for (const line of NOISE) {
    it(line, () => assertIgnored(line));
  }

  it('QEMU noise: other trace events, other warnings, the monitor banner', async () => {
    const lines = [
      '2026-05-02T13:28:12.338115Z migrate_set_state new state active',
      '4321@1774365612.803117:virtio_set_status vdev 0x5600d8c3e2a0 val 15',
      "qemu-system-x86_64: warning: host doesn't support requested feature: CPUID.80000007H:EDX.invtsc [bit 8]",
      "QEMU 10.2.50 monitor - type 'help' for more information",
      '(qemu) ',
    ];
    const { events, summary } = await parseLines(lines);
    assert.equal(events.length, 0, show(events));
    assert.equal(summary.unparsed, 0);
    assert.equal(summary.ignored, lines.length);
  });

  it('a mail around a log: quoting, prose, an ellipsis', async () => {
    const lines = ['On Wed, Mar 25, 2026 at 10:14:02AM +0100, someone wrote:', '> Hi,', '>', '>   ...', '', 'Which userspace version is this with?'];
    const { events, summary } = await parseLines(lines);
    assert.equal(events.length, 0);
    assert.equal(summary.unparsed, 0);
    assert.equal(summary.ignored, lines.length);
  });
});
