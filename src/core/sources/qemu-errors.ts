/**
 * QEMU error_report / warn_report / stderr texts (DOMAIN.md §1.6 QE1–QE9, §1.7 KE1–KE9).
 * The envelope has removed `[timestamp ][guest ]qemu-system-x86_64: [warning: ]`.
 */
import { type Family, type Row, hex, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';
const PROP = "'[^']*'";
const FN = '[\\w.]+';
/**
 * error_setg() texts from realize come with the command-line option that failed (`-device …: `,
 * `-object …: ` for a memory backend); from the monitor they start with `Error: `.
 */
const DEVICE_OPT = '(?:-(?:device|object) \\S+: |Error: )?';

function report(id: string, pattern: string, severity: 'error' | 'warning' = 'error'): Row {
  return { id, pattern: whole(`${DEVICE_OPT}(${pattern})`), build: (m) => ({ kind: 'qemu.error', rule: id, severity, detail: m[1] }) };
}

export const qemuErrors: Family = {
  name: 'QEMU errors',
  prefix: /(?:)/y,
  rows: [
    report('QE1', 'virtio-mem protocol violation: (?:invalid request size: -?\\d+|not enough space for response: \\d+|unknown request type: -?\\d+)'),
    report('QE3', 'Read unsupported THP size: [0-9a-fA-F]+|Could not detect THP size, falling back to [0-9a-fA-F]+ +MiB\\.', 'warning'),
    report(
      'QE4',
      [
        `${PROP} property is not set`,
        `${PROP} property specifies a busy memdev: \\S+`,
        `${PROP} property specifies an unsupported memdev`,
        'Incompatible with mlock',
        `${PROP} property has to be at least the page size \\(0x[0-9a-fA-F]+\\)`,
        `${PROP} property has to be multiples of ${PROP} \\(0x[0-9a-fA-F]+\\)`,
        'Discarding RAM is disabled',
        'Unexpected error discarding RAM(?:: .*)?',
      ].join('|'),
    ),
    report(
      'QE5',
      `${PROP} property set to 'off' with a memdev that does not support the shared zeropage\\.|${PROP} property is smaller than the default block size \\([0-9a-fA-F]+ MiB\\)`,
      'warning',
    ),
    report('QE6', `${PROP} has to be multiples of ${PROP} \\(0x[0-9a-fA-F]+\\)|${PROP} cannot exceed the memory backend size\\(0x[0-9a-fA-F]+\\)`),
    report('QE7', `${FN}: Replaying plugged ranges failed: .*`),
    report(
      'QE8',
      `Property ${PROP} (?:size )?changed from (?:0x[0-9a-fA-F]+|\\d+) to (?:0x[0-9a-fA-F]+|\\d+)|Proper preallocation with migration requires a newer QEMU machine`,
    ),
    report('QE9', 'virtio-mem device cannot get unplugged while some of its memory is still plugged'),
    {
      id: 'KE1',
      pattern: whole(`failed to set memory \\(${HEX}\\+${HEX}\\) with attr ${HEX} error '(.*)'`),
      build: (m) => ({
        kind: 'qemu.setAttributesFailed',
        rule: 'KE1',
        start: hex(m[1]),
        size: hex(m[2]),
        attributes: hex(m[3]),
        error: m[4],
      }),
    },
    {
      id: 'KE2',
      pattern: whole(`Convert non guest_memfd backed memory region \\(${HEX} ,\\+ ${HEX}\\) to (\\w+)`),
      build: (m) => ({ kind: 'qemu.convertNonGuestMemfd', rule: 'KE2', start: hex(m[1]), size: hex(m[2]), to: m[3] }),
    },
    report('KE3', `${FN}: failed to set memory attribute private: .*`),
    report('KE5', `ram_block_discard_guest_memfd_range: (?:Failed to fallocate|fallocate not available) \\S*:[0-9a-fA-F]+ \\+[0-9a-fA-F]+ \\(-?\\d+\\)`),
    report(
      'KE4',
      [
        `${FN}: Unaligned start address: \\S+`,
        `${FN}: Unaligned length: [0-9a-fA-F]+`,
        `${FN}: Discarding RAM with readonly files is not supported`,
        `${FN}: Failed to discard range \\S*:[0-9a-fA-F]+ \\+[0-9a-fA-F]+ \\(-?\\d+\\)`,
        `${FN}: Overrun block '[^']*' \\([^)]*\\)`,
        `${FN}: Failed to fallocate \\S*:[0-9a-fA-F]+(?:\\+[0-9a-fA-F]+)? \\+[0-9a-fA-F]+ \\(-?\\d+\\)`,
      ].join('|'),
    ),
    // The same function's warn_report_once(): a warning, not an error.
    report(
      'KE4b',
      `${FN}: Discarding RAM in private file mappings is possibly dangerous, because it will modify the underlying file and will affect other users of the file`,
      'warning',
    ),
    report('KE6', `${FN}, invalid range: offset 0x[0-9a-fA-F]+, size 0x[0-9a-fA-F]+`),
    report('KE7', 'Failed to create ram block attribute|cannot set up private guest memory: discard currently blocked(?:: .*)?'),
    {
      id: 'KE8',
      pattern: whole('(?:error: kvm run failed (.+)|KVM: unknown exit, hardware reason ([0-9a-fA-F]+)|KVM_EXIT_MEMORY_FAULT: Unknown flag (0x[0-9a-fA-F]+))'),
      build: (m) => ({
        kind: 'qemu.kvmRunFailed',
        rule: 'KE8',
        reason: m[1] ?? (m[2] !== undefined ? `unknown exit, hardware reason ${m[2]}` : `memory fault with unknown flag ${m[3]}`),
      }),
    },
    report(
      'KE9',
      `TDX: REPORT_FATAL_ERROR: invalid error code: 0x[0-9a-fA-F]+|TDX guest reports fatal error: error code: 0x[0-9a-fA-F]+ error message:".*"|Additional error information can be found at gpa page: 0x[0-9a-fA-F]+`,
    ),
  ],
};
