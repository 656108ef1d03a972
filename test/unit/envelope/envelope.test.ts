/**
 * The line envelope (DOMAIN.md §1.0 rendering conventions and the "real logs are not clean" list):
 * what each prefix style tells about origin and time, checked on parseEnvelope() and on the
 * events that come out of the whole pipeline.
 */
import { strict as assert } from 'node:assert';
import { parseEnvelope } from '../../../src/core/envelope/parse';
import type { Envelope } from '../../../src/core/envelope/types';
import type { HotplugEvent } from '../../../src/core/events';
import { ingestAll } from '../../../src/core/ingest';

const MESSAGE = 'virtio_mem virtio5: plugged size: 0x80000000';
const TRACE = 'virtio_mem_plug_request addr=0x100000000 nb_blocks=64';
const REPORT = "'block-size' property is smaller than the default block size (2 MiB)";

/** Microseconds of a calendar time taken as UTC. */
function utc(year: number, month: number, day: number, h: number, m: number, s: number, micros = 0): number {
  return Date.UTC(year, month - 1, day, h, m, s) * 1000 + micros;
}

/** Days before each month in a leap year: year-less stamps count from Jan 1 as in one. */
const LEAP_DAYS_BEFORE = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];

/** Microseconds since Jan 1 00:00 of an unknown year (clock `wall-yearless`). */
function yearless(month: number, day: number, h: number, m: number, s: number, micros = 0): number {
  return (((LEAP_DAYS_BEFORE[month - 1] + day - 1) * 24 + h) * 3600 + m * 60 + s) * 1_000_000 + micros;
}

interface EnvelopeCase {
  name: string;
  line: string;
  message: string;
  expect: Partial<Envelope>;
}

