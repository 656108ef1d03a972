/**
 * The log lines the simulator writes, each from the verbatim format string of its DOMAIN.md §1
 * row (the row id is in the comment). Only messages: the timestamp prefixes come from logs.ts.
 */
import { hex } from './numbers';

// ---- Guest: virtio-mem driver (`dev_*` prefix `virtio_mem virtioN: `, §1.1) ----

/** One virtio-mem device's driver lines. Ranges are `[start, end)`; the driver prints the last byte. */
export class DriverLines {
  private readonly prefix: string;

  constructor(device: string) {
    this.prefix = `virtio_mem ${device}: `;
  }

  startAddress = (v: number): string => `${this.prefix}start address: ${hex(v)}`; // V1
  regionSize = (v: number): string => `${this.prefix}region size: ${hex(v)}`; // V2
  deviceBlockSize = (v: number): string => `${this.prefix}device block size: ${hex(v)}`; // V3
  nid = (node: number): string => `${this.prefix}nid: ${node}`; // V4
  memoryBlockSize = (v: number): string => `${this.prefix}memory block size: ${hex(v)}`; // V9
  subblockSize = (v: number): string => `${this.prefix}subblock size: ${hex(v)}`; // V10
  bigBlockSize = (v: number): string => `${this.prefix}big block size: ${hex(v)}`; // V11
  unplugAllRequired = (): string => `${this.prefix}unplugging all memory is required`; // V12
  pluggedSize = (v: number): string => `${this.prefix}plugged size: ${hex(v)}`; // V15
  requestedSize = (v: number): string => `${this.prefix}requested size: ${hex(v)}`; // V16
  plugging = (start: number, end: number): string => `${this.prefix}plugging memory: ${hex(start)} - ${hex(end - 1)}`; // V18
  pluggingFailed = (errno: number): string => `${this.prefix}plugging memory failed: ${errno}`; // V19
  unplugging = (start: number, end: number): string => `${this.prefix}unplugging memory: ${hex(start)} - ${hex(end - 1)}`; // V20
  unpluggingFailed = (errno: number): string => `${this.prefix}unplugging memory failed: ${errno}`; // V21
  unpluggingAll = (): string => `${this.prefix}unplugging all memory`; // V22
  unpluggingAllFailed = (errno: number): string => `${this.prefix}unplugging all memory failed: ${errno}`; // V23
  adding = (start: number, end: number): string => `${this.prefix}adding memory: ${hex(start)} - ${hex(end - 1)}`; // V25
  removing = (start: number, end: number): string => `${this.prefix}removing memory: ${hex(start)} - ${hex(end - 1)}`; // V27
  offliningAndRemoving = (start: number, end: number): string =>
    `${this.prefix}offlining and removing memory: ${hex(start)} - ${hex(end - 1)}`; // V28
  broken = (errno: number): string => `${this.prefix}unknown error, marking device broken: ${errno}`; // V31
}

// ---- Guest: TDX, CPA, SEV-SNP, memory hotplug core (§1.3–§1.5) ----

/** What a confidential guest prints early at boot: T12 and the memory encryption banner (TDX), the SEV banner and status (SNP). */
export const BOOT_BANNER: Readonly<Record<'tdx' | 'snp', readonly string[]>> = {
  tdx: ['tdx: Guest detected', 'Memory Encryption Features active: Intel TDX'],
  snp: ['Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP', 'SEV: Status: SEV SEV-ES SEV-SNP'],
};
/** T2 (notifier patch) and T3 (L-REL post-plug) share the text. */
export const tdxAcceptFailed = (start: number, end: number): string => `tdx: Failed to accept memory [${hex(start)}, ${hex(end)})`;
export const tdxReleaseFailed = (start: number, end: number): string => `tdx: Failed to release memory [${hex(start)}, ${hex(end)})`; // T4
/** T1, newer wording; `addr` is a hashed `%p`. */
export const cpaFailure = (hashed: string, pages: number, to: 'private' | 'shared'): string =>
  `CPA VMM failure to convert memory (addr=${hashed}, numpages=${pages}) to ${to}: -5`;
