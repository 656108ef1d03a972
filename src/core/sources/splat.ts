/**
 * Kernel WARNING / BUG / Oops reports and panics, each grouped into one record with its
 * `at FILE:LINE FUNC` site (DOMAIN.md §1.0; V17, V38, T5–T7, T11 and the splats around T1, S1).
 */
import type { KernelPanicEvent } from '../events';
import type { GroupFamily, GroupRecord, GroupRow } from './group';
import { PAGE_DUMP_ROWS } from './page-dump';

/**
 * die()'s headline (arch/x86/kernel/dumpstack.c __die_header()): `general protection fault, …:
 * 0000 [#1] SMP NOPTI`, `invalid opcode: 0000 [#1] SMP PTI`; kernels since 2024 print `Oops: `
 * before it.
 */
const DIE_HEADLINE = '[\\w ,()-]+: [0-9a-fA-F]{4} \\[#\\d+\\].*';

/** Lines of the register / stack dump that follow a report; shared by splats, panics and `dump_stack()` after an SNP host failure. */
export const DUMP_LINES: GroupRow[] = [
  'Modules linked in:.*',
  'CPU: \\d+ (?:UID: \\d+ )?PID: \\d+ Comm: .*',
  'Tainted: .*',
  'Hardware name: .*',
  'Workqueue: .*',
  '(?:RIP|Code|RSP|PKRU|CR2|Kernel Offset|Call Trace):.*',
  'R[A-Z0-9]{1,3}: [0-9a-fA-F]{4,16}.*',
  '[CDEFGS]S: +[0-9a-fA-F]{4}.*',
  'DR[0-7]: .*',
  '</?(?:TASK|IRQ|NMI|SOFTIRQ|EOI)>',
  '(?:\\? )?[\\w.$]+\\+0x[0-9a-fA-F…]+/0x[0-9a-fA-F…]+.*',
  'irq event stamp: .*',
  // lockdep pads `enabled` to the width of `disabled`: `hardirqs last  enabled at (…)`.
  '(?:hard|soft)irqs last +(?:en|dis)abled at .*',
  // Page-fault reports between `BUG: unable to handle page fault` and `Oops:`.
  '#PF: .*',
  '(?:PGD|P4D|PUD|PMD|PTE) [0-9a-fA-F]+.*',
  // The die() headline of kernels that print it without `Oops: `, inside a panic or another report.
  DIE_HEADLINE,
  'Rebooting in \\d+ seconds\\.*',
].map((text, i): GroupRow => ({ id: `dump${i + 1}`, role: 'body', pattern: new RegExp(`^(?:${text})\\s*$`) }))
  // dump_page() lines (VM_BUG_ON_PAGE and friends print them before the report).
  .concat(PAGE_DUMP_ROWS);

/**
 * die() prints its own headline (`Oops: invalid opcode: 0000 [#1] …`) right after a `kernel BUG
 * at` or `BUG:` line; keeping the record headless lets that `Oops:` head join it instead of
 * starting a second report.
 */
function awaitDieHeadline(r: GroupRecord): void {
  r.hasHead = false;
}

const SITE = '([^\\s:]+):(\\S+) ([^\\s+]+)(?:\\+\\S+)?(?: \\[(\\w+)\\])?';

