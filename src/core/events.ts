/**
 * The event vocabulary: one typed event per meaningful log record. Rule ids (`V15`, `Q2`, …)
 * are the row ids of DOMAIN.md §1; every event says which row produced it.
 *
 * Conventions: addresses and sizes are `bigint`; a range is `[start, end)` (end exclusive),
 * also where the log prints an inclusive last byte (`0x100000000 - 0x107ffffff`); errnos are
 * negative numbers as printed.
 */
import type { ClockKind } from './envelope/types';

/** Where an event came from: enough to jump to it in an editor. */
export interface SourceRef {
  /** The input's path as the user gave it. */
  path: string;
  /** 1-based number of the first physical line of the record. */
  line: number;
  /** Number of physical lines the record spans (2+ for rejoined wraps and grouped splats). */
  span: number;
  /** 0-based column range of the message in the first line. */
  column: number;
  endColumn: number;
  /** Byte offset of the first line in the input (for files too large to open as documents). */
  offset: number;
}

export interface EventTime {
  clock: ClockKind;
  micros: number;
}

/** Fields every event has. */
export interface EventBase {
  /** The DOMAIN.md row id, e.g. `V15`, `Q2`, `K3`, or `splat`/`monitor` for grouped records. */
  rule: string;
  source: SourceRef;
  /** The timestamp from the line's envelope; absent for lines printed without one. */
  time?: EventTime;
  /** Index of the input (0-based, in the order given) this event came from. */
  input: number;
  /**
   * Time on the merged timeline, in microseconds of the reference input's clock (see merge).
   * Absent when the input could not be aligned with the reference.
   */
  aligned?: number;
}

export type Range = { start: bigint; end: bigint };

// ---- Guest: virtio-mem driver (DOMAIN.md §1.1, §1.2) ----

/** Geometry printed at probe: V1 start address, V2 region size, V3 device block size,
 * V9 memory block size, V10 subblock size (SBM), V11 big block size (BBM). */
export interface VmemGeometryEvent extends EventBase {
  kind: 'vmem.geometry';
  device: string;
  field: 'startAddress' | 'regionSize' | 'deviceBlockSize' | 'memoryBlockSize' | 'subblockSize' | 'bigBlockSize';
  value: bigint;
}

/** V4: the device's NUMA node. */
export interface VmemNodeEvent extends EventBase {
  kind: 'vmem.node';
  device: string;
  node: number;
}

/** V15 `plugged size` / V16 `requested size`: printed on every config-change pass. */
export interface VmemSizeEvent extends EventBase {
  kind: 'vmem.size';
  device: string;
  which: 'plugged' | 'requested';
  size: bigint;
}

/** What a driver range line was about: V18 plug, V20 unplug, V24 state, V25 add,
 * V27 remove, V28 offline-and-remove. */
export type VmemOp = 'plug' | 'unplug' | 'unplugAll' | 'state' | 'add' | 'remove' | 'offlineRemove';

/** V18/V20/V24/V25/V27/V28 (dynamic debug): the driver is about to act on `range`. */
export interface VmemRangeEvent extends EventBase, Range {
  kind: 'vmem.range';
  device: string;
  op: Exclude<VmemOp, 'unplugAll'>;
}

/**
 * v5.8–v5.10's dynamic-debug lines name a Linux memory block by its id instead of addresses
 * (`plugging memory block: 33 : 0 - 31`, `adding memory block: 33`). The ingest turns them into
 * the `vmem.range` the newer wording gives as soon as the same log has printed the sizes the
 * driver computed with (`memory block size`, and `subblock size` for subblock ids); this event
 * is what is left when it has not: only what the line says for certain.
 */
export interface VmemBlockOpEvent extends EventBase {
  kind: 'vmem.blockOp';
  device: string;
  op: 'plug' | 'unplug' | 'add' | 'remove' | 'offlineRemove';
  /** The Linux memory block id (the address divided by the memory block size). */
  memoryBlock: bigint;
  /** First and last subblock of the memory block, both inclusive (plug and unplug only). */
  subblocks?: { first: number; last: number };
}

