/**
 * Each SEV-SNP host RMP failure in its exact HPL020 words, causes and guest memory: every
 * HostRmpFacts op, with and without its optional fields, a GPA inside a virtio-mem device's
 * region (that device) and outside one (no device), and the guest's termination request after
 * them (HPL014). Host lines as arch/x86/virt/svm/sev.c and arch/x86/kvm/svm/sev.c (v6.11;
 * older forms from the posted SNP series) print them: their source rows are in
 * test/helpers/host-cases.ts. The guest probe is drivers/virtio/virtio_mem.c's (VIRTIO5_PROBE).
 */
import { strict as assert } from 'node:assert';
import type { Finding } from '../../../src/core/diagnose/finding';
import { analyzeLogs, dmesg, VIRTIO5_PROBE } from './in-memory-logs';

/** Raw RMP entries (Zen 3/4 layout): GPA 0x108000000, ASID 2, assigned; validated or not; 4K or 2M. */
const ASSIGNED_VALIDATED_4K = '0x4010000108000001';
const ASSIGNED_NOT_VALIDATED_4K = '0x0010000108000001';
const ASSIGNED_VALIDATED_2M = '0x4010000108000003';
/** Unassigned but not zero (immutable), so the dump of the 2M region around the PFN lists it. */
const UNASSIGNED_IMMUTABLE = '0x0000000000000004';

function host(...messages: string[]): string {
  return messages.map((m, i) => `[ ${(5000 + i).toFixed(6)}] ${m}\n`).join('');
}

/** The host lines alone, or with virtio5's probe (region [0x100000000, 0x200000000)) in the guest log. */
async function findings(lines: string[], withDevice = false): Promise<Finding[]> {
  const inputs: Array<[string, string]> = [['host.log', host(...lines)]];
  if (withDevice) inputs.unshift(['guest.log', dmesg(...VIRTIO5_PROBE)]);
  return (await analyzeLogs(inputs)).findings;
}

/** A finding as [code, cause, otherCauses, device, range in hex, message]. */
function shown(f: Finding): unknown[] {
  return [f.code, f.cause, f.otherCauses, f.device, f.range ? `${f.range.start.toString(16)}-${f.range.end.toString(16)}` : undefined, f.message];
}

