/**
 * A kernel splat takes the line after `cut here` as its WARN(1, fmt) message only when the
 * report's head (`WARNING: … at FILE:LINE FUNC`) follows it: a cut-off report never swallows
 * the next unrelated line, which is read on its own. Host and guest reports alike
 * (lib/bug.c report_bug(), kernel/panic.c __warn(), arch/x86/kernel/traps.c die()).
 */
import { strict as assert } from 'node:assert';
import type { HotplugEvent } from '../../../src/core/events';
import { KERNEL, parseLines, show } from '../../helpers/source-cases';

const CUT = '------------[ cut here ]------------';
const splatOf = (events: HotplugEvent[]) => events.find((e) => e.kind === 'kernel.splat') as Extract<HotplugEvent, { kind: 'kernel.splat' }> | undefined;

describe('kernel splats: the message line', () => {
  for (const v of KERNEL) {
    it(`a cut-off report gives back the row line after it [${v.name}]`, async () => {
      const lines = [CUT, 'virtio_mem virtio0: plugging memory: 0x140000000 - 0x147ffffff', 'hrtimer: interrupt took 2113720 ns'].map(v.first);
      const { events, summary } = await parseLines(lines, v.eol);
      assert.deepEqual(
        events.map((e) => [e.kind, e.source.line, e.source.span]),
        [
          ['kernel.splat', 1, 1],
          ['vmem.range', 2, 1],
        ],
        show(events),
      );
      assert.equal(splatOf(events)?.message, undefined);
      assert.deepEqual([summary.recognized, summary.ignored, summary.unparsed], [2, 1, 0]);
    });

    it(`a cut-off report gives back an unrelated subject line, which stays unparsed [${v.name}]`, async () => {
      const lines = [CUT, 'tdx: some future wording nobody reads yet', 'hrtimer: interrupt took 2113720 ns'].map(v.first);
      const { events, summary } = await parseLines(lines, v.eol);
      assert.deepEqual(events.map((e) => [e.kind, e.source.span]), [['kernel.splat', 1]]);
      assert.equal(splatOf(events)?.message, undefined);
      assert.deepEqual([summary.recognized, summary.ignored, summary.unparsed], [1, 1, 1]);
    });
  }

  it('a cut-off report at the end of the input gives back its last line', async () => {
    const { events, summary } = await parseLines([CUT, 'virtio_mem virtio0: unplugging memory: 0x147e00000 - 0x147ffffff']);
    assert.deepEqual(events.map((e) => [e.kind, e.source.line]), [['kernel.splat', 1], ['vmem.range', 2]]);
    assert.equal(summary.recognized, 2);
  });

  it('a kernel BUG line takes no message: the line after it is its own', async () => {
    const { events } = await parseLines(['kernel BUG at mm/memory_hotplug.c:1841!', 'virtio_mem virtio0: adding memory: 0x148000000 - 0x14fffffff']);
    assert.deepEqual(events.map((e) => [e.kind, e.source.line, e.source.span]), [['kernel.splat', 1, 1], ['vmem.range', 2, 1]]);
    assert.equal(splatOf(events)?.message, undefined);
  });

  it('a WARN(1, fmt) message confirmed by its head stays the message, and its row event is kept', async () => {
    const { events, summary } = await parseLines([
      CUT,
      'virtio_mem virtio0: unplugging memory failed: -16',
      'WARNING: CPU: 1 PID: 87 at drivers/virtio/virtio_mem.c:1520 virtio_mem_sbm_unplug_sb+0x6c/0x90 [virtio_mem]',
      'Modules linked in: virtio_mem',
      '---[ end trace 0000000000000000 ]---',
    ]);
    assert.equal(summary.recognized, 5);
    assert.deepEqual(events.map((e) => [e.kind, e.source.line, e.source.span]), [['kernel.splat', 1, 5], ['vmem.opFailed', 2, 1]]);
    assert.equal(splatOf(events)?.message, 'virtio_mem virtio0: unplugging memory failed: -16');
    assert.equal(splatOf(events)?.func, 'virtio_mem_sbm_unplug_sb');
  });
});

describe('kernel splats: die() headlines without `Oops: `', () => {
  for (const v of KERNEL) {
    it(`a general protection fault of RHEL 9's 5.14 is a report of its own [${v.name}]`, async () => {
      // arch/x86/kernel/dumpstack.c __die_header(), before the `Oops: ` prefix (5.14.0-427.el9).
      const lines = [
        'general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] PREEMPT SMP NOPTI',
        'CPU: 3 PID: 2261 Comm: kworker/3:2 Kdump: loaded Not tainted 5.14.0-427.13.1.el9_4.x86_64 #1',
        'Hardware name: Red Hat KVM/RHEL, BIOS 1.16.3-2.el9 04/01/2014',
        'Workqueue: events_freezable virtio_mem_run_wq [virtio_mem]',
        'RIP: 0010:virtio_mem_sbm_unplug_any_sb_offline+0x8c/0x1b0 [virtio_mem]',
        'hrtimer: interrupt took 2113720 ns',
      ].map((l, i) => (i === 0 ? v.first(l) : v.rest(l)));
      const { events, summary } = await parseLines(lines, v.eol);
      assert.deepEqual(events.map((e) => [e.kind, e.source.line, e.source.span]), [['kernel.splat', 1, 5]], show(events));
      const splat = splatOf(events);
      assert.deepEqual([splat?.splat, splat?.func, splat?.message], [
        'oops',
        'virtio_mem_sbm_unplug_any_sb_offline',
        'general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] PREEMPT SMP NOPTI',
      ]);
      assert.deepEqual([summary.recognized, summary.ignored, summary.unparsed], [5, 1, 0]);
    });
  }

  it('after `kernel BUG at` the headline is that report\'s, not a message of its own', async () => {
    const { events } = await parseLines(['kernel BUG at mm/memory_hotplug.c:1841!', 'invalid opcode: 0000 [#1] SMP PTI', 'RIP: 0010:offline_pages+0x5a1/0x5b0']);
    assert.deepEqual(events.map((e) => [e.kind, e.source.span]), [['kernel.splat', 3]]);
    assert.deepEqual([splatOf(events)?.splat, splatOf(events)?.message, splatOf(events)?.func], ['bug', undefined, 'offline_pages']);
  });
});