/** V22 (dynamic debug): the driver sends UNPLUG_ALL. */
export interface VmemUnplugAllEvent extends EventBase {
  kind: 'vmem.unplugAll';
  device: string;
}

/** V19/V21/V23/V24/V26/V27/V28: an operation failed with `errno` (-11 NACK, -26 BUSY, -22 ERROR). */
export interface VmemOpFailedEvent extends EventBase {
  kind: 'vmem.opFailed';
  device: string;
  op: VmemOp;
  errno: number;
}

/** V31: `unknown error, marking device broken: N`; the driver stops serving requests. */
export interface VmemBrokenEvent extends EventBase {
  kind: 'vmem.broken';
  device: string;
  errno: number;
}

/** Driver notices without numbers: V5–V8, V12–V14, V29, V30, V32–V37, and v5.8–v5.10's
 * `The block size is not supported (too big).` (blockSizeTooBig). */
export interface VmemNoticeEvent extends EventBase {
  kind: 'vmem.notice';
  device: string;
  notice:
    | 'startAlignment' | 'endAlignment' | 'notAddressable' | 'bbmBlockSizeNotPowerOf2' | 'bbmBlockSizeTooSmall'
    | 'unplugAllRequired' | 'reserveFailed' | 'reloadUnsupported' | 'configAccessDisabled'
    | 'onliningDenied' | 'fakeOfflineReferenced' | 'kdumpUnexpectedRun' | 'hibernationUnsupported'
    | 'suspendUnsupported' | 'kdumpDisabled' | 'vmcoreQueryFailed' | 'vmcoreAddFailed' | 'stillHasMemory'
    | 'blockSizeTooBig';
  /** The errno for the vmcore notices. */
  errno?: number;
}

/** `probe of virtio4 failed with error -16` (driver core) in its old and new wordings. */
export interface VmemProbeFailedEvent extends EventBase {
  kind: 'vmem.probeFailed';
  device: string;
  errno: number;
}

/** R1 (CoCo RFC): `CoCo set_encrypted failed, leaking memory`. */
export interface VmemCocoLeakEvent extends EventBase {
  kind: 'vmem.cocoLeak';
  device: string;
}

// ---- Guest: TDX and CPA (§1.3) ----

/** T1: `CPA VMM failure to convert memory (addr=…, numpages=N) to private|shared[: -5]`. Once per boot. */
export interface CpaFailureEvent extends EventBase {
  kind: 'cpa.failure';
  /** `%p`, hashed: cannot be mapped to a GPA. */
  hashedAddr: string;
  numPages: number;
  to: 'private' | 'shared';
  /** Absent in the older wording. */
  errno?: number;
}

/** T2/T3 `tdx: Failed to accept memory [a, b)` and T4 `tdx: Failed to release memory [a, b)`. */
export interface TdxRangeFailedEvent extends EventBase, Range {
  kind: 'tdx.acceptFailed' | 'tdx.releaseFailed';
}

/** T8: the TD runs without SEPT_VE_DISABLE (older and newer wording). */
export interface TdxSeptVeEvent extends EventBase {
  kind: 'tdx.septVeMisconfigured';
}

/** T12 `tdx: Guest detected`: the log is from a TD. */
export interface TdxGuestDetectedEvent extends EventBase {
  kind: 'tdx.guestDetected';
}

/** T9/T10: kexec conversions (`Failed to stop shared<->private conversions`, `Failed to unshare range`, …). */
export interface TdxKexecEvent extends EventBase {
  kind: 'tdx.kexec';
  problem: 'stopConversions' | 'unshareFailed' | 'accountingOff' | 'counts';
  range?: Range;
}

// ---- Guest: SEV-SNP (§1.4) ----

/** S1/S2 (posted SVSM series), S2b (v6.11+), S3: PVALIDATE failed; ret 255 = PVALIDATE_FAIL_NOUPDATE, 6 = SIZEMISMATCH. Guest terminates. */
export interface SnpPvalidateEvent extends EventBase {
  kind: 'snp.pvalidateFailed';
  /**
   * Page frame number (S1/S2), or S3's physical address divided by 4 KiB. Absent when S3
   * printed a kernel virtual address (`pvalidate_pages()`): that says nothing of the frame.
   */
  pfn?: bigint;
  /** S3's address when it is a kernel virtual address (at or above 2^52, where no physical address is). */
  vaddr?: bigint;
  /** 1 = validate, 0 = rescind; absent in the S3 wording. */
  action?: number;
  /** 0 = 4K, 1 = 2M; absent in the S3 wording. */
  pageSize?: number;
  ret: number;
  svsmRet?: bigint;
}

