/**
 * Words true for the platform: TDX accepts (TDG.MEM.PAGE.ACCEPT, TDX_PAGE_ALREADY_ACCEPTED),
 * SEV-SNP validates (PVALIDATE, the RMP entry's validated bit, PVALIDATE_FAIL_NOUPDATE), and a
 * log that names neither gets words that hold for both. First each definition's message per
 * platform, word for word; then whole analyses of the same logs with one line that names the
 * platform (`tdx: Guest detected`, arch/x86/coco/tdx/tdx.c; `Memory Encryption Features
 * active: AMD SEV SEV-ES SEV-SNP`, arch/x86/mm/mem_encrypt.c print_mem_encrypt_feature_info()
 * since v5.19), so that the platform is all that differs.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Analysis, analyze } from '../../../src/core/analyze';
import type { Platform } from '../../../src/core/diagnose/codes/definition';
import { HPL001, HPL002, HPL003, HPL005, HPL011, HPL013 } from '../../../src/core/diagnose/codes/index';
import { memorySource, utf8 } from '../../helpers/bytes';

const RANGE = { device: 'virtio5', range: { start: 0x108000000n, end: 0x110000000n } };
const PLATFORMS: Platform[] = ['tdx', 'snp', 'unknown'];

function each<T>(words: (p: Platform) => T): Record<Platform, T> {
  return { tdx: words('tdx'), snp: words('snp'), unknown: words('unknown') };
}

describe('finding messages per platform', () => {
  it('HPL001: TDX_PAGE_ALREADY_ACCEPTED on TDX, a still validated RMP entry on SEV-SNP, neither named otherwise', () => {
    assert.deepEqual(each((p) => HPL001.message({}, RANGE, p)), {
      tdx: 'Accepting [0x108000000, 0x110000000) failed: that memory was accepted before it was unplugged, and the UNPLUG did not discard the private pages, so the re-accept most likely hit TDX_PAGE_ALREADY_ACCEPTED.',
      snp: 'Validating [0x108000000, 0x110000000) failed: that memory was validated before it was unplugged, and the UNPLUG did not discard the private pages, so PVALIDATE most likely found the RMP entry still validated (PVALIDATE_FAIL_NOUPDATE).',
      unknown: 'Accepting [0x108000000, 0x110000000) failed: that memory was accepted before it was unplugged, and the UNPLUG did not discard the private pages, so the re-accept most likely found the pages still accepted.',
    });
    assert.equal(
      HPL001.headline?.(8, 'snp'),
      'Validating the re-plugged memory then failed 8 times: each range was validated before an UNPLUG that did not discard its private pages, so PVALIDATE most likely found the RMP entry still validated (PVALIDATE_FAIL_NOUPDATE).',
    );
    // RELEASE is a TDX module call: SEV-SNP's remedies do not offer it.
    assert.ok(HPL001.wouldNotHappenIf('tdx').some((r) => r.includes('TDG.MEM.PAGE.RELEASE')));
    assert.ok(!HPL001.wouldNotHappenIf('snp').some((r) => r.includes('RELEASE')));
    assert.match(HPL001.why('snp'), /^PVALIDATE of an RMP entry whose validated bit is still set returns PVALIDATE_FAIL_NOUPDATE/);
    assert.match(HPL001.why('unknown'), /TDX_PAGE_ALREADY_ACCEPTED.*On SEV-SNP .*PVALIDATE_FAIL_NOUPDATE/);
  });

  it('HPL002: accepted on TDX, validated on SEV-SNP', () => {
    assert.deepEqual(each((p) => HPL002.message({}, RANGE, p)), {
      tdx: 'Accepting [0x108000000, 0x110000000) failed: that memory is still accepted from before the block went offline; nothing converted it on offline.',
      snp: 'Validating [0x108000000, 0x110000000) failed: that memory is still validated from before the block went offline; nothing converted it on offline.',
      unknown: 'Accepting [0x108000000, 0x110000000) failed: that memory is still accepted from before the block went offline; nothing converted it on offline.',
    });
  });

  it('HPL003: the failed step and the hypotheses in the platform\'s words; a policy that removes the private page drops HPL001', () => {
    const model = { from: 'model' as const, before: 'pending', privatePageRemoved: false };
    assert.deepEqual(each((p) => HPL003.message(model, RANGE, p)), {
      tdx: 'Accepting [0x108000000, 0x110000000) failed, and the logs do not show why: the memory was pending before. Possible causes, most likely first: the memory was still accepted after an unplug without private discard (HPL001); it was still accepted after an offline/online cycle (HPL002); the VMM refused the conversion to private (HPL010).',
      snp: 'Validating [0x108000000, 0x110000000) failed, and the logs do not show why: the memory was pending before. Possible causes, most likely first: the memory was still validated after an unplug without private discard (HPL001); it was still validated after an offline/online cycle (HPL002); the VMM refused the conversion to private (HPL010).',
      unknown: 'Accepting [0x108000000, 0x110000000) failed, and the logs do not show why: the memory was pending before. Possible causes, most likely first: the memory was still accepted after an unplug without private discard (HPL001); it was still accepted after an offline/online cycle (HPL002); the VMM refused the conversion to private (HPL010).',
    });
    assert.equal(
      HPL003.message({ from: 'cpa', bytes: 0x8000000n, errno: -5, privatePageRemoved: true }, {}, 'snp'),
      'Converting 0x8000000 bytes to private (validate) failed with -5; the CPA warning hashes the address, and no QEMU trace says which range it was. Possible causes, most likely first: it was still validated after an offline/online cycle (HPL002); the VMM refused the conversion to private (HPL010).',
    );
    // PVALIDATE is SEV-SNP's own instruction whatever the rest of the log shows.
    for (const p of PLATFORMS) {
      assert.equal(HPL003.message({ from: 'pvalidate', pfn: 0x108000n, ret: 6 }, {}, p), 'PVALIDATE of pfn 0x108000 failed with ret=6 (PVALIDATE_FAIL_SIZEMISMATCH); the guest terminates itself.');
    }
  });

  it('HPL005: stays accepted on TDX; on SEV-SNP the RMP entry stays validated and the re-plug\'s PVALIDATE terminates the guest', () => {
    assert.deepEqual(each((p) => HPL005.message({ what: 'UNPLUG' }, RANGE, p)), {
      tdx: 'UNPLUG of [0x108000000, 0x110000000) was acknowledged, but only the shared side was discarded: the private pages stay accepted and a re-plug of this range will fail to accept.',
      snp: "UNPLUG of [0x108000000, 0x110000000) was acknowledged, but only the shared side was discarded: the RMP entries stay validated, and the re-plug's PVALIDATE will return PVALIDATE_FAIL_NOUPDATE, which terminates the guest.",
      unknown: 'UNPLUG of [0x108000000, 0x110000000) was acknowledged, but only the shared side was discarded: the private pages stay accepted (TDX) or validated (SEV-SNP), and a re-plug of this range will fail.',
    });
    assert.deepEqual(each((p) => HPL005.why(p)), {
      tdx: 'QEMU 9.2 serves UNPLUG with ram_block_discard_range, which punches only the shared side; the private guest_memfd page stays, accepted.',
      snp: 'QEMU 9.2 serves UNPLUG with ram_block_discard_range, which punches only the shared side; the private guest_memfd page stays, its RMP entry validated.',
      unknown: 'QEMU 9.2 serves UNPLUG with ram_block_discard_range, which punches only the shared side; the private guest_memfd page stays, accepted or validated.',
    });
  });

  it('HPL011: SEV-SNP words on every platform (only PVALIDATE reports it); never "accept"', () => {
    for (const p of PLATFORMS) {
      const text = HPL011.message({}, { range: { start: 0x108000000n, end: 0x108200000n } }, p);
      assert.equal(text, 'PVALIDATE of [0x108000000, 0x108200000) failed with PVALIDATE_FAIL_NOUPDATE: the RMP entry was still validated, so the page was not invalidated on unplug; the guest terminates itself.');
      assert.doesNotMatch(`${text} ${HPL011.why(p)} ${HPL011.wouldNotHappenIf(p).join(' ')}`, /accept/i);
    }
  });

  it('HPL013: the guest accepts whole memory blocks on TDX, validates them on SEV-SNP', () => {
    assert.deepEqual(each((p) => HPL013.message({ unplugged: 32 }, RANGE, p)), {
      tdx: 'The accept of [0x108000000, 0x110000000) covers 32 unplugged subblocks: the guest accepts whole memory blocks while only parts of them are plugged.',
      snp: 'The validation of [0x108000000, 0x110000000) covers 32 unplugged subblocks: the guest validates whole memory blocks while only parts of them are plugged.',
      unknown: 'The accept of [0x108000000, 0x110000000) covers 32 unplugged subblocks: the guest accepts whole memory blocks while only parts of them are plugged.',
    });
    assert.deepEqual(HPL013.wouldNotHappenIf('snp'), ['the guest validated per plugged subblock instead of per memory block']);
  });
});

describe('the platform a whole log proves sets the words of every finding', () => {
  const F04 = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'scenarios', 'F04-coco-rfc-stale-private');
  const guest = readFileSync(join(F04, 'guest.log'), 'utf8');
  const qemu = readFileSync(join(F04, 'qemu.log'), 'utf8');

  /** F04 with one more line, before all others, that names the platform. */
  function f04(first: string | undefined): Promise<Analysis> {
    const text = first === undefined ? guest : `[    0.000000] ${first}\n${guest}`;
    return analyze([memorySource('guest.log', utf8(text)), memorySource('qemu.log', utf8(qemu))]);
  }

  function words(a: Analysis): { hpl001: string; hpl005: string; why: string } {
    const root = a.rootCauses.find((r) => r.code === 'HPL001');
    return {
      hpl001: a.findings.find((f) => f.code === 'HPL001')?.message ?? '',
      hpl005: a.findings.find((f) => f.code === 'HPL005')?.message ?? '',
      why: root?.why ?? '',
    };
  }

  it('TDX: TDX_PAGE_ALREADY_ACCEPTED, stays accepted', async () => {
    const w = words(await f04('tdx: Guest detected'));
    assert.match(w.hpl001, /^Accepting \[0x108000000, 0x110000000\) failed: .* so the re-accept most likely hit TDX_PAGE_ALREADY_ACCEPTED\./);
    assert.match(w.hpl005, /the private pages stay accepted and a re-plug of this range will fail to accept\./);
    assert.match(w.why, /^A TDX accept of a page that is still accepted returns TDX_PAGE_ALREADY_ACCEPTED/);
    assert.doesNotMatch(w.why, /SEV-SNP/);
  });

  it('SEV-SNP: validated RMP entries and PVALIDATE_FAIL_NOUPDATE, not TDX words', async () => {
    const a = await f04('Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP');
    const w = words(a);
    assert.match(w.hpl001, /^Validating \[0x108000000, 0x110000000\) failed: .* so PVALIDATE most likely found the RMP entry still validated \(PVALIDATE_FAIL_NOUPDATE\)\./);
    assert.match(w.hpl005, /the RMP entries stay validated, and the re-plug's PVALIDATE will return PVALIDATE_FAIL_NOUPDATE, which terminates the guest\./);
    assert.match(w.why, /^PVALIDATE of an RMP entry/);
    const everything = JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    assert.doesNotMatch(everything, /TDX_PAGE_ALREADY_ACCEPTED|TDG\.MEM|stay accepted/);
  });

  it('neither named: words that hold for both, and the findings themselves do not change', async () => {
    const [plain, tdx] = await Promise.all([f04(undefined), f04('tdx: Guest detected')]);
    const w = words(plain);
    assert.match(w.hpl001, /so the re-accept most likely found the pages still accepted\./);
    assert.match(w.hpl005, /stay accepted \(TDX\) or validated \(SEV-SNP\)/);
    const where = (a: Analysis) => a.findings.map((f) => `${f.code} ${f.location.path}:${f.location.line + (f.location.path === 'guest.log' && a === tdx ? -1 : 0)}`);
    assert.deepEqual(where(plain), where(tdx));
  });
});
