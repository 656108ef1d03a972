/**
 * The scenario fixtures of DOMAIN.md §5 (test/fixtures/scenarios/F*), the captured mail
 * (test/fixtures/captured) and the demo example (examples/tdx-replug-failure): each file parses
 * with no unparsed line, its accounting adds up, and it yields exactly the events listed here,
 * written from the files' content (line → kind, rule and the fields that matter).
 */
import { strict as assert } from 'node:assert';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { HotplugEvent } from '../../src/core/events';
import { ingestAll } from '../../src/core/ingest';
import { fileSource } from '../../src/node/inputs';

/** The repository root: this file runs as out/test/unit/fixtures.test.js. */
const ROOT = join(__dirname, '..', '..', '..');

type Fields = Record<string, unknown>;
/** [line, kind, rule, fields]; the field `span` is checked against the event's source span. */
type Row = [number, string, string, Fields?];

const MB = 0x8000000n; // memory block
const SB = 0x200000n; // subblock = device block

// ---- Row builders for the formats that recur ----

const size = (line: number, rule: 'V15' | 'V16', value: bigint): Row => [
  line,
  'vmem.size',
  rule,
  { device: 'virtio5', which: rule === 'V15' ? 'plugged' : 'requested', size: value },
];
const vrange = (line: number, rule: string, op: string, start: bigint, end: bigint): Row => [line, 'vmem.range', rule, { device: 'virtio5', op, start, end }];
const vfailed = (line: number, rule: string, op: string, errno: number): Row => [line, 'vmem.opFailed', rule, { device: 'virtio5', op, errno }];
const geometry = (line: number, rule: string, field: string, value: bigint): Row => [line, 'vmem.geometry', rule, { device: 'virtio5', field, value }];
/** V1–V3, V4, V9, V10 of the common setup, from `first` on. */
const probe = (first: number, withNode = true): Row[] => [
  geometry(first, 'V1', 'startAddress', 0x100000000n),
  geometry(first + 1, 'V2', 'regionSize', 0x100000000n),
  geometry(first + 2, 'V3', 'deviceBlockSize', SB),
  ...(withNode ? [[first + 3, 'vmem.node', 'V4', { device: 'virtio5', node: 0 }] as Row] : []),
  geometry(first + (withNode ? 4 : 3), 'V9', 'memoryBlockSize', MB),
  geometry(first + (withNode ? 5 : 4), 'V10', 'subblockSize', SB),
];
const plug = (line: number, addr: bigint, nbBlocks: number): Row => [line, 'qemu.vmem.request', 'Q2', { op: 'plug', addr, nbBlocks }];
const unplug = (line: number, addr: bigint, nbBlocks: number): Row => [line, 'qemu.vmem.request', 'Q3', { op: 'unplug', addr, nbBlocks }];
const response = (line: number, type: number): Row => [line, 'qemu.vmem.response', 'Q1', { type }];
const resized = (line: number, oldSize: bigint, newSize: bigint): Row => [line, 'qemu.vmem.resized', 'Q6', { oldSize, newSize }];
const discard = (line: number, rule: 'P1' | 'P2', hostAddr: bigint, length: bigint): Row => [
  line,
  'qemu.discard',
  rule,
  { variant: rule === 'P1' ? 'range' : 'shared-range', ramBlock: 'vmem0', hostAddr, length, madvise: true, fallocate: false, ret: 0 },
];
const mapGpa = (line: number, gpa: bigint, attributes: bigint): Row => [line, 'qemu.mapGpa', 'K-Q1', { gpa, size: SB, attributes, flags: 1n }];
const convert = (line: number, start: bigint, to: 'private' | 'shared'): Row => [line, 'qemu.convert', 'K-Q2', { start, size: SB, to }];
/** `count` K-Q1/K-Q2 pairs converting consecutive 2 MiB chunks from `gpa` to private, from `first` on. */
function toPrivateBurst(first: number, gpa: bigint, count: number, stride = 2, extra?: (line: number, chunk: bigint, i: number) => Row): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    const line = first + i * stride;
    const chunk = gpa + BigInt(i) * SB;
    rows.push(mapGpa(line, chunk, 0x10n), convert(line + 1, chunk, 'private'));
    if (extra) rows.push(extra(line + 2, chunk, i));
  }
  return rows;
}
const acceptFailed = (line: number, start: bigint): Row => [line, 'tdx.acceptFailed', 'T2', { start, end: start + MB }];
const kvmRunFailed = (line: number): Row => [line, 'qemu.kvmRunFailed', 'KE8', { reason: 'Input/output error' }];
const cpuDump = (line: number, span: number, rip: bigint): Row => [line, 'qemu.cpuDump', 'KE8-dump', { span, rip }];
const splat = (line: number, span: number, fields: Fields): Row => [line, 'kernel.splat', 'splat', { span, ...fields }];
const cpa = (line: number, hashedAddr: string, numPages: number): Row => [line, 'cpa.failure', 'T1', { hashedAddr, numPages, to: 'private', errno: -5 }];