export const kernelSplat: GroupFamily = {
  name: 'kernel splat',
  takesMessage: true,
  maxLines: 400,
  rows: [
    { id: 'cut', role: 'start', pattern: /^-+\[ cut here \]-+\s*$/ },
    {
      id: 'WARNING',
      role: 'head',
      pattern: new RegExp(`^WARNING: (?:CPU: (\\d+) PID: (\\d+) )?at ${SITE}\\s*$`),
      collect: (m, r) => {
        Object.assign(r.fields, { splat: 'warning', cpu: m[1], pid: m[2], file: m[3], fileLine: m[4], func: m[5] });
      },
    },
    {
      // Kernels since 6.18: `WARNING: kernel/foo.c:123 at func+0x12/0x34, CPU#0: comm/87`.
      id: 'WARNING-new',
      role: 'head',
      pattern: /^WARNING: ([^\s:]+):(\S+) at ([^\s+,]+)\S*, CPU#(\d+): \S*?\/(\d+)\s*$/,
      collect: (m, r) => {
        Object.assign(r.fields, { splat: 'warning', file: m[1], fileLine: m[2], func: m[3], cpu: m[4], pid: m[5] });
      },
    },
    {
      id: 'BUG-at',
      role: 'head',
      pattern: /^kernel BUG at ([^\s:]+):(\S+?)!\s*$/,
      collect: (m, r) => {
        Object.assign(r.fields, { splat: 'bug', file: m[1], fileLine: m[2] });
        awaitDieHeadline(r);
      },
    },
    {
      id: 'BUG',
      role: 'head',
      pattern: /^BUG: (.+?)\s*$/,
      collect: (m, r) => {
        Object.assign(r.fields, { splat: 'bug', headline: m[1] });
        awaitDieHeadline(r);
      },
    },
    {
      id: 'Oops',
      role: 'head',
      pattern: /^Oops: (.+?)\s*$/,
      collect: (m, r) => {
        // An Oops right after a BUG: line belongs to the same report.
        r.fields.splat ??= 'oops';
        r.fields.headline ??= m[1];
      },
    },
    {
      // The die() headline without `Oops: ` (RHEL 9's 5.14, 5.10 LTS): alone it heads a report of
      // its own (a general protection fault); after `kernel BUG at` it is that report's.
      id: 'die',
      role: 'head',
      pattern: new RegExp(`^(${DIE_HEADLINE})$`),
      collect: (m, r) => {
        if (r.fields.splat !== undefined) return;
        r.fields.splat = 'oops';
        r.fields.headline = m[1].trimEnd();
      },
    },
    {
      // `BUG:` and `Oops:` heads name no function; the faulting kernel RIP does.
      id: 'RIP-kernel',
      role: 'body',
      pattern: /^RIP: 0010:([^\s+]+)\+\S+.*$/,
      collect: (m, r) => {
        r.fields.func ??= m[1];
      },
    },
    ...DUMP_LINES,
    { id: 'end-trace', role: 'end', pattern: /^-+\[ end trace [0-9a-fA-F]+ \]-+\s*$/ },
  ],
  build: (r) => {
    const f = r.fields;
    const splat = f.splat === 'bug' || f.splat === 'oops' ? f.splat : 'warning';
    return {
      kind: 'kernel.splat',
      rule: 'splat',
      splat,
      ...(f.file !== undefined ? { file: f.file } : {}),
      ...(f.fileLine !== undefined ? { fileLine: f.fileLine } : {}),
      ...(f.func !== undefined ? { func: f.func } : {}),
      ...(f.cpu !== undefined ? { cpu: Number(f.cpu) } : {}),
      ...(f.pid !== undefined ? { pid: Number(f.pid) } : {}),
      ...(r.message !== undefined ? { message: r.message } : f.headline !== undefined ? { message: f.headline } : {}),
      ...(r.headLine !== undefined ? { siteLine: r.headLine } : {}),
    };
  },
};

const PANIC_REASONS: Array<[RegExp, KernelPanicEvent['reason']]> = [
  [/^tdx_release_memory Failed to re-accept memory$/, 'tdxReleaseReaccept'], // T5
  [/^TDX: Failed to accept memory$/, 'tdxAccept'], // T6
  [/^Unexpected EPT-violation on private memory\.$/, 'eptViolation'], // T7
  [/^TDVMCALL failed\. TDX module bug\?$/, 'tdvmcall'], // T11
  [/^TDCALL \d+ failed \(Buggy TDX module!\)$/, 'tdcall'], // T11
];

export const kernelPanic: GroupFamily = {
  name: 'kernel panic',
  takesMessage: false,
  maxLines: 400,
  rows: [
    {
      id: 'panic',
      role: 'head',
      pattern: /^Kernel panic - not syncing: (.*?)\s*$/,
      collect: (m, r) => {
        r.fields.message = m[1];
      },
    },
    ...DUMP_LINES,
    { id: 'end-panic', role: 'end', pattern: /^-+\[ end Kernel panic - not syncing: .*\]-+\s*$/ },
  ],
  build: (r) => {
    const message = r.fields.message ?? '';
    const reason = PANIC_REASONS.find(([re]) => re.test(message))?.[1] ?? 'other';
    return { kind: 'kernel.panic', rule: 'panic', message, reason };
  },
};
