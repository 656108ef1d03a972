/**
 * The guest wordings of every kernel since virtio-mem (v5.8): each line as its source prints it,
 * named beside it (file, function, versions), under every kernel prefix style. The rows that
 * sources.test.ts already holds are not repeated here; guest-corpus.test.ts reads them all at
 * once.
 */
import { strict as assert } from 'node:assert';
import { assertFields, assertIgnored, type Fields, KERNEL, parseLines, printedBy, show, suite } from '../../helpers/source-cases';

const D = 'virtio_mem virtio0: ';
const V58 = 'drivers/virtio/virtio_mem.c v5.8–v5.10';
const notice = (rule: string, what: string): Fields => ({ kind: 'vmem.notice', rule, device: 'virtio0', notice: what });
const range = (rule: string, op: string, start: bigint, end: bigint): Fields => ({ kind: 'vmem.range', rule, device: 'virtio0', op, start, end });

/** What a v5.10 guest prints at probe (virtio_mem_init(), dev_info): the sizes the id lines are computed with. */
const PROBE_V510 = [
  `${D}start address: 0x140000000`,
  `${D}region size: 0x100000000`,
  `${D}device block size: 0x200000`,
  `${D}memory block size: 0x8000000`,
  `${D}subblock size: 0x400000`,
];
const PROBE_EVENTS: Fields[] = [
  { kind: 'vmem.geometry', rule: 'V1', field: 'startAddress', value: 0x140000000n },
  { kind: 'vmem.geometry', rule: 'V2', field: 'regionSize', value: 0x100000000n },
  { kind: 'vmem.geometry', rule: 'V3', field: 'deviceBlockSize', value: 0x200000n },
  { kind: 'vmem.geometry', rule: 'V9', field: 'memoryBlockSize', value: 0x8000000n },
  { kind: 'vmem.geometry', rule: 'V10', field: 'subblockSize', value: 0x400000n },
];

suite('guest wordings: virtio-mem driver v5.8–v5.10, kdump and probe failures', KERNEL, [
  printedBy('V3b', `${V58} virtio_mem_init()`, `${D}The block size is not supported (too big).`, notice('V3b', 'blockSizeTooBig')),
  printedBy('V7-old', 'drivers/virtio/virtio_mem.c v5.8–v5.11 virtio_mem_init()', `${D}Some memory is not addressable. This can make some memory unusable.`, notice('V7-old', 'notAddressable')),
  printedBy('V30-old', `${V58} virtio_mem_notify_going_offline() dump_page()`, 'page dumped because: unplugged page referenced', {
    kind: 'vmem.notice',
    rule: 'V30',
    notice: 'fakeOfflineReferenced',
  }),
  printedBy('V26-mb', `${V58} virtio_mem_mb_plug_and_add() dev_err`, `${D}adding memory block 42 failed with -12`, {
    kind: 'vmem.opFailed',
    rule: 'V26-mb',
    device: 'virtio0',
    op: 'add',
    errno: -12,
  }),
  printedBy('PROBE-rejects', 'drivers/base/dd.c call_driver_probe() dev_dbg, 2024+', `virtio_mem virtio5: probe with driver virtio_mem rejects match -19`, {
    kind: 'vmem.probeFailed',
    rule: 'PROBE-rejects',
    device: 'virtio5',
    errno: -19,
  }),
  printedBy('PROBE-old-rejects', 'drivers/base/dd.c really_probe()/call_driver_probe() pr_debug, before 2024', 'virtio_mem: probe of virtio5 rejects match -6', {
    kind: 'vmem.probeFailed',
    rule: 'PROBE-old-rejects',
    device: 'virtio5',
    errno: -6,
  }),
  {
    id: 'V35-old then PROBE-old',
    source: `${V58}–v5.15 virtio_mem_init() dev_warn, then drivers/base/dd.c pr_warn`,
    lines: [`${D}disabled in kdump kernel`, 'virtio_mem: probe of virtio0 failed with error -16'],
    events: [notice('V35', 'kdumpDisabled'), { kind: 'vmem.probeFailed', rule: 'PROBE-old', device: 'virtio0', errno: -16 }],
  },
  {
    id: 'V35-novmcore then PROBE',
    source: 'drivers/virtio/virtio_mem.c v5.16+ virtio_mem_init_kdump() without CONFIG_PROC_VMCORE, then the 2024+ driver core',
    lines: [`${D}disabled in kdump kernel without vmcore`, 'virtio_mem virtio0: probe with driver virtio_mem failed with error -16'],
    events: [notice('V35', 'kdumpDisabled'), { kind: 'vmem.probeFailed', rule: 'PROBE', device: 'virtio0', errno: -16 }],
  },
]);

