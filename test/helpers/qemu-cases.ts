/**
 * QEMU 7.2 to master: one case per wording of hw/virtio/virtio-mem.c, accel/kvm/kvm-all.c,
 * target/i386/kvm/tdx.c, system/runstate.c and hw/mem/memory-device.c that the source rows read,
 * each as the named file and version prints it, with the decoded event; the prefix variants of
 * the ways those lines reach users (QEMU's own stderr, libvirt, Kata through containerd); and the
 * crash records. Shared by the wording suites and the generated corpus.
 */
import { type Case, type Fields, printedBy, QEMU_ERROR, variant, type Variant } from './source-cases';

const qemuError = (rule: string, detail: string, severity = 'error'): Fields => ({ kind: 'qemu.error', rule, severity, detail });
const refused = (rule: string, reason: string, fields: Fields = {}): Fields => ({ kind: 'qemu.memoryDeviceRefused', rule, reason, ...fields });

const VMEM = 'hw/virtio/virtio-mem.c';
const MD = 'hw/mem/memory-device.c';
const KVM = 'accel/kvm/kvm-all.c';

/** error_setg() texts: printed at start-up after `-device …: `, and returned to QMP/HMP, so also relayed. */
export const QEMU_SETG_CASES: readonly Case[] = [
  printedBy('QE4 (prealloc memdev)', `${VMEM} virtio_mem_device_realize(), QEMU 7.2+`, "-device virtio-mem-pci,id=vmem0,memdev=mem1: 'memdev' property specifies a memdev with preallocation enabled: mem1. Instead, specify 'prealloc=on' for the virtio-mem device. ", qemuError('QE4', "'memdev' property specifies a memdev with preallocation enabled: mem1. Instead, specify 'prealloc=on' for the virtio-mem device.")),
  printedBy('QE4 (node, sic "exceedsthe")', `${VMEM} virtio_mem_device_realize(), QEMU 7.2+`, "-device virtio-mem-pci,id=vmem0,memdev=mem1,node=2: 'node' property has value '2', which exceedsthe number of numa nodes: 1", qemuError('QE4', "'node' property has value '2', which exceedsthe number of numa nodes: 1")),
  printedBy('QE4 (dynamic memslots)', `${VMEM} virtio_mem_device_realize(), QEMU 8.2+`, "-device virtio-mem-pci,id=vmem0,memdev=mem1,dynamic-memslots=on,unplugged-inaccessible=off: 'dynamic-memslots' property set to 'on' requires 'unplugged-inaccessible' to be 'on'", qemuError('QE4', "'dynamic-memslots' property set to 'on' requires 'unplugged-inaccessible' to be 'on'")),
  printedBy('QE4 (memdev size, sic no blank)', `${VMEM} virtio_mem_device_realize(), QEMU 7.2+`, "-device virtio-mem-pci,id=vmem0,memdev=mem1: 'memdev' property memdev size has to be multiples of'block-size' (0x200000)", qemuError('QE4', "'memdev' property memdev size has to be multiples of'block-size' (0x200000)")),
  printedBy('QE4 (memdev must be set)', `${VMEM} virtio_mem_get_memory_region(), QEMU 7.2+`, "-device virtio-mem-pci,id=vmem0: 'memdev' property must be set", qemuError('QE4', "'memdev' property must be set")),
  printedBy('QE4 (block-size fixed)', `${VMEM} virtio_mem_set_block_size(), QEMU 7.2+`, "Error: 'block-size' cannot be changed", qemuError('QE4', "'block-size' cannot be changed")),
  printedBy('QE4 (block-size minimum)', `${VMEM} virtio_mem_set_block_size(), QEMU 7.2+`, "-device virtio-mem-pci,id=vmem0,memdev=mem1,block-size=4k: 'block-size' property has to be at least 0x100000", qemuError('QE4', "'block-size' property has to be at least 0x100000")),
  printedBy('QE4 (block-size power of two)', `${VMEM} virtio_mem_set_block_size(), QEMU 7.2+`, "-device virtio-mem-pci,id=vmem0,memdev=mem1,block-size=3M: 'block-size' property has to be a power of two", qemuError('QE4', "'block-size' property has to be a power of two")),
  printedBy('QE6 (HMP qom-set too big)', `${VMEM} virtio_mem_set_requested_size(), QEMU 7.2+`, "Error: 'requested-size' cannot exceed the memory backend size(0x800000000)", qemuError('QE6', "'requested-size' cannot exceed the memory backend size(0x800000000)")),
  printedBy('QE9 (unplug with size)', `${VMEM} virtio_mem_unplug_request_check(), QEMU 8.2+`, "Error: virtio-mem device cannot get unplugged while 'size' != '0'", qemuError('QE9', "virtio-mem device cannot get unplugged while 'size' != '0'")),
  printedBy('QE9 (unplug with requested size)', `${VMEM} virtio_mem_unplug_request_check(), QEMU 8.2+`, "Error: virtio-mem device cannot get unplugged while 'requested-size' != '0'", qemuError('QE9', "virtio-mem device cannot get unplugged while 'requested-size' != '0'")),
  printedBy('QE9 (legacy guests)', `${VMEM} virtio_mem_unplug_request_check(), QEMU 8.2+`, "Error: virtio-mem device cannot get unplugged while 'unplugged-inaccessible' != 'on'", qemuError('QE9', "virtio-mem device cannot get unplugged while 'unplugged-inaccessible' != 'on'")),
  printedBy('MD1 (no space)', `${MD} memory_device_check_addable(), QEMU 7.2+`, '-device virtio-mem-pci,id=vmem1,memdev=mem2: not enough space, currently 0x800000000 in use of total space for memory devices 0x800000000', refused('MD1', 'noSpace', { used: 0x800000000n, total: 0x800000000n, detail: 'not enough space, currently 0x800000000 in use of total space for memory devices 0x800000000' })),
  printedBy('MD2 (memslots, 8.2+)', `${MD} memory_device_check_addable(), QEMU 8.2+`, 'hypervisor has not enough free memory slots left', refused('MD2', 'memslots')),
  printedBy('MD2 (memslots, 7.2–8.1)', `${MD} memory_device_check_addable(), QEMU 7.2–8.1`, 'a used vhost backend has no free memory slots left', refused('MD2', 'memslots')),
  printedBy('MD3 (alignment)', `${MD} memory_device_get_free_addr(), QEMU 7.2+`, '-device virtio-mem-pci,id=vmem1,memdev=mem2,memaddr=0x500100000: address must be aligned to 0x200000 bytes', refused('MD3', 'alignment', { align: 0x200000n })),
  printedBy('MD4 (out of range)', `${MD} memory_device_get_free_addr(), QEMU 7.2+`, "can't add memory device [0x900000000:0x100000000], usable range for memory devices [0x180000000:0x800000000]", refused('MD4', 'outOfRange', { addr: 0x900000000n, size: 0x100000000n, rangeStart: 0x180000000n, rangeSize: 0x800000000n })),
  printedBy('MD5 (too big)', `${MD} memory_device_get_free_addr(), QEMU 7.2+`, "can't add memory device, device too big", refused('MD5', 'tooBig')),
  printedBy('MD6 (conflict)', `${MD} memory_device_get_free_addr(), QEMU 7.2+`, "address range conflicts with memory device id='vmem0'", refused('MD6', 'conflict', { conflictsWith: 'vmem0' })),
  printedBy('MD7 (fragmented)', `${MD} memory_device_get_free_addr(), QEMU 7.2+`, 'could not find position in guest address space for memory device - memory fragmented due to alignments', refused('MD7', 'fragmented')),
  printedBy('MD8 (no maxmem, 8.2+)', `${MD} memory_device_pre_plug(), QEMU 8.2+`, 'the configuration is not prepared for memory devices (e.g., for memory hotplug), consider specifying the maxmem option', refused('MD8', 'noMaxmem')),
  printedBy('MD8 (no maxmem, 7.2–8.1)', `${MD} memory_device_pre_plug(), QEMU 7.2–8.1`, 'memory devices (e.g. for memory hotplug) are not enabled, please specify the maxmem option', refused('MD8', 'noMaxmem')),
  printedBy('MD8 (machine, 7.2–8.1)', `${MD} memory_device_pre_plug(), QEMU 7.2–8.1`, 'memory devices (e.g. for memory hotplug) are not supported by the machine', refused('MD8', 'noMaxmem')),
];

