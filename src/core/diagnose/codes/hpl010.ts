import { hexString as hex } from '../../text/hex';
import { type FindingDefinition, rangeText, withRemedies } from './definition';

export type ConversionFacts =
  | { failed: 'pageStateChange'; detail: string; ret?: number }
  | { failed: 'setAttributes'; attributes: bigint; error: string }
  | { failed: 'notGuestMemfd'; to: string }
  | { failed: 'discard'; detail: string }
  | { failed: 'toShared'; bytes: bigint; errno?: number };

/** A failed page state change or attribute change ends the VM (the guest, or QEMU 9.2, stops); a failed discard or conversion to shared does not. */
export const HPL010: FindingDefinition<ConversionFacts> = withRemedies<ConversionFacts>({
  code: 'HPL010',
  name: 'conversion-failed',
  severity: 'error',
  cause: 'vmm',
  confidence: 'likely',
  title: 'private/shared conversion failed',
  help:
    'A private↔shared conversion failed: CPA warning, QEMU `failed to set memory … with attr`, `Convert non guest_memfd ' +
    'backed memory region`, a failed page state change.',
  message(facts, place) {
    switch (facts.failed) {
      case 'pageStateChange':
        return `SEV-SNP page state change failed (${facts.detail}${facts.ret !== undefined ? `, ret=${facts.ret}` : ''}); the guest terminates itself.`;
      case 'setAttributes':
        return `QEMU failed to set the memory attributes of ${rangeText(place)} to ${hex(facts.attributes)}: ${facts.error}.`;
      case 'notGuestMemfd':
        return `The guest asked to convert ${rangeText(place)} to ${facts.to}, but that RAM is not backed by guest_memfd: the memory backend of the virtio-mem device is misconfigured for a confidential guest.`;
      case 'discard':
        return `QEMU failed to discard RAM: ${facts.detail}.`;
      case 'toShared':
        return `Converting ${hex(facts.bytes)} bytes of guest memory to shared failed${facts.errno !== undefined ? ` (${facts.errno})` : ''}.`;
    }
  },
  why: () => 'Converting between private and shared needs guest_memfd-backed RAM and a VMM that can set the KVM memory attributes.',
  remedies: (platform) => [
    { text: 'the memory backend of the virtio-mem device were guest_memfd-capable' },
    {
      text:
        platform === 'snp' ? 'the VMM handled the page state change request' : platform === 'tdx' ? 'the VMM handled the MapGPA request' : 'the VMM handled the conversion request (TDX MapGPA, SEV-SNP page state change)',
    },
  ],
});
