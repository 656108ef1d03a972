/**
 * A generated cross-version guest corpus: one line (or record) for every row of the guest
 * families, as the kernel version named beside it prints it, all in one log, with look-alike
 * lines between them, under every guest prefix style the ingest reads. Every row must be there
 * (the coverage test fails when a row is added without its line), every line must be recognized
 * or ignored, none unparsed, and `recognized + ignored + unparsed = lines`.
 */
import { strict as assert } from 'node:assert';
import type { HotplugEvent } from '../../../src/core/events';
import { FAMILIES } from '../../../src/core/sources/index';
import { mmHotplug } from '../../../src/core/sources/mm-hotplug';
import { PAGE_DUMP_ROWS, pageFailure } from '../../../src/core/sources/page-dump';
import { snpGuest } from '../../../src/core/sources/snp-guest';
import type { Family } from '../../../src/core/sources/table';
import { virtioMemDriver, virtioMemDriverCore, virtioMemPageDump } from '../../../src/core/sources/virtio-mem-driver';
import { KERNEL, parseLines, show, variant, type Variant } from '../../helpers/source-cases';

interface Sample {
  /** The row that takes the first line (for records: the row that opens it). */
  row: string;
  /** Which file, function and versions print it. */
  source: string;
  lines: string[];
  /** The one event it must give. */
  kind: HotplugEvent['kind'];
  rule: string;
}

const D = 'virtio_mem virtio0: ';
const VM = 'drivers/virtio/virtio_mem.c';
const line = (row: string, source: string, text: string, kind: HotplugEvent['kind'], rule = row): Sample => ({ row, source, lines: [text], kind, rule });

