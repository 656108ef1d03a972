/**
 * When an input is incomplete (HPL015, diagnose/completeness.ts), through `analyze()` on
 * in-memory logs: a mid-stream start, a boot clock that steps back more than a second, records
 * wrapped across lines, lines that look relevant but match no format, truncated lines; the
 * finding at the first reason that has a line, the others related.
 *
 * Wordings: drivers/virtio/virtio_mem.c (Linux v6.12) and QEMU 9.2 trace events, as in the
 * source tables; the driver-core probe failure from drivers/base/dd.c (`probe with driver %s
 * failed with error %d`).
 */
import { strict as assert } from 'node:assert';
import type { Analysis } from '../../../src/core/analyze';
import { analyzeLogs, dmesg, line, related, VIRTIO5_PROBE } from './in-memory-logs';

/** A guest dmesg line at `seconds` on the boot clock. */
function at(seconds: number, message: string): string {
  return `[${seconds.toFixed(6).padStart(12)}] ${message}\n`;
}

function hpl015(a: Analysis): string[] {
  return a.findings.filter((f) => f.code === 'HPL015').map(line);
}

describe('completeness: a boot clock that steps back', () => {
  it('more than a second back: incomplete, at the first line that went back', async () => {
    const a = await analyzeLogs([
      [
        'guest.log',
        at(100, VIRTIO5_PROBE[0]) +
          at(105, VIRTIO5_PROBE[1]) +
          // Half a second back: timestamps of different CPUs.
          at(104.5, VIRTIO5_PROBE[2]) +
          // 1.4 s before the latest (105), only 0.9 s before the previous line.
          at(103.6, VIRTIO5_PROBE[3]) +
          at(90, VIRTIO5_PROBE[4]),
      ],
    ]);
    assert.deepEqual(hpl015(a), ['HPL015 guest.log:4 (log, certain) guest.log is incomplete: its clock jumps backwards.']);
    assert.deepEqual(a.findings[0].related, []);
  });

  it('exactly a second back is within the tolerance', async () => {
    const a = await analyzeLogs([['guest.log', at(100, VIRTIO5_PROBE[0]) + at(101, VIRTIO5_PROBE[1]) + at(100, VIRTIO5_PROBE[2])]]);
    assert.deepEqual(a.findings, []);
  });

  it('a wall clock (QEMU’s trace) stepping back is not the boot clock', async () => {
    const a = await analyzeLogs([
      [
        'qemu.log',
        '2026-05-02T11:21:40.000121Z virtio_mem_plug_request addr=0x100000000 nb_blocks=1\n' +
          '2026-05-02T11:21:40.000126Z virtio_mem_send_response type=0\n' +
          '2026-05-02T11:21:30.000121Z virtio_mem_plug_request addr=0x100200000 nb_blocks=1\n' +
          '2026-05-02T11:21:30.000126Z virtio_mem_send_response type=0\n',
      ],
    ]);
    assert.deepEqual(a.findings, []);
  });
});

describe('completeness: a log that starts mid-stream', () => {
  const MID = 'guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state).';

  it('its first line of a device says memory is plugged, or acts on it, without probe lines before', async () => {
    for (const first of ['virtio_mem virtio5: plugged size: 0x8000000', 'virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff', 'virtio_mem virtio5: CoCo set_encrypted failed, leaking memory']) {
      const a = await analyzeLogs([['guest.log', dmesg(first, 'virtio_mem virtio5: requested size: 0x10000000')]]);
      assert.deepEqual(hpl015(a), [`HPL015 guest.log:1 (log, certain) ${MID}`], first);
    }
  });

  it('a device that starts with nothing plugged, or with a requested size, started with the log', async () => {
    for (const first of ['virtio_mem virtio5: plugged size: 0x0', 'virtio_mem virtio5: requested size: 0x8000000']) {
      const a = await analyzeLogs([['guest.log', dmesg(first, 'virtio_mem virtio5: plugged size: 0x8000000', 'virtio_mem virtio5: plugging memory: 0x108000000 - 0x10fffffff')]]);
      assert.deepEqual(hpl015(a), [], first);
    }
  });

  it('probe lines, a probe notice or a failed probe before the first state: not mid-stream', async () => {
    for (const probe of ['virtio_mem virtio5: start address: 0x100000000', 'virtio_mem virtio5: unplugging all memory is required', 'virtio_mem virtio5: probe with driver virtio_mem failed with error -16']) {
      const a = await analyzeLogs([['guest.log', dmesg(probe, 'virtio_mem virtio5: plugged size: 0x8000000')]]);
      assert.deepEqual(hpl015(a), [], probe);
    }
  });

  it('names the first device that started mid-stream', async () => {
    const a = await analyzeLogs([
      ['guest.log', dmesg(...VIRTIO5_PROBE, 'virtio_mem virtio6: plugged size: 0x8000000', 'virtio_mem virtio7: plugged size: 0x8000000')],
    ]);
    assert.deepEqual(hpl015(a), ['HPL015 guest.log:7 (log, certain) guest.log is incomplete: it starts mid-stream (no probe lines for virtio6 before its first state).']);
  });
});