suite('guest wordings: v5.8–v5.10 memory block ids become the ranges newer drivers print', KERNEL, [
  {
    id: 'probe, plug and add, unplug, offline-and-remove, remove',
    source: `${V58}: virtio_mem_init() dev_info, virtio_mem_mb_plug_sb(), virtio_mem_mb_add(), virtio_mem_mb_unplug_sb(), virtio_mem_mb_offline_and_remove(), virtio_mem_mb_remove() dev_dbg`,
    lines: [
      ...PROBE_V510,
      `${D}plugging memory block: 40 : 0 - 31`,
      `${D}adding memory block: 40`,
      `${D}plugging memory block: 41 : 0 - 15`,
      `${D}adding memory block: 41`,
      `${D}unplugging memory block: 41 : 8 - 15`,
      `${D}offlining and removing memory block: 41`,
      `${D}removing memory block: 40`,
    ],
    events: [
      ...PROBE_EVENTS,
      // Memory block 40 × 128 MiB = 0x140000000; its subblocks 0–31 of 4 MiB are all of it.
      range('V18-mb', 'plug', 0x140000000n, 0x148000000n),
      range('V25-mb', 'add', 0x140000000n, 0x148000000n),
      range('V18-mb', 'plug', 0x148000000n, 0x14c000000n),
      range('V25-mb', 'add', 0x148000000n, 0x150000000n),
      range('V20-mb', 'unplug', 0x14a000000n, 0x14c000000n),
      range('V28-mb', 'offlineRemove', 0x148000000n, 0x150000000n),
      range('V27-mb', 'remove', 0x140000000n, 0x148000000n),
    ],
  },
  {
    id: 'a log cut after the probe keeps the ids',
    source: V58,
    lines: [`${D}plugging memory block: 40 : 0 - 31`, `${D}adding memory block: 40`, `${D}removing memory block: 40`],
    events: [
      { kind: 'vmem.blockOp', rule: 'V18-mb', device: 'virtio0', op: 'plug', memoryBlock: 40n, subblocks: { first: 0, last: 31 } },
      { kind: 'vmem.blockOp', rule: 'V25-mb', device: 'virtio0', op: 'add', memoryBlock: 40n, subblocks: undefined },
      { kind: 'vmem.blockOp', rule: 'V27-mb', device: 'virtio0', op: 'remove', memoryBlock: 40n },
    ],
  },
  {
    id: 'the memory block size alone places whole blocks, not subblocks',
    source: V58,
    lines: [`${D}memory block size: 0x8000000`, `${D}plugging memory block: 40 : 0 - 31`, `${D}adding memory block: 40`],
    events: [
      { kind: 'vmem.geometry', field: 'memoryBlockSize' },
      { kind: 'vmem.blockOp', op: 'plug', memoryBlock: 40n },
      range('V25-mb', 'add', 0x140000000n, 0x148000000n),
    ],
  },
  {
    id: 'a size no driver prints (not a power of two) is not used',
    source: V58,
    lines: [`${D}memory block size: 0x8000001`, `${D}adding memory block: 40`],
    events: [{ kind: 'vmem.geometry', value: 0x8000001n }, { kind: 'vmem.blockOp', op: 'add', memoryBlock: 40n }],
  },
  {
    id: 'subblocks past the end of the memory block are not made into a range',
    source: V58,
    lines: [`${D}memory block size: 0x8000000`, `${D}subblock size: 0x400000`, `${D}plugging memory block: 40 : 0 - 63`],
    events: [{ kind: 'vmem.geometry' }, { kind: 'vmem.geometry' }, { kind: 'vmem.blockOp', op: 'plug', subblocks: { first: 0, last: 63 } }],
  },
  {
    id: 'each device its own subblock size, the kernel one memory block size',
    source: V58,
    lines: [
      `${D}memory block size: 0x8000000`,
      `${D}subblock size: 0x400000`,
      'virtio_mem virtio1: subblock size: 0x800000',
      'virtio_mem virtio1: plugging memory block: 64 : 2 - 3',
      `${D}plugging memory block: 40 : 2 - 3`,
    ],
    events: [
      { kind: 'vmem.geometry' },
      { kind: 'vmem.geometry' },
      { kind: 'vmem.geometry', device: 'virtio1' },
      { kind: 'vmem.range', device: 'virtio1', op: 'plug', start: 0x201000000n, end: 0x202000000n },
      range('V18-mb', 'plug', 0x140800000n, 0x141000000n),
    ],
  },
]);