/** error_report() texts with the program name (QEMU_ERROR variants). */
export const QEMU_REPORT_CASES: readonly Case[] = [
  printedBy('KE1 (error_report)', `${KVM} kvm_set_memory_attributes(), QEMU 9.0+`, "failed to set memory (0x80000000+0x200000) with attr 0x8 error 'Bad address'", { kind: 'qemu.setAttributesFailed', rule: 'KE1', start: 0x80000000n, size: 0x200000n, attributes: 8n, error: 'Bad address' }),
  printedBy('KE2 (Converting)', `${KVM} kvm_convert_memory(), the guest_memfd series as posted (2023–2024)`, 'Converting non guest_memfd backed memory region (0xfee00000 ,+ 0x1000) to private', { kind: 'qemu.convertNonGuestMemfd', rule: 'KE2', start: 0xfee00000n, size: 0x1000n, to: 'private' }),
  printedBy('KE2 (Convert)', `${KVM} kvm_convert_memory(), QEMU 9.0+`, 'Convert non guest_memfd backed memory region (0x180000000 ,+ 0x200000) to shared', { kind: 'qemu.convertNonGuestMemfd', rule: 'KE2', start: 0x180000000n, size: 0x200000n, to: 'shared' }),
  printedBy('KE9 (TDX QEMU trees)', 'target/i386/kvm/tdx.c tdx_handle_report_fatal_error(), TDX QEMU trees 2021–2023', 'TD guest reports fatal error. Accept memory failed', qemuError('KE9', 'TD guest reports fatal error. Accept memory failed')),
  printedBy('KE9 (TDX QEMU trees, no message)', 'target/i386/kvm/tdx.c tdx_handle_report_fatal_error(), TDX QEMU trees 2021–2023', 'TD guest reports fatal error. ', qemuError('KE9', 'TD guest reports fatal error.')),
  printedBy('KE9 (invalid code, PRIx64)', 'target/i386/kvm/tdx.c tdx_handle_report_fatal_error(), QEMU 10.1+', 'TDX: REPORT_FATAL_ERROR: invalid error code: 0x1001', qemuError('KE9', 'TDX: REPORT_FATAL_ERROR: invalid error code: 0x1001')),
  printedBy('KE10 (get, strerror form)', `${KVM} do_kvm_cpu_synchronize_state(), the error_report(strerror()) form`, 'Failed to get registers: Input/output error', { kind: 'qemu.vcpuSyncFailed', rule: 'KE10', op: 'get', reason: 'Input/output error' }),
  printedBy('KE10 (get, Error form)', `${KVM} do_kvm_cpu_synchronize_state(), the error_reportf_err() form of the Error ** series (2024)`, 'Failed to synchronize CPU state: Input/output error', { kind: 'qemu.vcpuSyncFailed', rule: 'KE10', op: 'get', reason: 'Input/output error' }),
  printedBy('KE10 (put after reset)', `${KVM} do_kvm_cpu_synchronize_post_reset()`, 'Failed to put registers after reset: Invalid argument', { kind: 'qemu.vcpuSyncFailed', rule: 'KE10', op: 'put', reason: 'Invalid argument' }),
  printedBy('KE10 (put after init)', `${KVM} do_kvm_cpu_synchronize_post_init()`, 'Failed to put registers after init: Invalid argument', { kind: 'qemu.vcpuSyncFailed', rule: 'KE10', op: 'put', reason: 'Invalid argument' }),
  printedBy('KE12 (memslot)', `${KVM} kvm_set_user_memory_region(), QEMU 7.2–8.2`, 'kvm_set_user_memory_region: KVM_SET_USER_MEMORY_REGION failed, slot=10, start=0x180000000, size=0x40000000: Invalid argument', { kind: 'qemu.memslotFailed', rule: 'KE12', slot: 10, start: 0x180000000n, size: 0x40000000n, flags: undefined, error: 'Invalid argument' }),
  printedBy('KE12 (memslot with guest_memfd)', `${KVM} kvm_set_user_memory_region(), QEMU 9.0+`, 'kvm_set_user_memory_region: KVM_SET_USER_MEMORY_REGION2 failed, slot=10, start=0x180000000, size=0x40000000, flags=0x4, guest_memfd=38, guest_memfd_offset=0x40000000: Invalid argument', { kind: 'qemu.memslotFailed', rule: 'KE12', slot: 10, start: 0x180000000n, size: 0x40000000n, flags: 4n, guestMemfd: 38, guestMemfdOffset: 0x40000000n, error: 'Invalid argument' }),
  printedBy('KE12 (memslot, gmem names)', `${KVM} kvm_set_user_memory_region(), the guest_memfd series as posted (2023)`, 'kvm_set_user_memory_region: KVM_SET_USER_MEMORY_REGION2 failed, slot=10, start=0x180000000, size=0x40000000, flags=0x4, gmem_fd=38, gmem_offset=0x0: File exists', { kind: 'qemu.memslotFailed', rule: 'KE12', slot: 10, flags: 4n, guestMemfd: 38, guestMemfdOffset: 0n, error: 'File exists' }),
  printedBy('SE1 (launch update)', 'target/i386/sev.c sev_snp_launch_update(), QEMU 9.1+', "SNP_LAUNCH_UPDATE ret=-1 fw_error=26 'Invalid page state'", qemuError('SE1', "SNP_LAUNCH_UPDATE ret=-1 fw_error=26 'Invalid page state'")),
  printedBy('SE1 (launch update, posted)', 'target/i386/sev.c sev_snp_launch_update(), the SNP series as posted (2023)', "sev_snp_launch_update: SNP_LAUNCH_UPDATE ret=-1 fw_error=26 'Invalid page state'", qemuError('SE1', "sev_snp_launch_update: SNP_LAUNCH_UPDATE ret=-1 fw_error=26 'Invalid page state'")),
  printedBy('SE1 (private memory)', 'target/i386/sev.c sev_snp_launch_update(), QEMU 9.1+', 'SEV-SNP: failed to configure initial private guest memory', qemuError('SE1', 'SEV-SNP: failed to configure initial private guest memory')),
  printedBy('SE1 (private memory, sic)', 'target/i386/sev.c sev_snp_launch_update(), the SNP series as posted (2024)', 'SEV-SNP: failed to configure initialprivate guest memory', qemuError('SE1', 'SEV-SNP: failed to configure initialprivate guest memory')),
  printedBy('SE1 (GPA range, sic)', 'target/i386/sev.c sev_snp_launch_update(), QEMU 9.1+', 'SEV-SNP: expected update of GPA range 800000-810000,got GPA range 800000-808000', qemuError('SE1', 'SEV-SNP: expected update of GPA range 800000-810000,got GPA range 800000-808000')),
  printedBy('SE1 (CPUID page)', 'target/i386/sev.c sev_snp_launch_update(), QEMU 9.1+', 'SEV-SNP: failed update CPUID page', qemuError('SE1', 'SEV-SNP: failed update CPUID page')),
];