/** S4–S6: page state change failed or malformed; guest terminates. */
export interface SnpPscEvent extends EventBase {
  kind: 'snp.pscFailed';
  detail: 'psc' | 'reservedBit' | 'backwards' | 'wrongResponse' | 'changeFailed';
  ret?: number;
  exitInfo2?: bigint;
  address?: bigint;
}

// ---- Guest: memory hotplug core (§1.5) ----

/**
 * M1 `online_pages [mem …] failed`, M2 `memory offlining [mem …] failed[ due to REASON]`,
 * M5 `alloc_contig_range: [pfn, pfn) PFNs busy` (the range could not be taken out of the buddy:
 * virtio-mem's unplug of online memory fails with -EBUSY), M6 `removing memory fails, because
 * memory […] is onlined`, M7 `Unable to reserve System RAM region: …` (add_memory() fails).
 */
export interface MmRangeFailedEvent extends EventBase, Range {
  kind: 'mm.onlineFailed' | 'mm.offlineFailed' | 'mm.contigBusy' | 'mm.removeFailed' | 'mm.addFailed';
  reason?: string;
}

/**
 * M4 `Hotplug memory [a-b] exceeds maximum addressable range [c-d]` (v5.12+, mhp_range_allowed())
 * and v5.8–v5.11's WARN `Hotplugged memory exceeds maximum addressable address, range=a-b,
 * maximum=c`: memory the driver wanted to add lies beyond what the kernel can map.
 */
export interface MmNotAddressableEvent extends EventBase, Range {
  kind: 'mm.notAddressable';
  /** What the kernel can hot-add; `start` is 0 in the older wording, which prints only the maximum. */
  allowed: Range;
}

/**
 * M8 `migrating pfn %lx failed ret:%d` and M9 `failed to isolate pfn %lx` (mm/memory_hotplug.c
 * do_migrate_range(), while offlining) grouped with the dump_page() lines that follow them.
 */
export interface MmPageFailedEvent extends EventBase {
  kind: 'mm.pageFailed';
  step: 'migrate' | 'isolate';
  pfn: bigint;
  /** migrate_pages()'s result: a negative errno or how many pages were not migrated; absent for isolate. */
  ret?: number;
  /** From dump_page(), when its lines follow. */
  refcount?: number;
  mapcount?: number;
  /** The page flags as dump_page() prints them, e.g. `0x17ffffc0000000(node=0|zone=2|lastcpupid=0x1fffff)`. */
  flags?: string;
  /** `page dumped because: …` (`migration failure`, `isolation failed`). */
  reason?: string;
}

/** M3 `Block size [..] unaligned hotplug range: start .., size ..`. */
export interface MmUnalignedEvent extends EventBase {
  kind: 'mm.unalignedRange';
  blockSize: bigint;
  start: bigint;
  size: bigint;
}

// ---- QEMU: virtio-mem device traces (§1.6) ----

/** Q2 PLUG, Q3 UNPLUG, Q5 UNPLUG_ALL, Q7 STATE requests as the device received them. */
export interface QemuVmemRequestEvent extends EventBase {
  kind: 'qemu.vmem.request';
  op: 'plug' | 'unplug' | 'unplugAll' | 'state';
  addr?: bigint;
  nbBlocks?: number;
}

/** Q1: the answer to the last request; 0 ACK, 1 NACK, 2 BUSY, 3 ERROR. */
export interface QemuVmemResponseEvent extends EventBase {
  kind: 'qemu.vmem.response';
  type: number;
}

/** Q4: the device's memory was unplugged as a whole (UNPLUG_ALL or reset). */
export interface QemuVmemUnpluggedAllEvent extends EventBase {
  kind: 'qemu.vmem.unpluggedAll';
}

