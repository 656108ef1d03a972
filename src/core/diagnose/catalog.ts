/**
 * The findings catalog (DIAGNOSTICS.md). Codes never change meaning once released; the text
 * here is what SARIF rules, the Problems panel links and `--help` show.
 */

export type Severity = 'error' | 'warning' | 'info';
export type Cause = 'vmm' | 'host-kernel' | 'tdx-module' | 'snp-firmware' | 'guest-kernel' | 'config' | 'log' | 'unknown';
export type Confidence = 'certain' | 'likely' | 'possible';

/** Cause classes as a person writes them (JSON and SARIF keep the class ids). */
export const CAUSE_NAMES: Record<Cause, string> = {
  vmm: 'VMM',
  'host-kernel': 'host kernel (KVM)',
  'tdx-module': 'TDX module',
  'snp-firmware': 'SEV-SNP firmware',
  'guest-kernel': 'guest kernel',
  config: 'VM configuration',
  log: 'the log',
  unknown: 'unknown',
};

export interface CodeInfo {
  code: string;
  name: string;
  severity: Severity;
  /** The cause class most findings of this code have; a finding may name another. */
  cause: Cause;
  /** Short title for lists and CodeLens. */
  title: string;
  /** What it means, for SARIF help text and the Explain page. */
  help: string;
}