const SAMPLES: Sample[] = [
  // virtio_mem_init(): v5.8 on (V9 and V10 come before the id lines below, which they resolve).
  line('V1', `${VM} v5.8+ virtio_mem_init()`, `${D}start address: 0x140000000`, 'vmem.geometry'),
  line('V2', `${VM} v5.8+`, `${D}region size: 0x100000000`, 'vmem.geometry'),
  line('V3', `${VM} v5.8+`, `${D}device block size: 0x200000`, 'vmem.geometry'),
  line('V3b', `${VM} v5.8–v5.10`, `${D}The block size is not supported (too big).`, 'vmem.notice'),
  line('V4', `${VM} v5.8+`, `${D}nid: 0`, 'vmem.node'),
  line('V5', `${VM} v5.8+`, `${D}The alignment of the physical start address can make some memory unusable.`, 'vmem.notice'),
  line('V6', `${VM} v5.8+`, `${D}The alignment of the physical end address can make some memory unusable.`, 'vmem.notice'),
  line('V7', `${VM} v5.12+ virtio_mem_init_hotplug()`, `${D}Some device memory is not addressable/pluggable. This can make some memory unusable.`, 'vmem.notice'),
  line('V7-old', `${VM} v5.8–v5.11`, `${D}Some memory is not addressable. This can make some memory unusable.`, 'vmem.notice'),
  line('V8', `${VM} v5.11+ (bbm_block_size=)`, `${D}bbm_block_size is not a power of 2`, 'vmem.notice'),
  line('V8b', `${VM} v5.11+`, `${D}bbm_block_size is too small`, 'vmem.notice'),
  line('V9', `${VM} v5.8+`, `${D}memory block size: 0x8000000`, 'vmem.geometry'),
  line('V10', `${VM} v5.8+ (SBM)`, `${D}subblock size: 0x400000`, 'vmem.geometry'),
  line('V11', `${VM} v5.11+ (BBM)`, 'virtio_mem virtio1: big block size: 0x40000000', 'vmem.geometry'),
  line('V12', `${VM} v5.8+ virtio_mem_probe()/init_hotplug()`, `${D}unplugging all memory is required`, 'vmem.notice'),
  line('V13', `${VM} v5.8+ virtio_mem_create_resource()`, `${D}could not reserve device region`, 'vmem.notice'),
  line('V13b', `${VM} v5.8+`, `${D}reloading the driver is not supported`, 'vmem.notice'),
  line('V14', `${VM} v5.8+`, `${D}config access disabled`, 'vmem.notice'),
  line('V15', `${VM} v5.8+ virtio_mem_refresh_config()`, `${D}plugged size: 0x0`, 'vmem.size'),
  line('V16', `${VM} v5.8+`, `${D}requested size: 0x10000000`, 'vmem.size'),
  // The v5.8–v5.10 id wording, resolved with V9/V10 above.
  line('V18-mb', `${VM} v5.8–v5.10 virtio_mem_mb_plug_sb()`, `${D}plugging memory block: 40 : 0 - 31`, 'vmem.range'),
  line('V25-mb', `${VM} v5.8–v5.10 virtio_mem_mb_add()`, `${D}adding memory block: 40`, 'vmem.range'),
  line('V26-mb', `${VM} v5.8–v5.10 virtio_mem_mb_plug_and_add()`, `${D}adding memory block 41 failed with -12`, 'vmem.opFailed'),
  line('V20-mb', `${VM} v5.8–v5.10 virtio_mem_mb_unplug_sb()`, `${D}unplugging memory block: 40 : 16 - 31`, 'vmem.range'),
  line('V28-mb', `${VM} v5.8–v5.10 virtio_mem_mb_offline_and_remove()`, `${D}offlining and removing memory block: 40`, 'vmem.range'),
  line('V27-mb', `${VM} v5.8–v5.10 virtio_mem_mb_remove()`, `${D}removing memory block: 40`, 'vmem.range'),
  // The v5.11+ range wording.
  line('V18', `${VM} v5.11+ virtio_mem_send_plug_request()`, `${D}plugging memory: 0x140000000 - 0x147ffffff`, 'vmem.range'),
  line('V19', `${VM} v5.11+`, `${D}plugging memory failed: -11`, 'vmem.opFailed'),
  line('V20', `${VM} v5.11+`, `${D}unplugging memory: 0x147c00000 - 0x147ffffff`, 'vmem.range'),
  line('V21', `${VM} v5.11+`, `${D}unplugging memory failed: -26`, 'vmem.opFailed'),
  line('V22', `${VM} v5.11+ virtio_mem_send_unplug_all_request()`, `${D}unplugging all memory`, 'vmem.unplugAll'),
  line('V23', `${VM} v5.11+`, `${D}unplugging all memory failed: -26`, 'vmem.opFailed'),
  line('V24', `${VM} v5.16+ virtio_mem_send_state_request() (kdump)`, `${D}requesting state: 0x140000000 - 0x1401fffff`, 'vmem.range'),
  line('V24b', `${VM} v5.16+`, `${D}requesting state failed: -22`, 'vmem.opFailed'),
  line('V25', `${VM} v5.11+ virtio_mem_add_memory()`, `${D}adding memory: 0x140000000 - 0x147ffffff`, 'vmem.range'),
  line('V26', `${VM} v5.11+`, `${D}adding memory failed: -12`, 'vmem.opFailed'),
  line('V27', `${VM} v5.11+ virtio_mem_remove_memory()`, `${D}removing memory: 0x140000000 - 0x147ffffff`, 'vmem.range'),
  line('V27b', `${VM} v5.11+`, `${D}removing memory failed: -16`, 'vmem.opFailed'),
  line('V28', `${VM} v5.11+ virtio_mem_offline_and_remove_memory()`, `${D}offlining and removing memory: 0x140000000 - 0x147ffffff`, 'vmem.range'),
  line('V28b', `${VM} v5.11+`, `${D}offlining and removing memory failed: -16`, 'vmem.opFailed'),
  line('V29', `${VM} v5.8+ notify_going_online()`, `${D}memory block onlining denied`, 'vmem.notice'),
  line('V30', `${VM} v5.11+ dump_page()`, 'page dumped because: fake-offline page referenced', 'vmem.notice'),
  line('V30-old', `${VM} v5.8–v5.10 dump_page()`, 'page dumped because: unplugged page referenced', 'vmem.notice', 'V30'),
  line('V31', `${VM} v5.8+ virtio_mem_run_wq()`, `${D}unknown error, marking device broken: -22`, 'vmem.broken'),
  line('V32', `${VM} v5.16+ virtio_mem_run_wq()`, `${D}unexpected workqueue run in kdump kernel`, 'vmem.notice'),
  line('V33', `${VM} pm notifier, since the suspend+resume support (2024)`, `${D}hibernation is not supported.`, 'vmem.notice'),
  line('V34', `${VM} virtio_mem_freeze(), since the suspend+resume support (2024)`, `${D}suspending with plugged memory is not supported`, 'vmem.notice'),
  line('V34-old', `${VM} v5.8 until the suspend+resume support (2024), virtio_mem_freeze()`, `${D}save/restore not supported.`, 'vmem.notice', 'V34'),
  line('V35', `${VM} v5.16+ virtio_mem_init_kdump()`, `${D}memory hot(un)plug disabled in kdump kernel`, 'vmem.notice'),
  line('V35-novmcore', `${VM} v5.16+ without CONFIG_PROC_VMCORE`, `${D}disabled in kdump kernel without vmcore`, 'vmem.notice', 'V35'),
  line('V35-old', `${VM} v5.8–v5.15 virtio_mem_init()`, `${D}disabled in kdump kernel`, 'vmem.notice', 'V35'),
  line('V36', `${VM} CONFIG_PROC_VMCORE_DEVICE_RAM support (2024–2025 series)`, `${D}Error querying block states: -5`, 'vmem.notice'),
  line('V36b', `${VM} the same`, `${D}Error adding device RAM range: -12`, 'vmem.notice'),
  line('V37', `${VM} v5.8+ remove`, `${D}device still has system memory added`, 'vmem.notice'),
  line('R1', 'CoCo RFC virtio_mem_sbm_coco_set_encrypted()', `${D}CoCo set_encrypted failed, leaking memory`, 'vmem.cocoLeak'),
  line('PROBE', 'drivers/base/dd.c call_driver_probe() dev_err, 2024+', `${D}probe with driver virtio_mem failed with error -22`, 'vmem.probeFailed'),
  line('PROBE-rejects', 'drivers/base/dd.c call_driver_probe() dev_dbg, 2024+', `${D}probe with driver virtio_mem rejects match -19`, 'vmem.probeFailed'),
  line('PROBE-old', 'drivers/base/dd.c pr_warn, before 2024', 'virtio_mem: probe of virtio5 failed with error -22', 'vmem.probeFailed'),
  line('PROBE-old-rejects', 'drivers/base/dd.c pr_debug, before 2024', 'virtio_mem: probe of virtio5 rejects match -19', 'vmem.probeFailed'),
  // SEV-SNP guest.
  line('S2b', 'arch/x86/kernel/sev-shared.c v6.11 __pval_terminate()', 'PVALIDATE failure: pfn: 0x148a00, action: 1, size: 0, ret: 255, svsm_ret: 0x0', 'snp.pvalidateFailed'),
  line('S1', 'SVSM series v5 (posted 2024-06) pval_terminate()', 'PVALIDATE failure: pfn 0x148a00, action=1, size=0 - ret=255', 'snp.pvalidateFailed'),
  line('S2', 'SVSM series v5 (posted 2024-06) svsm_pval_terminate()', 'PVALIDATE failure: pfn 0x148a00, action=1, size=1 - ret=6, svsm_ret=0x0', 'snp.pvalidateFailed'),
  line('S3', 'arch/x86/kernel/sev.c v5.19 pvalidate_pages()', 'Failed to validate address 0xffff888148a00000 ret 255', 'snp.pvalidateFailed'),
  line('S4', 'arch/x86/kernel/sev.c v5.19+ vmgexit_psc()', 'SNP: PSC failed ret=-22 exit_info_2=100000002', 'snp.pscFailed'),
  line('S4-posted', 'SNP guest series (posted 2021–2022)', 'SEV-SNP: PSC failed ret=1 exit_info_2=0', 'snp.pscFailed', 'S4'),
  line('S5', 'arch/x86/kernel/sev.c v5.19+ vmgexit_psc()', 'Reserved bit is set in the PSC header', 'snp.pscFailed'),
  line('S5b', 'arch/x86/kernel/sev.c v5.19+ vmgexit_psc()', 'SNP: PSC processing going backward, end_entry 63 (got 62) cur_entry 0 (got 1)', 'snp.pscFailed'),
  line('S5b-posted', 'SNP guest series (posted 2021–2022)', 'SEV-SNP:  PSC processing going backward, end_entry 63 (got 62) cur_entry 0 (got 1)', 'snp.pscFailed', 'S5b'),
  line('S6', 'arch/x86/kernel/sev.c v5.19 early_set_pages_state()', 'Wrong PSC response code: 0x1', 'snp.pscFailed'),
  line('S6b', 'arch/x86/kernel/sev.c v5.19 early_set_pages_state()', "Failed to change page state to 'private' paddr 0x148a00000 error 0x1", 'snp.pscFailed'),
  // Memory hotplug core.
  line('M1', 'mm/memory_hotplug.c online_pages()', 'online_pages [mem 0x140000000-0x147ffffff] failed', 'mm.onlineFailed'),
  line('M2', 'mm/memory_hotplug.c v4.20+ offline_pages()', 'memory offlining [mem 0x140000000-0x147ffffff] failed due to unmovable page', 'mm.offlineFailed'),
  line('M2-old', 'mm/memory_hotplug.c before v4.20', 'memory offlining [mem 0x140000000-0x147ffffff] failed', 'mm.offlineFailed'),
  line('M3', 'mm/memory_hotplug.c v4.20+ check_hotplug_memory_range()', 'Block size [0x8000000] unaligned hotplug range: start 0x140100000, size 0x7f00000', 'mm.unalignedRange'),
  line('M4', 'mm/memory_hotplug.c v5.12+ mhp_range_allowed()', 'Hotplug memory [0x400000000000-0x400008000000] exceeds maximum addressable range [0-0x3fffffffffff]', 'mm.notAddressable'),
  line('M4-old', 'mm/memory_hotplug.c v5.8–v5.11 check_hotplug_memory_addressable()', 'Hotplugged memory exceeds maximum addressable address, range=0x400000000000-0x400007ffffff, maximum=0x7fffffffffff', 'mm.notAddressable', 'M4'),
  line('M5', 'mm/page_alloc.c alloc_contig_range()', 'alloc_contig_range: [147c00, 148000) PFNs busy', 'mm.contigBusy'),
  line('M6', 'mm/memory_hotplug.c check_memblock_offlined_cb()', 'removing memory fails, because memory [0x0000000140000000-0x0000000147ffffff] is onlined', 'mm.removeFailed'),
  line('M7', 'mm/memory_hotplug.c register_memory_resource()', 'Unable to reserve System RAM region: 0000000140000000->0000000148000000', 'mm.addFailed'),
  {
    row: 'M8',
    source: 'mm/memory_hotplug.c v5.8+ do_migrate_range(), mm/debug.c __dump_page()',
    lines: [
      'migrating pfn 148a00 failed ret:1 ',
      'page:00000000b1c3a2f5 refcount:3 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x148a00',
      'head:00000000e2f1c0a3 order:9 compound_mapcount:0 compound_pincount:0',
      'anon flags: 0x17ffffc0010000(head|node=0|zone=2|lastcpupid=0x1fffff)',
      'raw: 0017ffffc0010000 ffffea0005228008 ffffea0005228008 0000000000000000',
      'page dumped because: migration failure',
    ],
    kind: 'mm.pageFailed',
    rule: 'M8',
  },
  {
    row: 'M9',
    source: 'mm/memory_hotplug.c do_migrate_range(), mm/debug.c v6.9+ __dump_folio()',
    lines: [
      'failed to isolate pfn 150400',
      'page: refcount:2 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x150400',
      'memcg:ffff888103d1e000',
      'flags: 0x17ffffc0000200(slab|node=0|zone=2|lastcpupid=0x1fffff)',
      'page_type: 0xffffffff()',
      'raw: 0017ffffc0000200 ffff888100041280 dead000000000122 0000000000000000',
      'head: 0017ffffc0000200 ffff888100041280 dead000000000122 0000000000000000',
      'page dumped because: isolation failed',
    ],
    kind: 'mm.pageFailed',
    rule: 'M9',
  },
];