/** Q6: the usable region changed size (fields printed without a separator). */
export interface QemuVmemResizedEvent extends EventBase {
  kind: 'qemu.vmem.resized';
  oldSize: bigint;
  newSize: bigint;
}

/** Q8: the answer to a STATE request; 0 PLUGGED, 1 UNPLUGGED, 2 MIXED. */
export interface QemuVmemStateEvent extends EventBase {
  kind: 'qemu.vmem.state';
  state: number;
}

// ---- QEMU: KVM conversions and discards (§1.7) ----

/** K-Q1: MapGPA hypercall exit; `attributes` 0x10 = to private, 0x0 = to shared. */
export interface QemuMapGpaEvent extends EventBase {
  kind: 'qemu.mapGpa';
  gpa: bigint;
  size: bigint;
  attributes: bigint;
  flags: bigint;
}

/** K-Q2: QEMU converts `[start, start+size)`. */
export interface QemuConvertEvent extends EventBase {
  kind: 'qemu.convert';
  start: bigint;
  size: bigint;
  to: 'private' | 'shared';
}

/** K-Q3: KVM_EXIT_MEMORY_FAULT; flags bit 3 = the guest wants private. */
export interface QemuMemoryFaultEvent extends EventBase {
  kind: 'qemu.memoryFault';
  start: bigint;
  size: bigint;
  flags: bigint;
}

/** K-Q4: a memslot was (de)activated. */
export interface QemuSetUserMemoryEvent extends EventBase {
  kind: 'qemu.setUserMemory';
  addressSpace: number;
  slot: number;
  flags: bigint;
  gpa: bigint;
  size: bigint;
  userAddr: bigint;
  guestMemfd: number;
  guestMemfdOffset: bigint;
  ret: number;
}

/** P1 `ram_block_discard_range` (QEMU 9.2: shared side only) / P2 `ram_block_discard_shared_range`. */
export interface QemuDiscardEvent extends EventBase {
  kind: 'qemu.discard';
  /** P1 is the old name, whose discard spares guest_memfd; P2 the renamed one of QEMU master. */
  variant: 'range' | 'shared-range';
  ramBlock: string;
  hostAddr: bigint;
  length: bigint;
  madvise: boolean;
  fallocate: boolean;
  ret: number;
}

/** P3: RAM block attribute bitmap change; `populated` = shared, `discarded` = private. */
export interface QemuAttributeChangeEvent extends EventBase {
  kind: 'qemu.attributeChange';
  offset: bigint;
  size: bigint;
  from: string;
  to: string;
}

// ---- QEMU: error_report / stderr (§1.6 QE*, §1.7 KE*) ----

/** QE1–QE9 and KE3–KE7, KE9: a QEMU error or warning, identified by its row; `detail` keeps the text. */
export interface QemuErrorEvent extends EventBase {
  kind: 'qemu.error';
  severity: 'error' | 'warning';
  detail: string;
}

/** KE1: `failed to set memory (A+S) with attr X error '…'`. */
export interface QemuSetAttributesFailedEvent extends EventBase {
  kind: 'qemu.setAttributesFailed';
  start: bigint;
  size: bigint;
  attributes: bigint;
  error: string;
}

/** KE2: `Convert non guest_memfd backed memory region (A ,+ S) to private|shared`. */
export interface QemuConvertNonGmemEvent extends EventBase {
  kind: 'qemu.convertNonGuestMemfd';
  start: bigint;
  size: bigint;
  to: string;
}

/** KE8: `error: kvm run failed …` / unknown exit / memory-fault flag: the VM stops. */
export interface QemuKvmRunFailedEvent extends EventBase {
  kind: 'qemu.kvmRunFailed';
  reason: string;
}

/** A `cpu_dump_state()` register dump (RAX=… lines) grouped into one record. */
export interface QemuCpuDumpEvent extends EventBase {
  kind: 'qemu.cpuDump';
  rip?: bigint;
}

// ---- QEMU monitor (HMP) ----

