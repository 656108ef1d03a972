import { hexString as hex } from '../../text/hex';
import { type FindingDefinition, withRemedies } from './definition';

/** A status decoded when noted: its name, the operand its low bits name, and who returns it. */
export interface DecodedStatus {
  value: bigint;
  name: string;
  operand: string;
  where?: string;
}

export type HostTdxFacts =
  | { seen: 'seamcall'; fn: string; status: DecodedStatus; rcx?: bigint }
  /** A SEAMCALL of the TDX module's set-up (TDH.SYS.*, or one that found no usable module): no TD exists yet. */
  | { seen: 'setup'; fn: string; status: DecodedStatus }
  | { seen: 'kvm'; detail: string; statusName?: string };

export const HPL012: FindingDefinition<HostTdxFacts> = withRemedies<HostTdxFacts>({
  code: 'HPL012',
  name: 'host-seamcall-failed',
  severity: 'error',
  cause: 'host-kernel',
  confidence: 'certain',
  title: 'host SEAMCALL failed',
  help:
    '`SEAMCALL TDH_… failed: 0x…` on the host, with the status decoded by name. TDX_EPT_ENTRY_STATE_INCORRECT ' +
    '(0xC0000B0D…) lives here: a host SEAMCALL found an S-EPT entry in the wrong state (e.g. AUG on a non-free entry).',
  message(facts) {
    if (facts.seen === 'kvm') return `KVM TDX error: ${facts.detail}${facts.statusName !== undefined ? ` (${facts.statusName})` : ''}.`;
    const s = facts.status;
    if (facts.seen === 'setup') {
      return `Setting up TDX on the host failed: SEAMCALL ${facts.fn} returned ${hex(s.value)} = ${s.name}${s.where ? ` (${s.where})` : ''}; no TD can run on this host.`;
    }
    return `Host SEAMCALL ${facts.fn} failed with ${hex(s.value)} = ${s.name} (operand ${s.operand})${facts.rcx !== undefined ? `, rcx ${hex(facts.rcx)}` : ''}: ${s.where ?? 'see the TDX module specification'}.`;
  },
  why: (_platform, facts) =>
    facts?.seen === 'setup'
      ? 'The TDX module is set up once, at host boot or when KVM loads (TDH.SYS.*): a failure there comes from the BIOS settings (TDX, TME-MK, SEAM range), the module binary or its version, not from a guest.'
      : 'A host SEAMCALL found the Secure EPT in a state it did not expect (e.g. TDX_EPT_ENTRY_STATE_INCORRECT: AUG of a page that is not free); KVM marks the VM bugged.',
  remedies: () => [],
});
