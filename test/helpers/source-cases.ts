/**
 * The harness of the source-table tests: a case (lines written as their program prints them and
 * the events they must give) runs through the whole ingest pipeline under every prefix style
 * its source is seen with (dmesg stamps, syslog, journald, mail quotes, CRLF, …), and must give
 * exactly those events with every line recognized.
 */
import { strict as assert } from 'node:assert';
import type { HotplugEvent } from '../../src/core/events';
import { ingestAll, type InputSummary } from '../../src/core/ingest';

export type Fields = Record<string, unknown>;

export interface Parsed {
  events: HotplugEvent[];
  summary: InputSummary;
}

/** Runs `lines` (joined with `eol`) through ingestAll, as the CLI reads a file. */
export async function parseLines(lines: readonly string[], eol = '\n'): Promise<Parsed> {
  const text = lines.map((line) => line + eol).join('');
  const events: HotplugEvent[] = [];
  const summary = await ingestAll(
    {
      path: 'sources.log',
      async *open() {
        yield Buffer.from(text, 'utf8');
      },
    },
    0,
    (event) => events.push(event),
  );
  return { events, summary };
}

/** Where each record is: its kind, first line and number of lines, for tests of record boundaries. */
export function extents(events: readonly HotplugEvent[]): Array<[string, number, number]> {
  return events.map((e) => [e.kind, e.source.line, e.source.span]);
}

