/**
 * QEMU dying, as one record: GLib's assertion report (`**`, `ERROR:file:line:func: assertion
 * failed: (…)`, `Bail out! …` under TAP), the C library's `file:line: func: Assertion `…'
 * failed.`, and the shell's report of the signal (`Aborted (core dumped)` from an interactive
 * shell; `script: line N: PID Segmentation fault (core dumped) qemu-system-… …` from a script,
 * often glued to the end of the guest console's last, unterminated line).
 */
import type { GroupFamily } from './group';

/** The signals bash names (strsignal()) that end a QEMU process. */
const SIGNAL = '(Aborted|Segmentation fault|Bus error|Killed|Illegal instruction|Trace/breakpoint trap|Floating point exception)';
const CORE = '( +\\(core dumped\\))?';

export const qemuCrash: GroupFamily = {
  name: 'QEMU crash',
  takesMessage: false,
  maxLines: 8,
  rows: [
    // GLib g_assertion_message(): g_printerr("**\n%s\n", s).
    { id: 'QC-glib-start', role: 'start', pattern: /^\*\*\s*$/ },
    {
      // `[domain:]ERROR:file:line:func: message`; without a function name, no second `:`.
      id: 'QC-glib',
      role: 'head',
      pattern: /^(?:[\w-]+:)?ERROR:([^\s:]+):(\d+):(?:([^\s:]+):)? (.+?)\s*$/,
      collect: (m, r) => {
        Object.assign(r.fields, { file: m[1], fileLine: m[2], message: m[4] });
        if (m[3] !== undefined) r.fields.func = m[3];
      },
    },
    {
      // glibc __assert_fail(): `[program: ]file:line: func: Assertion `expr' failed.` (the envelope took the program).
      id: 'QC-assert',
      role: 'head',
      pattern: /^([^\s:]+):(\d+): (?:([^\s:]+): )?Assertion [`'](.*)' failed\.\s*$/,
      collect: (m, r) => {
        Object.assign(r.fields, { file: m[1], fileLine: m[2], message: `Assertion \`${m[4]}' failed.` });
        if (m[3] !== undefined) r.fields.func = m[3];
      },
    },
    // g_test_log() in TAP mode repeats the message.
    { id: 'QC-bail', role: 'body', pattern: /^Bail out! .*$/ },
    {
      // An interactive shell names only the signal.
      id: 'QC-signal',
      role: 'end',
      pattern: new RegExp(`^${SIGNAL}${CORE}\\s*$`),
      collect: (m, r) => {
        r.fields.signal = m[1];
        if (m[2] !== undefined) r.fields.core = 'yes';
      },
    },
    {
      // A script's shell: `%s: line %d: %5d %s` then the command; whatever came before it on the line is lost output.
      id: 'QC-shell',
      role: 'item',
      pattern: new RegExp(`^.*?: line \\d+: +(\\d+) ${SIGNAL}${CORE} +(\\S*qemu[^\\s]*(?: .*?)?)\\s*$`),
      collect: (m, r) => {
        Object.assign(r.fields, { pid: m[1], signal: m[2], command: m[4] });
        if (m[3] !== undefined) r.fields.core = 'yes';
      },
    },
  ],
  build: (r) => {
    const f = r.fields;
    return {
      kind: 'qemu.crashed',
      rule: 'QC',
      how: f.message !== undefined ? 'assertion' : 'signal',
      ...(f.file !== undefined ? { file: f.file, fileLine: Number(f.fileLine) } : {}),
      ...(f.func !== undefined ? { func: f.func } : {}),
      ...(f.message !== undefined ? { message: f.message } : {}),
      ...(f.signal !== undefined ? { signal: f.signal, coreDumped: f.core === 'yes' } : {}),
      ...(f.pid !== undefined ? { pid: Number(f.pid) } : {}),
      ...(f.command !== undefined ? { command: f.command } : {}),
    };
  },
};
