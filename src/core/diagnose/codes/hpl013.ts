import { acceptance, type FindingDefinition, rangeText, withRemedies } from './definition';

export const HPL013: FindingDefinition<{ unplugged: number }> = withRemedies<{ unplugged: number }>({
  code: 'HPL013',
  name: 'granularity-mismatch',
  severity: 'warning',
  cause: 'guest-kernel',
  confidence: 'likely',
  title: 'accept covers unplugged subblocks',
  help: 'An accept (TDX) or validation (SEV-SNP) or a conversion covers a whole memory block while only some of its subblocks are plugged.',
  message(facts, place, platform) {
    const { accept } = acceptance(platform);
    return `The ${accept === 'accept' ? 'accept' : 'validation'} of ${rangeText(place)} covers ${facts.unplugged} unplugged subblocks: the guest ${accept}s whole memory blocks while only parts of them are plugged.`;
  },
  why(platform) {
    const { Accepting } = acceptance(platform);
    return `${Accepting} per memory block on MEM_GOING_ONLINE also ${platform === 'snp' ? 'validates' : 'accepts'} the unplugged subblocks of a partially plugged block (DOMAIN.md §4.6: "we might only hot(un)plug parts of a memory block").`;
  },
  remedies: (platform) => [
    { text: `the guest ${platform === 'snp' ? 'validated' : 'accepted'} per plugged subblock instead of per memory block`, policies: { 'guest.acceptGranularity': 'subblock' } },
  ],
});