/** fprintf(stderr) texts: no program name (QEMU_STDERR variants). */
export const QEMU_FPRINTF_CASES: readonly Case[] = [
  printedBy('KE12 (registering slot)', `${KVM} kvm_set_phys_mem() fprintf before abort(), QEMU 7.2+`, 'kvm_set_phys_mem: error registering slot: Invalid argument', { kind: 'qemu.memslotFailed', rule: 'KE12', slot: undefined, error: 'Invalid argument' }),
];

/** warn_report() texts (QEMU_WARNING variants). */
export const QEMU_WARN_CASES: readonly Case[] = [
  printedBy('KE1 (warn_report with __func__)', `${KVM} kvm_set_memory_attributes(), the guest_memfd series as posted (2023)`, "kvm_set_memory_attributes: failed to set memory (0x80000000+0x200000) with attr 0x8 error 'Invalid argument'", { kind: 'qemu.setAttributesFailed', rule: 'KE1', start: 0x80000000n, size: 0x200000n, attributes: 8n, error: 'Invalid argument' }),
  printedBy('MD9 (alignment warning)', `${MD} memory_device_get_free_addr(), QEMU 7.2+`, "the alignment (0x40000000) exceeds the expected maximum alignment, memory will get fragmented and not all 'maxmem' might be usable for memory devices.", qemuError('MD9', "the alignment (0x40000000) exceeds the expected maximum alignment, memory will get fragmented and not all 'maxmem' might be usable for memory devices.", 'warning')),
];

