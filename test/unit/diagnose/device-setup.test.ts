/**
 * HPL019 in detail: each driver notice that ends a probe in its words and blame, the driver
 * core's probe failure alone, the two in either order as one finding, and the notices that do
 * not end a probe. Lines as drivers/virtio/virtio_mem.c (v5.8+ virtio_mem_init(),
 * virtio_mem_probe()) and drivers/base/dd.c print them (source rows: test/unit/sources/sources.test.ts
 * and guest-wordings.test.ts).
 */
import { strict as assert } from 'node:assert';
import type { Analysis } from '../../../src/core/analyze';
import { analyzeLogs, dmesg } from './in-memory-logs';

const D = 'virtio_mem virtio5: ';
const PROBE_FAILED = 'virtio_mem: probe of virtio5 failed with error -16';

function guest(...messages: string[]): Promise<Analysis> {
  return analyzeLogs([['guest.log', dmesg(...messages)]]);
}

/** Each finding as [code, cause, otherCauses, rule, line, message, related [line, message]]. */
function shown(a: Analysis): unknown[] {
  return a.findings.map((f) => [f.code, f.cause, f.otherCauses, f.rule, f.location.line, f.message, f.related.map((r) => [r.line, r.message])]);
}

describe('HPL019: each notice that ends a probe', () => {
  const NOTICES: Array<[string, string, string | undefined, string]> = [
    ['could not reserve device region', 'config', 'vmm', "its region could not be reserved in the guest's physical address map (it overlaps other memory or devices)"],
    ['reloading the driver is not supported', 'guest-kernel', undefined, 'the driver was unloaded and loaded again, which virtio-mem does not support'],
    ['The block size is not supported (too big).', 'config', 'vmm', "the device's block size is bigger than the driver supports"],
    ['bbm_block_size is not a power of 2', 'config', 'vmm', 'the bbm_block_size module parameter is not a power of 2'],
    ['bbm_block_size is too small', 'config', 'vmm', 'the bbm_block_size module parameter is smaller than the memory block size'],
  ];
  for (const [words, cause, other, reason] of NOTICES) {
    it(`${words}: alone, no errno`, async () => {
      const a = await guest(`${D}${words}`);
      assert.equal(a.findings.length, 1);
      const f = a.findings[0];
      assert.deepEqual([f.code, f.cause, f.otherCauses], ['HPL019', cause, other === undefined ? undefined : [other]]);
      assert.equal(f.message, `virtio5 could not be set up: ${reason}; none of its memory can be plugged.`);
    });
  }
});

/** An HPL019 blamed on configuration, else the VMM, as `shown` gives it. */
function setupFailed(rule: string, line: number, message: string, related: unknown[]): unknown[] {
  return ['HPL019', 'config', ['vmm'], rule, line, message, related];
}

describe('HPL019: notice and probe failure', () => {
  it('the probe failure alone: configuration else the VMM, its own rule', async () => {
    assert.deepEqual(shown(await guest(PROBE_FAILED)), [
      setupFailed('probe', 1, 'virtio5 could not be set up (probe failed with -16 (EBUSY)); none of its memory can be plugged.', []),
    ]);
  });

  it('notice then probe failure: one finding at the notice, the errno added, the driver core\'s line related', async () => {
    assert.deepEqual(shown(await guest(`${D}could not reserve device region`, PROBE_FAILED)), [
      setupFailed(
        'reserveFailed',
        1,
        "virtio5 could not be set up: its region could not be reserved in the guest's physical address map (it overlaps other memory or devices) (probe failed with -16 (EBUSY)); none of its memory can be plugged.",
        [[2, 'the driver core: probe failed with -16']],
      ),
    ]);
  });

  it("probe failure then notice: one finding at the probe failure, the driver's words related", async () => {
    // The driver prints its notice before its probe returns: this order only comes from merged
    // or reordered logs. The finding keeps the probe line's facts.
    assert.deepEqual(shown(await guest(PROBE_FAILED, `${D}reloading the driver is not supported`)), [
      setupFailed(
        'probe',
        1,
        'virtio5 could not be set up (probe failed with -16 (EBUSY)); none of its memory can be plugged.',
        [[2, 'the driver: the driver was unloaded and loaded again, which virtio-mem does not support']],
      ),
    ]);
  });

  it('two notices: one finding, the second related', async () => {
    assert.deepEqual(shown(await guest(`${D}bbm_block_size is too small`, `${D}bbm_block_size is not a power of 2`)), [
      setupFailed(
        'bbmBlockSizeTooSmall',
        1,
        'virtio5 could not be set up: the bbm_block_size module parameter is smaller than the memory block size; none of its memory can be plugged.',
        [[2, 'the driver: the bbm_block_size module parameter is not a power of 2']],
      ),
    ]);
  });

  it('notices that do not end a probe are no HPL019', async () => {
    const a = await guest(`${D}memory block onlining denied`);
    assert.deepEqual(a.findings.filter((f) => f.code === 'HPL019'), []);
  });
});
