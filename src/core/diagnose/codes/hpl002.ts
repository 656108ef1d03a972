import { acceptance, type FindingDefinition, rangeText, withRemedies } from './definition';

export const HPL002: FindingDefinition = withRemedies({
  code: 'HPL002',
  name: 'reaccept-after-offline',
  severity: 'error',
  cause: 'guest-kernel',
  confidence: 'likely',
  title: 're-accept after offline/online',
  help: 'An offline → online cycle of a memory block accepted memory that was still accepted: nothing converted it on offline.',
  message(_facts, place, platform) {
    const { Accepting, accepted } = acceptance(platform);
    return `${Accepting} ${rangeText(place)} failed: that memory is still ${accepted} from before the block went offline; nothing converted it on offline.`;
  },
  why(platform) {
    const { accepted } = acceptance(platform);
    return `MEM_OFFLINE converts nothing, so memory ${accepted} before an offline is still ${accepted} when the block is onlined and ${accepted} again.`;
  },
  remedies(platform) {
    const { accept, accepted } = acceptance(platform);
    return [
      { text: `the guest ${accepted} only memory it had not ${accepted} yet (tracking ${accept === 'accept' ? 'acceptance' : 'validation'} per subblock)` },
      { text: platform === 'snp' ? 'the guest rescinded the validation and converted the memory to shared on offline' : 'the guest converted or released the memory on offline' },
    ];
  },
});
