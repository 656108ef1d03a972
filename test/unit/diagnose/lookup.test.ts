/**
 * `explain` lookups (diagnose/lookup.ts): a finding code or name, a TDX status name or value
 * (with or without `0x`, any case), what they are and which findings cover them; what is
 * neither is not found. The code texts come from the definitions (codes/), so that only the
 * way they are put together is pinned here. Status values: TDX module 1.5 ABI
 * (tdx_error_codes_defs.h), as in tdx-status.ts.
 */
import { strict as assert } from 'node:assert';
import { HPL005, HPL007, HPL015 } from '../../../src/core/diagnose/codes/index';
import { catalogMarkdown, lookup } from '../../../src/core/diagnose/lookup';

describe('lookup', () => {
  it('a code, any case and spacing: its help, then why and what would have prevented it on each platform where they differ', () => {
    const found = lookup('  hpl005 ');
    assert.ok(found);
    assert.equal(found.title, 'HPL005 unplug-without-private-discard (warning, usually vmm)');
    assert.deepEqual(found.codes.map((c) => c.code), ['HPL005']);
    assert.equal(
      found.text,
      [
        HPL005.help,
        `Why (TDX): ${HPL005.why('tdx')}\n\nWould not happen if (TDX): ${HPL005.wouldNotHappenIf('tdx').join('; or ')}.`,
        `Why (SEV-SNP): ${HPL005.why('snp')}\n\nWould not happen if (SEV-SNP): ${HPL005.wouldNotHappenIf('snp').join('; or ')}.`,
      ].join('\n\n'),
    );
  });

  it('a name: once when the platform changes nothing', () => {
    const found = lookup('Protocol-Error');
    assert.ok(found);
    assert.equal(found.title, 'HPL007 protocol-error (error, usually vmm)');
    assert.equal(found.text, `${HPL007.help}\n\nWhy: ${HPL007.why('tdx')}\n\nWould not happen if: ${HPL007.wouldNotHappenIf('tdx').join('; or ')}.`);
  });

  it('a code nothing would have prevented has no such line', () => {
    assert.equal(lookup('HPL015')?.text, `${HPL015.help}\n\nWhy: ${HPL015.why('tdx')}`);
  });

  it('a status by name: its value, who returns it, the findings that cover it and why', () => {
    const found = lookup('tdx_page_already_accepted');
    assert.ok(found);
    assert.equal(found.title, 'TDX_PAGE_ALREADY_ACCEPTED');
    assert.deepEqual(found.codes.map((c) => c.code), ['HPL001', 'HPL002']);
    const [first, note] = found.text.split('\n\n');
    assert.equal(
      first,
      'TDX_PAGE_ALREADY_ACCEPTED = 0x00000b0a00000000 (upper 32 bits; the lower 32 name the operand or EPT level). Returned by: guest TDG.MEM.PAGE.ACCEPT on a MAPPED page (warning, bit 63 clear).',
    );
    assert.match(note, /^A warning status \(bit 63 clear\) from TDG\.MEM\.PAGE\.ACCEPT/);
  });

  it('a status no finding covers: the value and who returns it only', () => {
    assert.deepEqual(lookup('TDX_OPERAND_BUSY'), {
      title: 'TDX_OPERAND_BUSY',
      text: 'TDX_OPERAND_BUSY = 0x8000020000000000 (upper 32 bits; the lower 32 name the operand or EPT level). Returned by: S-EPT lock contention; KVM retries.',
      codes: [],
    });
  });

  it('a status value as logged, with 0x, 0X or no prefix', () => {
    for (const value of ['0xc0000b0d00000001', '0XC0000B0D00000001', 'c0000b0d00000001']) {
      const found = lookup(value);
      assert.equal(found?.title, 'TDX_EPT_ENTRY_STATE_INCORRECT', value);
      assert.deepEqual(found?.codes.map((c) => c.code), ['HPL012', 'HPL001'], value);
      assert.match(found?.text ?? '', /^TDX_EPT_ENTRY_STATE_INCORRECT = 0xc0000b0d00000000 \(upper 32 bits; /, value);
    }
  });

  it('an unknown status value: its upper half and the operand its lower half names', () => {
    assert.deepEqual(lookup('0xdeadbeef00000001'), { title: 'unknown status 0xdeadbeef', text: 'Operand: RCX.', codes: [] });
  });

  it('neither a code, a name nor a status: not found', () => {
    for (const term of ['hello', 'HPL999', 'zz0c0000b0d00000001', '0xc0000b0d00000001zz', '0x1c0000b0d00000001', '']) assert.equal(lookup(term), undefined, term);
  });
});

describe('explain: SEV-SNP return codes and termination reasons (src/core/snp/codes.ts)', () => {
  it('PVALIDATE_FAIL_NOUPDATE, by its name or its table-less name, is 255 and covered by HPL011', () => {
    for (const term of ['PVALIDATE_FAIL_NOUPDATE', 'pvalidate_fail_noupdate']) {
      const r = lookup(term);
      assert.equal(r?.title, 'PVALIDATE_FAIL_NOUPDATE');
      assert.match(r?.text ?? '', /^PVALIDATE_FAIL_NOUPDATE = 255\. PVALIDATE found the RMP entry's validated bit already as asked/);
      assert.deepEqual(r?.codes.map((c) => c.code), ['HPL011']);
    }
  });

  it('RMPUPDATE returns are HPL020; a GHCB termination reason names its set and code', () => {
    assert.deepEqual(lookup('RMPUPDATE_FAIL_INUSE')?.codes.map((c) => c.code), ['HPL020']);
    const term = lookup('GHCB_TERM_PVALIDATE');
    assert.match(term?.text ?? '', /reason set 1, code 2\): a PVALIDATE failed/);
    assert.deepEqual(term?.codes.map((c) => c.code), ['HPL011', 'HPL003', 'HPL014']);
  });

  it('the findings page lists every one', () => {
    const page = catalogMarkdown();
    for (const name of ['PVALIDATE_FAIL_INPUT', 'PVALIDATE_FAIL_SIZEMISMATCH', 'RMPUPDATE_FAIL_OVERLAP', 'GHCB_TERM_SVSM_CAA', 'GHCB_SNP_UNSUPPORTED']) {
      assert.match(page, new RegExp(`^\\| ${name} \\| \\d+ \\|`, 'm'), name);
    }
  });
});