/** `(qemu) qom-set vmem0 requested-size 2G` and other commands typed at the monitor. */
export interface MonitorCommandEvent extends EventBase {
  kind: 'monitor.command';
  command: string;
  /** For `qom-set ID requested-size SIZE`: the device id and the size in bytes. */
  requestedSize?: { id: string; size: bigint };
}

/** One `info memory-devices` entry (`Memory device [virtio-mem]: "vmem0"` and its fields). */
export interface MonitorMemoryDeviceEvent extends EventBase {
  kind: 'monitor.memoryDevice';
  type: string;
  id: string;
  memaddr?: bigint;
  node?: number;
  requestedSize?: bigint;
  size?: bigint;
  maxSize?: bigint;
  blockSize?: bigint;
  memdev?: string;
}

// ---- Host: KVM TDX (§1.8) ----

/** K1: `Guest access before accepting 0x… on vCPU n`; the VM is dead. */
export interface KvmAccessBeforeAcceptEvent extends EventBase {
  kind: 'kvm.accessBeforeAccept';
  gpa: bigint;
  vcpu: number;
}

/**
 * K2/K3 and every other wording of a failed SEAMCALL since 2020 (KVM's `SEAMCALL TDH_… failed:
 * 0x…[, rcx …]`, the TDX host core's `SEAMCALL (0x…) failed: 0x…` with its register lines, the
 * 2022–2024 host trees' `SEAMCALL failed: CPU n: leaf n, error 0x….` with `additional output:`),
 * decoded: leaf number → ABI name, status → name and operand.
 */
export interface KvmSeamcallFailedEvent extends EventBase {
  kind: 'kvm.seamcallFailed';
  /** KVM's name for the call (`TDH_MEM_PAGE_AUG`), or `leaf N` for a number the ABI table does not have. */
  fn: string;
  /** The leaf number (bits 15:0), printed or known from the name. */
  leaf?: number;
  /** The leaf version (bits 23:16), when not 0. */
  leafVersion?: number;
  /** `TDH.MEM.PAGE.AUG`, as the TDX module ABI names the call. */
  leafName?: string;
  status: bigint;
  /** `TDX_OPERAND_BUSY`, …, `TDX_SEAMCALL_UD`, or `unknown status 0x…`. */
  statusName: string;
  /** The operand the status's low bits name (`RCX`, `SEPT_ENTRY`, `EPT level 2M`; `none` for Linux's own statuses). */
  operand: string;
  /** The CPU, in the host trees' `SEAMCALL failed: CPU n: …` wordings. */
  cpu?: number;
  rcx?: bigint;
  rdx?: bigint;
  r8?: bigint;
  r9?: bigint;
  r10?: bigint;
  r11?: bigint;
  /** Outputs under KVM's variable names (`entry`, `level_state`), in the wording of 2025 on. */
  outputs?: Record<string, bigint>;
  /** Where a Secure-EPT walk stopped (`Secure EPT walk error: SEPTE …, level N, SEPT_PENDING`, 2021–2022 trees). */
  sept?: { entry: bigint; level: number; state: string };
}

/** K8 `TD vp_enter_ret 0x…` and K9 `TDH_VP_RD/WR[…] failed`. */
export interface KvmTdxErrorEvent extends EventBase {
  kind: 'kvm.tdxError';
  detail: string;
  status?: bigint;
}

// ---- Kernel splats (any source) ----

/** A WARNING/BUG/Oops report grouped with its `cut here` marker, dump and end marker. */
export interface KernelSplatEvent extends EventBase {
  kind: 'kernel.splat';
  splat: 'warning' | 'bug' | 'oops';
  /** `at FILE:LINE FUNC` or `kernel BUG at FILE:LINE!`; line may be a placeholder like `<line>`. */
  file?: string;
  fileLine?: string;
  func?: string;
  cpu?: number;
  pid?: number;
  /** The first line after `cut here` when it is not the WARNING line itself (WARN(1, fmt)). */
  message?: string;
  /** Line of the `WARNING: … at FILE:LINE FUNC` (or BUG) line inside the record. */
  siteLine?: number;
}

