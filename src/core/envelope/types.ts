/** What the envelope of one physical line told us, besides the message itself. */

/**
 * `boot`: seconds since the kernel booted (dmesg); comparable only within one boot of one machine.
 * `wall`: UTC wall clock (QEMU `TID@sec.usec:`, QEMU ISO-8601 `…Z`, syslog with a zone offset).
 * `wall-local`: wall clock in an unknown zone (`dmesg -T`); only comparable with other inputs
 * through matched events.
 * `wall-yearless`: wall clock in an unknown zone and an unknown year (RFC 3164 syslog and
 * `journalctl` short `Nov 29 04:55:28`, `dmesg -T` without its year): microseconds since Jan 1
 * 00:00 of the log's first year (yearless.ts). A merge turns it into `wall-local` when another
 * input of the run gives the year.
 */
export type ClockKind = 'boot' | 'wall' | 'wall-local' | 'wall-yearless';

export interface Timestamp {
  clock: ClockKind;
  /** Microseconds: since boot for `boot`, since the Unix epoch for the wall clocks. */
  micros: number;
}

/** Which kind of prefix the line carried. */
export type Origin =
  | 'kernel' // dmesg-style `[ 5707.392231] ` or `[Fri Nov 29 04:55:29 2024] `
  | 'syslog' // `Nov 29 04:55:28 host kernel: `, an RFC 3339 / RFC 5424 syslog or journal prefix
  | 'qemu-trace' // `TID@sec.usec:` or QEMU's ISO-8601 `-msg timestamp=on` prefix
  | 'qemu-report' // QEMU error_report/warn_report: `qemu-system-x86_64: [warning: ]`
  | 'monitor' // an HMP prompt line `(qemu) command`
  | 'plain'; // no prefix at all

export interface Envelope {
  /** The text after every prefix: what the source tables match. */
  message: string;
  /** 0-based column in the physical line where `message` starts. */
  column: number;
  origin: Origin;
  time?: Timestamp;
  /** printk caller id (`T123` for a task, `C3` for a CPU context). */
  callerId?: string;
  /** QEMU thread id from the `TID@sec.usec:` prefix. */
  threadId?: number;
  /** Host name and tag from a syslog prefix (`host`, `kernel`). */
  host?: string;
  program?: string;
  /** QEMU report severity word after the program name. */
  severity?: 'warning' | 'info';
  /** Kernel console log level from `<N>` or `dmesg -x` (`kern  :warn  : `). */
  level?: string;
  /** A shell prompt or other stray text found glued before the timestamp. */
  stray?: string;
  /** True when some prefix marks this line as the start of a record of its own. */
  startsRecord: boolean;
}