describe('completeness: what reading the lines met', () => {
  it('one record wrapped across lines and rejoined, at its first line', async () => {
    const a = await analyzeLogs([['guest.log', `${dmesg(...VIRTIO5_PROBE)}[  106.000000] virtio_mem virtio5: plugging memory: 0x100000000 - 0x10\n7ffffff\n`]]);
    assert.deepEqual(hpl015(a), ['HPL015 guest.log:7 (log, certain) guest.log is incomplete: 1 record was wrapped across lines and rejoined.']);
  });

  it('records, plural', async () => {
    const a = await analyzeLogs([
      [
        'guest.log',
        `${dmesg(...VIRTIO5_PROBE)}[  106.000000] virtio_mem virtio5: plugging memory: 0x100000000 - 0x10\n7ffffff\n[  107.000000] virtio_mem virtio5: plugged si\nze: 0x8000000\n`,
      ],
    ]);
    assert.deepEqual(hpl015(a), ['HPL015 guest.log:7 (log, certain) guest.log is incomplete: 2 records were wrapped across lines and rejoined.']);
  });

  it('one line that looks relevant but matches no format, at that line; lines, plural', async () => {
    const one = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, 'virtio_mem virtio5: some future message')]]);
    assert.deepEqual(hpl015(one), ['HPL015 guest.log:7 (log, certain) guest.log is incomplete: 1 line looks relevant but matches no known format.']);
    const two = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, 'virtio_mem virtio5: some future message', 'virtio_mem virtio5: another future message')]]);
    assert.deepEqual(hpl015(two), ['HPL015 guest.log:7 (log, certain) guest.log is incomplete: 2 lines look relevant but match no known format.']);
  });

  it('unparsed lines counted but none kept: the finding is at the input’s first line', async () => {
    const a = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, 'virtio_mem virtio5: some future message')]], { maxUnparsedLines: 0 });
    assert.deepEqual(hpl015(a), ['HPL015 guest.log:1 (log, certain) guest.log is incomplete: 1 line looks relevant but matches no known format.']);
  });

  it('over-long lines truncated: the finding is at the input’s first line', async () => {
    const long = `audit: type=1400 apparmor="DENIED" operation="open" name="${'x'.repeat(300)}"`;
    const a = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, long, long)]], { maxLineBytes: 200 });
    assert.deepEqual(hpl015(a), ['HPL015 guest.log:1 (log, certain) guest.log is incomplete: 2 over-long lines were truncated.']);
  });

  it('several reasons: one finding at the first that has a line, the others with a line related, all in its words', async () => {
    const long = `audit: type=1400 apparmor="DENIED" operation="open" name="${'x'.repeat(300)}"`;
    const text =
      at(100, 'virtio_mem virtio5: plugged size: 0x8000000') + // 1: mid-stream
      at(101, 'virtio_mem virtio5: plugging memory: 0x108000000 - 0x10') + // 2: wrapped
      'fffffff\n' +
      at(102, 'virtio_mem virtio5: plugged size: 0x10000000') +
      at(99, 'virtio_mem virtio5: requested size: 0x10000000') + // 5: back 3 s
      at(103, 'virtio_mem virtio5: some future message') + // 6: unparsed
      at(104, long); // 7: truncated
    const a = await analyzeLogs([['guest.log', text]], { maxLineBytes: 200 });
    const f = a.findings.filter((x) => x.code === 'HPL015');
    assert.equal(f.length, 1);
    assert.equal(
      line(f[0]),
      'HPL015 guest.log:1 (log, certain) guest.log is incomplete: it starts mid-stream (no probe lines for virtio5 before its first state); 1 record was wrapped across lines and rejoined; its clock jumps backwards; 1 line looks relevant but matches no known format; 1 over-long lines were truncated.',
    );
    assert.deepEqual(related(f[0]), [
      'guest.log:2 1 record was wrapped across lines and rejoined',
      'guest.log:5 its clock jumps backwards',
      'guest.log:6 1 line looks relevant but matches no known format',
    ]);
  });

  it('one finding per incomplete input, each its own root cause; a complete input has none', async () => {
    const a = await analyzeLogs([
      ['a.log', dmesg('virtio_mem virtio5: plugged size: 0x8000000')],
      ['b.log', dmesg(...VIRTIO5_PROBE)],
      ['c.log', dmesg('virtio_mem virtio6: plugged size: 0x8000000')],
    ]);
    assert.deepEqual(
      a.findings.map((f) => `${f.code} ${f.location.path}:${f.location.line}`),
      ['HPL015 a.log:1', 'HPL015 c.log:1'],
    );
    assert.notEqual(a.findings[0].rootCause, a.findings[1].rootCause);
  });
});
