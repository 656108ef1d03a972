/**
 * TDX host: every SEAMCALL failure wording since 2020, one case per row (the source file and
 * version are in each case's name), under every kernel prefix variant; leaf and status decoded.
 */
import { HOST_LOOKALIKES, TDX_HOST_CASES } from '../../helpers/host-cases';
import { extents, KERNEL, parseLines, show, suite } from '../../helpers/source-cases';
import { strict as assert } from 'node:assert';

suite('sources: TDX host SEAMCALL failures, every wording', KERNEL, TDX_HOST_CASES);

describe('sources: TDX host look-alikes stay ignored', () => {
  for (const line of HOST_LOOKALIKES) {
    it(line, async () => {
      for (const v of KERNEL) {
        const { events, summary } = await parseLines([v.first(line)], v.eol);
        assert.equal(events.length, 0, `${line} [${v.name}]: ${show(events)}`);
        assert.equal(summary.ignored, 1, `${line} [${v.name}]: ignored`);
      }
    });
  }

  it('the host core init lines stay platform lines, its SEAMCALL reports do not', async () => {
    const { events, summary } = await parseLines([
      'virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, minor_version 5, build_date 20240129, build_num 698',
      'virt/tdx: 1034220 KB allocated for PAMT',
      'virt/tdx: module initialized',
    ]);
    assert.equal(summary.unparsed, 0);
    assert.deepEqual(events.map((e) => e.kind), ['platform.info', 'platform.info', 'platform.info']);
  });

  it('register lines without their SEAMCALL line are not events of their own', async () => {
    const { events, summary } = await parseLines(['[ 5.0] virt/tdx: RCX 0x0000000000000000 RDX 0x0000000000000000 R08 0x0000000000000000']);
    assert.equal(events.length, 0, show(events));
    assert.equal(summary.unparsed, 1);
  });

  it('a SEAMCALL report ends at the next unrelated line, which is read on its own', async () => {
    const { events, summary } = await parseLines([
      '[ 5.0] virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc0000c0000000002',
      '[ 5.1] virt/tdx: RCX 0x0000000000000000 RDX 0x9100000300000003 R08 0x0000000000000000',
      '[ 5.2] kvm_intel: SEAMCALL TDH_MEM_TRACK failed: 0x8000020000000092',
    ]);
    assert.equal(summary.unparsed, 0);
    assert.deepEqual(
      extents(events),
      [
        ['kvm.seamcallFailed', 1, 2],
        ['kvm.seamcallFailed', 3, 1],
      ],
    );
  });
});
