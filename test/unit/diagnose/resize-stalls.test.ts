/**
 * HPL018 in detail: both sides (memory the guest could not offline or remove, memory it could
 * not add), how the retries count, which of the mm lines before a failure are kept as its
 * evidence (the last four, then none until new ones come), the range the driver was acting on,
 * and the rule at the end (memory beyond reach, and a device left below its request). Lines as
 * drivers/virtio/virtio_mem.c (v5.11+), mm/memory_hotplug.c and mm/page_alloc.c
 * alloc_contig_range() print them (their source rows: test/unit/sources/guest-wordings.test.ts).
 */
import { strict as assert } from 'node:assert';
import type { Analysis } from '../../../src/core/analyze';
import { analyzeLogs, dmesg, VIRTIO5_PROBE } from './in-memory-logs';

const D = 'virtio_mem virtio5: ';

function guest(...messages: string[]): Promise<Analysis> {
  return analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, ...messages)]]);
}

/** Line numbers below count from the first message after the probe (6 lines). */
const AFTER_PROBE = VIRTIO5_PROBE.length;

/** Each finding as [code, cause, otherCauses, rule, line, device, message, related [line, message]]. */
function shown(a: Analysis): unknown[] {
  return a.findings.map((f) => [f.code, f.cause, f.otherCauses, f.rule, f.location.line - AFTER_PROBE, f.device, f.message, f.related.map((x) => [x.line - AFTER_PROBE, x.message])]);
}

/** An unplug-side HPL018 of virtio5 as `shown` gives it: the guest kernel's, else configuration. */
function unplugStall(line: number, message: string, related: unknown[] = []): unknown[] {
  return ['HPL018', 'guest-kernel', ['config'], 'offline', line, 'virtio5', message, related];
}

/** An add-side HPL018 of virtio5 as `shown` gives it: configuration alone. */
function addStall(line: number, message: string, related: unknown[] = []): unknown[] {
  return ['HPL018', 'config', undefined, 'add', line, 'virtio5', message, related];
}

const UNPLUG_WHY =
  'To unplug online memory the guest must offline it first, migrating every page away; pages that cannot move (pinned for DMA, in use by the kernel, memory onlined to ZONE_NORMAL) make offlining fail with -EBUSY, and the driver retries later.';
const UNPLUG_UNLESS = [
  'the memory was onlined to ZONE_MOVABLE (memhp_default_state=online_movable, or the virtio_mem online policy)',
  'nothing pinned the pages (no long-term DMA pins in that range)',
];
const ADD_WHY =
  "The guest adds plugged memory to Linux only where the kernel can map it and the memory block fits; memory beyond the addressable range (the VM's physical address bits, maxmem) stays unusable however much is plugged.";
const ADD_UNLESS = ['the device region lay within what the guest can address (more physical address bits, or a smaller maxmem)'];
const NOT_ADDRESSABLE = `${D}Some device memory is not addressable/pluggable. This can make some memory unusable.`;