const DYNDBG = 'lib/dynamic_debug.c __dynamic_emit_prefix()';

suite('guest wordings: dev_dbg and pr_debug lines decorated by dynamic debug (dyndbg=+pmflt)', KERNEL, [
  printedBy('+pmfl on a v5.11+ range line', `${DYNDBG}, ${'drivers/virtio/virtio_mem.c'} virtio_mem_add_memory()`, `virtio_mem:virtio_mem_add_memory:612: ${D}adding memory: 0x140000000 - 0x147ffffff`, range('V25', 'add', 0x140000000n, 0x148000000n)),
  printedBy('+pt on a v5.8 id line', `${DYNDBG}, ${V58} virtio_mem_mb_add()`, `[71] ${D}adding memory block: 40`, {
    kind: 'vmem.blockOp',
    rule: 'V25-mb',
    device: 'virtio0',
    memoryBlock: 40n,
  }),
  printedBy('+ptf', DYNDBG, `[71] virtio_mem_send_plug_request: ${D}plugging memory: 0x140000000 - 0x1403fffff`, range('V18', 'plug', 0x140000000n, 0x140400000n)),
  printedBy('+pl', DYNDBG, `1187: ${D}unplugging all memory`, { kind: 'vmem.unplugAll', rule: 'V22', device: 'virtio0' }),
  printedBy('+pf on a pr_debug line', `${DYNDBG}, mm/memory_hotplug.c offline_pages()`, 'offline_pages: memory offlining [mem 0x148000000-0x14fffffff] failed due to unmovable page', {
    kind: 'mm.offlineFailed',
    rule: 'M2',
    start: 0x148000000n,
    reason: 'unmovable page',
  }),
  printedBy('+pt from interrupt context', DYNDBG, `<intr> memory_hotplug:online_pages: online_pages [mem 0x148000000-0x14fffffff] failed`, {
    kind: 'mm.onlineFailed',
    rule: 'M1',
  }),
]);

