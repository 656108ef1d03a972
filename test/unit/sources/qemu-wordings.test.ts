/**
 * QEMU 7.2 to master: every wording of the virtio-mem, memory conversion, guest_memfd, TDX and
 * memory-device reports the rows read, as the named file and version prints it, under every
 * way it reaches users (QEMU's stderr, its guest-error log, the monitor, libvirt, Kata through
 * containerd); QEMU's crashes as one record each; look-alikes stay ignored.
 */
import { strict as assert } from 'node:assert';
import {
  bareSetg,
  QEMU_ASSERT_CASES,
  QEMU_CRASH_CASES,
  QEMU_FPRINTF_CASES,
  QEMU_GUEST_LOG_CASES,
  QEMU_LOOKALIKES,
  QEMU_REPORT_CASES,
  QEMU_SETG_CASES,
  QEMU_THEN_SHELL,
  QEMU_WARN_CASES,
  relayed,
} from '../../helpers/qemu-cases';
import { assertIgnored, MONITOR, parseLines, QEMU_ERROR, QEMU_LOG, QEMU_STDERR, QEMU_WARNING, show, suite } from '../../helpers/source-cases';

suite('QEMU wordings: error_setg() at start-up and from device_add', QEMU_ERROR, QEMU_SETG_CASES);
suite(
  'QEMU wordings: error_setg() as HMP prints it',
  MONITOR,
  QEMU_SETG_CASES.filter((c) => c.lines[0].startsWith('Error: ')),
);
suite('QEMU wordings: error_setg() relayed from device_add', relayed('device_add'), QEMU_SETG_CASES.filter((c) => !c.lines[0].startsWith('Error: ')).map(bareSetg));
suite('QEMU wordings: error_setg() relayed from qom-set and device_del', relayed('qom-set'), QEMU_SETG_CASES.filter((c) => c.lines[0].startsWith('Error: ')).map(bareSetg));
suite('QEMU wordings: error_report()', QEMU_ERROR, QEMU_REPORT_CASES);
suite('QEMU wordings: warn_report()', QEMU_WARNING, QEMU_WARN_CASES);
suite('QEMU wordings: fprintf(stderr)', QEMU_STDERR, QEMU_FPRINTF_CASES);
suite('QEMU wordings: qemu_log_mask(LOG_GUEST_ERROR)', QEMU_LOG, QEMU_GUEST_LOG_CASES);
suite('QEMU crashes: GLib, the shell', QEMU_STDERR, QEMU_CRASH_CASES);
suite('QEMU crashes: glibc assert() with QEMU\'s name, then the shell', QEMU_THEN_SHELL, QEMU_ASSERT_CASES);

describe('QEMU wordings: look-alikes stay ignored', () => {
  for (const line of QEMU_LOOKALIKES) it(line, () => assertIgnored(line));
});

describe('QEMU crashes: record boundaries', () => {
  it('a crash record ends at the next unrelated line, which is read on its own', async () => {
    const { events, summary } = await parseLines([
      '**',
      'ERROR:../hw/virtio/virtio-mem.c:1421:virtio_mem_rdm_replay_populated: assertion failed: (s->mr == &vmem->memdev->mr)',
      "qemu-system-x86_64: failed to set memory (0x80000000+0x200000) with attr 0x8 error 'Bad address'",
    ]);
    assert.equal(summary.unparsed, 0, show(summary.unparsedLines));
    assert.deepEqual(
      events.map((e) => [e.kind, e.source.line, e.source.span]),
      [
        ['qemu.crashed', 1, 2],
        ['qemu.setAttributesFailed', 3, 1],
      ],
    );
  });

  it('an interactive shell\'s signal line alone is no crash of QEMU', async () => {
    const { events, summary } = await parseLines(['Aborted (core dumped)', 'Bail out! ERROR:../x.c:1:f: assertion failed: (0)']);
    assert.deepEqual(events, []);
    assert.equal(summary.ignored, 2);
  });
});