// ---- The expected events, file by file ----

const S = 'test/fixtures/scenarios';

const EXPECTED: Record<string, Row[]> = {
  [`${S}/F01-mainline-no-accept/guest.log`]: [
    [1, 'tdx.guestDetected', 'T12'],
    ...probe(4),
    size(10, 'V15', 0n),
    size(11, 'V16', 0n),
    size(14, 'V15', 0n),
    size(15, 'V16', MB),
    vrange(16, 'V18', 'plug', 0x100000000n, 0x108000000n),
    vrange(17, 'V25', 'add', 0x100000000n, 0x108000000n),
  ],
  [`${S}/F01-mainline-no-accept/qemu.log`]: [
    resized(2, 0n, 0x18000000n),
    plug(3, 0x100000000n, 64),
    response(4, 0),
    kvmRunFailed(5),
    cpuDump(6, 20, 0xffffffff81c3d2a7n),
  ],
  [`${S}/F01-mainline-no-accept/host.log`]: [[4, 'kvm.accessBeforeAccept', 'K1', { gpa: 0x100a3c000n, vcpu: 2 }]],

  [`${S}/F02-debug-td-ept-violation/guest.log`]: [
    [2, 'tdx.septVeMisconfigured', 'T8'],
    [3, 'tdx.guestDetected', 'T12'],
    ...probe(6, false),
    size(12, 'V15', 0n),
    size(13, 'V16', MB),
    vrange(14, 'V18', 'plug', 0x100000000n, 0x108000000n),
    vrange(15, 'V25', 'add', 0x100000000n, 0x108000000n),
    [16, 'kernel.panic', 'panic', { span: 40, reason: 'eptViolation', message: 'Unexpected EPT-violation on private memory.' }],
  ],

  [`${S}/F03-old-vmm-notifier-replug/guest.log`]: [
    size(1, 'V15', 0n),
    size(2, 'V16', 2n * MB),
    size(12, 'V15', 2n * MB),
    size(13, 'V16', MB),
    size(14, 'V15', MB),
    size(15, 'V16', 2n * MB),
    acceptFailed(16, 0x108000000n),
  ],
  [`${S}/F03-old-vmm-notifier-replug/qemu.log`]: [
    resized(2, 0n, 0x20000000n),
    plug(3, 0x100000000n, 64),
    response(4, 0),
    plug(5, 0x108000000n, 64),
    response(6, 0),
    unplug(7, 0x108000000n, 64),
    discard(8, 'P1', 0x7f5a50000000n, MB),
    response(9, 0),
    resized(10, 0x20000000n, 0x20000000n),
    plug(11, 0x108000000n, 64),
    response(12, 0),
  ],

  [`${S}/F04-coco-rfc-stale-private/guest.log`]: [
    size(1, 'V15', 2n * MB),
    size(2, 'V16', MB),
    vrange(3, 'V20', 'unplug', 0x108000000n, 0x110000000n),
    vrange(4, 'V28', 'offlineRemove', 0x108000000n, 0x110000000n),
    size(6, 'V15', MB),
    size(7, 'V16', 2n * MB),
    vrange(8, 'V18', 'plug', 0x108000000n, 0x110000000n),
    vrange(9, 'V25', 'add', 0x108000000n, 0x110000000n),
    splat(10, 53, {
      splat: 'warning',
      file: 'arch/x86/mm/pat/set_memory.c',
      fileLine: '2235',
      func: '__set_memory_enc_pgtable',
      cpu: 1,
      pid: 87,
      message: 'CPA VMM failure to convert memory (addr=000000008c6e2b1f, numpages=32768) to private: -5',
    }),
    cpa(11, '000000008c6e2b1f', 32768),
  ],
  [`${S}/F04-coco-rfc-stale-private/qemu.log`]: [
    unplug(1, 0x108000000n, 64),
    discard(2, 'P1', 0x7f5a50000000n, MB),
    response(3, 0),
    resized(4, 0x20000000n, 0x20000000n),
    plug(5, 0x108000000n, 64),
    response(6, 0),
    ...toPrivateBurst(7, 0x108000000n, 64),
  ],

  [`${S}/F05-fixed-vmm-clean-replug/qemu.log`]: [
    unplug(1, 0x108000000n, 64),
    discard(2, 'P2', 0x7f5a50000000n, MB),
    response(3, 0),
    resized(4, 0x20000000n, 0x20000000n),
    plug(5, 0x108000000n, 64),
    response(6, 0),
    ...toPrivateBurst(7, 0x108000000n, 64, 3, (line, chunk) => [
      line,
      'qemu.attributeChange',
      'P3',
      { offset: chunk - 0x100000000n, size: SB, from: 'populated', to: 'discarded' },
    ]),
  ],

  [`${S}/F06-admin-offline-online/guest.log`]: [
    splat(6, 44, {
      splat: 'warning',
      file: 'arch/x86/mm/pat/set_memory.c',
      fileLine: '2248',
      func: '__set_memory_enc_pgtable',
      cpu: 2,
      pid: 1187,
    }),
    cpa(7, '00000000b3f1a7c4', 32768),
    [50, 'mm.onlineFailed', 'M1', { start: 0x108000000n, end: 0x110000000n }],
  ],
  [`${S}/F06-admin-offline-online/qemu.log`]: toPrivateBurst(1, 0x108000000n, 64),

  [`${S}/F07-unplug-busy-migration/guest.log`]: [
    size(2, 'V15', MB),
    size(3, 'V16', MB - SB),
    vrange(4, 'V20', 'unplug', 0x107e00000n, 0x108000000n),
    vfailed(5, 'V21', 'unplug', -26),
    vrange(7, 'V20', 'unplug', 0x107e00000n, 0x108000000n),
    vfailed(8, 'V21', 'unplug', -26),
    vrange(9, 'V20', 'unplug', 0x107e00000n, 0x108000000n),
  ],
  [`${S}/F07-unplug-busy-migration/qemu.log`]: [
    mapGpa(3, 0x107e00000n, 0n),
    convert(4, 0x107e00000n, 'shared'),
    unplug(5, 0x107e00000n, 1),
    response(6, 2),
    mapGpa(7, 0x107e00000n, 0x10n),
    convert(8, 0x107e00000n, 'private'),
    mapGpa(9, 0x107e00000n, 0n),
    convert(10, 0x107e00000n, 'shared'),
    unplug(11, 0x107e00000n, 1),
    response(12, 2),
    mapGpa(13, 0x107e00000n, 0x10n),
    convert(14, 0x107e00000n, 'private'),
    mapGpa(17, 0x107e00000n, 0n),
    convert(18, 0x107e00000n, 'shared'),
    unplug(19, 0x107e00000n, 1),
    discard(20, 'P2', 0x7f5a4fe00000n, SB),
    response(21, 0),
  ],

  [`${S}/F08-reaccept-fails-leak/guest.log`]: [
    size(2, 'V15', MB),
    size(3, 'V16', MB - SB),
    vrange(4, 'V20', 'unplug', 0x107e00000n, 0x108000000n),
    vfailed(5, 'V21', 'unplug', -26),
    splat(6, 32, {
      splat: 'warning',
      file: 'arch/x86/mm/pat/set_memory.c',
      fileLine: '2235',
      func: '__set_memory_enc_pgtable',
      cpu: 0,
      pid: 1032,
    }),
    cpa(7, '00000000e41c09a3', 512),
    [38, 'vmem.cocoLeak', 'R1', { device: 'virtio5' }],
  ],
  [`${S}/F08-reaccept-fails-leak/qemu.log`]: [
    mapGpa(2, 0x107e00000n, 0n),
    convert(3, 0x107e00000n, 'shared'),
    unplug(4, 0x107e00000n, 1),
    response(5, 2),
    mapGpa(6, 0x107e00000n, 0x10n),
    convert(7, 0x107e00000n, 'private'),
  ],

  [`${S}/F09-convert-non-gmem/qemu.log`]: [
    resized(2, 0n, 0x18000000n),
    plug(3, 0x100000000n, 64),
    response(4, 0),
    mapGpa(5, 0x100000000n, 0x10n),
    convert(6, 0x100000000n, 'private'),
    [7, 'qemu.convertNonGuestMemfd', 'KE2', { start: 0x100000000n, size: SB, to: 'private' }],
    cpuDump(8, 20, 0xffffffff81084b1en),
  ],

  [`${S}/F10-double-plug-error/guest.log`]: [
    size(2, 'V15', MB),
    size(3, 'V16', 2n * MB),
    vrange(4, 'V18', 'plug', 0x100000000n, 0x108000000n),
    vfailed(5, 'V19', 'plug', -22),
    [6, 'vmem.broken', 'V31', { device: 'virtio5', errno: -22 }],
  ],
  [`${S}/F10-double-plug-error/qemu.log`]: [
    [2, 'monitor.command', 'HMP-qom-set', { requestedSize: { id: 'vmem0', size: 2n * MB } }],
    resized(3, 0x18000000n, 0x20000000n),
    plug(4, 0x100000000n, 64),
    response(5, 3),
    [6, 'monitor.command', 'HMP', { command: 'info memory-devices' }],
    [7, 'monitor.memoryDevice', 'HMP-memdev', { span: 8, id: 'vmem0', memaddr: 0x100000000n, requestedSize: 2n * MB, size: MB, maxSize: 0x100000000n, blockSize: SB }],
    [15, 'monitor.command', 'HMP-qom-set', { requestedSize: { id: 'vmem0', size: 4n * MB } }],
    resized(16, 0x20000000n, 0x30000000n),
    [17, 'monitor.command', 'HMP', { command: 'info memory-devices' }],
    [18, 'monitor.memoryDevice', 'HMP-memdev', { span: 8, id: 'vmem0', requestedSize: 4n * MB, size: MB }],
  ],

  [`${S}/F11-plug-nack-race/guest.log`]: [
    size(1, 'V15', 2n * MB),
    size(2, 'V16', 3n * MB),
    vrange(3, 'V18', 'plug', 0x110000000n, 0x118000000n),
    vfailed(4, 'V19', 'plug', -11),
    size(5, 'V15', 2n * MB),
    size(6, 'V16', MB),
    vrange(7, 'V20', 'unplug', 0x108000000n, 0x110000000n),
    vrange(8, 'V28', 'offlineRemove', 0x108000000n, 0x110000000n),
  ],
  [`${S}/F11-plug-nack-race/qemu.log`]: [
    resized(1, 0x20000000n, 0x28000000n),
    plug(2, 0x110000000n, 64),
    response(3, 1),
    unplug(4, 0x108000000n, 64),
    discard(5, 'P2', 0x7f5a50000000n, MB),
    response(6, 0),
  ],

  [`${S}/F12-plug-busy-migration/guest.log`]: [
    size(1, 'V15', 2n * MB),
    size(2, 'V16', 3n * MB),
    vrange(3, 'V18', 'plug', 0x110000000n, 0x118000000n),
    vfailed(4, 'V19', 'plug', -26),
    vrange(6, 'V18', 'plug', 0x110000000n, 0x118000000n),
    vrange(7, 'V25', 'add', 0x110000000n, 0x118000000n),
  ],
  [`${S}/F12-plug-busy-migration/qemu.log`]: [
    resized(3, 0x20000000n, 0x28000000n),
    plug(4, 0x110000000n, 64),
    response(5, 2),
    plug(8, 0x110000000n, 64),
    response(9, 0),
  ],

  [`${S}/F13-kexec-unplug-all/guest.log`]: [
    [3, 'tdx.guestDetected', 'T12'],
    ...probe(9),
    [15, 'vmem.notice', 'V12', { device: 'virtio5', notice: 'unplugAllRequired' }],
    [16, 'vmem.unplugAll', 'V22', { device: 'virtio5' }],
    size(17, 'V15', 0n),
    size(18, 'V16', MB),
    vrange(19, 'V18', 'plug', 0x100000000n, 0x108000000n),
    vrange(20, 'V25', 'add', 0x100000000n, 0x108000000n),
  ],
  [`${S}/F13-kexec-unplug-all/qemu.log`]: [
    [1, 'qemu.vmem.request', 'Q5', { op: 'unplugAll', addr: undefined }],
    discard(2, 'P1', 0x7f5a48000000n, 0x100000000n),
    [3, 'qemu.vmem.unpluggedAll', 'Q4'],
    resized(4, 0x20000000n, 0x18000000n),
    response(5, 0),
    plug(6, 0x100000000n, 64),
    response(7, 0),
  ],

  // The guest log starts in the kexec'd kernel (its own boot, no DYN lines); QEMU's trace holds
  // the first kernel's plug too. `unplugging all memory is required`: V12, dev_info in
  // drivers/virtio/virtio_mem.c, virtio_mem_init_hotplug() (virtio_mem_probe() before v5.16).
  [`${S}/F19-kexec-stale-private/guest.log`]: [
    [3, 'tdx.guestDetected', 'T12'],
    ...probe(9),
    [15, 'vmem.notice', 'V12', { device: 'virtio5', notice: 'unplugAllRequired' }],
    size(16, 'V15', 0n),
    size(17, 'V16', MB),
    acceptFailed(18, 0x100000000n),
    size(19, 'V15', MB),
    size(20, 'V16', 2n * MB),
  ],
  [`${S}/F19-kexec-stale-private/qemu.log`]: [
    resized(1, 0n, 0x18000000n),
    plug(2, 0x100000000n, 64),
    response(3, 0),
    [4, 'qemu.vmem.request', 'Q5', { op: 'unplugAll', addr: undefined }],
    discard(5, 'P1', 0x7f5a48000000n, 0x100000000n),
    [6, 'qemu.vmem.unpluggedAll', 'Q4'],
    resized(7, 0x18000000n, 0x18000000n),
    response(8, 0),
    plug(9, 0x100000000n, 64),
    response(10, 0),
    resized(11, 0x18000000n, 0x20000000n),
    plug(12, 0x108000000n, 64),
    response(13, 0),
  ],
  // Starts mid-stream (the ring buffer wrapped): block 33 is plugged in part, then added.
  [`${S}/F20-midstream-partial-block/guest.log`]: [
    size(1, 'V16', 0xa000000n),
    vrange(2, 'V18', 'plug', 0x108000000n, 0x10a000000n),
    vrange(3, 'V25', 'add', 0x108000000n, 0x110000000n),
    size(4, 'V15', 0xa000000n),
    size(5, 'V16', 0xa000000n),
    size(6, 'V15', 0xa000000n),
    size(7, 'V16', 0xc000000n),
    vrange(8, 'V18', 'plug', 0x10a000000n, 0x10c000000n),
    size(9, 'V15', 0xc000000n),
    size(10, 'V16', 0xc000000n),
  ],
  [`${S}/F14-plugged-size-mismatch/guest.log`]: [
    size(1, 'V15', MB),
    size(2, 'V16', MB),
    splat(3, 42, {
      splat: 'warning',
      file: 'drivers/virtio/virtio_mem.c',
      fileLine: '2553',
      func: 'virtio_mem_refresh_config',
      cpu: 0,
      pid: 71,
      message: undefined,
    }),
    size(45, 'V15', MB / 2n),
    size(46, 'V16', MB),
    vrange(47, 'V18', 'plug', 0x104000000n, 0x108000000n),
  ],

  [`${S}/F15-touch-after-discard/qemu.log`]: [
    unplug(1, 0x107e00000n, 1),
    discard(2, 'P2', 0x7f5a4fe00000n, SB),
    response(3, 0),
    kvmRunFailed(4),
    cpuDump(5, 20, 0xffffffff81f7e7d7n),
    kvmRunFailed(25),
    cpuDump(26, 20, 0xffffffff81e7b3ebn),
  ],
  [`${S}/F15-touch-after-discard/host.log`]: [[4, 'kvm.accessBeforeAccept', 'K1', { gpa: 0x107e01000n, vcpu: 0 }]],

  [`${S}/F16-host-seamcall-remove/host.log`]: [
    splat(2, 40, {
      splat: 'warning',
      file: 'arch/x86/kvm/vmx/tdx.c',
      fileLine: '1683',
      func: 'tdx_sept_drop_private_spte',
      cpu: 12,
      pid: 4321,
    }),
    [42, 'kvm.seamcallFailed', 'K3', { fn: 'TDH_MEM_PAGE_REMOVE', status: 0xc0000b0d00000001n, rcx: 0x8000000107e00007n, rdx: 0n, r8: undefined }],
  ],
  [`${S}/F16-host-seamcall-remove/qemu.log`]: [
    unplug(1, 0x107e00000n, 1),
    discard(2, 'P2', 0x7f5a4fe00000n, SB),
    response(3, 0),
    kvmRunFailed(4),
    cpuDump(5, 18, 0xfff0n),
  ],

  [`${S}/F17-snp-double-validate/guest.log`]: [
    size(1, 'V15', MB),
    size(2, 'V16', 2n * MB),
    vrange(3, 'V18', 'plug', 0x108000000n, 0x110000000n),
    vrange(4, 'V25', 'add', 0x108000000n, 0x110000000n),
    splat(5, 53, {
      splat: 'warning',
      file: 'arch/x86/coco/sev/core.c',
      fileLine: '1127',
      func: 'pval_terminate',
      cpu: 3,
      pid: 90,
      message: 'PVALIDATE failure: pfn 0x108000, action=1, size=0 - ret=255',
    }),
    [6, 'snp.pvalidateFailed', 'S1', { pfn: 0x108000n, action: 1, pageSize: 0, ret: 255 }],
  ],
  [`${S}/F17-snp-double-validate/qemu.log`]: [
    resized(1, 0x18000000n, 0x20000000n),
    plug(2, 0x108000000n, 64),
    response(3, 0),
    mapGpa(4, 0x108000000n, 0x10n),
    convert(5, 0x108000000n, 'private'),
  ],

  [`${S}/F18-release-failure/guest.log`]: [
    size(2, 'V15', MB),
    size(3, 'V16', MB - SB),
    [4, 'tdx.releaseFailed', 'T4', { start: 0x107e00000n, end: 0x108000000n }],
    [5, 'vmem.broken', 'V31', { device: 'virtio5', errno: -22 }],
  ],

  'test/fixtures/captured/tdx-replug-mail.log': [
    [7, 'vmem.size', 'V15', { span: 2, which: 'plugged', size: 16n * MB }],
    size(9, 'V16', 0n),
    size(10, 'V15', 0x2e00000n),
    size(11, 'V16', 16n * MB),
    acceptFailed(12, 0x108000000n),
    acceptFailed(13, 0x110000000n),
    acceptFailed(14, 0x140000000n),
  ],

  'examples/tdx-replug-failure/guest.log': [
    [1, 'tdx.guestDetected', 'T12'],
    ...probe(4),
    size(10, 'V15', 0n),
    size(11, 'V16', 0n),
    size(13, 'V15', 0n),
    size(14, 'V16', 16n * MB),
    size(18, 'V15', 16n * MB),
    size(19, 'V16', 0n),
    size(20, 'V15', 0x2e00000n),
    size(21, 'V16', 16n * MB),
    // The eight blocks whose accept failed after the re-plug (three captured, five more).
    ...[0x108000000n, 0x110000000n, 0x140000000n, 0x148000000n, 0x150000000n, 0x160000000n, 0x170000000n, 0x178000000n].map((start, i) =>
      acceptFailed(22 + i, start),
    ),
  ],
  'examples/tdx-replug-failure/qemu.log': exampleQemu(),
};