/** `Kernel panic - not syncing: …`. T5/T6/T7/T11 are recognised by their text. */
export interface KernelPanicEvent extends EventBase {
  kind: 'kernel.panic';
  message: string;
  reason: 'tdxReleaseReaccept' | 'tdxAccept' | 'eptViolation' | 'tdvmcall' | 'tdcall' | 'other';
}

// ---- Platform ----

/** What kind of guest or host the log is from: memory encryption, TDX module, command line. */
export interface PlatformInfoEvent extends EventBase {
  kind: 'platform.info';
  what: 'memoryEncryption' | 'sevStatus' | 'tdxModule' | 'tdxSupported' | 'commandLine' | 'snpHost';
  detail: string;
  /** For the command line: whether it turns on virtio-mem dynamic debug. */
  dynamicDebug?: boolean;
}

export type HotplugEvent =
  | VmemGeometryEvent | VmemNodeEvent | VmemSizeEvent | VmemRangeEvent | VmemBlockOpEvent | VmemUnplugAllEvent
  | VmemOpFailedEvent | VmemBrokenEvent | VmemNoticeEvent | VmemProbeFailedEvent | VmemCocoLeakEvent
  | CpaFailureEvent | TdxRangeFailedEvent | TdxSeptVeEvent | TdxGuestDetectedEvent | TdxKexecEvent
  | SnpPvalidateEvent | SnpPscEvent
  | MmRangeFailedEvent | MmUnalignedEvent | MmNotAddressableEvent | MmPageFailedEvent
  | QemuVmemRequestEvent | QemuVmemResponseEvent | QemuVmemUnpluggedAllEvent | QemuVmemResizedEvent
  | QemuVmemStateEvent
  | QemuMapGpaEvent | QemuConvertEvent | QemuMemoryFaultEvent | QemuSetUserMemoryEvent | QemuDiscardEvent
  | QemuAttributeChangeEvent
  | QemuErrorEvent | QemuSetAttributesFailedEvent | QemuConvertNonGmemEvent | QemuKvmRunFailedEvent
  | QemuCpuDumpEvent
  | MonitorCommandEvent | MonitorMemoryDeviceEvent
  | KvmAccessBeforeAcceptEvent | KvmSeamcallFailedEvent | KvmTdxErrorEvent
  | KernelSplatEvent | KernelPanicEvent
  | PlatformInfoEvent
  | KvmSeamcallSuppressedEvent
  | SnpHostRmpUpdateFailedEvent | SnpHostRmpEntryEvent | SnpHostLeakEvent | SnpHostDirectMapSplitFailedEvent
  | SnpHostRmpFaultEvent | SnpHostRmpSplitFailedEvent | SnpHostRmpLookupFailedEvent | SnpHostReclaimFailedEvent
  | SnpHostGuestTerminationEvent
  | QemuCrashedEvent | QemuGuestCrashedEvent | QemuVcpuSyncFailedEvent | QemuMemoryDeviceRefusedEvent | QemuMemslotFailedEvent;

// ---- Host: KVM TDX, continued ----

/**
 * `pr_tdx_error: 3 callbacks suppressed` (printk's ratelimit, printed before the next SEAMCALL
 * failure that gets through): `count` failures of that call site were not printed.
 */
export interface KvmSeamcallSuppressedEvent extends EventBase {
  kind: 'kvm.seamcallSuppressed';
  /** The function holding the ratelimited print: `pr_tdx_error`, `tdx_mem_page_aug`, … */
  func: string;
  count: number;
}

// ---- Host: SEV-SNP (arch/x86/virt/svm/sev.c, arch/x86/kvm/svm/sev.c) ----

/** One RMP entry as `dump_rmpentry()` prints it (raw `lo`/`hi` words of Zen 3/4 PPR format), decoded. */
export interface RmpEntry {
  pfn: bigint;
  lo: bigint;
  hi: bigint;
  assigned: boolean;
  /** 0 = 4K, 1 = 2M. */
  pageSize: number;
  immutable: boolean;
  /** The guest physical address the page is assigned to (bits 50:12 of `lo`). */
  gpa: bigint;
  asid: number;
  vmsa: boolean;
  validated: boolean;
}