describe('HPL018: the unplug side', () => {
  it('keeps the last four mm lines before a failure, none again for a retry without new ones, and counts the retries', async () => {
    const a = await guest(
      `${D}offlining and removing memory: 0x108000000 - 0x10fffffff`,
      'alloc_contig_range: [108000, 108200) PFNs busy',
      'alloc_contig_range: [108200, 108400) PFNs busy',
      'alloc_contig_range: [108400, 108600) PFNs busy',
      'alloc_contig_range: [108600, 108800) PFNs busy',
      'alloc_contig_range: [108800, 108a00) PFNs busy',
      `${D}offlining and removing memory failed: -16`,
      `${D}offlining and removing memory failed: -16`,
      'memory offlining [mem 0x108000000-0x10fffffff] failed',
      `${D}offlining and removing memory failed: -16`,
    );
    assert.deepEqual(shown(a), [
      unplugStall(
        7,
        'virtio5 cannot unplug [0x108000000, 0x110000000): offlining and removing it failed with -16 (EBUSY), 3 times; it stays above its requested size. (memory block 33)',
        [
          // The first busy range (line 2) is the fifth line back: dropped.
          [3, 'the pages of [0x108200000, 0x108400000) were busy'],
          [4, 'the pages of [0x108400000, 0x108600000) were busy'],
          [5, 'the pages of [0x108600000, 0x108800000) were busy'],
          [6, 'the pages of [0x108800000, 0x108a00000) were busy'],
          [8, 'the same failure again'],
          // A retry's own evidence follows it.
          [10, 'the same failure again'],
          [9, 'offlining [0x108000000, 0x110000000) failed'],
        ],
      ),
    ]);
    assert.deepEqual(a.rootCauses.map((r) => [r.code, r.why, r.wouldNotHappenIf]), [['HPL018', UNPLUG_WHY, UNPLUG_UNLESS]]);
  });

  it('a page the kernel could not isolate, with its refcount and mapcount; no range when the driver named none', async () => {
    const a = await guest(
      'failed to isolate pfn 108a00',
      'page:000000003a5e8f2c refcount:2 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x108a00',
      'page dumped because: isolation failed',
      `${D}offlining and removing memory failed: -16`,
    );
    assert.deepEqual(shown(a), [
      unplugStall(
        4,
        'virtio5 cannot unplug memory: offlining and removing it failed with -16 (EBUSY): the page at pfn 0x108a00 could not be isolated, refcount 2, mapcount 0; it stays above its requested size.',
        [[1, 'the kernel could not isolate the page at pfn 0x108a00']],
      ),
    ]);
  });

  it('a page that could not migrate, without its dump: the ret only', async () => {
    const a = await guest('migrating pfn 108a00 failed ret:1', `${D}removing memory: 0x108000000 - 0x10fffffff`, `${D}removing memory failed: -16`);
    assert.deepEqual(shown(a), [
      unplugStall(
        3,
        'virtio5 cannot unplug [0x108000000, 0x110000000): removing it failed with -16 (EBUSY): the page at pfn 0x108a00 could not be migrated (ret 1); it stays above its requested size. (memory block 33)',
        [[1, 'the kernel could not migrate the page at pfn 0x108a00']],
      ),
    ]);
  });

  it('the range the driver was adding is not the range an unplug failed on', async () => {
    const a = await guest(`${D}adding memory: 0x140000000 - 0x147ffffff`, `${D}offlining and removing memory failed: -16`);
    assert.deepEqual(shown(a), [
      unplugStall(2, 'virtio5 cannot unplug memory: offlining and removing it failed with -16 (EBUSY); it stays above its requested size.'),
    ]);
  });
});

describe('HPL018: the add side', () => {
  it('the range being added, the errno, the evidence and the retries; configuration, with its own why', async () => {
    const a = await guest(
      `${D}adding memory: 0x140000000 - 0x147ffffff`,
      'Unable to reserve System RAM region: 0000000140000000->0000000148000000',
      `${D}adding memory failed: -12`,
      `${D}adding memory failed: -12`,
    );
    assert.deepEqual(shown(a), [
      addStall(
        3,
        'virtio5 cannot add [0x140000000, 0x148000000) (-12 (ENOMEM)), 2 times: the kernel refused to add it; it stays below its requested size. (memory block 40)',
        [
          [2, 'adding [0x140000000, 0x148000000) failed: System RAM region busy'],
          [4, 'the same failure again'],
        ],
      ),
    ]);
    assert.deepEqual(a.rootCauses.map((r) => [r.code, r.why, r.wouldNotHappenIf]), [['HPL018', ADD_WHY, ADD_UNLESS]]);
  });

  it('the range the driver was offlining is not the range an add failed on', async () => {
    const a = await guest(`${D}offlining and removing memory: 0x108000000 - 0x10fffffff`, `${D}adding memory failed: -12`);
    assert.deepEqual(shown(a), [addStall(2, 'virtio5 cannot add memory (-12 (ENOMEM)): the kernel refused to add it; it stays below its requested size.')]);
  });
});

describe('HPL018: one finding per side', () => {
  it('an add failure after an unplug failure is not its retry', async () => {
    const a = await guest(`${D}offlining and removing memory failed: -16`, `${D}adding memory failed: -12`);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.rule, f.location.line - AFTER_PROBE, f.related.length]),
      [
        ['HPL018', 'offline', 1, 0],
        ['HPL018', 'add', 2, 0],
      ],
    );
  });
});

describe('HPL018 at the end: memory beyond reach', () => {
  it('is no finding without both sizes, nor with the device above its request', async () => {
    for (const sizes of [[`${D}plugged size: 0x0`], [`${D}requested size: 0x10000000`], [`${D}requested size: 0x8000000`, `${D}plugged size: 0x10000000`]]) {
      const a = await guest(NOT_ADDRESSABLE, ...sizes);
      assert.deepEqual(a.findings.map((f) => f.code), [], sizes.join(' / '));
    }
  });

  it('with the device below its request: the add side, at the notice, no errno', async () => {
    const a = await guest(NOT_ADDRESSABLE, `${D}requested size: 0x10000000`, `${D}plugged size: 0x8000000`);
    assert.deepEqual(shown(a), [
      addStall(
        1,
        "virtio5 cannot add memory: part of the device's memory is beyond what this kernel can address or plug; it stays below its requested size.",
        [],
      ),
    ]);
  });
});
