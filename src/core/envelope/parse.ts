/**
 * The line envelope: strips the prefixes that real logs put before a message (quoting,
 * syslog/journal, dmesg timestamps in their variants, printk caller ids, QEMU trace and report
 * prefixes, HMP prompts) and keeps what they said.
 */
import { noisyColumn, withoutNoise } from './noise';
import { calendarToMicros, isoToMicros, monthIndex, secondsFractionToMicros, yearlessToMicros } from './timestamps';
import type { Envelope } from './types';

/** Mail quoting (`> `, `>> `) and indentation before anything else. */
const QUOTING = /^[ \t>]*/y;
/** `<6>` from `dmesg -r` / console raw output. */
const RAW_LEVEL = /<(\d)>/y;
/** `dmesg -x`: `kern  :warn  : `. */
const FACILITY_LEVEL = /(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local\d) *:(emerg|alert|crit|err|warn|notice|info|debug) *: /y;
/**
 * `Nov 29 04:55:28 host tag[pid]: `: RFC 3164 syslog (rsyslog's `kern.log` in its traditional
 * format), `journalctl` short and, with microseconds, short-precise. No year.
 */
const SYSLOG_CLASSIC = /([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? (\S+) ([\w.\/-]+)(?:\[\d+\])?: /y;
/** `2024-11-29T04:55:28.123456+00:00 host tag[pid]: ` (rsyslog RFC 3339, journalctl short-iso and short-iso-precise). */
const SYSLOG_ISO = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:?\d\d)) (\S+) ([\w.\/-]+)(?:\[\d+\])?: /y;
/**
 * RFC 5424 (rsyslog `RSYSLOG_SyslogProtocol23Format`): `<6>1 2026-03-24T15:21:47.392231+00:00 host
 * kernel - - - `: priority, version, time, host, app, procid, msgid, structured data.
 */
const SYSLOG_5424 = /<(\d{1,3})>1 (\S+) (\S+) (\S+) \S+ \S+ (?:-|(?:\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\])+) /y;
/** The `host tag[pid]: ` after a `Z` time stamp; no `_` in the host, which every trace event name has. */
const SYSLOG_TAIL = /([^\s_]+) ([\w.\/-]+)(?:\[\d+\])?: /y;
/** QEMU `-msg timestamp=on` after the 2025 log change: `2026-03-24T15:21:47.392231Z `. */
const QEMU_ISO = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) /y;
/** QEMU trace log backend before that change: `4321@1774365707.392231:` (no space after). */
const QEMU_TID = /(\d+)@(\d+)\.(\d+):/y;
/** dmesg `[ 5707.392231]`, also with fewer digits as pasted excerpts have them. */
const KERNEL_TIME = /\[ *(\d{1,10})\.(\d{1,9})\]/y;
/**
 * `journalctl -o short-monotonic` puts `host tag[pid]: ` after a dmesg-like stamp; the tag is
 * `kernel` or carries a pid, which a kernel message's `virtio-mem virtio0: ` never does.
 */
const MONOTONIC_TAIL = / (\S+) (kernel|[\w.\/-]+\[\d+\]): /y;
/** `dmesg -T` / `--ctime`: `[Fri Nov 29 04:55:29 2024]`; pasted excerpts may lack the year. */
const KERNEL_WALL = /\[(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?: (\d{4}))?\]/y;
/**
 * `dmesg -H` / `--reltime` (util-linux `short_ctime`): `[Mar24 15:21]` on the first line of each
 * minute, no year; `[  +0.000123]` (the delta to the line before) on the others, which gives no
 * time: the line before may be one the reader skipped unread.
 */
