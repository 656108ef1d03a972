import { type FindingDefinition, rangeText, withRemedies } from './definition';

/** The three ways the logs show a touch of private memory that was not accepted (TDX only: SEV-SNP has no such report). */
export type TouchFacts = { how: 'afterUnplug' } | { how: 'beforeAccept' } | { how: 'guestPanic' };

export const HPL004: FindingDefinition<TouchFacts> = withRemedies<TouchFacts>({
  code: 'HPL004',
  name: 'access-before-accept',
  severity: 'error',
  cause: 'guest-kernel',
  confidence: 'certain',
  title: 'guest access before accept',
  help:
    'Plugged memory was touched before it was accepted (host `kvm_intel: Guest access before accepting …`, or the guest ' +
    'panic `Unexpected EPT-violation on private memory.` in a debug TD). KVM marks the VM dead.',
  message(facts, place, platform) {
    switch (facts.how) {
      case 'afterUnplug':
        return `The guest touched ${rangeText(place)} after it was unplugged and discarded; KVM re-added the page PENDING and killed the VM.`;
      case 'beforeAccept':
        // Reached on SEV-SNP only in a what-if (guest.acceptsMemory=no): an access to a page that is not validated is a #VC.
        return platform === 'snp'
          ? `The guest touched ${rangeText(place)} before validating it (the driver hands plugged memory to the buddy without validating it); the access raises a #VC for a page that is not validated, and the guest terminates.`
          : `The guest touched ${rangeText(place)} before accepting it (the driver hands plugged memory to the buddy without accepting it); ${platform === 'tdx' ? 'KVM killed the VM' : 'the VM is killed (TDX) or terminates (SEV-SNP)'}.`;
      case 'guestPanic':
        return 'The guest touched private memory it had not accepted; in a debug TD without SEPT_VE_DISABLE that is a #VE and this panic.';
    }
  },
  why: () =>
    'A TD must accept a private page before it touches it; a touch of a page that is not accepted makes KVM report "Guest access before accepting" and mark the VM dead.',
  remedies: () => [{ text: 'the guest driver accepted plugged memory before onlining it (the CoCo RFC, or the notifier patch)', policies: { 'guest.acceptsMemory': 'yes' } }],
});