const CASES: EnvelopeCase[] = [
  {
    name: 'no prefix',
    line: MESSAGE,
    message: MESSAGE,
    expect: { origin: 'plain', time: undefined, column: 0, startsRecord: false },
  },
  {
    name: 'dmesg [%5lu.%06lu]',
    line: `[ 5707.392231] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: { clock: 'boot', micros: 5_707_392_231 }, column: 15, startsRecord: true },
  },
  {
    name: 'dmesg at boot, padded seconds',
    line: `[    0.000000] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: { clock: 'boot', micros: 0 } },
  },
  {
    name: 'dmesg beyond 99999 s',
    line: `[188123.442001] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: { clock: 'boot', micros: 188_123_442_001 } },
  },
  {
    name: 'dmesg -T',
    line: `[Fri Nov 29 04:55:29 2024] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: { clock: 'wall-local', micros: utc(2024, 11, 29, 4, 55, 29) }, column: 27 },
  },
  {
    name: 'printk caller id (task)',
    line: `[    5.123456][  T123] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: { clock: 'boot', micros: 5_123_456 }, callerId: 'T123', column: 23 },
  },
  {
    name: 'printk caller id (CPU context)',
    line: `[    0.000000][    C3] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: { clock: 'boot', micros: 0 }, callerId: 'C3' },
  },
  {
    name: 'dmesg -r raw level',
    line: `<7>[ 1300.000100] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', level: '7', time: { clock: 'boot', micros: 1_300_000_100 } },
  },
  {
    name: 'dmesg -x facility and level',
    line: `kern  :debug : [ 1700.000020] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', level: 'debug', time: { clock: 'boot', micros: 1_700_000_020 } },
  },
  {
    name: 'classic syslog (RFC 3164, journalctl short): no year, none invented',
    line: `Nov 29 04:55:28 host kernel: ${MESSAGE}`,
    message: MESSAGE,
    expect: {
      origin: 'syslog',
      host: 'host',
      program: 'kernel',
      time: { clock: 'wall-yearless', micros: yearless(11, 29, 4, 55, 28) },
      column: 29,
    },
  },
  {
    name: 'classic syslog, day padded with a space',
    line: `May  2 13:21:40 td-guest kernel: ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'syslog', host: 'td-guest', time: { clock: 'wall-yearless', micros: yearless(5, 2, 13, 21, 40) } },
  },
  {
    name: 'classic syslog on Feb 29 (counted as in a leap year)',
    line: `Feb 29 00:00:01 host kernel: ${MESSAGE}`,
    message: MESSAGE,
    expect: { time: { clock: 'wall-yearless', micros: yearless(2, 29, 0, 0, 1) } },
  },
  {
    name: 'rsyslog kern.log (RFC 3164) carrying the dmesg stamp (the syslog time wins)',
    line: `Mar 24 15:21:47 host kernel: [  123.456789] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'syslog', time: { clock: 'wall-yearless', micros: yearless(3, 24, 15, 21, 47) }, column: 44 },
  },
  {
    name: 'journalctl -o short-precise',
    line: `Nov 29 04:55:28.123456 host kernel: ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'syslog', time: { clock: 'wall-yearless', micros: yearless(11, 29, 4, 55, 28, 123_456) } },
  },
  {
    name: 'journalctl -o short-iso (zone without a colon)',
    line: `2024-11-29T04:55:28+0100 host kernel: ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'syslog', host: 'host', program: 'kernel', time: { clock: 'wall', micros: utc(2024, 11, 29, 3, 55, 28) }, column: 38 },
  },
  {
    name: 'journalctl -o short-monotonic',
    line: `[  123.456789] host kernel: ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'syslog', host: 'host', program: 'kernel', time: { clock: 'boot', micros: 123_456_789 }, column: 28 },
  },
  {
    name: 'journalctl -o short-monotonic, a program with its pid',
    line: `[ 5707.392231] kvm-host qemu-system-x86_64[4321]: qemu-system-x86_64: warning: ${REPORT}`,
    message: REPORT,
    expect: { origin: 'qemu-report', host: 'kvm-host', program: 'qemu-system-x86_64', severity: 'warning', time: { clock: 'boot', micros: 5_707_392_231 } },
  },
  {
    name: 'a kernel message that starts like `word word: ` is not a journal host and tag',
    line: '[ 5707.392231] EXT4-fs (vda1): mounted filesystem',
    message: 'EXT4-fs (vda1): mounted filesystem',
    expect: { origin: 'kernel', host: undefined, program: undefined },
  },
  {
    name: 'dmesg --time-format=iso (util-linux iso_8601_time)',
    line: `2026-03-24T15:21:47,392231+00:00 ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: { clock: 'wall', micros: utc(2026, 3, 24, 15, 21, 47, 392_231) }, column: 33, startsRecord: true },
  },
  {
    name: 'dmesg -x --time-format=iso in a zone east of UTC',
    line: `kern  :info  : 2026-03-24T16:21:47,392231+01:00 ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', level: 'info', time: { clock: 'wall', micros: utc(2026, 3, 24, 15, 21, 47, 392_231) } },
  },
  {
    name: 'dmesg -T pasted without its year',
    line: `[Tue Mar 24 15:21:47] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: { clock: 'wall-yearless', micros: yearless(3, 24, 15, 21, 47) }, column: 22 },
  },
  {
    name: 'dmesg -H / --reltime: a new minute, no year',
    line: `[Mar24 15:21] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: { clock: 'wall-yearless', micros: yearless(3, 24, 15, 21, 0) }, column: 14, startsRecord: true },
  },
  {
    name: 'dmesg -H / --reltime: a day padded with a space',
    line: `[Mar 4 09:05] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: { clock: 'wall-yearless', micros: yearless(3, 4, 9, 5, 0) } },
  },
  {
    name: 'dmesg -H / --reltime: the delta to the line before gives no time',
    line: `[ +12.000123] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: undefined, column: 14, startsRecord: true },
  },
  {
    name: 'RFC 5424 syslog (rsyslog RSYSLOG_SyslogProtocol23Format)',
    line: `<4>1 2026-03-24T15:21:47.392231+00:00 td-guest kernel - - - ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'syslog', level: '4', host: 'td-guest', program: 'kernel', time: { clock: 'wall', micros: utc(2026, 3, 24, 15, 21, 47, 392_231) }, column: 60 },
  },
  {
    name: 'RFC 5424 syslog with structured data and a dmesg stamp',
    line: `<14>1 2026-03-24T15:21:47Z td-guest kernel - - [timeQuality tzKnown="1" isSynced="0"] [ 5707.392231] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'syslog', level: '6', time: { clock: 'wall', micros: utc(2026, 3, 24, 15, 21, 47) } },
  },
  {
    name: 'RFC 3339 syslog with a zone',
    line: `2024-11-29T04:55:28.123456+01:00 host kernel: ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'syslog', host: 'host', program: 'kernel', time: { clock: 'wall', micros: utc(2024, 11, 29, 3, 55, 28, 123_456) } },
  },
  {
    name: 'RFC 3339 syslog in UTC written with Z',
    line: `2024-11-29T04:55:28.123456Z td-guest kernel: [ 5707.392231] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'syslog', host: 'td-guest', program: 'kernel', time: { clock: 'wall', micros: utc(2024, 11, 29, 4, 55, 28, 123_456) } },
  },
  {
    name: 'QEMU trace event whose arguments start with `word: ` is not syslog',
    line: '2026-03-24T15:21:47.392231Z vhost_vdpa_dev_start dev: 0x55d3c2f0a1b0 started: 1',
    message: 'vhost_vdpa_dev_start dev: 0x55d3c2f0a1b0 started: 1',
    expect: { origin: 'qemu-trace', host: undefined },
  },
  {
    name: 'shell prompt glued before a short stamp',
    line: `[root@host ~]# [ 5707.39] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', stray: '[root@host ~]# ', time: { clock: 'boot', micros: 5_707_390_000 }, column: 26 },
  },
  {
    name: 'mail quote with indentation',
    line: `>   [ 5707.392231] ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'kernel', time: { clock: 'boot', micros: 5_707_392_231 }, column: 19 },
  },
  {
    name: 'nested mail quote without a stamp',
    line: `> > ${MESSAGE}`,
    message: MESSAGE,
    expect: { origin: 'plain', time: undefined, column: 4 },
  },
  {
    name: 'QEMU trace TID@sec.usec (before the 2025 log change)',
    line: `4321@1774365707.392231:${TRACE}`,
    message: TRACE,
    expect: { origin: 'qemu-trace', threadId: 4321, time: { clock: 'wall', micros: 1_774_365_707_392_231 }, column: 23 },
  },
  {
    name: 'QEMU trace ISO-8601 (QEMU master)',
    line: `2026-03-24T15:21:47.392231Z ${TRACE}`,
    message: TRACE,
    expect: { origin: 'qemu-trace', threadId: undefined, time: { clock: 'wall', micros: 1_774_365_707_392_231 }, column: 28 },
  },
  {
    name: 'QEMU trace ISO-8601 without a fraction',
    line: `2026-03-24T15:21:47Z ${TRACE}`,
    message: TRACE,
    expect: { origin: 'qemu-trace', time: { clock: 'wall', micros: 1_774_365_707_000_000 } },
  },
  {
    name: 'QEMU trace without -msg timestamp=on',
    line: TRACE,
    message: TRACE,
    expect: { origin: 'plain', time: undefined },
  },
  {
    name: 'QEMU error_report',
    line: 'qemu-system-x86_64: Convert non guest_memfd backed memory region (0x100000000 ,+ 0x200000) to private',
    message: 'Convert non guest_memfd backed memory region (0x100000000 ,+ 0x200000) to private',
    expect: { origin: 'qemu-report', program: 'qemu-system-x86_64', severity: undefined, time: undefined, column: 20 },
  },
  {
    name: 'QEMU warn_report',
    line: `qemu-system-x86_64: warning: ${REPORT}`,
    message: REPORT,
    expect: { origin: 'qemu-report', program: 'qemu-system-x86_64', severity: 'warning', column: 29 },
  },
  {
    name: 'QEMU warn_report with -msg timestamp=on',
    line: `2026-03-24T15:21:47.392231Z qemu-system-x86_64: warning: ${REPORT}`,
    message: REPORT,
    expect: { origin: 'qemu-report', severity: 'warning', time: { clock: 'wall', micros: 1_774_365_707_392_231 } },
  },
  {
    name: 'QEMU error_report with timestamp and guest name',
    line: `2026-05-02T12:00:00.000300Z td-guest1 qemu-system-x86_64: ${REPORT}`,
    message: REPORT,
    expect: { origin: 'qemu-report', program: 'qemu-system-x86_64', time: { clock: 'wall', micros: utc(2026, 5, 2, 12, 0, 0, 300) } },
  },
  {
    name: 'QEMU report under a distribution binary name',
    line: `/usr/libexec/qemu-kvm: warning: ${REPORT}`,
    message: REPORT,
    expect: { origin: 'qemu-report', program: '/usr/libexec/qemu-kvm', severity: 'warning' },
  },
  {
    name: 'HMP prompt',
    line: '(qemu) qom-set vmem0 requested-size 2G',
    message: 'qom-set vmem0 requested-size 2G',
    expect: { origin: 'monitor', column: 7, startsRecord: true },
  },
];

describe('envelope: parseEnvelope', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const env = parseEnvelope(c.line);
      assert.equal(env.message, c.message, `message of ${JSON.stringify(c.line)}`);
      for (const [key, value] of Object.entries(c.expect)) {
        assert.deepStrictEqual(env[key as keyof Envelope], value, `${key} of ${JSON.stringify(c.line)}`);
      }
      assert.equal(c.line.slice(env.column), env.message, 'column points at the message');
    });
  }

  it('never throws and keeps the line as the message when nothing is a prefix', () => {
    for (const line of ['', ' ', '[', '[ 12', '[Fri Nov', '[Tue Mar 24 15:21', '4321@', '2026-03-24T', '2026-03-24T15:21:47,', '<6>1 ', '<6>1 - - -', '>', 'Nov 29', '(qemu']) {
      const env = parseEnvelope(line);
      assert.equal(typeof env.message, 'string');
    }
  });

  it('does not take a trace event with a = sign for a guest name before a program', () => {
    const env = parseEnvelope('virtio_mem_send_response type=0');
    assert.equal(env.origin, 'plain');
    assert.equal(env.message, 'virtio_mem_send_response type=0');
  });
});

async function eventsOf(text: string): Promise<HotplugEvent[]> {
  const events: HotplugEvent[] = [];
  const summary = await ingestAll(
    {
      path: 'envelope.log',
      async *open() {
        yield Buffer.from(text, 'utf8');
      },
    },
    0,
    (event) => events.push(event),
  );
  assert.equal(summary.unparsed, 0, `unparsed: ${JSON.stringify(summary.unparsedLines)}`);
  return events;
}

describe('envelope: timestamps reach the events', () => {
  const cases: Array<{ name: string; text: string; time?: { clock: string; micros: number }; column: number }> = [
    { name: 'dmesg', text: `[ 5707.392231] ${MESSAGE}\n`, time: { clock: 'boot', micros: 5_707_392_231 }, column: 15 },
    { name: 'dmesg -T', text: `[Fri Nov 29 04:55:29 2024] ${MESSAGE}\n`, time: { clock: 'wall-local', micros: utc(2024, 11, 29, 4, 55, 29) }, column: 27 },
    { name: 'caller id', text: `[    5.123456][  T123] ${MESSAGE}\n`, time: { clock: 'boot', micros: 5_123_456 }, column: 23 },
    { name: 'syslog', text: `Nov 29 04:55:28 host kernel: ${MESSAGE}\n`, time: { clock: 'wall-yearless', micros: yearless(11, 29, 4, 55, 28) }, column: 29 },
    { name: 'journalctl -o short-monotonic', text: `[  123.456789] host kernel: ${MESSAGE}\n`, time: { clock: 'boot', micros: 123_456_789 }, column: 28 },
    { name: 'dmesg --time-format=iso', text: `2026-03-24T15:21:47,392231+00:00 ${MESSAGE}\n`, time: { clock: 'wall', micros: utc(2026, 3, 24, 15, 21, 47, 392_231) }, column: 33 },
    { name: 'RFC 5424', text: `<6>1 2026-03-24T15:21:47.392231+00:00 host kernel - - - ${MESSAGE}\n`, time: { clock: 'wall', micros: utc(2026, 3, 24, 15, 21, 47, 392_231) }, column: 56 },
    { name: 'glued prompt', text: `[root@host ~]# [ 5707.39] ${MESSAGE}\n`, time: { clock: 'boot', micros: 5_707_390_000 }, column: 26 },
    { name: 'CRLF', text: `[ 5707.392231] ${MESSAGE}\r\n`, time: { clock: 'boot', micros: 5_707_392_231 }, column: 15 },
    { name: 'plain', text: `${MESSAGE}\n`, time: undefined, column: 0 },
    { name: 'QEMU TID@', text: `4321@1774365707.392231:${TRACE}\n`, time: { clock: 'wall', micros: 1_774_365_707_392_231 }, column: 23 },
    { name: 'QEMU ISO', text: `2026-03-24T15:21:47.392231Z ${TRACE}\n`, time: { clock: 'wall', micros: 1_774_365_707_392_231 }, column: 28 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const events = await eventsOf(c.text);
      assert.equal(events.length, 1);
      assert.deepStrictEqual(events[0].time, c.time);
      assert.equal(events[0].source.line, 1);
      assert.equal(events[0].source.column, c.column);
      assert.equal(events[0].source.endColumn, c.text.replace(/\r?\n$/, '').length);
    });
  }

  it('a rejoined console wrap keeps the time and position of its first line', async () => {
    const events = await eventsOf('>   [ 5707.392231] virtio_mem virtio5: plugged\n> size: 0x80000000\n');
    assert.equal(events.length, 1);
    assert.equal(events[0].kind, 'vmem.size');
    assert.deepStrictEqual(events[0].time, { clock: 'boot', micros: 5_707_392_231 });
    assert.deepStrictEqual([events[0].source.line, events[0].source.span, events[0].source.column], [1, 2, 19]);
  });

  it('byte offsets count the CR of CRLF lines', async () => {
    const first = `[ 5707.392231] ${MESSAGE}`;
    const events = await eventsOf(`${first}\r\n[ 5707.395583] virtio_mem virtio5: requested size: 0x0\r\n`);
    assert.deepStrictEqual(
      events.map((e) => e.source.offset),
      [0, Buffer.byteLength(first) + 2],
    );
  });
});
