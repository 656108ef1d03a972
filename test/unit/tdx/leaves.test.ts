/** SEAMCALL and TDCALL leaf numbers of the TDX module ABI → their names. */
import { strict as assert } from 'node:assert';
import { decodeSeamcallLeaf, macroName, seamcallLeafOf, tdcallLeafName } from '../../../src/core/tdx/leaves';

describe('TDX leaves', () => {
  it('names host SEAMCALL leaves, 1.0 to 2.0 (tdx_api_defs.h)', () => {
    const names = [0n, 6n, 7n, 15n, 29n, 38n, 41n, 45n, 52n, 58n, 96n, 163n].map((n) => decodeSeamcallLeaf(n).name);
    assert.deepEqual(names, [
      'TDH.VP.ENTER',
      'TDH.MEM.PAGE.AUG',
      'TDH.MEM.RANGE.BLOCK',
      'TDH.MEM.PAGE.DEMOTE',
      'TDH.MEM.PAGE.REMOVE',
      'TDH.MEM.TRACK',
      'TDH.PHYMEM.PAGE.WBINVD',
      'TDH.SYS.CONFIG',
      'TDH.SYS.SHUTDOWN',
      'TDH.PHYMEM.PAMT.ADD',
      'TDH.MIG.STREAM.CREATE',
      'TDH.MEM.SHARED.SEPT.WR',
    ]);
  });

  it('splits the version bits off and does not guess a name for other high bits', () => {
    assert.deepEqual(decodeSeamcallLeaf(0x10016n), { leaf: 22, version: 1, name: 'TDH.VP.INIT' });
    assert.deepEqual(decodeSeamcallLeaf(0x1000016n), { leaf: 22, version: 0 });
    assert.deepEqual(decodeSeamcallLeaf(46n), { leaf: 46, version: 0 });
    assert.equal(decodeSeamcallLeaf(0x8000000000000000n).name, 'SEAMLDR.INFO');
  });

  it("maps KVM's macro names to leaf numbers and back", () => {
    assert.equal(seamcallLeafOf('TDH_MEM_PAGE_AUG'), 6);
    assert.equal(seamcallLeafOf('TDH_NOPE'), undefined);
    assert.equal(macroName('TDH.PHYMEM.PAGE.RECLAIM'), 'TDH_PHYMEM_PAGE_RECLAIM');
  });

  it('names guest TDCALL leaves', () => {
    assert.deepEqual([0, 6, 9, 23, 27, 72].map(tdcallLeafName), [
      'TDG.VP.VMCALL',
      'TDG.MEM.PAGE.ACCEPT',
      'TDG.VP.RD',
      'TDG.MEM.PAGE.ATTR.RD',
      'TDG.VP.INVVPID',
      'TDG.IQ.INV.REQUEST',
    ]);
    assert.equal(tdcallLeafName(13), undefined);
  });
});