/** Lines between the samples that must stay ignored. */
const NOISE = [
  'Linux version 6.12.0 (builder@tdx-build01) (gcc (GCC) 14.2.1 20240912) #1 SMP PREEMPT_DYNAMIC',
  'Command line: BOOT_IMAGE=/boot/vmlinuz-6.8.0-intel-tdx root=/dev/vda1 ro',
  'hrtimer: interrupt took 2113720 ns',
  'page dumped because: VM_BUG_ON_PAGE(PageTail(page))',
];

/** The guest prefix styles the envelope reads beyond the ones every source test runs under. */
const MORE_KERNEL: readonly Variant[] = [
  variant('dmesg beyond 99999 s', (l) => `[188123.442001] ${l}`),
  variant('printk caller id (CPU context)', (l) => `[    0.000000][    C3] ${l}`),
  variant('dmesg -r raw level', (l) => `<4>[ 1300.000100] ${l}`),
  variant('syslog, day padded with a space', (l) => `May  2 13:21:40 td-guest kernel: ${l}`),
  variant('journalctl -o short-precise', (l) => `Nov 29 04:55:28.123456 host kernel: ${l}`),
  variant('RFC 3339 syslog with a zone', (l) => `2024-11-29T04:55:28.123456+01:00 host kernel: ${l}`),
];

