import { strict as assert } from 'node:assert';
import { drain } from '../../../src/core/drain';
import type { HotplugEvent } from '../../../src/core/events';
import type { InputSource } from '../../../src/core/ingest';
import { type MergeReport, mergeInputs } from '../../../src/core/merge/index';

function source(path: string, lines: string[]): InputSource {
  const data = Buffer.from(`${lines.join('\n')}\n`);
  return {
    path,
    async *open() {
      // Two chunks, split mid-line, so the merge also sees batch boundaries.
      const cut = Math.floor(data.length / 2);
      yield data.subarray(0, cut);
      yield data.subarray(cut);
    },
  };
}

async function merge(...sources: InputSource[]): Promise<{ events: HotplugEvent[]; report: MergeReport }> {
  const events: HotplugEvent[] = [];
  const report = await drain(mergeInputs(sources), (batch) => events.push(...batch));
  return { events, report };
}

const order = (events: HotplugEvent[]) => events.map((e) => `${e.source.path}:${e.source.line}`);

const GUEST = [
  '[   10.000000] virtio_mem virtio5: plugged size: 0x0',
  '[   10.000100] virtio_mem virtio5: requested size: 0x8000000',
  '[   10.000400] virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff',
  '[   10.001400] virtio_mem virtio5: adding memory: 0x100000000 - 0x107ffffff',
];

