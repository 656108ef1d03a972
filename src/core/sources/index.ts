/** The registry of every source table, and the test for "is this line about our subjects". */
import { hasNoise } from '../envelope/noise';
import type { EventBody } from '../events';
import type { GroupFamily } from './group';
import { hostKvmTdx, seamcallRatelimit, seamcallRecord } from './host-kvm-tdx';
import { mmHotplug } from './mm-hotplug';
import { pageFailure } from './page-dump';
import { qemuCrash } from './qemu-crash';
import { qemuErrors, qemuRelayed } from './qemu-errors';
import { monitorMemoryDevice, qemuCpuDump, qemuMonitorCommand } from './qemu-monitor';
import { qemuKvmTrace, qemuVirtioMemTrace } from './qemu-trace';
import { platform } from './platform';
import { snpGuest } from './snp-guest';
import { snpHostCore, snpHostKvm, snpHostPlatform, snpHostRmp } from './snp-host';
import { kernelPanic, kernelSplat } from './splat';
import type { Family, Row } from './table';
import { cpa, tdxGuest } from './tdx-guest';
import { virtioMemDriver, virtioMemDriverCore, virtioMemPageDump } from './virtio-mem-driver';

/**
 * Single-line families, most frequent first. `qemuErrors` matches any prefix, so it is last; the
 * relayed errors, whose prefix skips to the relay's marker, come just before it.
 */
export const FAMILIES: readonly Family[] = [
  qemuVirtioMemTrace,
  qemuKvmTrace,
  virtioMemDriver,
  virtioMemDriverCore,
  tdxGuest,
  hostKvmTdx,
  cpa,
  snpGuest,
  snpHostKvm,
  snpHostCore,
  seamcallRatelimit,
  mmHotplug,
  platform,
  snpHostPlatform,
  virtioMemPageDump,
  qemuMonitorCommand,
  qemuRelayed,
  qemuErrors,
];

/**
 * Multi-line families. `monitorMemoryDevice` is last: its field row (`name: value`) would also
 * take the first line of another family's record (`tdx: SEAMCALL failed: …`).
 */
export const GROUP_FAMILIES: readonly GroupFamily[] = [kernelSplat, kernelPanic, pageFailure, qemuCpuDump, qemuCrash, seamcallRecord, snpHostRmp, monitorMemoryDevice];

/**
 * Words that make a line "about our subjects": such a line that no row takes is counted as
 * unparsed (the parser's to-do list) instead of ignored. `Failed to validate address` and
 * `Failed to change page state` (S3, S6b) and KE9's `Additional error information …` line
 * carry no other subject word, nor do KVM's SEV-SNP lines (`kvm_amd: SEV: Unexpected RMP fault …`),
 * the memory hotplug core's lines (M4–M9) or v5.8's `unplugged page referenced` (V30).
 */
export const SUBJECT_WORDS: readonly string[] = [
  'virtio_mem', 'virtio-mem', 'virtio-mem-pci', 'tdx', 'TDX', 'TDCALL', 'TDVMCALL', 'SEAMCALL', 'PVALIDATE', 'SEV-SNP', 'SNP: ', 'PSC ',
  'Failed to validate address', 'Failed to change page state',
  'kvm_intel', 'kvm_hc_map_gpa_range', 'kvm_convert_memory', 'kvm_memory_fault', 'kvm_set_user_memory', 'ram_block_',
  'guest_memfd', 'CPA VMM', 'accept memory', 'fake-offline', 'unplugged page referenced', 'online_pages', 'memory offlining',
  'hotplug range', 'Hotplug memory [', 'Hotplugged memory', 'PFNs busy', 'removing memory fails', 'Unable to reserve System RAM',
  'migrating pfn', 'failed to isolate pfn',
  'kvm run failed', 'KVM_EXIT_MEMORY_FAULT', 'KVM: unknown exit',
  'Additional error information can be found', 'cut here', 'end trace', 'WARNING:', 'kernel BUG',
  'BUG: ', 'Oops: ', 'Kernel panic', 'Memory device [',
  'RMP fault', 'RMP entry', 'RMPUPDATE', 'PSMASH', 'psmash failed', 'guest requested termination', 'Failed to reclaim PFN',
];