/** qemu_log_mask(LOG_GUEST_ERROR) texts: no program name (QEMU_LOG variants). */
export const QEMU_GUEST_LOG_CASES: readonly Case[] = [
  printedBy('KE11', 'system/runstate.c qemu_system_guest_panicked(), QEMU 7.2+', 'Guest crashed', { kind: 'qemu.guestCrashed', rule: 'KE11', message: undefined }),
  printedBy('KE11 (TDX, one line)', 'system/runstate.c qemu_system_guest_panicked(), the TDX QEMU series as posted (2023–2024)', 'Guest crashed TDX guest reports fatal error:"Accept memory failed" error code: 0x0000000000001000 gpa page: 0x000000017fe00000', { kind: 'qemu.guestCrashed', rule: 'KE11', message: 'Accept memory failed', errorCode: 0x1000n, gpa: 0x17fe00000n }),
  printedBy('KE9 (10.1)', 'system/runstate.c qemu_system_guest_panicked(), QEMU 10.1+', 'TDX guest reports fatal error. error code: 0x1000 error message:"Accept memory failed"', qemuError('KE9', 'TDX guest reports fatal error. error code: 0x1000 error message:"Accept memory failed"')),
];

/** Prefix styles that relay `device_add` / `qom-set` errors: libvirt's log, virsh, journald, Python callers, Kata via containerd. */
export function relayed(command: string): Variant[] {
  const lv = `internal error: unable to execute QEMU command '${command}': `;
  return [
    variant('libvirtd.log', (l) => `2026-03-24 15:21:47.392+0000: 4321: error : qemuMonitorJSONCheckErrorFull:423 : ${lv}${l}`),
    variant('libvirtd.log, older libvirt (no colon)', (l) => `2026-03-24 15:21:47.392+0000: 4321: error : qemuMonitorJSONCheckError:318 : internal error unable to execute QEMU command '${command}': ${l}`),
    variant('virsh', (l) => `error: ${lv}${l}`),
    variant('journald libvirtd', (l) => `Mar 24 15:21:47 host libvirtd[4321]: ${lv}${l}`),
    variant('OpenStack Nova', (l) => `2026-03-24 15:21:47.871 1033447 ERROR oslo_messaging.rpc.server libvirt.libvirtError: ${lv}${l}`),
    variant('Kata via containerd (logfmt)', (l) => `time="2026-03-24T15:21:47.392231871Z" level=error msg="hotplug memory failed" error="rpc error: code = Internal desc = QMP command failed: ${l}" runtime=io.containerd.kata.v2`),
    variant('Kata via containerd, journald', (l) => `Mar 24 15:21:47 host containerd[812]: time="2026-03-24T15:21:47.392231871Z" level=error msg="UpdateContainerResources failed" error="rpc error: code = Unknown desc = QMP command failed: ${l}"`),
  ];
}