const CODES: CodeInfo[] = [
  {
    code: 'HPL001',
    name: 'reaccept-after-unplug',
    severity: 'error',
    cause: 'vmm',
    title: 're-accept after unplug without private discard',
    help:
      'Memory accepted earlier, then unplugged, was accepted again after re-plug and the accept failed: TDX returns ' +
      'TDX_PAGE_ALREADY_ACCEPTED (a warning status, bit 63 clear) for a page whose S-EPT entry is still MAPPED, and Linux ' +
      'treats any non-zero status as failure. The VMM acknowledged UNPLUG without discarding the private (guest_memfd) ' +
      'pages. Security relevance: the stale page may still hold old data. (The CoCo RFC cover letter attributes this to ' +
      'TDX_EPT_ENTRY_STATE_INCORRECT; that status is returned only to host SEAMCALLs, see HPL012.)',
  },
  {
    code: 'HPL002',
    name: 'reaccept-after-offline',
    severity: 'error',
    cause: 'guest-kernel',
    title: 're-accept after offline/online',
    help: 'An offline → online cycle of a memory block accepted memory that was still accepted: nothing converted it on offline.',
  },
  {
    code: 'HPL003',
    name: 'accept-failed',
    severity: 'error',
    cause: 'unknown',
    title: 'accept or conversion to private failed',
    help: 'An accept or conversion to private failed and the evidence does not single out a cause; the finding ranks the hypotheses.',
  },
  {
    code: 'HPL004',
    name: 'access-before-accept',
    severity: 'error',
    cause: 'guest-kernel',
    title: 'guest access before accept',
    help:
      'Plugged memory was touched before it was accepted (host `kvm_intel: Guest access before accepting …`, or the guest ' +
      'panic `Unexpected EPT-violation on private memory.` in a debug TD). KVM marks the VM dead.',
  },
  {
    code: 'HPL005',
    name: 'unplug-without-private-discard',
    severity: 'warning',
    cause: 'vmm',
    title: 'unplug without private discard',
    help:
      'UNPLUG was acknowledged but nothing shows the private side was discarded: no conversion to shared before, and the ' +
      'VMM discarded only the shared side (QEMU 9.2 `ram_block_discard_range`). Latent: becomes HPL001 on re-plug.',
  },
  {
    code: 'HPL006',
    name: 'memory-leaked',
    severity: 'warning',
    cause: 'guest-kernel',
    title: 'memory leaked after failed unplug',
    help: '`CoCo set_encrypted failed, leaking memory`: the unplug failed and re-accepting failed; the subblock stays plugged and unusable.',
  },
  {
    code: 'HPL007',
    name: 'protocol-error',
    severity: 'error',
    cause: 'vmm',
    title: 'virtio-mem protocol error',
    help:
      'A request was answered ERROR (double plug, double unplug, misaligned, outside the usable region) or QEMU reported a ' +
      '`virtio-mem protocol violation`.',
  },
  {
    code: 'HPL008',
    name: 'device-broken',
    severity: 'error',
    cause: 'guest-kernel',
    title: 'virtio-mem device marked broken',
    help: '`unknown error, marking device broken: N`: the driver stops serving requests for this device until it is reloaded.',
  },
  {
    code: 'HPL009',
    name: 'plugged-size-mismatch',
    severity: 'warning',
    cause: 'vmm',
    title: 'plugged size disagrees with the requests',
    help:
      "The device's `plugged size` disagrees with what the acknowledged requests add up to, or the driver WARNs in " +
      '`virtio_mem_refresh_config`.',
  },
  {
    code: 'HPL010',
    name: 'conversion-failed',
    severity: 'error',
    cause: 'vmm',
    title: 'private/shared conversion failed',
    help:
      'A private↔shared conversion failed: CPA warning, QEMU `failed to set memory … with attr`, `Convert non guest_memfd ' +
      'backed memory region`, a failed page state change.',
  },
  {
    code: 'HPL011',
    name: 'snp-double-validate',
    severity: 'error',
    cause: 'vmm',
    title: 'SEV-SNP re-validation of a validated page',
    help:
      'SEV-SNP `PVALIDATE failure … ret=255` (PVALIDATE_FAIL_NOUPDATE): the RMP entry was still validated after unplug; the ' +
      'guest terminates itself.',
  },
  {
    code: 'HPL012',
    name: 'host-seamcall-failed',
    severity: 'error',
    cause: 'host-kernel',
    title: 'host SEAMCALL failed',
    help:
      '`SEAMCALL TDH_… failed: 0x…` on the host, with the status decoded by name. TDX_EPT_ENTRY_STATE_INCORRECT ' +
      '(0xC0000B0D…) lives here: a host SEAMCALL found an S-EPT entry in the wrong state (e.g. AUG on a non-free entry).',
  },
  {
    code: 'HPL013',
    name: 'granularity-mismatch',
    severity: 'warning',
    cause: 'guest-kernel',
    title: 'accept covers unplugged subblocks',
    help: 'An accept or conversion covers a whole memory block while only some of its subblocks are plugged.',
  },
  {
    code: 'HPL014',
    name: 'vm-terminated',
    severity: 'error',
    cause: 'unknown',
    title: 'VM terminated',
    help: 'The VM stopped: `kvm run failed`, a guest panic, an SEV-SNP termination. Names the finding that explains it when there is one.',
  },
  {
    code: 'HPL015',
    name: 'log-incomplete',
    severity: 'info',
    cause: 'log',
    title: 'log incomplete',
    help:
      'The input starts mid-stream, wraps lines, jumps backwards in time, holds lines that look relevant but match no ' +
      'known format, or gives a value no driver could run with (a corrupt geometry line: a subblock size below a page, a ' +
      'region that wraps around 2^64), which is then ignored. States it leaves unexplained are unknown.',
  },
  {
    code: 'HPL016',
    name: 'request-retry-storm',
    severity: 'info',
    cause: 'vmm',
    title: 'requests retried many times',
    help: 'BUSY or NACK answers repeated beyond the driver’s retry pattern (migration running, requested size shrinking).',
  },
  {
    code: 'HPL017',
    name: 'release-failed',
    severity: 'error',
    cause: 'guest-kernel',
    title: 'guest RELEASE of accepted memory failed',
    help:
      '`tdx: Failed to release memory [a, b)` (TDG.MEM.PAGE.RELEASE, L-REL RFC): the guest could not return accepted memory ' +
      'to PENDING before unplug; the driver typically marks the device broken, and a failed re-accept panics the guest.',
  },
];

export const CATALOG: ReadonlyMap<string, CodeInfo> = new Map(CODES.map((c) => [c.code, c]));

export function codeInfo(code: string): CodeInfo {
  const info = CATALOG.get(code);
  if (!info) throw new Error(`unknown finding code ${code}`);
  return info;
}