/** What `dump_rmpentry()` printed after a failure, grouped with it. */
export interface RmpDump {
  /** The entry for the PFN itself (assigned), or the non-zero entries of its 2M region. */
  entries?: RmpEntry[];
  /** `PFN 0x… unassigned, dumping non-zero entries in 2M PFN region: [a - b]`: the PFN was not assigned. */
  unassigned?: boolean;
  /** `Failed to read RMP entry/contents for PFN …, error N`. */
  readError?: number;
}

/**
 * `SEV-SNP: RMPUPDATE failed for PFN …, pg_level: N, ret: N` (and its older and MMIO wordings)
 * with the RMP entry dump that follows it; also KVM's own RMP update failures.
 */
export interface SnpHostRmpUpdateFailedEvent extends EventBase, RmpDump {
  kind: 'snp.host.rmpUpdateFailed';
  pfn: bigint;
  gfn?: bigint;
  /** Linux page level (1 = 4K, 2 = 2M), absent in the first wording. */
  level?: number;
  /** KVM's allocation order, in the huge-page series' wording. */
  order?: number;
  /** RMPUPDATE's return code (1 FAIL_INPUT, 2 FAIL_PERMISSION, 3 FAIL_INUSE, 4 FAIL_OVERLAP) or KVM's errno. */
  ret: number;
  retName?: string;
  /** Who printed it: the host core's `rmpupdate()`, its MMIO variant, or KVM. */
  by: 'rmpupdate' | 'mmio' | 'kvm';
}

/** An RMP entry dump without a failure line before it (e.g. inside an RMP #PF report). */
export interface SnpHostRmpEntryEvent extends EventBase, RmpDump {
  kind: 'snp.host.rmpEntry';
  pfn: bigint;
}

/** `Leaking PFN range 0x…-0x…` and the dumps of the leaked pages: the pages are lost to the host. */
export interface SnpHostLeakEvent extends EventBase, RmpDump {
  kind: 'snp.host.leak';
  /** `[startPfn, endPfn)` as printed (`pfn`, `pfn + npages`). */
  startPfn: bigint;
  endPfn: bigint;
}

/** `Failed to split direct map for PFN 0x…, ret: N`: the RMPUPDATE that needed it returns -EFAULT. */
export interface SnpHostDirectMapSplitFailedEvent extends EventBase {
  kind: 'snp.host.directMapSplitFailed';
  pfn: bigint;
  ret: number;
}

/** `kvm_amd: SEV: Unexpected RMP fault …` in each of its forms. */
export interface SnpHostRmpFaultEvent extends EventBase {
  kind: 'snp.host.rmpFault';
  gpa: bigint;
  reason: 'unexpected' | 'nonPrivate' | 'sizeMismatchNonPrivate' | 'nonPrivateSlot' | 'noBackingPage' | 'noAssignedEntry';
  pfn?: bigint;
  errorCode?: bigint;
  error?: number;
}

/** PSMASH failures: `Unable to split RMP entry for GPA …`, `Failed to PSMASH RMP entry for PFN …`, `psmash failed, …`. */
export interface SnpHostRmpSplitFailedEvent extends EventBase {
  kind: 'snp.host.rmpSplitFailed';
  pfn?: bigint;
  gpa?: bigint;
  /** PSMASH's return code (1 FAIL_INPUT, 2 FAIL_PERMISSION, 3 FAIL_INUSE, …) or an errno. */
  ret: number;
  /** The `… due to potential race` wording: another vCPU split it first. */
  race?: boolean;
}

/** `SEV: Failed to retrieve RMP entry for PFN 0x… error N` (guest_memfd invalidation). */
export interface SnpHostRmpLookupFailedEvent extends EventBase {
  kind: 'snp.host.rmpLookupFailed';
  pfn: bigint;
  error: number;
}

/**
 * `Failed to reclaim PFN …[, rc N fw_err N]` (KVM_BUG / WARN_ONCE message in `snp_page_reclaim()`):
 * the firmware did not give a guest page back, and the page is leaked.
 */
export interface SnpHostReclaimFailedEvent extends EventBase {
  kind: 'snp.host.reclaimFailed';
  pfn: bigint;
  ret?: number;
  /** The SEV firmware's error code. */
  fwErr?: number;
}

