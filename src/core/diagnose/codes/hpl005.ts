import { CONVERTS_BEFORE_UNPLUG, type FindingDefinition, rangeText, VMM_DISCARDS_PRIVATE, withRemedies } from './definition';

export interface UnplugFacts {
  what: 'UNPLUG' | 'UNPLUG_ALL';
}

/** What the private pages left behind by a shared-only discard do at the re-plug, on each platform. */
const LEFT_BEHIND = {
  tdx: 'the private pages stay accepted and a re-plug of this range will fail to accept',
  snp: "the RMP entries stay validated, and the re-plug's PVALIDATE will return PVALIDATE_FAIL_NOUPDATE, which terminates the guest",
  unknown: 'the private pages stay accepted (TDX) or validated (SEV-SNP), and a re-plug of this range will fail',
} as const;

export const HPL005: FindingDefinition<UnplugFacts> = withRemedies<UnplugFacts>({
  code: 'HPL005',
  name: 'unplug-without-private-discard',
  severity: 'warning',
  cause: 'vmm',
  confidence: 'likely',
  title: 'unplug without private discard',
  joins: 'adjacentRange',
  latent: { becomes: ['HPL001', 'HPL011'] },
  help:
    'UNPLUG was acknowledged but nothing shows the private side was discarded: no conversion to shared before, and the ' +
    'VMM discarded only the shared side (QEMU 9.2 `ram_block_discard_range`). Latent: becomes HPL001 (TDX) or HPL011 ' +
    '(SEV-SNP) on re-plug.',
  message(facts, place, platform) {
    return `${facts.what} of ${rangeText(place)} was acknowledged, but only the shared side was discarded: ${LEFT_BEHIND[platform]}.`;
  },
  why(platform) {
    const stays = platform === 'snp' ? 'stays, its RMP entry validated' : platform === 'tdx' ? 'stays, accepted' : 'stays, accepted or validated';
    return `QEMU 9.2 serves UNPLUG with ram_block_discard_range, which punches only the shared side; the private guest_memfd page ${stays}.`;
  },
  remedies(platform) {
    const guest =
      platform === 'snp'
        ? 'the guest rescinded the validation and converted the memory to shared before unplug'
        : 'the guest converted to shared or released the memory before unplug';
    return [
      { text: 'the VMM discarded the private plane too (QEMU master)', policies: VMM_DISCARDS_PRIVATE },
      { text: guest, policies: CONVERTS_BEFORE_UNPLUG },
    ];
  },
});