suite('guest wordings: SEV-SNP PVALIDATE and page state changes', KERNEL, [
  printedBy('S2b', 'arch/x86/kernel/sev-shared.c v6.11 __pval_terminate(), arch/x86/coco/sev/ since', 'PVALIDATE failure: pfn: 0x108a00, action: 1, size: 0, ret: 255, svsm_ret: 0x0', {
    kind: 'snp.pvalidateFailed',
    rule: 'S2b',
    pfn: 0x108a00n,
    action: 1,
    pageSize: 0,
    ret: 255,
    svsmRet: 0n,
  }),
  printedBy('S2b (through the SVSM)', 'the same, svsm_pval_terminate()', 'PVALIDATE failure: pfn: 0x108c00, action: 0, size: 1, ret: -22, svsm_ret: 0x80001003', {
    kind: 'snp.pvalidateFailed',
    rule: 'S2b',
    pfn: 0x108c00n,
    action: 0,
    pageSize: 1,
    ret: -22,
    svsmRet: 0x80001003n,
  }),
  printedBy('S3 (kernel virtual address)', 'arch/x86/kernel/sev.c v5.19 pvalidate_pages()', 'Failed to validate address 0xffff888108a00000 ret 255', {
    kind: 'snp.pvalidateFailed',
    rule: 'S3',
    vaddr: 0xffff888108a00000n,
    pfn: undefined,
    ret: 255,
  }),
  printedBy('S3 (five-level paging direct map)', 'arch/x86/kernel/sev.c pvalidate_pages()', 'Failed to validate address 0xff11000108a00000 ret 6', {
    kind: 'snp.pvalidateFailed',
    vaddr: 0xff11000108a00000n,
    pfn: undefined,
    ret: 6,
  }),
  printedBy('S5b-posted', 'SNP guest series as posted, 2021–2022, vmgexit_psc()', 'SEV-SNP:  PSC processing going backward, end_entry 63 (got 62) cur_entry 0 (got 1)', {
    kind: 'snp.pscFailed',
    rule: 'S5b',
    detail: 'backwards',
  }),
  {
    id: 'S2b inside its WARN',
    source: 'arch/x86/coco/sev/core.c __pval_terminate() WARN(1, …) (6.18+ WARNING form)',
    lines: [
      '------------[ cut here ]------------',
      'PVALIDATE failure: pfn: 0x108a00, action: 1, size: 0, ret: 255, svsm_ret: 0x0',
      'WARNING: arch/x86/coco/sev/core.c:1041 at __pval_terminate+0x2e/0x40, CPU#2: kworker/2:1/96',
      'RIP: 0010:__pval_terminate+0x2e/0x40',
      '---[ end trace 0000000000000000 ]---',
    ],
    events: [
      { kind: 'kernel.splat', func: '__pval_terminate', message: 'PVALIDATE failure: pfn: 0x108a00, action: 1, size: 0, ret: 255, svsm_ret: 0x0' },
      { kind: 'snp.pvalidateFailed', rule: 'S2b', pfn: 0x108a00n },
    ],
  },
]);

const HP = 'mm/memory_hotplug.c';

