import { type FindingDefinition, withRemedies } from './definition';

export interface VmEndFacts {
  /** How it ended, in the words of the line that says so. */
  what: string;
  /** The finding that explains the end, when one does. */
  after?: string;
}

export const HPL014: FindingDefinition<VmEndFacts> = withRemedies<VmEndFacts>({
  code: 'HPL014',
  name: 'vm-terminated',
  severity: 'error',
  cause: 'unknown',
  confidence: 'certain',
  title: 'VM terminated',
  help: 'The VM stopped: `kvm run failed`, a guest panic, an SEV-SNP termination. Names the finding that explains it when there is one.',
  message: (facts) => `The VM stopped: ${facts.what}${facts.after ? `, after ${facts.after}` : ''}.`,
  why: () => 'Once KVM marks a TD dead or bugged, or the guest panics or asks to be terminated, the VM does not run again.',
  remedies: () => [],
});