/**
 * Words of lines the parser must look at although they name no subject: QEMU reports and
 * monitor sessions (`qemu-system-x86_64: …`, `(qemu) …`, HMP's `Error: …`) and QEMU register
 * dumps; QEMU's reports printed without its name (qemu_log()'s `Guest crashed`, fprintf()'s
 * `error registering slot`, GLib's `**` and `ERROR:` assertion lines) or relayed by libvirt
 * and Kata; die()'s headline (`…: 0000 [#1] SMP`). Each word costs every line a little (a `*`
 * more than others: see input-parser.ts): a report printed with QEMU's name needs none of its own.
 */
export const LOOK_WORDS: readonly string[] = [
  ...SUBJECT_WORDS, 'qemu', 'RAX=', 'EAX=', 'Error: ',
  'Guest crashed', 'error registering slot', '**', 'ERROR:', '[#', 'QEMU command', 'QMP command failed',
];

export const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A subject word counts only as a word of its own, not as part of a host name, a release string
 * or a path: `builder@tdx-build01`, `6.8.0-1004-intel-tdx`, `/usr/share/tdx/OVMF.fd`,
 * `virtio_mem.dyndbg=+p` name no subject. Where the word starts with a letter or digit, none of
 * `A-Za-z0-9_.@-` may come before it (`virt/tdx: ` is a prefix, so `/` may); where it ends
 * with one, no letter, digit or `/` may follow, nor `-`, `.` or `@` joined to more of a name
 * (`TDX_OPERAND_BUSY` and `tdx: ` count, `tdx-build01` does not).
 */
function asWord(word: string): string {
  const before = /^[A-Za-z0-9]/.test(word) ? '(?<![A-Za-z0-9_.@-])' : '';
  const after = /[A-Za-z0-9]$/.test(word) ? '(?![A-Za-z0-9/]|[-.@][A-Za-z0-9])' : '';
  return `${before}${escape(word)}${after}`;
}

export const SUBJECT = new RegExp(SUBJECT_WORDS.map(asWord).join('|'));

/** Pattern text that can match any character, console noise too: `.`, `\S`, `\D`, `\W`, `[^…]`. */
const READS_ANY_CHARACTER = /(?<!\\)\.|\\[SDW]|\[\^/;
const readsAnyCharacter = (re: RegExp): boolean => READS_ANY_CHARACTER.test(re.source);
/** Rows (with their family's prefix) that a line with console noise may match only because of it. */
const NOISE_TOLERANT = new WeakSet<Row>(FAMILIES.flatMap((f) => f.rows.filter((row) => readsAnyCharacter(f.prefix) || readsAnyCharacter(row.pattern))));

/**
 * The event a message stands for, or undefined when no row takes it. `mayHaveNoise`: the
 * message was not freed of console noise (envelope/noise.ts); a row that could have read the
 * noise as text (`qom-set .*` instead of `qom-set ID requested-size SIZE`, or a name with a NUL
 * in it) then does not take it, and the caller reads the line again without its noise.
 */
export function matchRow(message: string, mayHaveNoise = false): EventBody | undefined {
  for (const family of FAMILIES) {
    family.prefix.lastIndex = 0;
    const p = family.prefix.exec(message);
    if (!p) continue;
    const rest = p[0].length === 0 ? message : message.slice(p[0].length);
    for (const row of family.rows) {
      const m = row.pattern.exec(rest);
      if (!m || (row.valid !== undefined && !row.valid(m))) continue;
      if (mayHaveNoise && NOISE_TOLERANT.has(row) && hasNoise(message)) return undefined;
      return row.build(m, p[1] ?? '');
    }
  }
  return undefined;
}