/** The relayed message is the bare error_setg() text: without `-device …: ` and `Error: `. */
export function bareSetg(c: Case): Case {
  return { ...c, lines: c.lines.map((l) => l.replace(/^(?:-device \S+: |Error: )/, '')) };
}

/** A crash record's first line comes with QEMU's name, the lines after it without (the shell's and GLib's own output). */
export const QEMU_THEN_SHELL: readonly Variant[] = QEMU_ERROR.map((v) => variant(v.name, v.first, v.eol, (l) => l));

const GLIB = 'GLib gtestutils.c g_assertion_message() (g_printerr "**\\n%s\\n")';

/** GLib and shell output: no program name (QEMU_STDERR variants). */
export const QEMU_CRASH_CASES: readonly Case[] = [
  {
    id: 'QC (GLib g_assert, Bail out!, interactive shell)',
    source: `${GLIB}; ${VMEM} virtio_mem_rdm_replay_populated() g_assert`,
    lines: [
      '**',
      'ERROR:../hw/virtio/virtio-mem.c:1421:virtio_mem_rdm_replay_populated: assertion failed: (s->mr == &vmem->memdev->mr)',
      'Bail out! ERROR:../hw/virtio/virtio-mem.c:1421:virtio_mem_rdm_replay_populated: assertion failed: (s->mr == &vmem->memdev->mr)',
      'Aborted (core dumped)',
    ],
    events: [{ kind: 'qemu.crashed', rule: 'QC', how: 'assertion', file: '../hw/virtio/virtio-mem.c', fileLine: 1421, func: 'virtio_mem_rdm_replay_populated', message: 'assertion failed: (s->mr == &vmem->memdev->mr)', signal: 'Aborted', coreDumped: true, pid: undefined }],
  },
  {
    id: 'QC (g_assert_not_reached, then a script\'s shell)',
    source: `${GLIB}; bash's report of a script's job: "%s: line %d: %5d %s"`,
    lines: [
      '**',
      'ERROR:../accel/kvm/kvm-all.c:3012:kvm_convert_memory: code should not be reached',
      './run-td.sh: line 14: 40231 Aborted                 (core dumped) qemu-system-x86_64 -accel kvm -machine q35,confidential-guest-support=tdx0 -m 4G,maxmem=36G',
    ],
    events: [{ kind: 'qemu.crashed', rule: 'QC', how: 'assertion', file: '../accel/kvm/kvm-all.c', fileLine: 3012, func: 'kvm_convert_memory', message: 'code should not be reached', signal: 'Aborted', coreDumped: true, pid: 40231, command: 'qemu-system-x86_64 -accel kvm -machine q35,confidential-guest-support=tdx0 -m 4G,maxmem=36G' }],
  },
  {
    id: 'QC (a script\'s shell, glued to the guest console\'s last line)',
    source: "bash's report of a script's job, after the serial console's unterminated last line",
    lines: ['[  312.440918] virtio_mem virtio0: plugging memory: 0x140000000 - 0x147fff./run-td.sh: line 14: 40231 Segmentation fault      (core dumped) /usr/bin/qemu-system-x86_64 -accel kvm -m 4G,maxmem=36G'],
    events: [{ kind: 'qemu.crashed', rule: 'QC', how: 'signal', signal: 'Segmentation fault', coreDumped: true, pid: 40231, command: '/usr/bin/qemu-system-x86_64 -accel kvm -m 4G,maxmem=36G', file: undefined }],
  },
  {
    id: 'QC (a script\'s shell, killed)',
    source: "bash's report of a script's job: SIGKILL has no core",
    lines: ['./run-td.sh: line 14: 40231 Killed                  qemu-kvm -accel kvm -m 4G'],
    events: [{ kind: 'qemu.crashed', rule: 'QC', how: 'signal', signal: 'Killed', coreDumped: false, pid: 40231, command: 'qemu-kvm -accel kvm -m 4G' }],
  },
];