describe('HPL020 per host RMP operation: words, causes, guest memory', () => {
  // [host lines, with virtio5's probe before them, the findings]. The PFN 0x108005 case dumps
  // other PFNs' entries only: no entry of its own is shown. GPA 0x100000000 is virtio5's first
  // byte, 0x1ffffffff its last, 0x200000000 the first past it, 0x7fd4c000 below it.
  const cases: Array<[string[], boolean, unknown[][]]> = [
    [['SEV-SNP: RMPUPDATE failed for PFN 28357f7c, pg_level: 1, ret: 2', `SEV-SNP: PFN 0x28357f7c, RMP entry: [${ASSIGNED_VALIDATED_4K} - 0x0000000000000000]`], true, [["HPL020", "host-kernel", ["snp-firmware"], "virtio5", "108000000-108001000", "The host's RMPUPDATE of PFN 0x28357f7c at level 1 failed with FAIL_PERMISSION (guest memory [0x108000000, 0x108001000)); its RMP entry is assigned to ASID 2, validated, 4K: the page's ownership did not change. (memory block 33)"]]],
    [['SEV-SNP: RMPUPDATE failed for PFN 28357f7c, pg_level: 1, ret: 2', `SEV-SNP: PFN 0x28357f7c, RMP entry: [${ASSIGNED_NOT_VALIDATED_4K} - 0x0000000000000000]`], false, [["HPL020", "host-kernel", ["snp-firmware"], undefined, "108000000-108001000", "The host's RMPUPDATE of PFN 0x28357f7c at level 1 failed with FAIL_PERMISSION (guest memory [0x108000000, 0x108001000)); its RMP entry is assigned to ASID 2, not validated, 4K: the page's ownership did not change."]]],
    [['SEV-SNP: RMPUPDATE failed for PFN 28357f7c, pg_level: 1, ret: 2', `SEV-SNP: PFN 0x28357f7c, RMP entry: [${ASSIGNED_VALIDATED_2M} - 0x0000000000000000]`], true, [["HPL020", "host-kernel", ["snp-firmware"], "virtio5", "108000000-108200000", "The host's RMPUPDATE of PFN 0x28357f7c at level 1 failed with FAIL_PERMISSION (guest memory [0x108000000, 0x108200000)); its RMP entry is assigned to ASID 2, validated, 2M: the page's ownership did not change. (memory block 33)"]]],
    // v6.9+ dumps an unassigned PFN's 2M region (the posted series' `PFN: …` entry form); its own entry is in it.
    [
      [
        'SEV-SNP: RMPUPDATE failed for PFN 108005, ret: 3',
        'SEV-SNP: PFN 0x108005 unassigned, dumping non-zero entries in 2M PFN region: [0x108000 - 0x108200]',
        `SEV-SNP: PFN: 0x108005, [${UNASSIGNED_IMMUTABLE} - 0x0000000000000000]`,
      ],
      true,
      [['HPL020', 'host-kernel', ['snp-firmware'], undefined, undefined, "The host's RMPUPDATE of PFN 0x108005 failed with FAIL_INUSE; its RMP entry is not assigned: the page's ownership did not change."]],
    ],
    [['SEV-SNP: RMPUPDATE failed for PFN 7fff0, pg_level: 2, ret: 1', 'SEV-SNP: Failed to read RMP entry for PFN 0x7fff0, error -14'], true, [["HPL020", "host-kernel", ["snp-firmware"], undefined, undefined, "The host's RMPUPDATE of PFN 0x7fff0 at level 2 failed with FAIL_INPUT: the page's ownership did not change."]]],
    [['SEV-SNP: RMPUPDATE failed for PFN 108005, ret: 3'], true, [["HPL020", "host-kernel", ["snp-firmware"], undefined, undefined, "The host's RMPUPDATE of PFN 0x108005 failed with FAIL_INUSE: the page's ownership did not change."]]],
    // The dump of the 2M region around an unassigned PFN holds other PFNs' entries, not its own.
    [
      [
        'SEV-SNP: RMPUPDATE failed for PFN 108005, ret: 3',
        'SEV-SNP: PFN 0x108005 unassigned, dumping non-zero entries in 2M PFN region: [0x108000 - 0x108200]',
        `SEV-SNP: PFN: 0x108000, [${ASSIGNED_VALIDATED_4K} - 0x0000000000000000]`,
      ],
      true,
      [['HPL020', 'host-kernel', ['snp-firmware'], undefined, undefined, "The host's RMPUPDATE of PFN 0x108005 failed with FAIL_INUSE: the page's ownership did not change."]],
    ],
    [['kvm_amd: SEV: Failed to update RMP entry for PFN 0x28357e01 error 2'], true, [["HPL020", "host-kernel", undefined, undefined, undefined, "The host's RMPUPDATE of PFN 0x28357e01 failed with ret 2: the page's ownership did not change."]]],
    [['kvm_amd: SEV: Failed to update RMP entry: GFN 108000 PFN 28357e00 level 2 error -14'], true, [["HPL020", "host-kernel", undefined, "virtio5", "108000000-108200000", "The host's RMPUPDATE of PFN 0x28357e00 at level 2 failed with ret -14 (guest memory [0x108000000, 0x108200000)): the page's ownership did not change. (memory block 33)"]]],
    [['kvm_amd: SEV: Failed to update RMP entry: GFN 108000 PFN 28357e00 level 1 error -14'], false, [["HPL020", "host-kernel", undefined, undefined, "108000000-108001000", "The host's RMPUPDATE of PFN 0x28357e00 at level 1 failed with ret -14 (guest memory [0x108000000, 0x108001000)): the page's ownership did not change."]]],
    [['kvm_amd: SEV: Failed to update RMP entry: GFN 0x108000 PFN 0x28357e00 order 9 error -14'], true, [["HPL020", "host-kernel", undefined, "virtio5", "108000000-108001000", "The host's RMPUPDATE of PFN 0x28357e00 failed with ret -14 (guest memory [0x108000000, 0x108001000)): the page's ownership did not change. (memory block 33)"]]],
    [['kvm_amd: SEV: Unable to split RMP entry for GPA 0x108000000 PFN 0x28357e00 ret 3'], true, [["HPL020", "host-kernel", ["snp-firmware"], "virtio5", "108000000-108200000", "The host could not split the 2M RMP entry of PFN 0x28357e00 (guest memory [0x108000000, 0x108200000)) (PSMASH ret 3). (memory block 33)"]]],
    [['kvm_amd: SEV: Failed to PSMASH RMP entry for PFN 0x28357e01 error 1'], true, [["HPL020", "host-kernel", ["snp-firmware"], undefined, undefined, "The host could not split the 2M RMP entry of PFN 0x28357e01 (PSMASH ret 1)."]]],
    [['kvm_amd: sev_handle_rmp_fault: PSMASH for GPA 0x108000000 failed with ret 3 due to potential race'], true, [["HPL020", "host-kernel", undefined, "virtio5", "108000000-108200000", "PSMASH of a 2M RMP entry (guest memory [0x108000000, 0x108200000)) failed because another vCPU split it first (ret 3). (memory block 33)"]]],
    [['kvm_amd: psmash failed, gpa 0x191560000 pfn 0x536cd60 rc 7'], true, [["HPL020", "host-kernel", ["snp-firmware"], "virtio5", "191400000-191600000", "The host could not split the 2M RMP entry of PFN 0x536cd60 (guest memory [0x191400000, 0x191600000)) (PSMASH ret 7). (memory block 50)"]]],
    [['kvm_amd: psmash failed, gpa 0x291560000 pfn 0x536cd60 rc 7'], true, [["HPL020", "host-kernel", ["snp-firmware"], undefined, "291400000-291600000", "The host could not split the 2M RMP entry of PFN 0x536cd60 (guest memory [0x291400000, 0x291600000)) (PSMASH ret 7)."]]],
    [['kvm_amd: SEV: Unexpected RMP fault for non-private GPA 0x7fd4c000'], true, [["HPL020", "host-kernel", ["guest-kernel"], undefined, "7fd4c000-7fd4d000", "KVM reports an RMP fault on memory that is not private (guest memory [0x7fd4c000, 0x7fd4d000))."]]],
    [['kvm_amd: SEV: Unexpected RMP fault, size-mismatch for non-private GPA 0x7fd4c000'], false, [["HPL020", "host-kernel", ["guest-kernel"], undefined, "7fd4c000-7fd4d000", "KVM reports a page-size mismatch fault on memory that is not private (guest memory [0x7fd4c000, 0x7fd4d000))."]]],
    [['kvm_amd: SEV: Unexpected RMP fault, non-private slot for GPA 0x100000000'], true, [["HPL020", "host-kernel", ["guest-kernel"], "virtio5", "100000000-100001000", "KVM reports an RMP fault in a memory slot without private memory (guest memory [0x100000000, 0x100001000)). (memory block 32)"]]],
    [['kvm_amd: SEV: Unexpected RMP fault, no backing page for private GPA 0x108000000'], true, [["HPL020", "host-kernel", ["guest-kernel"], "virtio5", "108000000-108001000", "KVM reports an RMP fault on a private GPA with no guest_memfd page behind it (guest memory [0x108000000, 0x108001000)). (memory block 33)"]]],
    [['kvm_amd: SEV: Unexpected RMP fault, no assigned RMP entry found for GPA 0x108000000 PFN 0x28357f7c error 0'], true, [["HPL020", "host-kernel", ["guest-kernel"], "virtio5", "108000000-108001000", "KVM reports an RMP fault on a page whose RMP entry is not assigned (guest memory [0x108000000, 0x108001000)) (PFN 0x28357f7c). (memory block 33)"]]],
    [['kvm_amd: Unexpected RMP fault for GPA 0x1ffffffff, error_code 0x800000004'], true, [["HPL020", "host-kernel", ["guest-kernel"], "virtio5", "1fffff000-200000000", "KVM reports an RMP fault KVM did not expect (guest memory [0x1fffff000, 0x200000000)). (memory block 63)"]]],
    [['kvm_amd: Unexpected RMP fault for GPA 0x200000000, error_code 0x800000004'], true, [["HPL020", "host-kernel", ["guest-kernel"], undefined, "200000000-200001000", "KVM reports an RMP fault KVM did not expect (guest memory [0x200000000, 0x200001000))."]]],
    [['kvm_amd: SEV: Failed to retrieve RMP entry for PFN 0x28357e01 error -14'], true, [["HPL020", "host-kernel", undefined, undefined, undefined, "KVM could not read the RMP entry of PFN 0x28357e01 (error -14) while releasing guest memory."]]],
    [['Failed to reclaim PFN 28357e01, rc -5 fw_err 1'], true, [["HPL020", "snp-firmware", ["host-kernel"], undefined, undefined, "The SEV firmware did not give PFN 0x28357e01 back to the host (fw_err 1): the page is leaked."]]],
    [['Failed to reclaim PFN 28357e01'], true, [["HPL020", "snp-firmware", ["host-kernel"], undefined, undefined, "The SEV firmware did not give PFN 0x28357e01 back to the host: the page is leaked."]]],
    [['SEV-SNP: Leaking PFN range 0x108000-0x108002', `SEV-SNP: PFN 0x108000, RMP entry: [${ASSIGNED_VALIDATED_4K} - 0x0000000000000000]`], true, [["HPL020", "host-kernel", ["snp-firmware"], "virtio5", "108000000-108002000", "The host leaked PFNs [0x108000, 0x108002) (guest memory [0x108000000, 0x108002000)): their RMP entries could not be returned to the hypervisor, the pages are lost to the host. (memory block 33)"]]],
    [['SEV-SNP: Leaking PFN range 0x108000-0x108002'], true, [["HPL020", "host-kernel", ["snp-firmware"], undefined, undefined, "The host leaked PFNs [0x108000, 0x108002): their RMP entries could not be returned to the hypervisor, the pages are lost to the host."]]],
    [['SEV-SNP: Failed to split direct map for PFN 0x108000, ret: -12'], true, [["HPL020", "host-kernel", undefined, undefined, undefined, "The host could not split its direct map for PFN 0x108000 (ret -12), so the RMPUPDATE that needed it failed with -EFAULT."]]],
    [['kvm_amd: SEV-ES guest requested termination: 0x1:0x2'], true, [["HPL014", "unknown", undefined, undefined, undefined, "The VM stopped: the SEV guest asked to be terminated (GHCB_TERM_PVALIDATE)."]]],
    [['kvm_amd: SEV-ES guest requested termination: 0x9:0x7'], true, [["HPL014", "unknown", undefined, undefined, undefined, "The VM stopped: the SEV guest asked to be terminated (reason set 9, code 7)."]]],
    [['kvm_amd: SEV-ES guest requested termination: reason 0x1021 info 0x5'], true, [["HPL014", "unknown", undefined, undefined, undefined, "The VM stopped: the SEV guest asked to be terminated (reason 0x1021, info 0x5)."]]],
  ];

  for (const [lines, withDevice, expected] of cases) {
    it(`${lines[0]}${lines.length > 1 ? ' + the next line' : ''}${withDevice ? ', virtio5 probed' : ''}`, async () => {
      assert.deepEqual((await findings(lines, withDevice)).map(shown), expected);
    });
  }

  it('a device whose region size the guest never printed holds no GPA', async () => {
    const a = await analyzeLogs([
      ['guest.log', dmesg('virtio_mem virtio5: start address: 0x100000000')],
      ['host.log', host('kvm_amd: SEV: Unexpected RMP fault, no backing page for private GPA 0x108000000')],
    ]);
    assert.deepEqual(a.findings.map(shown), [
      ['HPL020', 'host-kernel', ['guest-kernel'], undefined, '108000000-108001000', 'KVM reports an RMP fault on a private GPA with no guest_memfd page behind it (guest memory [0x108000000, 0x108001000)).'],
    ]);
  });

  it("a host RMP failure then the guest's termination request: HPL014 is the host kernel's too", async () => {
    const f = await findings(['kvm_amd: SEV: Unexpected RMP fault, no backing page for private GPA 0x108000000', 'kvm_amd: SEV-ES guest requested termination: 0x9:0x7'], true);
    assert.deepEqual(
      f.map((x) => [x.code, x.cause, x.location.line, x.message]),
      [
        ['HPL020', 'host-kernel', 1, 'KVM reports an RMP fault on a private GPA with no guest_memfd page behind it (guest memory [0x108000000, 0x108001000)). (memory block 33)'],
        ['HPL014', 'host-kernel', 2, 'The VM stopped: the SEV guest asked to be terminated (reason set 9, code 7), after HPL020.'],
      ],
    );
  });
});