/** The QEMU 9.2 trace of the example: plug 2 GiB, unplug to 46 MiB, re-plug with one MapGPA burst. */
function exampleQemu(): Row[] {
  const rows: Row[] = [resized(2, 0n, 0x90000000n)];
  let line = 3;
  // The first plug: 16 whole memory blocks from 0x100000000.
  for (let i = 0n; i < 16n; i++) rows.push(plug(line++, 0x100000000n + i * MB, 64), response(line++, 0));
  // Requested size 0: the 15 upper blocks whole, from the top, each discarded (shared side only) ...
  for (let i = 15n; i >= 1n; i--) {
    rows.push(unplug(line++, 0x100000000n + i * MB, 64), discard(line++, 'P1', 0x7f5a48000000n + i * MB, MB), response(line++, 0));
  }
  // ... then the first block subblock by subblock, sb 63 down to 23: 23 subblocks (0x2e00000) stay.
  for (let sb = 63n; sb >= 23n; sb--) {
    rows.push(unplug(line++, 0x100000000n + sb * SB, 1), discard(line++, 'P1', 0x7f5a48000000n + sb * SB, SB), response(line++, 0));
  }
  assert.equal(line, 203);
  rows.push(resized(203, 0x90000000n, 0x90000000n), plug(204, 0x102e00000n, 41), response(205, 0));
  rows.push(plug(206, 0x108000000n, 64), response(207, 0), ...toPrivateBurst(208, 0x108000000n, 64));
  line = 336;
  for (let i = 2n; i < 16n; i++) rows.push(plug(line++, 0x100000000n + i * MB, 64), response(line++, 0));
  assert.equal(line, 364);
  return rows;
}