suite('guest wordings: memory hotplug core', KERNEL, [
  printedBy('M2-old', `${HP} __offline_pages() before v4.20`, 'memory offlining [mem 0x108000000-0x10fffffff] failed', {
    kind: 'mm.offlineFailed',
    rule: 'M2-old',
    start: 0x108000000n,
    end: 0x110000000n,
    reason: undefined,
  }),
  printedBy('M3 (size 0)', `${HP} check_hotplug_memory_range(), %#llx of zero`, 'Block size [0x8000000] unaligned hotplug range: start 0x100000000, size 0', {
    kind: 'mm.unalignedRange',
    rule: 'M3',
    blockSize: 0x8000000n,
    start: 0x100000000n,
    size: 0n,
  }),
  printedBy('M4', `${HP} v5.12+ mhp_range_allowed()`, 'Hotplug memory [0x400000000000-0x400008000000] exceeds maximum addressable range [0-0x3fffffffffff]', {
    kind: 'mm.notAddressable',
    rule: 'M4',
    start: 0x400000000000n,
    end: 0x400008000000n,
    allowed: { start: 0n, end: 0x400000000000n },
  }),
  printedBy('M5', 'mm/page_alloc.c alloc_contig_range() (virtio-mem unplugging online memory)', 'alloc_contig_range: [1b8000, 1c0000) PFNs busy', {
    kind: 'mm.contigBusy',
    rule: 'M5',
    start: 0x1b8000000n,
    end: 0x1c0000000n,
  }),
  printedBy('M5 (allocation profiling)', 'mm/page_alloc.c v6.10+ alloc_contig_range_noprof()', 'alloc_contig_range_noprof: [148a00, 148c00) PFNs busy', {
    kind: 'mm.contigBusy',
    start: 0x148a00000n,
    end: 0x148c00000n,
  }),
  printedBy('M6', `${HP} check_memblock_offlined_cb() (%pa)`, 'removing memory fails, because memory [0x0000000150000000-0x0000000157ffffff] is onlined', {
    kind: 'mm.removeFailed',
    rule: 'M6',
    start: 0x150000000n,
    end: 0x158000000n,
    reason: 'memory is online',
  }),
  printedBy('M7', `${HP} v5.8 register_memory_resource() pr_debug`, 'Unable to reserve System RAM region: 0000000148000000->0000000150000000', {
    kind: 'mm.addFailed',
    rule: 'M7',
    start: 0x148000000n,
    end: 0x150000000n,
    reason: 'System RAM region busy',
  }),
  printedBy('M7 (resource name)', `${HP} register_memory_resource() printing the resource name`, 'Unable to reserve System RAM (virtio_mem) region: 0000000148000000->0000000150000000', {
    kind: 'mm.addFailed',
    reason: 'System RAM (virtio_mem) region busy',
  }),
  {
    id: 'M4-old inside its WARN',
    source: `${HP} v5.8–v5.11 check_hotplug_memory_addressable() WARN(1, …)`,
    lines: [
      '------------[ cut here ]------------',
      'Hotplugged memory exceeds maximum addressable address, range=0x400000000000-0x400007ffffff, maximum=0x7fffffffffff',
      'WARNING: CPU: 1 PID: 71 at mm/memory_hotplug.c:288 __add_pages+0xd8/0x110',
      'Workqueue: events_freezable virtio_mem_run_wq [virtio_mem]',
      'RIP: 0010:__add_pages+0xd8/0x110',
      '---[ end trace 5a3bc2e1d0f4a9b7 ]---',
    ],
    events: [
      { kind: 'kernel.splat', splat: 'warning', file: 'mm/memory_hotplug.c', func: '__add_pages' },
      { kind: 'mm.notAddressable', rule: 'M4', start: 0x400000000000n, end: 0x400008000000n, allowed: { start: 0n, end: 0x800000000000n } },
    ],
  },
  {
    id: 'M8 with its dump_page lines, one record',
    source: `${HP} v5.8–v6.x do_migrate_range() (\`ret:%d \` without a newline), mm/debug.c __dump_page()`,
    lines: [
      'migrating pfn 148a00 failed ret:1 ',
      'page:00000000b1c3a2f5 refcount:3 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x148a00',
      'flags: 0x17ffffc0000000(node=0|zone=2|lastcpupid=0x1fffff)',
      'raw: 0017ffffc0000000 ffffea0005228008 ffffea0005228008 0000000000000000',
      'raw: 0000000000000000 0000000000000000 00000003ffffffff 0000000000000000',
      'page dumped because: migration failure',
    ],
    events: [
      {
        kind: 'mm.pageFailed',
        rule: 'M8',
        step: 'migrate',
        pfn: 0x148a00n,
        ret: 1,
        refcount: 3,
        mapcount: 0,
        flags: '0x17ffffc0000000(node=0|zone=2|lastcpupid=0x1fffff)',
        reason: 'migration failure',
      },
    ],
  },
  {
    id: 'M8, newer dump_folio lines',
    source: `${HP} v6.x do_migrate_range() (ratelimited, with newline), mm/debug.c v6.9+ __dump_folio()`,
    lines: [
      'migrating pfn 150200 failed ret:-12',
      'page: refcount:2 mapcount:1 mapping:ffff888104a9c6e1 index:0x7f1b2c3d4 pfn:0x150200',
      'memcg:ffff888103d1e000',
      'anon flags: 0x17ffffc002000c(referenced|uptodate|swapbacked|node=0|zone=2|lastcpupid=0x1fffff)',
      'raw: 0017ffffc002000c ffffea0005408048 ffffea0005408008 ffff888104a9c6e1',
      'raw: 00000007f1b2c3d4 0000000000000000 0000000200000000 ffff888103d1e000',
      'page dumped because: migration failure',
    ],
    events: [
      {
        kind: 'mm.pageFailed',
        rule: 'M8',
        pfn: 0x150200n,
        ret: -12,
        refcount: 2,
        mapcount: 1,
        flags: '0x17ffffc002000c(referenced|uptodate|swapbacked|node=0|zone=2|lastcpupid=0x1fffff)',
      },
    ],
  },
  {
    id: 'M9 with its dump_page lines, then another M8',
    source: `${HP} do_migrate_range() isolation failure, mm/debug.c`,
    lines: [
      'failed to isolate pfn 150400',
      'page:000000003a5e8f2c refcount:2 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x150400',
      'flags: 0x17ffffc0000200(slab|node=0|zone=2|lastcpupid=0x1fffff)',
      'page_type: 0xffffffff()',
      'raw: 0017ffffc0000200 ffff888100041280 dead000000000122 0000000000000000',
      'page dumped because: isolation failed',
      'migrating pfn 150600 failed ret:1',
      'page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x150600',
      'page dumped because: migration failure',
    ],
    events: [
      { kind: 'mm.pageFailed', rule: 'M9', step: 'isolate', pfn: 0x150400n, ret: undefined, refcount: 2, flags: '0x17ffffc0000200(slab|node=0|zone=2|lastcpupid=0x1fffff)', reason: 'isolation failed' },
      { kind: 'mm.pageFailed', rule: 'M8', step: 'migrate', pfn: 0x150600n, ret: 1, refcount: 1, flags: undefined, reason: 'migration failure' },
    ],
  },
]);