/** The row of `family` that takes `message`, as matchRow tries them. */
function rowTaking(families: readonly Family[], message: string): string | undefined {
  for (const family of families) {
    family.prefix.lastIndex = 0;
    const p = family.prefix.exec(message);
    if (!p) continue;
    const rest = message.slice(p[0].length);
    const row = family.rows.find((r) => r.pattern.test(rest) && (r.valid === undefined || r.valid(r.pattern.exec(rest) as RegExpExecArray)));
    if (row) return row.id;
  }
  return undefined;
}

const GUEST_FAMILIES: readonly Family[] = [virtioMemDriver, virtioMemDriverCore, virtioMemPageDump, snpGuest, mmHotplug];

describe('guest corpus: every row of the guest families', () => {
  it('has its line, taken by that row and no other family first', () => {
    const rows = GUEST_FAMILIES.flatMap((f) => f.rows.map((r) => r.id));
    const single = SAMPLES.filter((s) => s.lines.length === 1);
    for (const s of single) assert.equal(rowTaking(FAMILIES, s.lines[0]), s.row, `${s.row}: ${s.lines[0]}`);
    const missing = rows.filter((id) => !single.some((s) => s.row === id));
    assert.deepEqual(missing, [], 'rows without a corpus line');
  });

  it('has a record for every start row of the page-failure family, and a line for every dump_page row', () => {
    const starts = pageFailure.rows.filter((r) => r.role === 'start').map((r) => r.id);
    assert.deepEqual(starts.filter((id) => !SAMPLES.some((s) => s.row === id)), []);
    const bodies = SAMPLES.filter((s) => s.lines.length > 1).flatMap((s) => s.lines.slice(1));
    for (const row of PAGE_DUMP_ROWS) assert.ok(bodies.some((l) => row.pattern.test(l)), `dump row ${row.id}`);
  });
});

describe('guest corpus: all rows in one log, under every guest prefix style', () => {
  for (const v of [...KERNEL, ...MORE_KERNEL]) {
    it(v.name, async () => {
      const lines: string[] = [];
      SAMPLES.forEach((s, i) => {
        s.lines.forEach((l, j) => lines.push(j === 0 ? v.first(l) : v.rest(l)));
        lines.push(v.first(NOISE[i % NOISE.length]));
      });
      const { events, summary } = await parseLines(lines, v.eol);
      assert.equal(summary.unparsed, 0, `unparsed ${show(summary.unparsedLines)}`);
      assert.equal(summary.lines, lines.length);
      assert.equal(summary.recognized + summary.ignored + summary.unparsed, summary.lines);
      assert.equal(summary.recognized, SAMPLES.reduce((n, s) => n + s.lines.length, 0));
      assert.equal(summary.ignored, SAMPLES.length);
      assert.deepEqual(
        events.map((e) => `${e.kind} ${e.rule}`),
        SAMPLES.map((s) => `${s.kind} ${s.rule}`),
      );
    });
  }
});