// ---- The test ----

function show(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
}

function logFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...logFilesUnder(path));
    else if (name.endsWith('.log')) out.push(relative(ROOT, path));
  }
  return out;
}

describe('fixtures: every scenario file parses into exactly its expected events', () => {
  const files = [...logFilesUnder(join(ROOT, 'test/fixtures')), ...logFilesUnder(join(ROOT, 'examples/tdx-replug-failure'))];

  it('has an expectation for every fixture file and a file for every expectation', () => {
    assert.deepStrictEqual([...files].sort(), Object.keys(EXPECTED).sort());
  });

  it('covers every scenario F1–F18 of DOMAIN.md §5, and the later ones (F19…) are numbered on', () => {
    const scenarios = new Set(files.map((f) => /scenarios\/F(\d\d)-/.exec(f)?.[1]).filter((n) => n !== undefined));
    assert.ok(scenarios.size >= 18);
    assert.deepStrictEqual([...scenarios].sort(), Array.from({ length: scenarios.size }, (_, i) => String(i + 1).padStart(2, '0')));
  });

  for (const file of Object.keys(EXPECTED).sort()) {
    it(file, async () => {
      const events: HotplugEvent[] = [];
      const summary = await ingestAll(await fileSource(join(ROOT, file)), 0, (event) => events.push(event));
      assert.equal(summary.unparsed, 0, `unparsed lines: ${show(summary.unparsedLines)}`);
      assert.equal(summary.recognized + summary.ignored + summary.unparsed, summary.lines, 'accounting');
      const actual = [...events].sort((a, b) => a.source.line - b.source.line);
      const expected = EXPECTED[file];
      const brief = (e: HotplugEvent): string => `${e.source.line} ${e.kind} ${e.rule}`;
      assert.deepStrictEqual(
        actual.map(brief),
        expected.map(([line, kind, rule]) => `${line} ${kind} ${rule}`),
        'events (line kind rule)',
      );
      expected.forEach(([line, , , fields = {}], i) => {
        const event = actual[i] as unknown as Fields & { source: { span: number } };
        for (const [key, value] of Object.entries(fields)) {
          const got = key === 'span' ? event.source.span : event[key];
          assert.deepStrictEqual(got, value, `line ${line}: ${key} of ${show(event)}`);
        }
      });
      // Every recognized line belongs to an event (a record, a rejoined wrap, or a one-line row).
      const covered = new Set<number>();
      for (const e of events) for (let l = e.source.line; l < e.source.line + e.source.span; l++) covered.add(l);
      assert.equal(summary.recognized, covered.size, 'recognized lines = lines covered by events');
    });
  }
});
