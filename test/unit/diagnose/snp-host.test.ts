/**
 * The SEV-SNP host side in findings: a failed RMP operation is HPL020, blamed on the host
 * kernel else the firmware, tied to the guest memory its RMP entry names; the guest's
 * termination request that kvm_amd prints is the VM's end (HPL014), explained by the first
 * finding before it. Lines as arch/x86/virt/svm/sev.c (v6.11) and arch/x86/kvm/svm/sev.c
 * (v5.11+) print them (their source rows: test/helpers/host-cases.ts).
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/core/analyze';
import { memorySource, utf8 } from '../../helpers/bytes';

/** An RMP entry: assigned, validated, 4K, ASID 2, GPA 0x108000000 (Zen 3/4 layout). */
const ENTRY = '[0x4010000108000001 - 0x0000000000000000]';

function host(...messages: string[]): string {
  return messages.map((m, i) => `[ ${(5000 + i).toFixed(6)}] ${m}\n`).join('');
}

describe('SEV-SNP host findings', () => {
  it('RMPUPDATE failure with its entry dump: HPL020 on the guest page the entry names, host kernel else firmware', async () => {
    const a = await analyze([
      memorySource('host.log', utf8(host('SEV-SNP: RMPUPDATE failed for PFN 28357f7c, pg_level: 1, ret: 2', `SEV-SNP: PFN 0x28357f7c, RMP entry: ${ENTRY}`))),
    ]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.cause, f.otherCauses, f.location.line, f.range?.start, f.range?.end]),
      [['HPL020', 'host-kernel', ['snp-firmware'], 1, 0x108000000n, 0x108001000n]],
    );
    assert.equal(
      a.findings[0].message,
      "The host's RMPUPDATE of PFN 0x28357f7c at level 1 failed with FAIL_PERMISSION (guest memory [0x108000000, 0x108001000)); its RMP entry is assigned to ASID 2, validated, 4K: the page's ownership did not change.",
    );
  });

  it('a PSMASH that lost a race to another vCPU is the host kernel\'s alone', async () => {
    const a = await analyze([memorySource('host.log', utf8(host('kvm_amd: sev_handle_rmp_fault: PSMASH for GPA 0x108000000 failed with ret 3 due to potential race')))]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.cause, f.otherCauses, f.message]),
      [['HPL020', 'host-kernel', undefined, 'PSMASH of a 2M RMP entry (guest memory [0x108000000, 0x108200000)) failed because another vCPU split it first (ret 3).']],
    );
  });

  it("the guest's termination request ends the VM after the host's RMP failure, in one root cause", async () => {
    const a = await analyze([
      memorySource(
        'host.log',
        utf8(host('SEV-SNP: RMPUPDATE failed for PFN 108005, ret: 3', 'kvm_amd: SEV-ES guest requested termination: 0x1:0x2')),
      ),
    ]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.location.line, f.cause]),
      [
        ['HPL020', 1, 'host-kernel'],
        // The end is as much the host kernel's as the failure that explains it.
        ['HPL014', 2, 'host-kernel'],
      ],
    );
    const end = a.findings.find((f) => f.code === 'HPL014');
    assert.equal(end?.message, 'The VM stopped: the SEV guest asked to be terminated (GHCB_TERM_PVALIDATE), after HPL020.');
    assert.equal(a.rootCauses.length, 1);
    assert.equal(a.rootCauses[0].code, 'HPL020');
  });

  it('a termination request with nothing before it has an unknown cause', async () => {
    const a = await analyze([memorySource('host.log', utf8(host('kvm_amd: SEV-ES guest requested termination: reason 0x1021 info 0x0')))]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.cause, f.message]),
      [['HPL014', 'unknown', 'The VM stopped: the SEV guest asked to be terminated (reason 0x1021, info 0x0).']],
    );
  });
});

describe('TDX host set-up failures (no TD exists yet)', () => {
  async function only(line: string) {
    const a = await analyze([memorySource('host.log', utf8(host(line)))]);
    assert.equal(a.findings.length, 1, a.findings.map((f) => f.code).join(' '));
    return a;
  }

  it('a TDH.SYS.* SEAMCALL is the module\'s (else the BIOS settings), possible, and no VM ends', async () => {
    // arch/x86/virt/vmx/tdx/tdx.c v6.8 seamcall_err()
    const a = await only('virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc000050c00000000');
    const f = a.findings[0];
    assert.deepEqual([f.code, f.cause, f.otherCauses, f.confidence], ['HPL012', 'tdx-module', ['config'], 'possible']);
    assert.match(f.message, /^Setting up TDX on the host failed: SEAMCALL TDH\.SYS\.CONFIG returned 0xc000050c00000000 = TDX_SYS_CONFIG_NOT_PENDING/);
    assert.doesNotMatch(f.message + a.rootCauses[0].why, /Secure EPT|VM bugged/);
    assert.match(a.rootCauses[0].why, /BIOS settings/);
  });

  it('TDX not enabled by the BIOS is configuration; no module loaded is configuration, else the module', async () => {
    const bios = (await only('tdx: not enabled by BIOS.')).findings[0];
    assert.deepEqual([bios.cause, bios.otherCauses], ['config', undefined]);
    const none = (await only('virt/tdx: module not loaded')).findings[0];
    assert.deepEqual([none.cause, none.otherCauses], ['config', ['tdx-module']]);
  });

  it('a SEAMCALL about a TD stays the host kernel\'s, with the Secure-EPT words', async () => {
    const a = await only('kvm_intel: SEAMCALL (0x0000000000000026) failed: 0x8000020000000092');
    assert.deepEqual([a.findings[0].cause, a.findings[0].otherCauses], ['host-kernel', undefined]);
    assert.match(a.rootCauses[0].why, /Secure EPT/);
  });
});
