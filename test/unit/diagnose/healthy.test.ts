/**
 * Healthy runs stay quiet: the fixtures of runs that went right give no warning and no error,
 * and a guest without confidential memory is not warned about private pages: QEMU 9.2's
 * shared-only discard is all an ordinary guest needs (hw/virtio/virtio-mem.c,
 * system/physmem.c ram_block_discard_range).
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Analysis, analyze } from '../../../src/core/analyze';
import { fileSource } from '../../../src/node/inputs';
import { memorySource, utf8 } from '../../helpers/bytes';

const SCENARIOS = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'scenarios');

async function scenario(name: string): Promise<Analysis> {
  const dir = join(SCENARIOS, name);
  const files = readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
  return analyze(await Promise.all(files.map((f) => fileSource(join(dir, f)))));
}

const loud = (a: Analysis) => a.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code} ${f.location.path}:${f.location.line}`);

describe('healthy runs stay quiet', () => {
  // F05: the fixed VMM discards both planes; F07, F11, F12: BUSY/NACK answers the driver retries.
  for (const name of ['F05-fixed-vmm-clean-replug', 'F07-unplug-busy-migration', 'F11-plug-nack-race', 'F12-plug-busy-migration']) {
    it(`${name}: no warning, no error`, async () => {
      const a = await scenario(name);
      assert.deepEqual(loud(a), []);
      assert.deepEqual([a.summary.errors, a.summary.warnings], [0, 0]);
    });
  }

  it('a guest without confidential memory: plug, unplug with a shared-only discard, re-plug; no finding and no private-memory policy', async () => {
    const guest = [
      'virtio_mem virtio5: start address: 0x100000000',
      'virtio_mem virtio5: region size: 0x100000000',
      'virtio_mem virtio5: device block size: 0x200000',
      'virtio_mem virtio5: memory block size: 0x8000000',
      'virtio_mem virtio5: subblock size: 0x200000',
      'virtio_mem virtio5: plugged size: 0x0',
      'virtio_mem virtio5: requested size: 0x8000000',
      'virtio_mem virtio5: plugged size: 0x8000000',
      'virtio_mem virtio5: requested size: 0x0',
      'virtio_mem virtio5: plugged size: 0x0',
      'virtio_mem virtio5: requested size: 0x8000000',
      'virtio_mem virtio5: plugged size: 0x8000000',
    ].map((m, i) => `[  ${(10 + i).toFixed(6)}] ${m}\n`).join('');
    const qemu = [
      'virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
      'virtio_mem_send_response type=0',
      'virtio_mem_unplug_request addr=0x100000000 nb_blocks=64',
      'ram_block_discard_range vmem0@0x7f5a50000000 + 0x8000000: madvise: 1 fallocate: 0 ret: 0',
      'virtio_mem_send_response type=0',
      'virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
      'virtio_mem_send_response type=0',
    ].join('\n');
    const a = await analyze([memorySource('guest.log', utf8(guest)), memorySource('qemu.log', utf8(`${qemu}\n`))]);
    assert.deepEqual(loud(a), []);
    assert.deepEqual(a.policies, []);
  });
});
