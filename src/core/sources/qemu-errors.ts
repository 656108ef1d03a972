/**
 * QEMU error_report / warn_report / error_setg / stderr texts (DOMAIN.md §1.6 QE1–QE9, §1.7
 * KE1–KE11, and hw/mem/memory-device.c's MD1–MD9), as QEMU prints them and as libvirt, Kata and
 * containerd relay them. The envelope has removed `[timestamp ][guest ]qemu-system-x86_64: [warning: ]`.
 */
import type { EventBody } from '../events';
import { type Family, type Row, hex, whole } from './table';

const HEX = '0x([0-9a-fA-F]+)';
const PROP = "'[^']*'";
const FN = '[\\w.]+';
/**
 * error_setg() texts from realize come with the command-line option that failed (`-device …: `,
 * `-object …: ` for a memory backend); from the monitor they start with `Error: `.
 */
const DEVICE_OPT = '(?:-(?:device|object) \\S+: |Error: )?';

/**
 * The rows, for messages that end the line (`end` = '') or that a relay wraps and continues
 * (`end` = RELAY_END): one source text per format, compiled for both.
 */
function messageRows(end: string): Row[] {
  const line = (source: string): RegExp => whole(`(?:${source})${end}`);
  const report = (id: string, pattern: string, severity: 'error' | 'warning' = 'error'): Row => ({
    id,
    pattern: line(`${DEVICE_OPT}(${pattern})`),
    build: (m) => ({ kind: 'qemu.error', rule: id, severity, detail: m[1] }),
  });
  const refused = (id: string, pattern: string, build: (m: RegExpExecArray) => Omit<Extract<EventBody, { kind: 'qemu.memoryDeviceRefused' }>, 'kind' | 'rule' | 'detail'>): Row => ({
    id,
    pattern: line(`${DEVICE_OPT}(${pattern})`),
    build: (m) => ({ kind: 'qemu.memoryDeviceRefused', rule: id, detail: m[1], ...build(m) }),
  });
  return [
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
        // QEMU 7.2+ realize and the block-size/memdev setters.
        `${PROP} property specifies a memdev with preallocation enabled: \\S+\\. Instead, specify 'prealloc=on' for the virtio-mem device\\.`,
        // Sic: no blank between `exceeds` and `the`.
        `${PROP} property has value '\\d+', which exceedsthe number of numa nodes: \\d+`,
        `${PROP} property set to 'on' requires ${PROP} to be 'on'`,
        `${PROP} property memdev size has to be multiples of ?${PROP} \\(0x[0-9a-fA-F]+\\)`,
        `${PROP} property must be set`,
        `${PROP} cannot be changed`,
        `${PROP} property has to be at least 0x[0-9a-fA-F]+`,
        `${PROP} property has to be a power of two`,
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
    report('QE9', `virtio-mem device cannot get unplugged while (?:some of its memory is still plugged|${PROP} != ${PROP})`),
    {
      id: 'KE1',
      // QEMU 9.0+ error_report(); the 2023 private-memory series used warn_report() with `__func__: `.
      pattern: line(`(?:${FN}: )?failed to set memory \\(${HEX}\\+${HEX}\\) with attr ${HEX} error '(.*)'`),
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
      // `Converting …` in the posted series, `Convert …` since QEMU 9.0.
      pattern: line(`Convert(?:ing)? non guest_memfd backed memory region \\(${HEX} ,\\+ ${HEX}\\) to (\\w+)`),
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
      pattern: line('(?:error: kvm run failed (.+)|KVM: unknown exit, hardware reason ([0-9a-fA-F]+)|KVM_EXIT_MEMORY_FAULT: Unknown flag (0x[0-9a-fA-F]+))'),
      build: (m) => ({
        kind: 'qemu.kvmRunFailed',
        rule: 'KE8',
        reason: m[1] ?? (m[2] !== undefined ? `unknown exit, hardware reason ${m[2]}` : `memory fault with unknown flag ${m[3]}`),
      }),
    },
    report(
      'KE9',
      [
        'TDX: REPORT_FATAL_ERROR: invalid error code: 0x[0-9a-fA-F]+',
        // `:` in the posted series, `.` since QEMU 10.1.
        'TDX guest reports fatal error[:.] error code: 0x[0-9a-fA-F]+ error message:".*"',
        'Additional error information can be found at gpa page: 0x[0-9a-fA-F]+',
        // The TDX QEMU trees of 2021–2023: error_report() with the guest's message, if any.
        'TD guest reports fatal error\\.(?: .+)?',
      ].join('|'),
    ),
    {
      // system/runstate.c qemu_system_guest_panicked(); the posted TDX series printed the report on the same line.
      id: 'KE11',
      pattern: line(`Guest crashed(?: TDX guest reports fatal error:"(.*)" error code: ${HEX} gpa page: ${HEX})?`),
      build: (m) => ({
        kind: 'qemu.guestCrashed',
        rule: 'KE11',
        ...(m[1] !== undefined ? { message: m[1], errorCode: hex(m[2]), gpa: hex(m[3]) } : {}),
      }),
    },
    {
      // accel/kvm/kvm-all.c since QEMU 8.2 (vm_stop(RUN_STATE_INTERNAL_ERROR) follows); 10.0 reports an Error with its own prefix.
      id: 'KE10',
      pattern: line('Failed to (?:get registers|synchronize CPU state|(put) registers after (?:reset|init)): (.+)'),
      build: (m) => ({ kind: 'qemu.vcpuSyncFailed', rule: 'KE10', op: m[1] === undefined ? 'get' : 'put', reason: m[2] }),
    },
    {
      // accel/kvm/kvm-all.c kvm_set_user_memory_region(): 7.2+, then QEMU 9.0+ with guest_memfd
      // (the 2023 posted series: `gmem_fd=`, `gmem_offset=`); kvm_set_phys_mem()'s fprintf() before abort().
      id: 'KE12',
      pattern: line(
        `${FN}: (?:KVM_SET_USER_MEMORY_REGION2? failed, slot=(\\d+), start=${HEX}, size=${HEX}(?:, flags=${HEX}, (?:guest_memfd|gmem_fd)=(-?\\d+), (?:guest_memfd|gmem)_offset=${HEX})?|error registering slot): (.+)`,
      ),
      build: (m) => ({
        kind: 'qemu.memslotFailed',
        rule: 'KE12',
        error: m[7],
        ...(m[1] !== undefined ? { slot: Number(m[1]), start: hex(m[2]), size: hex(m[3]) } : {}),
        ...(m[4] !== undefined ? { flags: hex(m[4]), guestMemfd: Number(m[5]), guestMemfdOffset: hex(m[6]) } : {}),
      }),
    },
    // target/i386/sev.c, SEV-SNP launch (QEMU 9.1+; the posted series named the function first).
    report(
      'SE1',
      [
        `(?:${FN}:? (?:KVM_SEV_)?)?SNP_LAUNCH_UPDATE ret=-?\\d+ fw_error=\\d+ '[^']*'`,
        // Sic: `initial` and `private` run together in the posted series.
        'SEV-SNP: failed to configure initial ?private guest memory',
        // Sic: no blank after the comma.
        'SEV-SNP: expected update of GPA range [0-9a-fA-F]+-[0-9a-fA-F]+,got GPA range [0-9a-fA-F]+-[0-9a-fA-F]+',
        'SEV-SNP: failed update CPUID page',
      ].join('|'),
    ),
    // hw/mem/memory-device.c memory_device_check_addable(), memory_device_get_free_addr(), memory_device_pre_plug().
    refused('MD1', `not enough space, currently ${HEX} in use of total space for memory devices ${HEX}`, (m) => ({ reason: 'noSpace', used: hex(m[2]), total: hex(m[3]) })),
    refused('MD2', '(?:hypervisor|a used vhost backend) has (?:no|not enough) free memory slots left', () => ({ reason: 'memslots' })),
    refused('MD3', `address must be aligned to ${HEX} bytes`, (m) => ({ reason: 'alignment', align: hex(m[2]) })),
    refused('MD4', `can't add memory device \\[${HEX}:${HEX}\\], usable range for memory devices \\[${HEX}:${HEX}\\]`, (m) => ({
      reason: 'outOfRange',
      addr: hex(m[2]),
      size: hex(m[3]),
      rangeStart: hex(m[4]),
      rangeSize: hex(m[5]),
    })),
    refused('MD5', "can't add memory device, device too big", () => ({ reason: 'tooBig' })),
    refused('MD6', "address range conflicts with memory device id='([^']*)'", (m) => ({ reason: 'conflict', conflictsWith: m[2] })),
    refused('MD7', 'could not find position in guest address space for memory device - memory fragmented due to alignments', () => ({ reason: 'fragmented' })),
    refused(
      'MD8',
      [
        // QEMU 8.2+.
        'the configuration is not prepared for memory devices \\(e\\.g\\., for memory hotplug\\), consider specifying the maxmem option',
        // QEMU 7.2–8.1.
        'memory devices \\(e\\.g\\. for memory hotplug\\) are not (?:enabled, please specify the maxmem option|supported by the machine)',
      ].join('|'),
      () => ({ reason: 'noMaxmem' }),
    ),
    report(
      'MD9',
      "the alignment \\(0x[0-9a-fA-F]+\\) exceeds the expected maximum alignment, memory will get fragmented and not all 'maxmem' might be usable for memory devices\\.",
      'warning',
    ),
  ];
}

export const qemuErrors: Family = {
  name: 'QEMU errors',
  prefix: /(?:)/y,
  rows: messageRows(''),
};

/** What follows a relayed message: containerd's closing quote and the rest of its logfmt line. */
const RELAY_END = '(?:\\s*"(?: .*)?)?';

/**
 * QEMU's error text relayed by the programs that drive it: libvirt (`libvirtd.log`'s `error :
 * qemuMonitorJSONCheckErrorFull:423 : internal error: unable to execute QEMU command 'device_add': …`,
 * before libvirt 1.2.x without the `:` after `internal error`; `virsh`'s `error: internal
 * error: …`; Python's `libvirt.libvirtError: …`), and Kata's QMP client (`QMP command failed:
 * …`), which containerd quotes after `desc = `. Whatever comes before the marker (a stamp, a
 * function, logfmt fields) is skipped; the subject is the QMP command, when named.
 */
export const qemuRelayed: Family = {
  name: 'QEMU errors relayed by libvirt, Kata and containerd',
  prefix: /.*?(?:internal error:? unable to execute QEMU command '([\w-]+)': |QMP command failed: )/y,
  rows: messageRows(RELAY_END),
};
