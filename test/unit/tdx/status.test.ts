/** decodeTdxStatus / statusByName: a 64-bit TDX status as the findings and `explain` name it. */
import { strict as assert } from 'node:assert';
import { decodeTdxStatus, statusByName } from '../../../src/core/tdx/status';

describe('decodeTdxStatus', () => {
  it('names a host SEAMCALL error, its operand register and where it shows up', () => {
    assert.deepEqual(decodeTdxStatus(0xc0000b0d00000001n), {
      value: 0xc0000b0d00000001n,
      name: 'TDX_EPT_ENTRY_STATE_INCORRECT',
      where: 'host SEAMCALLs only (AUG/REMOVE/BLOCK/…) on an S-EPT entry in the wrong state; never a PAGE.ACCEPT result',
      error: true,
      nonRecoverable: true,
      operand: 'RCX',
    });
  });

  it('reads the error and non-recoverable bits apart', () => {
    const busy = decodeTdxStatus(0x8000020000000000n);
    assert.deepEqual([busy.name, busy.error, busy.nonRecoverable, busy.operand], ['TDX_OPERAND_BUSY', true, false, 'RAX']);
    const warning = decodeTdxStatus(0x00000b0700000002n);
    assert.deepEqual([warning.name, warning.error, warning.nonRecoverable, warning.operand], ['TDX_GPA_RANGE_ALREADY_BLOCKED', false, false, 'RDX']);
  });

  it('gives the EPT level, not a register, for the statuses of a guest accept', () => {
    assert.equal(decodeTdxStatus(0x00000b0a00000001n).operand, 'EPT level 2M');
    assert.equal(decodeTdxStatus(0x00000b0a00000000n).operand, 'EPT level 4K');
    assert.equal(decodeTdxStatus(0xc0000b0b00000002n).operand, 'EPT level 1G');
    assert.equal(decodeTdxStatus(0xc0000b0b00000005n).operand, 'EPT level 5');
    assert.equal(decodeTdxStatus(0x00000b0a00000001n).error, false);
  });

  it('says so for an unknown status and an operand it cannot name', () => {
    const d = decodeTdxStatus(0xc0001234000000ffn);
    assert.deepEqual(d, { value: 0xc0001234000000ffn, name: 'unknown status 0xc0001234', error: true, nonRecoverable: true, operand: 'operand 255' });
    assert.equal(decodeTdxStatus(0x0000000500000000n).name, 'unknown status 0x00000005');
    assert.equal(decodeTdxStatus(0xc000010000000008n).operand, 'R8');
  });
});

describe('statusByName', () => {
  it('finds the status value of a name, and nothing for an unknown name', () => {
    assert.deepEqual(statusByName('TDX_PAGE_ALREADY_ACCEPTED'), { value: 0x00000b0a00000000n, where: 'guest TDG.MEM.PAGE.ACCEPT on a MAPPED page (warning, bit 63 clear)' });
    assert.equal(statusByName('TDX_NOPE'), undefined);
  });
});