/** glibc __assert_fail() printed with QEMU's name, then the interactive shell (QEMU_THEN_SHELL variants). */
export const QEMU_ASSERT_CASES: readonly Case[] = [
  {
    id: 'QC (glibc assert)',
    source: `glibc assert/assert.c __assert_fail() "%s%s%s:%u: %s%sAssertion \`%s' failed."; ${VMEM} virtio_mem_activate_memslot() assert`,
    lines: ["../hw/virtio/virtio-mem.c:313: virtio_mem_activate_memslot: Assertion `vmem->memslots' failed.", 'Aborted (core dumped)'],
    events: [{ kind: 'qemu.crashed', rule: 'QC', how: 'assertion', file: '../hw/virtio/virtio-mem.c', fileLine: 313, func: 'virtio_mem_activate_memslot', message: "Assertion `vmem->memslots' failed.", signal: 'Aborted', coreDumped: true }],
  },
];

/** Lines that look like the ones above and must stay ignored. */
export const QEMU_LOOKALIKES: readonly string[] = [
  '** (process:1234): WARNING **: 15:21:47.392: unrelated GLib warning',
  'ERROR: Cannot find module foo',
  './build.sh: line 3:  4242 Segmentation fault      (core dumped) ./a.out',
  'Segmentation fault (core dumped)',
  "error: internal error: unable to execute QEMU command 'device_add': Duplicate ID 'net0' for device",
  'time="2026-03-24T15:21:47Z" level=error msg="x" error="rpc error: code = Unknown desc = QMP command failed: Device \'vfio-pci\' could not be initialized"',
  'Guest crashed on cpu 0: disabled-wait',
  'Memory devices use more memory slots than indicated as required.',
  '**bold** text about qemu in a note',
];
