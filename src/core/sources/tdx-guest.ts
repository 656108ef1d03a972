/** Guest TDX lines (`tdx: ` pr_fmt, DOMAIN.md §1.3 T2–T4, T8–T10, T12) and the CPA warning (T1). */
import type { TdxKexecEvent } from '../events';
import { ascending, type Family, type Row, hex, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';

function kexec(id: string, pattern: string, problem: TdxKexecEvent['problem'], withRange = false): Row {
  return {
    id,
    pattern: whole(pattern),
    build: (m) => ({
      kind: 'tdx.kexec',
      rule: id,
      problem,
      // tdx_kexec_finish() prints `addr, addr + size`: the end is already exclusive.
      ...(withRange ? { range: { start: hex(m[1]), end: hex(m[2]) } } : {}),
    }),
  };
}

export const tdxGuest: Family = {
  name: 'TDX guest',
  prefix: /(?:x86\/)?tdx: /y,
  rows: [
    {
      // T2 (L-TDXFIX notifier) and T3 (L-REL post-plug) print the same text.
      id: 'T2',
      pattern: whole(`Failed to accept memory \\[${HEX}, ${HEX}\\)`),
      valid: ascending(1, 2),
      build: (m) => ({ kind: 'tdx.acceptFailed', rule: 'T2', start: hex(m[1]), end: hex(m[2]) }),
    },
    {
      id: 'T4',
      pattern: whole(`Failed to release memory \\[${HEX}, ${HEX}\\)`),
      valid: ascending(1, 2),
      build: (m) => ({ kind: 'tdx.releaseFailed', rule: 'T4', start: hex(m[1]), end: hex(m[2]) }),
    },
    {
      id: 'T8',
      pattern: whole('TD misconfiguration: (?:SEPT_VE_DISABLE attribute must be set\\.|SEPT #VE has to be disabled)'),
      build: () => ({ kind: 'tdx.septVeMisconfigured', rule: 'T8' }),
    },
    kexec('T9', 'Failed to stop shared<->private conversions', 'stopConversions'),
    kexec('T10', `Failed to unshare range ${HEX}-${HEX}`, 'unshareFailed', true),
    kexec('T10b', 'shared page accounting is off', 'accountingOff'),
    kexec('T10c', 'nr_shared = -?\\d+, nr_found = -?\\d+', 'counts'),
    { id: 'T12', pattern: whole('Guest detected'), build: () => ({ kind: 'tdx.guestDetected', rule: 'T12' }) },
  ],
};

/** T1, printed by WARN_ONCE without a prefix, in its newer (`: -5`) and older (`.`) wording. */
export const cpa: Family = {
  name: 'CPA',
  prefix: /(?=CPA VMM failure)/y,
  rows: [
    {
      id: 'T1',
      pattern: whole('CPA VMM failure to convert memory \\(addr=([0-9a-fA-Fx]+), numpages=(\\d+)\\) to (private|shared)(?:: (-?\\d+)|\\.)'),
      build: (m) => ({
        kind: 'cpa.failure',
        rule: 'T1',
        hashedAddr: m[1],
        numPages: Number(m[2]),
        to: m[3] as 'private' | 'shared',
        ...(m[4] !== undefined ? { errno: Number(m[4]) } : {}),
      }),
    },
  ],
};