/** S1; `size` 0 = 4K, 1 = 2M; ret 255 = PVALIDATE_FAIL_NOUPDATE. */
export const pvalidateFailure = (pfn: number, validate: boolean): string =>
  `PVALIDATE failure: pfn ${hex(pfn)}, action=${validate ? 1 : 0}, size=0 - ret=255`;

/** `%#010llx`: `0x` and at least eight digits. */
const hex010 = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;
export const onlinePagesFailed = (start: number, end: number): string => `online_pages [mem ${hex010(start)}-${hex010(end - 1)}] failed`; // M1
export const offliningFailed = (start: number, end: number, reason: string): string =>
  `memory offlining [mem ${hex010(start)}-${hex010(end - 1)}] failed due to ${reason}`; // M2

interface Splat {
  message: string;
  cpu: number;
  pid: number;
  /** The task: a kworker for the driver's work queue, `bash` for a sysfs write. */
  comm: string;
  /** Printed for a kworker. */
  workqueue?: string;
  /** `file:line` of the WARN. */
  site: string;
  /** `func+0x…/0x…`. */
  func: string;
  /** Call trace frames below the WARN, innermost first. */
  frames: readonly string[];
}

/** A `WARN(1, fmt)` report as the kernel prints it (§1.0): cut marker, message, WARNING line, dump, end marker. */
export function warnSplat(s: Splat): string[] {
  return [
    '------------[ cut here ]------------',
    s.message,
    `WARNING: CPU: ${s.cpu} PID: ${s.pid} at ${s.site} ${s.func}`,
    'Modules linked in: virtio_mem virtio_net net_failover failover virtio_blk virtio_console',
    `CPU: ${s.cpu} UID: 0 PID: ${s.pid} Comm: ${s.comm} Not tainted 6.15.0 #1 PREEMPT(voluntary)`,
    'Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS unknown 2/2/2022',
    ...(s.workqueue !== undefined ? [`Workqueue: ${s.workqueue}`] : []),
    `RIP: 0010:${s.func}`,
    'Call Trace:',
    ' <TASK>',
    ...s.frames.map((f) => ` ${f}`),
    ' </TASK>',
    '---[ end trace 0000000000000000 ]---',
  ];
}

/** Where a failed conversion was called from, for its call trace. */
export interface ConversionSite {
  snp: boolean;
  toPrivate: boolean;
  /** From the memory notifier (MEM_GOING_ONLINE), not from the driver's plug/unplug code. */
  notifier: boolean;
  /** An admin's write to sysfs, not the driver's work queue. */
  sysfs: boolean;
}

/** The call trace of a failed set_memory_encrypted()/decrypted() below the WARN. */
export function conversionFrames(site: ConversionSite): string[] {
  const snp = site.toPrivate
    ? ['pvalidate_pages+0x12d/0x140', 'set_pages_state+0x1c0/0x3b0', 'snp_set_memory_private+0x54/0xd0', '__set_memory_enc_pgtable+0x11e/0x340']
    : ['pvalidate_pages+0x12d/0x140', 'set_pages_state+0x1c0/0x3b0', 'snp_set_memory_shared+0x54/0xd0', '__set_memory_enc_pgtable+0x11e/0x340'];
  const notifier = [
    'virtio_mem_memory_notifier_cb+0x3c2/0x5d0 [virtio_mem]',
    'notifier_call_chain+0x5a/0xd0',
    'online_pages+0x1a3/0x2b0',
    'memory_subsys_online+0x11b/0x190',
    'device_online+0x5f/0x90',
  ];
  const sysfs = ['state_store+0x8c/0xf0', 'kernfs_fop_write_iter+0x13b/0x1d0', 'vfs_write+0x29b/0x460', 'ksys_write+0x6d/0xf0', 'do_syscall_64+0x82/0x170'];
  const workqueue = ['virtio_mem_run_wq+0x79f/0xb30 [virtio_mem]', 'process_one_work+0x179/0x390', 'worker_thread+0x237/0x350', 'kthread+0xe4/0x110', 'ret_from_fork+0x34/0x50'];
  return [
    ...(site.snp ? snp : []),
    site.toPrivate ? 'set_memory_encrypted+0x1f/0x30' : 'set_memory_decrypted+0x1f/0x30',
    ...(site.notifier ? notifier : []),
    ...(site.notifier && !site.sysfs ? ['online_memory_block+0x1d/0x30', 'add_memory_driver_managed+0x8b/0xd0', 'virtio_mem_add_memory+0x4d/0xa0 [virtio_mem]'] : []),
    ...(site.sysfs ? sysfs : workqueue),
  ];
}

