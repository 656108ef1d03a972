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

describe('decodeTdxStatus, the whole table', () => {
  it('names the statuses of TDX module 1.5 and 2.0 with the operand id of their low bits', () => {
    const cases: Array<[bigint, string, string]> = [
      [0xc000030000000001n, 'TDX_PAGE_METADATA_INCORRECT', 'RCX'],
      [0x8000020000000092n, 'TDX_OPERAND_BUSY', 'SEPT_TREE'],
      [0x8000020000000093n, 'TDX_OPERAND_BUSY', 'SEPT_ENTRY'],
      [0x80000200000000a9n, 'TDX_OPERAND_BUSY', 'TD_EPOCH'],
      [0xc000010000000040n, 'TDX_OPERAND_INVALID', 'ATTRIBUTES'],
      [0xc000050000000000n, 'TDX_SYS_INIT_NOT_PENDING', 'RAX'],
      [0xc000050200000000n, 'TDX_SYS_LP_INIT_NOT_DONE', 'RAX'],
      [0xc000050c00000000n, 'TDX_SYS_CONFIG_NOT_PENDING', 'RAX'],
      [0x8000020200000000n, 'TDX_SYS_BUSY', 'RAX'],
      [0xc0000a1200000000n, 'TDX_PAMT_OVERLAP', 'RAX'],
      [0x8000020600000000n, 'TDX_INTERRUPTED_BUSY', 'RAX'],
      [0xc0000f4600000000n, 'TDX_CONNECT_INVALID_STATE', 'RAX'],
      [0xc00003000000000bn, 'TDX_PAGE_METADATA_INCORRECT', 'R11'],
      [0xc000030000000005n, 'TDX_PAGE_METADATA_INCORRECT', 'RBP'],
      [0xc000030000000080n, 'TDX_PAGE_METADATA_INCORRECT', 'TDR'],
    ];
    for (const [value, name, operand] of cases) {
      const d = decodeTdxStatus(value);
      assert.deepEqual([d.name, d.operand], [name, operand], value.toString(16));
    }
  });

  it("names Linux's own statuses for a SEAMCALL that never reached the module", () => {
    assert.deepEqual(
      [0x8000ff00ffff0000n, 0x8000ff000000000dn, 0x8000ff0000000006n].map((v) => [decodeTdxStatus(v).name, decodeTdxStatus(v).operand]),
      [
        ['TDX_SEAMCALL_VMFAILINVALID', 'none'],
        ['TDX_SEAMCALL_GP', 'none'],
        ['TDX_SEAMCALL_UD', 'none'],
      ],
    );
    // The same upper half with other low bits is no such status.
    assert.equal(decodeTdxStatus(0x8000ff0000000007n).name, 'unknown status 0x8000ff00');
  });

  it('finds every named status by its name, also those without a description', () => {
    assert.deepEqual(statusByName('TDX_SYS_SHUTDOWN'), { value: 0xc000050600000000n, where: 'see the TDX module ABI specification' });
    assert.equal(statusByName('TDX_SEAMCALL_UD')?.value, 0x8000ff0000000006n);
  });
});
