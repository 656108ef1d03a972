/**
 * Every way QEMU says the VM ended is HPL014: a QEMU crash (GLib or glibc assertion, a signal
 * the shell reports), the guest crash QEMU logs (`Guest crashed`, system/runstate.c), and the
 * vCPU state KVM would not give or take (accel/kvm/kvm-all.c). A memory device QEMU refused is
 * no end. Lines as test/helpers/qemu-cases.ts gives them, with their sources.
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/core/analyze';
import { memorySource, utf8 } from '../../helpers/bytes';

async function findings(...lines: string[]): Promise<Array<[string, number, string]>> {
  const a = await analyze([memorySource('qemu.log', utf8(lines.map((l) => `${l}\n`).join('')))]);
  return a.findings.map((f) => [f.code, f.location.line, f.message]);
}

describe('QEMU ends the VM: HPL014', () => {
  it('a GLib assertion, then the shell\'s Aborted: one end at the assertion, with where it failed', async () => {
    assert.deepEqual(
      await findings(
        '**',
        'ERROR:../hw/virtio/virtio-mem.c:1421:virtio_mem_rdm_replay_populated: assertion failed: (s->mr == &vmem->memdev->mr)',
        'Aborted (core dumped)',
      ),
      [['HPL014', 1, 'The VM stopped: QEMU crashed (assertion failed: (s->mr == &vmem->memdev->mr) at virtio-mem.c:1421 in virtio_mem_rdm_replay_populated; Aborted, core dumped).']],
    );
  });

  it("a script's shell reporting QEMU's segfault, glued to the guest console's last line", async () => {
    assert.deepEqual(
      await findings('[  312.440918] virtio_mem virtio0: plugging memory: 0x140000000 - 0x147fff./run-td.sh: line 14: 40231 Segmentation fault      (core dumped) qemu-system-x86_64 -accel kvm -m 4G'),
      [['HPL014', 1, 'The VM stopped: QEMU crashed (Segmentation fault, core dumped).']],
    );
  });

  it('the guest crash QEMU logs, in the one-line TDX form', async () => {
    assert.deepEqual(
      await findings('Guest crashed TDX guest reports fatal error:"Accept memory failed" error code: 0x0000000000001000 gpa page: 0x000000017fe00000'),
      [['HPL014', 1, 'The VM stopped: QEMU saw the guest crash (TDX fatal error "Accept memory failed").']],
    );
  });

  it('registers KVM would not give: QEMU stops the VM', async () => {
    assert.deepEqual(await findings('qemu-system-x86_64: Failed to get registers: Input/output error'), [
      ['HPL014', 1, 'The VM stopped: QEMU stopped the VM: it could not read the vCPU registers (Input/output error).'],
    ]);
  });

  it('several lines about one end are one finding, the later ones its evidence', async () => {
    const a = await analyze([
      memorySource('qemu.log', utf8(['Guest crashed', 'TDX guest reports fatal error. error code: 0x1000 error message:"Accept memory failed"', 'qemu-system-x86_64: Failed to get registers: Input/output error', ''].join('\n'))),
    ]);
    assert.deepEqual(a.findings.map((f) => [f.code, f.location.line]), [['HPL014', 1]]);
    assert.deepEqual(a.findings[0].related.map((r) => [r.line, r.message]), [[3, 'the same end: QEMU stopped the VM: it could not read the vCPU registers (Input/output error)']]);
  });

  it('a memory device QEMU refused is no end and no finding', async () => {
    assert.deepEqual(
      await findings("qemu-system-x86_64: -device virtio-mem-pci,id=vmem1,memdev=mem2: not enough space, currently 0x800000000 in use of total space for memory devices 0x800000000"),
      [],
    );
  });
});
