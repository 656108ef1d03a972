/**
 * The CoCo RFC guest converts each subblock to shared before it unplugs it, so that QEMU 9.2's
 * shared-only discard (ram_block_discard_range) leaves nothing behind: such a run is clean.
 * HPL005 is noted over exactly the memory an UNPLUG left with private pages accepted. QEMU
 * trace events as hw/virtio/virtio-mem.c, accel/kvm/kvm-all.c and system/physmem.c (QEMU 9.2)
 * print them.
 */
import { strict as assert } from 'node:assert';
import { type Analysis, analyze } from '../../../src/core/analyze';
import { memorySource, utf8 } from '../../helpers/bytes';

const GUEST = [
  'tdx: Guest detected',
  'virtio_mem virtio5: start address: 0x100000000',
  'virtio_mem virtio5: region size: 0x100000000',
  'virtio_mem virtio5: device block size: 0x200000',
  'virtio_mem virtio5: memory block size: 0x8000000',
  'virtio_mem virtio5: subblock size: 0x200000',
].map((m, i) => `[    1.${String(i).padStart(6, '0')}] ${m}\n`).join('');

function run(...qemu: string[]): Promise<Analysis> {
  return analyze([memorySource('guest.log', utf8(GUEST)), memorySource('qemu.log', utf8(`${qemu.join('\n')}\n`))]);
}

const PLUG_AND_ACCEPT = [
  'virtio_mem_plug_request addr=0x108000000 nb_blocks=64',
  'virtio_mem_send_response type=0',
  'kvm_convert_memory start 0x108000000 size 0x8000000 shared_to_private',
];
const UNPLUG_SHARED_ONLY = [
  'virtio_mem_unplug_request addr=0x108000000 nb_blocks=64',
  'ram_block_discard_range vmem0@0x7f5a50000000 + 0x8000000: madvise: 1 fallocate: 0 ret: 0',
  'virtio_mem_send_response type=0',
];

describe('an UNPLUG served by a shared-only discard', () => {
  it('is clean when the guest converted the memory to shared before (the CoCo RFC on QEMU 9.2)', async () => {
    const a = await run(...PLUG_AND_ACCEPT, 'kvm_convert_memory start 0x108000000 size 0x8000000 private_to_shared', ...UNPLUG_SHARED_ONLY);
    assert.deepEqual(a.findings.map((f) => f.code), []);
  });

  it('warns over the part still private: half converted, half left accepted', async () => {
    const a = await run(...PLUG_AND_ACCEPT, 'kvm_convert_memory start 0x108000000 size 0x4000000 private_to_shared', ...UNPLUG_SHARED_ONLY);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.location.path, f.location.line, f.range?.start, f.range?.end]),
      [['HPL005', 'qemu.log', 5, 0x10c000000n, 0x110000000n]],
    );
  });

  it('warns over the whole range when nothing converted it', async () => {
    const a = await run(...PLUG_AND_ACCEPT, ...UNPLUG_SHARED_ONLY);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.range?.start, f.range?.end]),
      [['HPL005', 0x108000000n, 0x110000000n]],
    );
    assert.match(a.findings[0].message, /the private pages stay accepted and a re-plug of this range will fail to accept/);
  });
});