const KERNEL_RELTIME = /\[(?:([A-Z][a-z]{2}) ?(\d{1,2}) (\d\d):(\d\d)| *\+\d+\.\d{6})\]/y;
/** `dmesg --time-format=iso` (util-linux `iso_8601_time`): `2026-03-24T15:21:47,392231+00:00`, local time with its offset. */
const KERNEL_ISO = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d,\d{6}[+-]\d\d:?\d\d)(?= )/y;
/** printk caller id right after the timestamp: `[    T0]` or `[  C3]`. */
const CALLER_ID = / ?\[ *([TC]\d+)\]/y;
/** A `[ 123.456]` or `[Fri Nov …]` stamp later in the line, with stray text (a prompt) before it. */
const GLUED_TIME = /\[ *\d{1,10}\.\d{1,9}\]|\[(?:[A-Z][a-z]{2} )?[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)?(?: \d{4})?\]/g;
/** QEMU error_report: `[guest-name ]qemu-system-x86_64: [warning: |info: ]`. */
const QEMU_REPORT = /(?:(\S+) )?((?:\S*\/)?qemu(?:-system-[\w]+|-kvm|-[\w-]+)?): (?:(warning|info): )?/y;
const MONITOR = /\(qemu\) ?/y;

/** Parses the envelope of one physical line. Never throws. */
export function parseEnvelope(line: string): Envelope {
  const env: Envelope = { message: line, column: 0, origin: 'plain', startsRecord: false };
  // Most lines start with their prefix: a regex tried on every line costs more than the test.
  const first = line.charCodeAt(0);
  let pos = first === 0x20 || first === 0x09 || first === 0x3e /* > */ ? skip(QUOTING, line, 0) : 0;
  pos = syslogPrefix(line, pos, env);
  pos = qemuPrefix(line, pos, env);
  if (env.origin !== 'qemu-trace') pos = kernelPrefix(line, pos, env);
  if (env.origin === 'plain' || env.origin === 'syslog') pos = qemuReportOrMonitor(line, pos, env);
  if (pos > 0) {
    // A single space after the last prefix belongs to it; the rest (indentation) is message.
    env.message = line.slice(pos);
    env.column = pos;
  }
  return env;
}

/** The envelope of a line read without its noise (noise.ts); `column` is one in the line as it is. */
export function parseEnvelopeWithoutNoise(line: string): Envelope {
  const clean = withoutNoise(line);
  const env = parseEnvelope(clean);
  if (clean !== line) env.column = noisyColumn(line, env.column);
  return env;
}

function skip(re: RegExp, line: string, pos: number): number {
  re.lastIndex = pos;
  return re.test(line) ? re.lastIndex : pos;
}

/** Digits start every ISO, RFC 3339 and `TID@` stamp; a capital starts `Nov 29 …`. */
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function syslogPrefix(line: string, pos: number, env: Envelope): number {
  const first = line.charCodeAt(pos);
  // Dispatch on the first character: each regex tried on every line costs more than the rest.
  let m: RegExpExecArray | null = null;
  if (first >= 0x41 && first <= 0x5a) {
    SYSLOG_CLASSIC.lastIndex = pos;
    m = SYSLOG_CLASSIC.exec(line);
  }
  if (m) {
    const month = monthIndex(m[1]);
    if (month === undefined) return pos;
    env.time = { clock: 'wall-yearless', micros: yearlessToMicros(month, +m[2], +m[3], +m[4], +m[5], m[6] ?? '') };
    return markSyslog(env, m[7], m[8], SYSLOG_CLASSIC.lastIndex);
  }
  if (first === 0x3c /* < */) return syslog5424(line, pos, env);
  // `2024-11-29T…`: a QEMU trace line (`4321@…`) starts with digits too.
  if (!isDigit(first) || line.charCodeAt(pos + 4) !== 0x2d /* - */) return pos;
  SYSLOG_ISO.lastIndex = pos;
  m = SYSLOG_ISO.exec(line);
  if (m) {
    const iso = isoToMicros(m[1]);
    if (iso) env.time = { clock: 'wall', micros: iso.micros };
    return markSyslog(env, m[2], m[3], SYSLOG_ISO.lastIndex);
  }
  return pos;
}