describe('guest wordings: a record never swallows the next unrelated line', () => {
  it('M8 without a dump ends at the next line, which is read on its own', async () => {
    const { events, summary } = await parseLines([
      '[  812.113201] migrating pfn 148a00 failed ret:1',
      '[  812.113390] memory offlining [mem 0x148000000-0x14fffffff] failed due to migration failure',
    ]);
    assert.equal(summary.unparsed, 0, show(summary.unparsedLines));
    assert.equal(events.length, 2, show(events));
    assertFields(events[0], { kind: 'mm.pageFailed', pfn: 0x148a00n, refcount: undefined }, 'M8');
    assert.equal(events[0].source.span, 1);
    assertFields(events[1], { kind: 'mm.offlineFailed', rule: 'M2', reason: 'migration failure', start: 0x148000000n }, 'M2');
  });

  it('a dump of another reason is not taken into the record', async () => {
    const { events, summary } = await parseLines([
      'migrating pfn 148a00 failed ret:1',
      'page:00000000b1c3a2f5 refcount:3 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x148a00',
      'page dumped because: fake-offline page referenced',
    ]);
    assert.equal(summary.unparsed, 0, show(summary.unparsedLines));
    assert.deepEqual(
      events.map((e) => [e.kind, e.rule, e.source.span]),
      [
        ['mm.pageFailed', 'M8', 2],
        ['vmem.notice', 'V30', 1],
      ],
    );
  });
});

/** Lines that look like ours and are not: they must be ignored, neither events nor unparsed. */
const LOOK_ALIKES: Array<[string, string]> = [
  ['the banner of a TDX build host', 'Linux version 6.12.0 (builder@tdx-build01) (gcc (GCC) 14.2.1 20240912) #1 SMP PREEMPT_DYNAMIC'],
  ['a distribution TDX kernel release', 'Linux version 6.8.0-1004-intel-tdx (buildd@lcy02-amd64-080) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0) #4-Ubuntu SMP'],
  ['the early command line with a TDX image path', 'Command line: BOOT_IMAGE=/boot/vmlinuz-6.8.0-intel-tdx root=/dev/vda1 ro console=ttyS0'],
  ['a firmware path', 'systemd[1]: Mounted /usr/share/tdx/firmware.'],
  ['the module in a sysfs path', 'audit: type=1400 audit(1732855000.123:45): apparmor="DENIED" name="/sys/module/virtio_mem/parameters/unplug_online"'],
  ['a TDX host name in a mount', 'nfs: server tdx.lab.example.org not responding, still trying'],
  ['a dump of another kernel path', 'page dumped because: VM_BUG_ON_PAGE(PageTail(page))'],
];

describe('guest wordings: look-alike lines stay ignored', () => {
  for (const [what, line] of LOOK_ALIKES) {
    it(`${what}: ${line}`, () => assertIgnored(line));
  }

  it('while the same words as words still make a line worth reading (unparsed, not ignored)', async () => {
    const lines = [
      'x86/tdx: a message no row knows yet',
      'tdx: another one',
      'kvm_intel: TDX_OPERAND_BUSY on something new',
      'virtio_mem virtio0: a driver message from the future',
    ];
    const { events, summary } = await parseLines(lines);
    assert.equal(events.length, 0, show(events));
    assert.equal(summary.unparsed, lines.length, show(summary.unparsedLines));
  });
});