/**
 * `SEV-ES guest requested termination: 0x…:0x…` (GHCB MSR protocol: reason set and code) and
 * `… : reason 0x… info 0x…` (the GHCB termination request's exit infos).
 */
export interface SnpHostGuestTerminationEvent extends EventBase {
  kind: 'snp.host.guestTermination';
  reasonSet?: number;
  reasonCode?: number;
  /** `GHCB_TERM_PVALIDATE`, …, when the set is 0 (general) or 1 (Linux). */
  reasonName?: string;
  /** The GHCB form's SW_EXITINFO1 and SW_EXITINFO2 as printed. */
  exitInfo1?: bigint;
  exitInfo2?: bigint;
}

/** Distributes Omit over the union so each member keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a table row builds: the event without the fields the pipeline fills in. */
export type EventBody = DistributiveOmit<HotplugEvent, 'source' | 'time' | 'input' | 'aligned'>;

// ---- QEMU: crashes, VM stops and refused memory devices ----

/**
 * QEMU died: a GLib `**` / `ERROR:file:line:func: assertion failed: (…)` report, a C library
 * `file:line: func: Assertion `…' failed.`, or a shell's `line N: PID Segmentation fault (core
 * dumped) qemu-system-…`, with the `Bail out!` and `Aborted (core dumped)` lines that follow
 * them as one record.
 */
export interface QemuCrashedEvent extends EventBase {
  kind: 'qemu.crashed';
  how: 'assertion' | 'signal';
  /** The source file, line and function of the failed assertion. */
  file?: string;
  fileLine?: number;
  func?: string;
  /** `assertion failed: (…)`, `code should not be reached`, or the C expression. */
  message?: string;
  /** The signal the shell reported: `Aborted`, `Segmentation fault`, `Killed`, … */
  signal?: string;
  coreDumped?: boolean;
  /** The shell's process id and the command it ran, when it names them. */
  pid?: number;
  command?: string;
}

/** `Guest crashed` (system/runstate.c qemu_system_guest_panicked): the guest panicked; QEMU stops or ends it. */
export interface QemuGuestCrashedEvent extends EventBase {
  kind: 'qemu.guestCrashed';
  /** The TDX form of the TDX QEMU series: the guest's message, error code and GPA on the same line. */
  message?: string;
  errorCode?: bigint;
  gpa?: bigint;
}

/** `Failed to get registers: …` / `Failed to put registers after reset|init: …`: KVM stops the VM. */
export interface QemuVcpuSyncFailedEvent extends EventBase {
  kind: 'qemu.vcpuSyncFailed';
  op: 'get' | 'put';
  reason: string;
}

/** hw/mem/memory-device.c refuses a memory device (`device_add`, `-device`): it never comes up. */
export interface QemuMemoryDeviceRefusedEvent extends EventBase {
  kind: 'qemu.memoryDeviceRefused';
  reason: 'noSpace' | 'memslots' | 'alignment' | 'outOfRange' | 'conflict' | 'fragmented' | 'tooBig' | 'noMaxmem';
  /** noSpace: bytes in use and in all of the device memory region. */
  used?: bigint;
  total?: bigint;
  /** outOfRange: the asked address and size, and the usable range for memory devices. */
  addr?: bigint;
  size?: bigint;
  rangeStart?: bigint;
  rangeSize?: bigint;
  /** alignment: the alignment the address must have. */
  align?: bigint;
  /** conflict: the id of the device whose range it overlaps. */
  conflictsWith?: string;
  detail: string;
}

/**
 * KE12: KVM refused a memory slot (`KVM_SET_USER_MEMORY_REGION[2] failed, slot=…`, with the
 * guest_memfd fields since QEMU 9.0), or `error registering slot`, after which QEMU aborts.
 */
export interface QemuMemslotFailedEvent extends EventBase {
  kind: 'qemu.memslotFailed';
  slot?: number;
  start?: bigint;
  size?: bigint;
  flags?: bigint;
  guestMemfd?: number;
  guestMemfdOffset?: bigint;
  /** strerror() text. */
  error: string;
}