function syslog5424(line: string, pos: number, env: Envelope): number {
  SYSLOG_5424.lastIndex = pos;
  const m = SYSLOG_5424.exec(line);
  if (!m) return pos;
  env.level = String(Number(m[1]) & 7);
  const iso = isoToMicros(m[2]);
  if (iso) env.time = { clock: iso.zoned ? 'wall' : 'wall-local', micros: iso.micros };
  return markSyslog(env, m[3], m[4], SYSLOG_5424.lastIndex);
}

function markSyslog(env: Envelope, host: string, program: string, end: number): number {
  env.origin = 'syslog';
  env.host = host;
  env.program = program;
  env.startsRecord = true;
  return end;
}

function qemuPrefix(line: string, pos: number, env: Envelope): number {
  if (!isDigit(line.charCodeAt(pos))) return pos;
  QEMU_TID.lastIndex = pos;
  let m = QEMU_TID.exec(line);
  if (m) {
    env.origin = 'qemu-trace';
    env.threadId = Number(m[1]);
    env.time = { clock: 'wall', micros: secondsFractionToMicros(m[2], m[3]) };
    env.startsRecord = true;
    return QEMU_TID.lastIndex;
  }
  QEMU_ISO.lastIndex = pos;
  m = QEMU_ISO.exec(line);
  if (m) {
    const iso = isoToMicros(m[1]);
    if (!iso) return pos;
    // Trace or error_report: qemuReportOrMonitor tells them apart by the program name.
    env.origin = 'qemu-trace';
    env.time = { clock: 'wall', micros: iso.micros };
    env.startsRecord = true;
    const end = QEMU_ISO.lastIndex;
    const reportEnd = qemuReportOrMonitor(line, end, env);
    if (reportEnd > end) return reportEnd;
    // Syslog writers may give UTC as `Z` too: `…Z host kernel: `.
    SYSLOG_TAIL.lastIndex = end;
    const tail = SYSLOG_TAIL.exec(line);
    return tail ? markSyslog(env, tail[1], tail[2], SYSLOG_TAIL.lastIndex) : end;
  }
  return pos;
}

function kernelPrefix(line: string, pos: number, env: Envelope): number {
  RAW_LEVEL.lastIndex = pos;
  let m = RAW_LEVEL.exec(line);
  if (m) {
    env.level = m[1];
    pos = RAW_LEVEL.lastIndex;
  } else {
    FACILITY_LEVEL.lastIndex = pos;
    m = FACILITY_LEVEL.exec(line);
    if (m) {
      env.level = m[2];
      pos = FACILITY_LEVEL.lastIndex;
    }
  }
  let end = kernelTimestamp(line, pos, env);
  if (end === pos) {
    // Stray text glued before a timestamp: a shell prompt, a tmux status, a paste artefact.
    GLUED_TIME.lastIndex = pos;
    const glued = GLUED_TIME.exec(line);
    if (glued && glued.index > pos) {
      const stampEnd = kernelTimestamp(line, glued.index, env);
      if (stampEnd > glued.index) {
        env.stray = line.slice(pos, glued.index);
        end = stampEnd;
      }
    }
  }
  if (end === pos) return pos;
  CALLER_ID.lastIndex = end;
  m = CALLER_ID.exec(line);
  if (m) {
    env.callerId = m[1];
    end = CALLER_ID.lastIndex;
  }
  if (line.charCodeAt(end) !== 0x20) return end;
  if (env.origin === 'kernel' && env.time?.clock === 'boot' && mayBeJournalTail(line, end)) {
    MONOTONIC_TAIL.lastIndex = end;
    const tail = MONOTONIC_TAIL.exec(line);
    if (tail) return markSyslog(env, tail[1], tail[2], MONOTONIC_TAIL.lastIndex);
  }
  return end + 1;
}