// ---- QEMU: virtio-mem trace events (§1.6) and KVM conversion / discard traces (§1.7) ----

export const qemuResponse = (type: number): string => `virtio_mem_send_response type=${type}`; // Q1
export const qemuPlugRequest = (addr: number, blocks: number): string => `virtio_mem_plug_request addr=${hex(addr)} nb_blocks=${blocks}`; // Q2
export const qemuUnplugRequest = (addr: number, blocks: number): string => `virtio_mem_unplug_request addr=${hex(addr)} nb_blocks=${blocks}`; // Q3
/** Q4 and Q5 have an empty format: the log backend still prints the space after the name. */
export const qemuUnpluggedAll = 'virtio_mem_unplugged_all ';
export const qemuUnplugAllRequest = 'virtio_mem_unplug_all_request ';
/** Q6: no separator between the fields. */
export const qemuResized = (oldSize: number, newSize: number): string =>
  `virtio_mem_resized_usable_region old_size=${hex(oldSize)}new_size=${hex(newSize)}`;
export const qemuMapGpa = (gpa: number, size: number, toPrivate: boolean): string =>
  `kvm_hc_map_gpa_range gpa ${hex(gpa)} size ${hex(size)} attributes ${toPrivate ? '0x10' : '0x0'} flags 0x1`; // K-Q1
export const qemuConvert = (start: number, size: number, toPrivate: boolean): string =>
  `kvm_convert_memory start ${hex(start)} size ${hex(size)} ${toPrivate ? 'shared_to_private' : 'private_to_shared'}`; // K-Q2
/** K-Q3; flags 0x8 = KVM_MEMORY_EXIT_FLAG_PRIVATE. */
export const qemuMemoryFault = (start: number, size: number): string => `kvm_memory_fault start ${hex(start)} size ${hex(size)} flags 0x8`;
/** P1 (QEMU 9.2 name) or P2 (QEMU master: `ram_block_discard_shared_range`), same format. */
export const qemuDiscard = (sharedName: boolean, ramBlock: string, hva: number, length: number): string =>
  `ram_block_discard_${sharedName ? 'shared_range' : 'range'} ${ramBlock}@${hex(hva)} + ${hex(length)}: madvise: 1 fallocate: 0 ret: 0`;

/** KE8, then cpu_dump_state() of a TD: QEMU cannot read its registers and shows the reset state. */
export const QEMU_KVM_RUN_FAILED: readonly string[] = [
  'error: kvm run failed Input/output error',
  'EAX=00000000 EBX=00000000 ECX=00000000 EDX=00000000',
  'ESI=00000000 EDI=00000000 EBP=00000000 ESP=00000000',
  'EIP=0000fff0 EFL=00000002 [-------] CPL=0 II=0 A20=1 SMM=0 HLT=0',
  'ES =0000 00000000 0000ffff 00009300',
  'CS =f000 ffff0000 0000ffff 00009b00',
  'SS =0000 00000000 0000ffff 00009300',
  'DS =0000 00000000 0000ffff 00009300',
  'FS =0000 00000000 0000ffff 00009300',
  'GS =0000 00000000 0000ffff 00009300',
  'LDT=0000 00000000 0000ffff 00008200',
  'TR =0000 00000000 0000ffff 00008b00',
  'GDT=     00000000 0000ffff',
  'IDT=     00000000 0000ffff',
  'CR0=60000010 CR2=00000000 CR3=00000000 CR4=00000000',
  'DR0=0000000000000000 DR1=0000000000000000 DR2=0000000000000000 DR3=0000000000000000',
  'DR6=00000000ffff0ff0 DR7=0000000000000400',
  'EFER=0000000000000000',
];

// ---- Host: KVM TDX (§1.8) ----

export const hostAccessBeforeAccept = (gpa: number, vcpu: number): string => `kvm_intel: Guest access before accepting ${hex(gpa)} on vCPU ${vcpu}`; // K1
