import { hexString as hex } from '../../text/hex';
import { CONVERTS_BEFORE_UNPLUG, type FindingDefinition, rangeText, VMM_DISCARDS_PRIVATE, withRemedies } from './definition';

/**
 * Only SEV-SNP's PVALIDATE reports this: the words are SEV-SNP's whatever else the logs show.
 * `vaddr`: Linux printed the kernel virtual address of the page, which says nothing of where it is in guest memory.
 */
export const HPL011: FindingDefinition<{ vaddr?: bigint }> = withRemedies({
  code: 'HPL011',
  name: 'snp-double-validate',
  severity: 'error',
  cause: 'vmm',
  confidence: 'likely',
  title: 'SEV-SNP re-validation of a validated page',
  help:
    'SEV-SNP `PVALIDATE failure … ret=255` (PVALIDATE_FAIL_NOUPDATE): the RMP entry was still validated after unplug; the ' +
    'guest terminates itself.',
  message: (facts, place) =>
    `PVALIDATE of ${place.range || facts.vaddr === undefined ? rangeText(place) : `the page at kernel virtual address ${hex(facts.vaddr)}`} failed with PVALIDATE_FAIL_NOUPDATE: the RMP entry was still validated, so the page was not invalidated on unplug; the guest terminates itself.`,
  why: () =>
    'PVALIDATE of an RMP entry whose validated bit is already set fails with PVALIDATE_FAIL_NOUPDATE (255), and Linux terminates the guest: the page was not invalidated on unplug.',
  remedies: () => [
    { text: 'the guest rescinded validation and changed the page to shared before unplug', policies: CONVERTS_BEFORE_UNPLUG },
    { text: 'the host removed the page on UNPLUG', policies: VMM_DISCARDS_PRIVATE },
  ],
});