/**
 * Whether the text after a stamp at `end` can be short-monotonic's ` host kernel: ` or ` host
 * tag[pid]: `: a test by hand, as nearly every dmesg line has no such tail and the regex costs more.
 */
function mayBeJournalTail(line: string, end: number): boolean {
  const hostEnd = line.indexOf(' ', end + 1);
  // The space after `tag:`; a one-character pattern is the fast one for indexOf.
  const tagEnd = hostEnd < 0 ? -1 : line.indexOf(' ', hostEnd + 1);
  if (tagEnd < 0 || line.charCodeAt(tagEnd - 1) !== 0x3a /* : */) return false;
  return line.charCodeAt(tagEnd - 2) === 0x5d /* ] */ || (tagEnd - hostEnd === 8 && line.startsWith('kernel', hostEnd + 1));
}

function kernelTimestamp(line: string, pos: number, env: Envelope): number {
  if (isDigit(line.charCodeAt(pos))) return kernelIso(line, pos, env);
  KERNEL_TIME.lastIndex = pos;
  let m = KERNEL_TIME.exec(line);
  if (m) {
    // syslog gave a wall time already: the dmesg stamp is kept only when there is none.
    env.time ??= { clock: 'boot', micros: secondsFractionToMicros(m[1], m[2]) };
    if (env.origin === 'plain') env.origin = 'kernel';
    env.startsRecord = true;
    return KERNEL_TIME.lastIndex;
  }
  KERNEL_WALL.lastIndex = pos;
  m = KERNEL_WALL.exec(line);
  if (m) {
    const month = monthIndex(m[1]);
    if (month === undefined) return pos;
    const fraction = m[6] ?? '';
    env.time ??=
      m[7] === undefined
        ? { clock: 'wall-yearless', micros: yearlessToMicros(month, +m[2], +m[3], +m[4], +m[5], fraction) }
        : { clock: 'wall-local', micros: calendarToMicros(+m[7], month, +m[2], +m[3], +m[4], +m[5], fraction) };
    if (env.origin === 'plain') env.origin = 'kernel';
    env.startsRecord = true;
    return KERNEL_WALL.lastIndex;
  }
  KERNEL_RELTIME.lastIndex = pos;
  m = KERNEL_RELTIME.exec(line);
  if (m) {
    if (m[1] !== undefined) {
      const month = monthIndex(m[1]);
      if (month === undefined) return pos;
      env.time ??= { clock: 'wall-yearless', micros: yearlessToMicros(month, +m[2], +m[3], +m[4], 0) };
    }
    if (env.origin === 'plain') env.origin = 'kernel';
    env.startsRecord = true;
    return KERNEL_RELTIME.lastIndex;
  }
  return pos;
}

function kernelIso(line: string, pos: number, env: Envelope): number {
  KERNEL_ISO.lastIndex = pos;
  const m = KERNEL_ISO.exec(line);
  const iso = m && isoToMicros(m[1]);
  if (!iso) return pos;
  env.time ??= { clock: 'wall', micros: iso.micros };
  if (env.origin === 'plain') env.origin = 'kernel';
  env.startsRecord = true;
  return KERNEL_ISO.lastIndex;
}

function qemuReportOrMonitor(line: string, pos: number, env: Envelope): number {
  MONITOR.lastIndex = pos;
  if (MONITOR.test(line)) {
    env.origin = 'monitor';
    env.startsRecord = true;
    return MONITOR.lastIndex;
  }
  QEMU_REPORT.lastIndex = pos;
  const m = QEMU_REPORT.exec(line);
  if (!m) return pos;
  // `virtio_mem_plug_request addr=…` cannot be a program name; a guest-name token must not be
  // a trace event either.
  if (m[1] !== undefined && m[1].includes('=')) return pos;
  env.origin = 'qemu-report';
  env.program = m[2];
  if (m[3] === 'warning' || m[3] === 'info') env.severity = m[3];
  env.startsRecord = true;
  return QEMU_REPORT.lastIndex;
}