export function show(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** Checks that `event` has every field of `expected` (an `undefined` value means: absent). */
export function assertFields(event: HotplugEvent | undefined, expected: Fields, context: string): void {
  assert.ok(event, `${context}: missing event`);
  const actual = event as unknown as Fields;
  for (const [key, value] of Object.entries(expected)) {
    assert.deepStrictEqual(actual[key], value, `${context}: field ${key} of ${show(event)}`);
  }
}

// ---- Prefix variants, per kind of source ----

export interface Variant {
  name: string;
  /** Prefixes the first line of a record. */
  first(line: string): string;
  /** Prefixes the other lines of a multi-line record. */
  rest(line: string): string;
  eol?: string;
}

export function variant(name: string, prefix: (line: string) => string, eol?: string, rest = prefix): Variant {
  return { name, first: prefix, rest, eol };
}

export const KERNEL: readonly Variant[] = [
  variant('plain', (l) => l),
  variant('dmesg', (l) => `[ 5707.392231] ${l}`),
  variant('dmesg -T', (l) => `[Fri Nov 29 04:55:29 2024] ${l}`),
  variant('printk caller id', (l) => `[    5.123456][  T123] ${l}`),
  variant('dmesg -T without the year', (l) => `[Tue Mar 24 15:21:47] ${l}`),
  variant('dmesg -H (reltime)', (l) => `[Mar24 15:21] ${l}`, undefined, (l) => `[  +0.000123] ${l}`),
  variant('dmesg --time-format=iso', (l) => `2026-03-24T15:21:47,392231+00:00 ${l}`),
  variant('syslog, journalctl short', (l) => `Nov 29 04:55:28 host kernel: ${l}`),
  variant('rsyslog kern.log (RFC 3164) with dmesg stamp', (l) => `Mar 24 15:21:47 host kernel: [  123.456789] ${l}`),
  variant('journalctl -o short-precise', (l) => `Nov 29 04:55:28.123456 host kernel: ${l}`),
  variant('journalctl -o short-monotonic', (l) => `[  123.456789] host kernel: ${l}`),
  variant('journalctl -o short-iso', (l) => `2024-11-29T04:55:28+0100 host kernel: ${l}`),
  variant('RFC 3339 syslog in UTC', (l) => `2024-11-29T04:55:28.123456Z host kernel: ${l}`),
  variant('RFC 5424 syslog', (l) => `<6>1 2026-03-24T15:21:47.392231+00:00 host kernel - - - ${l}`),
  variant('shell prompt glued', (l) => `[root@host ~]# [ 5707.39] ${l}`, undefined, (l) => `[ 5707.39] ${l}`),
  variant('mail quote', (l) => `>   [ 5707.392231] ${l}`),
  variant('mail quote, no stamp', (l) => `> >  ${l}`),
  variant('dmesg -x', (l) => `kern  :err   : [ 5707.392231] ${l}`),
  variant('CRLF', (l) => `[ 5707.392231] ${l}`, '\r\n'),
];

export const QEMU_TRACE: readonly Variant[] = [
  variant('plain', (l) => l),
  variant('TID@sec.usec', (l) => `4321@1774365707.392231:${l}`),
  variant('ISO-8601', (l) => `2026-03-24T15:21:47.392231Z ${l}`),
  variant('mail quote', (l) => `> ${l}`),
  variant('CRLF', (l) => `2026-03-24T15:21:47.392231Z ${l}`, '\r\n'),
];

export function qemuReport(severity: 'error' | 'warning'): Variant[] {
  const word = severity === 'warning' ? 'warning: ' : '';
  return [
    variant('program', (l) => `qemu-system-x86_64: ${word}${l}`),
    variant('ISO-8601 + program', (l) => `2026-03-24T15:21:47.392231Z qemu-system-x86_64: ${word}${l}`),
    variant('ISO-8601 + guest name', (l) => `2026-03-24T15:21:47.392231Z td-guest1 qemu-system-x86_64: ${word}${l}`),
    variant('distribution binary', (l) => `/usr/libexec/qemu-kvm: ${word}${l}`),
    variant('CRLF', (l) => `qemu-system-x86_64: ${word}${l}`, '\r\n'),
  ];
}
export const QEMU_ERROR = qemuReport('error');
export const QEMU_WARNING = qemuReport('warning');

/** fprintf(stderr) and qemu_log_mask() output: no program name. */
export const QEMU_STDERR: readonly Variant[] = [
  variant('plain', (l) => l),
  variant('mail quote', (l) => `> ${l}`),
  variant('CRLF', (l) => l, '\r\n'),
];

/** qemu_log() output gets the ISO-8601 stamp too since the 2025 log change. */
export const QEMU_LOG: readonly Variant[] = [...QEMU_STDERR, variant('ISO-8601', (l) => `2026-03-24T15:21:47.392231Z ${l}`)];

export const MONITOR: readonly Variant[] = [variant('plain', (l) => l), variant('CRLF', (l) => l, '\r\n')];

// ---- Cases ----

export interface Case {
  /** The file, function and versions that print the first line, e.g. `drivers/virtio/virtio_mem.c v5.8–v5.10`. */
  source?: string;
  id: string;
  lines: string[];
  /** Events in emission order. */
  events: Fields[];
}

export function one(id: string, line: string, fields: Fields): Case {
  return { id, lines: [line], events: [fields] };
}

/** One line, with the source that prints it. */
export function printedBy(id: string, source: string, line: string, fields: Fields): Case {
  return { id, source, lines: [line], events: [fields] };
}

export async function runCase(c: Case, variants: readonly Variant[]): Promise<void> {
  for (const v of variants) {
    const lines = c.lines.map((line, i) => (i === 0 ? v.first(line) : v.rest(line)));
    const { events, summary } = await parseLines(lines, v.eol);
    const context = `${c.id} [${v.name}]`;
    assert.equal(summary.unparsed, 0, `${context}: unparsed ${show(summary.unparsedLines)}`);
    assert.equal(summary.lines, lines.length, `${context}: line count`);
    assert.equal(summary.recognized, lines.length, `${context}: every line belongs to an event (ignored ${summary.ignored})`);
    assert.equal(events.length, c.events.length, `${context}: events ${show(events)}`);
    c.events.forEach((expected, i) => assertFields(events[i], expected, `${context} #${i}`));
    assert.equal(events[0].source.line, 1, `${context}: first event's line`);
  }
}

/** `line` alone is ignored under every kernel prefix style: no event, not unparsed. */
export async function assertIgnored(line: string): Promise<void> {
  for (const v of KERNEL) {
    const { events, summary } = await parseLines([v.first(line)], v.eol);
    const context = `${JSON.stringify(line)} [${v.name}]`;
    assert.equal(events.length, 0, `${context}: events ${show(events)}`);
    assert.equal(summary.unparsed, 0, `${context}: unparsed ${show(summary.unparsedLines)}`);
    assert.equal(summary.ignored, 1, `${context}: ignored`);
  }
}

export function suite(title: string, variants: readonly Variant[], cases: readonly Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(`${c.id}: ${c.lines[0]}${c.source !== undefined ? ` — ${c.source}` : ''}`, () => runCase(c, variants));
    }
  });
}
