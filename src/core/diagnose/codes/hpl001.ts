import { acceptance, CONVERTS_BEFORE_UNPLUG, type FindingDefinition, QEMU_TRACE_ADVICE, rangeText, VMM_DISCARDS_PRIVATE, withRemedies } from './definition';

/**
 * What a re-accept of a page that is still accepted runs into, on each platform. Linux does not
 * print the status of a failed accept: it is the most likely one, never a fact.
 */
const STILL_ACCEPTED = {
  tdx: 'the re-accept most likely hit TDX_PAGE_ALREADY_ACCEPTED',
  snp: 'PVALIDATE most likely found the RMP entry still validated (PVALIDATE_FAIL_NOUPDATE)',
  unknown: 'the re-accept most likely found the pages still accepted',
} as const;

export const HPL001: FindingDefinition = withRemedies({
  code: 'HPL001',
  name: 'reaccept-after-unplug',
  severity: 'error',
  cause: 'vmm',
  confidence: 'likely',
  title: 're-accept after unplug without private discard',
  help:
    'Memory accepted earlier, then unplugged, was accepted again after re-plug and the accept failed: TDX returns ' +
    'TDX_PAGE_ALREADY_ACCEPTED (a warning status, bit 63 clear) for a page whose S-EPT entry is still MAPPED, and Linux ' +
    'treats any non-zero status as failure; SEV-SNP\'s PVALIDATE returns PVALIDATE_FAIL_NOUPDATE for an RMP entry that is ' +
    'still validated. The VMM acknowledged UNPLUG without discarding the private (guest_memfd) pages. Security relevance: ' +
    'the stale page may still hold old data. (The CoCo RFC cover letter attributes this to TDX_EPT_ENTRY_STATE_INCORRECT; ' +
    'that status is returned only to host SEAMCALLs, see HPL012.)',
  message(_facts, place, platform) {
    const { Accepting, accepted } = acceptance(platform);
    return `${Accepting} ${rangeText(place)} failed: that memory was ${accepted} before it was unplugged, and the UNPLUG did not discard the private pages, so ${STILL_ACCEPTED[platform]}.`;
  },
  headline(count, platform) {
    const { Accepting, accepted } = acceptance(platform);
    return `${Accepting} the re-plugged memory then failed ${count} times: each range was ${accepted} before an UNPLUG that did not discard its private pages, so ${STILL_ACCEPTED[platform]}.`;
  },
  why(platform) {
    const stale = 'The page is still accepted because the VMM acknowledged the UNPLUG without discarding the private (guest_memfd) page; the stale page may still hold old data.';
    if (platform === 'snp') {
      return 'PVALIDATE of an RMP entry whose validated bit is still set returns PVALIDATE_FAIL_NOUPDATE, and Linux treats it as failure. The RMP entry is still validated because the VMM acknowledged the UNPLUG without discarding the private (guest_memfd) page, which would have returned it to the hypervisor; the stale page may still hold old data.';
    }
    const tdx =
      'A TDX accept of a page that is still accepted returns TDX_PAGE_ALREADY_ACCEPTED (0x00000B0A…, a warning status), which ' +
      'Linux treats as failure (not TDX_EPT_ENTRY_STATE_INCORRECT, which only host SEAMCALLs return). ' +
      stale;
    return platform === 'tdx' ? tdx : `${tdx} On SEV-SNP the same re-plug fails in PVALIDATE, with PVALIDATE_FAIL_NOUPDATE for the still validated RMP entry.`;
  },
  remedies(platform) {
    const vmm = { text: 'the VMM discarded both the shared and the private planes on UNPLUG (QEMU master does; QEMU 9.2 punches only the shared side)', policies: VMM_DISCARDS_PRIVATE };
    if (platform === 'snp') {
      return [vmm, { text: 'the guest rescinded the validation (PVALIDATE with validate=0) and converted the memory to shared before unplugging it', policies: CONVERTS_BEFORE_UNPLUG }];
    }
    return [
      vmm,
      { text: 'the guest converted the memory to shared (set_memory_decrypted) before unplugging it', policies: CONVERTS_BEFORE_UNPLUG },
      { text: 'the guest RELEASEd the accepted memory (TDG.MEM.PAGE.RELEASE) before unplugging it', policies: { 'guest.releaseOnUnplug': 'yes' } },
    ];
  },
  toConfirm: { unlessInput: 'qemu', text: QEMU_TRACE_ADVICE },
});
