/**
 * SEV-SNP host: arch/x86/virt/svm/sev.c and arch/x86/kvm/svm/sev.c, one case per row (source
 * and version in each case's name), under every kernel prefix variant; RMP entries decoded.
 */
import { strict as assert } from 'node:assert';
import { SNP_HOST_CASES } from '../../helpers/host-cases';
import { extents, KERNEL, parseLines, show, suite } from '../../helpers/source-cases';
import { decodeRmpEntry } from '../../../src/core/sources/snp-host';

suite('sources: SEV-SNP host (RMP, PSMASH, RMP faults, termination)', KERNEL, SNP_HOST_CASES);

describe('sources: SEV-SNP host records', () => {
  it('a failure record does not swallow the next unrelated line', async () => {
    const { events, summary } = await parseLines([
      '[ 9.0] SEV-SNP: RMPUPDATE failed for PFN 28357f7c, pg_level: 1, ret: 2',
      '[ 9.1] SEV-SNP: PFN 0x28357f7c, RMP entry: [0x4010000108000001 - 0x0000000000000000]',
      '[ 9.2] kvm_amd: SEV-ES guest requested termination: 0x1:0x2',
    ]);
    assert.equal(summary.unparsed, 0);
    assert.deepEqual(
      extents(events),
      [
        ['snp.host.rmpUpdateFailed', 1, 2],
        ['snp.host.guestTermination', 3, 1],
      ],
      show(events),
    );
  });

  it('each failure opens its own record; the dump lines after it join it', async () => {
    const { events } = await parseLines([
      'SEV-SNP: Leaking PFN range 0x108000-0x108001',
      'SEV-SNP: PFN 0x108000, RMP entry: [0x4010000108000001 - 0x0000000000000000]',
      'SEV-SNP: RMPUPDATE failed for PFN 108200, pg_level: 1, ret: 3',
      'SEV-SNP: PFN 0x108200, RMP entry: [0x4010000108200001 - 0x0000000000000000]',
    ]);
    assert.deepEqual(
      extents(events),
      [
        ['snp.host.leak', 1, 2],
        ['snp.host.rmpUpdateFailed', 3, 2],
      ],
    );
  });
});

describe('decodeRmpEntry', () => {
  it('reads the Zen 3/4 fields of the low word', () => {
    const e = decodeRmpEntry(1n, 0x4010000108000003n | (1n << 2n) | (1n << 61n), 0n);
    assert.deepEqual([e.assigned, e.pageSize, e.immutable, e.gpa, e.asid, e.vmsa, e.validated], [true, 1, true, 0x108000000n, 2, true, true]);
    const empty = decodeRmpEntry(1n, 0n, 0n);
    assert.deepEqual([empty.assigned, empty.pageSize, empty.immutable, empty.gpa, empty.asid, empty.vmsa, empty.validated], [false, 0, false, 0n, 0, false, false]);
  });

  it('keeps the GPA to its 39 bits and the ASID to its 10', () => {
    const e = decodeRmpEntry(1n, 0xffffffffffffffffn, 0n);
    assert.equal(e.gpa, ((1n << 39n) - 1n) << 12n);
    assert.equal(e.asid, 0x3ff);
  });
});
