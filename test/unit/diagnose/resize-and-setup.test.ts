/**
 * What most virtio-mem users hit, outside confidential memory: a resize that stalls because
 * the guest cannot offline the memory (HPL018, with the page the kernel could not migrate) or
 * cannot add it, and a device whose probe fails (HPL019, the driver's reason and the driver
 * core's errno as one finding). Lines as drivers/virtio/virtio_mem.c (v5.11+),
 * mm/memory_hotplug.c do_migrate_range() + mm/debug.c __dump_page() and drivers/base/dd.c print
 * them (their source rows: test/unit/sources/guest-wordings.test.ts).
 */
import { strict as assert } from 'node:assert';
import { type Analysis, analyze } from '../../../src/core/analyze';
import { memorySource, utf8 } from '../../helpers/bytes';

const D = 'virtio_mem virtio5: ';
const PROBE = [
  `${D}start address: 0x100000000`,
  `${D}region size: 0x100000000`,
  `${D}device block size: 0x200000`,
  `${D}memory block size: 0x8000000`,
  `${D}subblock size: 0x200000`,
];
const STUCK_PAGE = [
  'migrating pfn 108a00 failed ret:1 ',
  'page:00000000b1c3a2f5 refcount:3 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x108a00',
  'flags: 0x17ffffc0000000(node=0|zone=2|lastcpupid=0x1fffff)',
  'page dumped because: migration failure',
];

function guest(...messages: string[]): Promise<Analysis> {
  const text = messages.map((m, i) => `[  ${(100 + i).toFixed(6)}] ${m}\n`).join('');
  return analyze([memorySource('guest.log', utf8(text))]);
}

describe('HPL018 resize-stalled', () => {
  it('offlining fails with -EBUSY: the page that could not move, one finding for the retries', async () => {
    const a = await guest(
      ...PROBE,
      `${D}plugged size: 0x10000000`,
      `${D}requested size: 0x8000000`,
      `${D}offlining and removing memory: 0x108000000 - 0x10fffffff`,
      ...STUCK_PAGE,
      'memory offlining [mem 0x108000000-0x10fffffff] failed due to failure to migrate pages',
      `${D}offlining and removing memory failed: -16`,
      `${D}offlining and removing memory: 0x108000000 - 0x10fffffff`,
      `${D}offlining and removing memory failed: -16`,
    );
    const stalls = a.findings.filter((f) => f.code === 'HPL018');
    assert.equal(stalls.length, 1, a.findings.map((f) => f.code).join(' '));
    const f = stalls[0];
    assert.deepEqual([f.severity, f.cause, f.otherCauses, f.location.line, f.range?.start, f.range?.end], ['warning', 'guest-kernel', ['config'], 14, 0x108000000n, 0x110000000n]);
    assert.equal(
      f.message,
      'virtio5 cannot unplug [0x108000000, 0x110000000): offlining and removing it failed with -16 (EBUSY), 2 times: the page at pfn 0x108a00 could not be migrated (ret 1), refcount 3, mapcount 0; it stays above its requested size. (memory block 33)',
    );
    assert.deepEqual(
      f.related.map((r) => [r.line, r.message]),
      [
        [9, 'the kernel could not migrate the page at pfn 0x108a00'],
        [13, 'offlining [0x108000000, 0x110000000) failed due to failure to migrate pages'],
        [16, 'the same failure again'],
      ],
    );
    const root = a.rootCauses.find((r) => r.code === 'HPL018');
    assert.match(root?.why ?? '', /ZONE_NORMAL/);
    assert.ok(root?.wouldNotHappenIf.some((w) => w.includes('ZONE_MOVABLE')));
  });

  it('memory beyond what the kernel can address, with the device left below its request', async () => {
    const a = await guest(
      ...PROBE,
      `${D}Some device memory is not addressable/pluggable. This can make some memory unusable.`,
      `${D}plugged size: 0x0`,
      `${D}requested size: 0x10000000`,
      `${D}plugged size: 0x8000000`,
    );
    const f = a.findings.find((x) => x.code === 'HPL018');
    assert.deepEqual([f?.cause, f?.location.line], ['config', 6]);
    assert.equal(f?.message, "virtio5 cannot add memory: part of the device's memory is beyond what this kernel can address or plug; it stays below its requested size.");
  });

  it('the same notice on a device that reached its request is no finding', async () => {
    const a = await guest(...PROBE, `${D}Some device memory is not addressable/pluggable. This can make some memory unusable.`, `${D}requested size: 0x8000000`, `${D}plugged size: 0x8000000`);
    assert.deepEqual(a.findings.filter((f) => f.code === 'HPL018'), []);
  });
});

describe('HPL019 device-setup-failed', () => {
  it("the driver's reason and the driver core's errno are one finding, configuration else VMM", async () => {
    const a = await guest(`${D}could not reserve device region`, 'virtio_mem: probe of virtio5 failed with error -16');
    const f = a.findings.filter((x) => x.code === 'HPL019');
    assert.equal(f.length, 1);
    assert.deepEqual([f[0].severity, f[0].cause, f[0].otherCauses, f[0].location.line], ['error', 'config', ['vmm'], 1]);
    assert.equal(
      f[0].message,
      "virtio5 could not be set up: its region could not be reserved in the guest's physical address map (it overlaps other memory or devices) (probe failed with -16 (EBUSY)); none of its memory can be plugged.",
    );
    assert.deepEqual(f[0].related.map((r) => r.line), [2]);
  });

  it('a reloaded driver is the guest\'s doing', async () => {
    const a = await guest(`${D}reloading the driver is not supported`);
    assert.deepEqual(a.findings.map((f) => [f.code, f.cause, f.otherCauses]), [['HPL019', 'guest-kernel', undefined]]);
  });

  it('a probe failure alone still names its errno', async () => {
    const a = await guest('virtio_mem: probe of virtio5 failed with error -22');
    assert.deepEqual(a.findings.map((f) => [f.code, f.message]), [['HPL019', 'virtio5 could not be set up (probe failed with -22 (EINVAL)); none of its memory can be plugged.']]);
  });
});