describe('merge', () => {
  it('aligns a wall-clock QEMU trace to the guest boot clock through the matched plug request', async () => {
    const qemu = source('qemu.log', [
      '2026-05-02T10:00:00.000000Z virtio_mem_resized_usable_region old_size=0x0new_size=0x18000000',
      '2026-05-02T10:00:00.000450Z virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
      '2026-05-02T10:00:00.000500Z virtio_mem_send_response type=0',
    ]);
    const { events, report } = await merge(source('guest.log', GUEST), qemu);
    assert.deepEqual(order(events), [
      'guest.log:1',
      'qemu.log:1',
      'guest.log:2',
      'guest.log:3',
      'qemu.log:2',
      'qemu.log:3',
      'guest.log:4',
    ]);
    assert.equal(report.reference, 0);
    const a = report.alignment[1];
    assert.equal(a.method, 'offset');
    assert.equal(a.pairs, 2, 'the plug request and the grown requested size both pair');
    assert.ok((a.spreadMicros as number) < 1000, `the two pairs agree within a millisecond, spread ${a.spreadMicros}`);
    const plug = events.find((e) => e.kind === 'qemu.vmem.request');
    assert.ok(plug?.aligned !== undefined && Math.abs(plug.aligned - 10_000_400) < 1000);
  });

  it('aligns a v5.8–v5.10 guest, which names memory blocks by id, through the same plug request', async () => {
    // drivers/virtio/virtio_mem.c v5.10: virtio_mem_init() prints the sizes, virtio_mem_mb_plug_sb()
    // and virtio_mem_mb_add() the ids; block 32 × 128 MiB is QEMU's addr=0x100000000.
    const guest = source('guest.log', [
      '[   10.000000] virtio_mem virtio5: memory block size: 0x8000000',
      '[   10.000010] virtio_mem virtio5: subblock size: 0x400000',
      '[   10.000020] virtio_mem virtio5: plugged size: 0x0',
      '[   10.000100] virtio_mem virtio5: requested size: 0x8000000',
      '[   10.000400] virtio_mem virtio5: plugging memory block: 32 : 0 - 31',
      '[   10.001400] virtio_mem virtio5: adding memory block: 32',
    ]);
    const qemu = source('qemu.log', [
      '2026-05-02T10:00:00.000000Z virtio_mem_resized_usable_region old_size=0x0new_size=0x18000000',
      '2026-05-02T10:00:00.000450Z virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
      '2026-05-02T10:00:00.000500Z virtio_mem_send_response type=0',
    ]);
    const { events, report } = await merge(guest, qemu);
    assert.equal(report.alignment[1].method, 'offset');
    // The requested size read at probe is no resize (a kexec may have grown it before): the plug request pairs.
    assert.equal(report.alignment[1].pairs, 1, 'the plug request pairs');
    const plug = events.find((e) => e.kind === 'qemu.vmem.request');
    assert.ok(plug?.aligned !== undefined && Math.abs(plug.aligned - 10_000_400) < 1000, `aligned at ${plug?.aligned}`);
  });

  it('does not take the requested size a driver reads at probe for a resize (a kexec: QEMU grew it for the kernel before)', async () => {
    const guest = source('guest.log', [
      '[    1.399475] virtio_mem virtio5: start address: 0x100000000',
      '[    1.399570] virtio_mem virtio5: subblock size: 0x200000',
      '[    1.555966] virtio_mem virtio5: plugged size: 0x0',
      '[    1.555997] virtio_mem virtio5: requested size: 0x8000000',
      '[   34.866385] virtio_mem virtio5: requested size: 0x10000000',
    ]);
    const qemu = source('qemu.log', [
      // Grown for the kernel before the kexec, a minute earlier: no guest line of this log says so.
      '2026-03-24T15:01:05.082879Z virtio_mem_resized_usable_region old_size=0x0new_size=0x18000000',
      '2026-03-24T15:02:42.288715Z virtio_mem_resized_usable_region old_size=0x18000000new_size=0x20000000',
    ]);
    const { events, report } = await merge(guest, qemu);
    assert.equal(report.alignment[1].pairs, 1, 'only the grow to 0x10000000 pairs');
    assert.deepEqual(order(events), ['qemu.log:1', 'guest.log:1', 'guest.log:2', 'guest.log:3', 'guest.log:4', 'qemu.log:2', 'guest.log:5']);
  });

  it('places an untimed QEMU trace by its anchors and keeps its file order', async () => {
    const qemu = source('qemu.log', [
      'virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
      'virtio_mem_send_response type=0',
    ]);
    const { events, report } = await merge(qemu, source('guest.log', GUEST));
    assert.equal(report.reference, 1, 'the guest log is the reference even when given second');
    assert.equal(report.alignment[0].method, 'anchor-order');
    assert.deepEqual(order(events), ['guest.log:1', 'guest.log:2', 'guest.log:3', 'qemu.log:1', 'qemu.log:2', 'guest.log:4']);
  });

  it('never reorders events of one input, even when its clock jumps backwards', async () => {
    const guest = source('guest.log', [
      '[   20.000000] virtio_mem virtio5: plugged size: 0x0',
      '[    5.000000] virtio_mem virtio5: requested size: 0x8000000',
      '[   30.000000] virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff',
    ]);
    const qemu = source('qemu.log', [
      '2026-05-02T10:00:10.000000Z virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
      '2026-05-02T10:00:00.000000Z virtio_mem_send_response type=0',
    ]);
    const { events } = await merge(guest, qemu);
    const guestLines = events.filter((e) => e.source.path === 'guest.log').map((e) => e.source.line);
    const qemuLines = events.filter((e) => e.source.path === 'qemu.log').map((e) => e.source.line);
    assert.deepEqual(guestLines, [1, 2, 3]);
    assert.deepEqual(qemuLines, [1, 2]);
  });

  it('appends an input that nothing relates to the others, in file order, and says so', async () => {
    const host = source('host.log', ['[88123.442001] kvm_intel: Guest access before accepting 0x100a3c000 on vCPU 2']);
    const { events, report } = await merge(source('guest.log', GUEST), host);
    assert.equal(report.alignment[1].method, 'none');
    assert.deepEqual(order(events).slice(-1), ['host.log:1']);
    assert.equal(events.at(-1)?.aligned, undefined);
  });

  it('aligns host dmesg with QEMU through the fatal KVM line and kvm run failed', async () => {
    const qemu = source('qemu.log', [
      '2026-05-02T10:00:00.100950Z virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
      '2026-05-02T10:00:00.101010Z virtio_mem_send_response type=0',
      // stderr, no timestamp: the anchor takes the last time seen before it.
      'error: kvm run failed Input/output error',
    ]);
    const host = source('host.log', [
      '[88123.000000] kvm_intel: SEAMCALL TDH_MEM_PAGE_AUG failed: 0xc0000b0d00000001, rcx 0x100000000, rdx 0x0',
    ]);
    const { events, report } = await merge(qemu, host);
    assert.equal(report.reference, 0);
    assert.equal(report.alignment[1].method, 'offset');
    assert.equal(report.alignment[1].pairs, 1);
    // The host's fatal line comes before QEMU's kvm run failed; QEMU's order is kept.
    const o = order(events);
    assert.ok(o.indexOf('host.log:1') < o.indexOf('qemu.log:3'), o.join(' '));
    assert.deepEqual(o.filter((x) => x.startsWith('qemu')), ['qemu.log:1', 'qemu.log:2', 'qemu.log:3']);
  });

  it('does not take a host-boot SEAMCALL failure for the fatal line of a TD', async () => {
    const qemu = source('qemu.log', [
      '2026-05-02T10:00:00.100950Z virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
      'error: kvm run failed Input/output error',
    ]);
    const host = source('host.log', [
      '[    2.000000] tdx: SEAMCALL failed: CPU 0: leaf 33, error 0xc000050000000000.',
      '[    2.100000] tdx: module is not loaded.',
      '[88123.000000] kvm_intel: SEAMCALL TDH_MEM_PAGE_AUG failed: 0xc0000b0d00000001, rcx 0x100000000, rdx 0x0',
    ]);
    const { events, report } = await merge(qemu, host);
    assert.equal(report.alignment[1].pairs, 1);
    // The AUG failure pairs with kvm run failed, which came just after the plug request.
    const aug = events.find((e) => e.source.path === 'host.log' && e.source.line === 3);
    const request = events.find((e) => e.source.path === 'qemu.log' && e.source.line === 1);
    assert.ok(aug?.aligned !== undefined && request?.aligned !== undefined);
    assert.ok(aug.aligned - request.aligned >= 0 && aug.aligned - request.aligned < 1000, `${aug.aligned - request.aligned} µs`);
  });

  it('aligns the host with the guest through QEMU when they share no anchor', async () => {
    const qemu = source('qemu.log', [
      '2026-05-02T10:00:00.000450Z virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
      '2026-05-02T10:00:00.000500Z virtio_mem_send_response type=0',
      '2026-05-02T10:00:00.002000Z qemu-system-x86_64: KVM: unknown exit, hardware reason 30',
    ]);
    const host = source('host.log', ['[88123.000000] kvm_intel: Guest access before accepting 0x100a3c000 on vCPU 2']);
    const { events, report } = await merge(source('guest.log', GUEST), qemu, host);
    assert.equal(report.alignment[2].method, 'offset', 'host aligned through QEMU');
    const hostEvent = events.find((e) => e.source.path === 'host.log');
    assert.ok(hostEvent?.aligned !== undefined && Math.abs(hostEvent.aligned - 10_002_000) < 1000, `host at ${hostEvent?.aligned}`);
    assert.deepEqual(order(events).slice(-2), ['host.log:1', 'qemu.log:3']);
  });

  it('reports each input with its own accounting', async () => {
    const { report } = await merge(source('guest.log', [...GUEST, 'random noise line']), source('qemu.log', ['virtio_mem_send_response type=0']));
    assert.deepEqual(
      report.inputs.map((i) => [i.path, i.lines, i.recognized, i.ignored, i.unparsed]),
      [
        ['guest.log', 5, 4, 1, 0],
        ['qemu.log', 1, 1, 0, 0],
      ],
    );
  });
});

/** Calendar time taken as UTC, in microseconds. */
function utc(year: number, month: number, day: number, h: number, m: number, s: number, micros = 0): number {
  return Date.UTC(year, month - 1, day, h, m, s) * 1000 + micros;
}

const yearOf = (micros: number | undefined): number | undefined => (micros === undefined ? undefined : new Date(micros / 1000).getUTCFullYear());

describe('merge: year-less wall clocks', () => {
  // rsyslog's traditional kern.log of a guest whose local time is UTC+2, and QEMU's `-msg
  // timestamp=on` trace (UTC, with its year) of the same plug.
  const SYSLOG_GUEST = [
    'May  2 11:59:59 td-guest kernel: virtio_mem virtio5: plugged size: 0x0',
    'May  2 12:00:00 td-guest kernel: virtio_mem virtio5: requested size: 0x8000000',
    'May  2 12:00:01 td-guest kernel: virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff',
    'May  2 12:00:02 td-guest kernel: virtio_mem virtio5: adding memory: 0x100000000 - 0x107ffffff',
  ];
  const ISO_QEMU = [
    '2026-05-02T09:59:59.900000Z virtio_mem_resized_usable_region old_size=0x0new_size=0x18000000',
    '2026-05-02T10:00:00.900450Z virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
    '2026-05-02T10:00:00.900500Z virtio_mem_send_response type=0',
  ];

  it('takes the year of a syslog guest from the QEMU trace and aligns them by the matched plug, hours apart, not decades', async () => {
    const { events, report } = await merge(source('kern.log', SYSLOG_GUEST), source('qemu.log', ISO_QEMU));
    assert.equal(report.reference, 0);
    assert.deepEqual(report.years, [{ year: 2026, from: 1 }, undefined]);
    const guest = events.filter((e) => e.source.path === 'kern.log');
    assert.deepEqual(
      guest.map((e) => e.time),
      [utc(2026, 5, 2, 11, 59, 59), utc(2026, 5, 2, 12, 0, 0), utc(2026, 5, 2, 12, 0, 1), utc(2026, 5, 2, 12, 0, 2)].map((micros) => ({ clock: 'wall-local', micros })),
    );
    const a = report.alignment[1];
    assert.equal(a.method, 'offset');
    assert.equal(a.pairs, 2, 'the plug request and the grown requested size both pair');
    // The guest's clock runs two hours (its zone) ahead of QEMU's UTC.
    assert.ok(Math.abs((a.offsetMicros as number) - 7_200_000_000) < 1_000_000, `offset ${a.offsetMicros} µs`);
    for (const e of events) assert.equal(yearOf(e.aligned), 2026, `${e.source.path}:${e.source.line} aligned in 2026`);
    assert.deepEqual(order(events), ['kern.log:1', 'qemu.log:1', 'kern.log:2', 'kern.log:3', 'qemu.log:2', 'qemu.log:3', 'kern.log:4']);
  });

  it('takes the year the same way when the QEMU trace is given first', async () => {
    const { report, events } = await merge(source('qemu.log', ISO_QEMU), source('kern.log', SYSLOG_GUEST));
    assert.equal(report.reference, 1);
    assert.deepEqual(report.years, [undefined, { year: 2026, from: 0 }]);
    for (const e of events) assert.equal(yearOf(e.aligned), 2026);
  });

  it('a guest log that crosses New Year takes the year it began in, and its January is the next year', async () => {
    const guest = source('kern.log', [
      'Dec 31 23:59:59 td-guest kernel: virtio_mem virtio5: plugged size: 0x0',
      'Jan  1 00:00:01 td-guest kernel: virtio_mem virtio5: requested size: 0x8000000',
      'Jan  1 00:00:02 td-guest kernel: virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff',
    ]);
    const qemu = source('qemu.log', [
      '2027-01-01T00:00:00.900000Z virtio_mem_resized_usable_region old_size=0x0new_size=0x18000000',
      '2027-01-01T00:00:01.900450Z virtio_mem_plug_request addr=0x100000000 nb_blocks=64',
    ]);
    const { events, report } = await merge(guest, qemu);
    assert.deepEqual(report.years[0], { year: 2026, from: 1 });
    assert.deepEqual(
      events.filter((e) => e.source.path === 'kern.log').map((e) => e.time?.micros),
      [utc(2026, 12, 31, 23, 59, 59), utc(2027, 1, 1, 0, 0, 1), utc(2027, 1, 1, 0, 0, 2)],
    );
    assert.ok(Math.abs(report.alignment[1].offsetMicros as number) < 1_000_000, `offset ${report.alignment[1].offsetMicros} µs`);
  });

  it('without an input that has a year, the absolute time stays unknown and the host meets the guest by content only', async () => {
    const guest = source('kern.log', [...SYSLOG_GUEST, 'May  2 12:00:03 td-guest kernel: tdx: Failed to accept memory [0x100000000, 0x108000000)']);
    const host = source('host.log', ['[88123.000000] kvm_intel: Guest access before accepting 0x100a3c000 on vCPU 2']);
    const { events, report } = await merge(guest, host);
    assert.deepEqual(report.years, [undefined, undefined]);
    for (const e of events.filter((x) => x.source.path === 'kern.log')) assert.equal(e.time?.clock, 'wall-yearless');
    assert.equal(report.alignment[1].method, 'none', 'no anchor, no shared clock: nothing guessed');
    assert.deepEqual(order(events).slice(-1), ['host.log:1']);
  });

  it('a year-less log alone keeps its year-less clock', async () => {
    const { events, report } = await merge(source('kern.log', SYSLOG_GUEST));
    assert.deepEqual(report.years, [undefined]);
    assert.deepEqual(events.map((e) => e.time?.clock), ['wall-yearless', 'wall-yearless', 'wall-yearless', 'wall-yearless']);
  });
});
