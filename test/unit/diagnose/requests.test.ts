/**
 * virtio-mem requests paired with their answers (diagnose/requests.ts), through `analyze()` on
 * in-memory logs: the driver's request confirmed by its next line or refused by its failure
 * (HPL007), BUSY/NACK retries (HPL016), QEMU's request, its answer and the discard that served
 * it (HPL005, the VMM's discard policy), and UNPLUG_ALL from either side.
 *
 * Wordings: guest lines from drivers/virtio/virtio_mem.c (dev_dbg "plugging memory: 0x%llx -
 * 0x%llx", "… failed: %d", "unplugging all memory"; Linux v6.12); its errnos from
 * virtio_mem_send_request() (ACK 0, NACK -EAGAIN, BUSY -ETXTBSY, ERROR -EINVAL, else -ENOMEM);
 * QEMU trace events from hw/virtio/trace-events and system/trace-events (QEMU 9.2: 
 * virtio_mem_send_response, virtio_mem_*_request, ram_block_discard_range; QEMU master:
 * ram_block_discard_shared_range).
 */
import { strict as assert } from 'node:assert';
import { analyzeLogs, dmesg, hexRange, line, related, stateAt, trace, VIRTIO5_PROBE, VIRTIO6_PROBE } from './in-memory-logs';

const PLUG_0 = 'virtio_mem virtio5: plugging memory: 0x100000000 - 0x107ffffff';
const UNPLUG_0 = 'virtio_mem virtio5: unplugging memory: 0x100000000 - 0x107ffffff';
/** A conversion only a confidential guest makes: keeps HPL005, which is dropped for a plain guest. */
const CONVERT = 'kvm_convert_memory start 0x100000000 size 0x200000 shared_to_private';
const DISCARD_SHARED_ONLY = 'ram_block_discard_range vmem0@0x7f5a50000000 + 0x800000: madvise: 1 fallocate: 0 ret: 0';
const DISCARD_BOTH = 'ram_block_discard_shared_range vmem0@0x7f5a50000000 + 0x800000: madvise: 1 fallocate: 0 ret: 0';
const ACK = 'virtio_mem_send_response type=0';
const NACK = 'virtio_mem_send_response type=1';
const BUSY = 'virtio_mem_send_response type=2';
const ERROR = 'virtio_mem_send_response type=3';

/** virtio5 and virtio6 probed, each asked to plug its first memory. */
const BOTH_PLUGGING = [...VIRTIO5_PROBE, ...VIRTIO6_PROBE, 'virtio_mem virtio6: plugging memory: 0x200000000 - 0x2001fffff', PLUG_0];

/** The VMM's discard policy as inferred from a discard trace event of the first input. */
function discardPolicy(value: string, reason: string, line: number) {
  return { name: 'vmm.discardPrivate', value, how: 'inferred', reason: `from the trace event's name: ${reason}`, at: { input: 0, line } };
}

function repeat<T>(n: number, ...items: T[]): T[] {
  return Array.from({ length: n }, () => items).flat();
}

describe('requests: the guest driver asks, its next line answers', () => {
  it('a request line followed by any other line of the device is confirmed and applied', async () => {
    const a = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, PLUG_0, 'virtio_mem virtio5: plugged size: 0x8000000')]]);
    assert.deepEqual(a.findings, []);
    assert.equal(stateAt(a, 'virtio5', 0x100000000n), 'plugged none ? ? ?');
    assert.equal(stateAt(a, 'virtio5', 0x107e00000n), 'plugged none ? ? ?');
    assert.equal(stateAt(a, 'virtio5', 0x108000000n), 'unplugged none ? ? ?');
  });

  it('a request on the last line is confirmed by the end of the logs, for every device waiting', async () => {
    const a = await analyzeLogs([
      [
        'guest.log',
        dmesg(
          ...BOTH_PLUGGING,
        ),
      ],
    ]);
    assert.equal(stateAt(a, 'virtio5', 0x100000000n), 'plugged none ? ? ?');
    assert.equal(stateAt(a, 'virtio6', 0x200000000n), 'plugged none ? ? ?');
  });

  it('a request answered by its failure is not applied', async () => {
    const a = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, PLUG_0, 'virtio_mem virtio5: plugging memory failed: -12', 'virtio_mem virtio5: plugged size: 0x0')]]);
    assert.notEqual(stateAt(a, 'virtio5', 0x100000000n), 'plugged none ? ? ?');
    // -ENOMEM (an answer the driver does not know) is neither a refusal nor a retry.
    assert.deepEqual(a.findings, []);
  });

  it('UNPLUG_ALL, once confirmed, unplugs the whole region of its device, and only of its device', async () => {
    const a = await analyzeLogs([
      [
        'guest.log',
        dmesg(
          ...BOTH_PLUGGING,
          'virtio_mem virtio5: plugging memory: 0x1f8000000 - 0x1ffffffff',
          'virtio_mem virtio5: plugged size: 0x10000000',
          'virtio_mem virtio5: unplugging all memory',
          // Confirmed by a line that does not itself say what is plugged.
          'virtio_mem virtio5: requested size: 0x0',
        ),
      ],
    ]);
    for (const address of [0x100000000n, 0x107e00000n, 0x1f8000000n, 0x1ffe00000n]) assert.match(stateAt(a, 'virtio5', address) ?? '', /^unplugged /, `0x${address.toString(16)}`);
    assert.equal(stateAt(a, 'virtio6', 0x200000000n), 'plugged none ? ? ?');
  });

  it('UNPLUG_ALL of a device whose region is not known (no start, or no size) changes nothing', async () => {
    // Probe lines cut short: virtio6 logs only its start, virtio7 only its size, virtio8 neither.
    const partial = ['virtio_mem virtio6: start address: 0x200000000', 'virtio_mem virtio7: region size: 0x40000000', 'virtio_mem virtio8: plugged size: 0x0'];
    for (const device of ['virtio6', 'virtio7', 'virtio8']) {
      const a = await analyzeLogs([
        ['guest.log', dmesg(...VIRTIO5_PROBE, ...partial, PLUG_0, `virtio_mem ${device}: unplugging all memory`, `virtio_mem ${device}: requested size: 0x0`, 'virtio_mem virtio5: requested size: 0x8000000')],
      ]);
      assert.deepEqual(a.findings, [], device);
      assert.equal(stateAt(a, 'virtio5', 0x100000000n), 'plugged none ? ? ?', device);
      assert.equal(stateAt(a, device, 0x200000000n), undefined, device);
    }
  });
});

describe('requests: the device refuses (HPL007, the driver side)', () => {
  async function refusal(...messages: string[]) {
    const a = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, ...messages)]]);
    assert.equal(a.findings.length, 1, a.findings.map(line).join('\n'));
    return a.findings[0];
  }

  it('a PLUG answered -EINVAL: at the failure, over the request range, the request related', async () => {
    const f = await refusal(PLUG_0, 'virtio_mem virtio5: plugging memory failed: -22');
    assert.equal(
      line(f),
      'HPL007 guest.log:8 (vmm, certain) virtio5: the device answered ERROR to a PLUG of [0x100000000, 0x108000000): driver and device disagree about which blocks are plugged, or the range is invalid. (memory block 32)',
    );
    assert.equal(f.device, 'virtio5');
    assert.equal(hexRange(f), '0x100000000-0x108000000');
    assert.deepEqual(related(f), ['guest.log:7 the plug request']);
  });

  it('an UNPLUG answered -EINVAL', async () => {
    const f = await refusal(UNPLUG_0, 'virtio_mem virtio5: unplugging memory failed: -22');
    assert.equal(
      f.message,
      'virtio5: the device answered ERROR to an UNPLUG of [0x100000000, 0x108000000): driver and device disagree about which blocks are plugged, or the range is invalid. (memory block 32)',
    );
    assert.deepEqual(related(f), ['guest.log:7 the unplug request']);
  });

  it('an UNPLUG_ALL answered -EINVAL has no range', async () => {
    const f = await refusal('virtio_mem virtio5: unplugging all memory', 'virtio_mem virtio5: unplugging all memory failed: -22');
    assert.equal(f.message, 'virtio5: the device answered ERROR to an UNPLUG_ALL: driver and device disagree about which blocks are plugged, or the range is invalid.');
    assert.equal(f.range, undefined);
    assert.deepEqual(related(f), ['guest.log:7 the UNPLUG_ALL request']);
    assert.deepEqual([f.cause, f.otherCauses], ['vmm', ['guest-kernel']]);
  });

  it('a failure whose request line is not in the log names the operation it failed, without range or related line', async () => {
    const cases: Array<[string, string]> = [
      ['virtio_mem virtio5: unplugging all memory failed: -22', 'an UNPLUG_ALL'],
      ['virtio_mem virtio5: plugging memory failed: -22', 'a PLUG'],
      ['virtio_mem virtio5: unplugging memory failed: -22', 'an UNPLUG'],
      ['virtio_mem virtio5: requesting state failed: -22', 'a request'],
    ];
    for (const [failure, request] of cases) {
      const f = await refusal(failure);
      assert.equal(f.message, `virtio5: the device answered ERROR to ${request}: driver and device disagree about which blocks are plugged, or the range is invalid.`, failure);
      assert.equal(f.range, undefined);
      assert.deepEqual(f.related, []);
    }
  });

  it('the refused request is not applied, and a later line does not confirm it', async () => {
    const a = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, PLUG_0, 'virtio_mem virtio5: plugging memory failed: -22', 'virtio_mem virtio5: plugged size: 0x0')]]);
    assert.notEqual(stateAt(a, 'virtio5', 0x100000000n), 'plugged none ? ? ?');
  });
});

describe('requests: BUSY and NACK retries (HPL016)', () => {
  const busy = [PLUG_0, 'virtio_mem virtio5: plugging memory failed: -26'];
  const nack = [PLUG_0, 'virtio_mem virtio5: plugging memory failed: -11'];

  it('eight BUSY answers in a row to the driver are a storm: one finding at the eighth, the first related', async () => {
    const a = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, ...repeat(10, ...busy))]]);
    assert.deepEqual(a.findings.map(line), [
      'HPL016 guest.log:22 (vmm, certain) virtio5: 8 requests in a row were answered BUSY (migration running, or the requested size shrinking while the driver plugs).',
    ]);
    assert.deepEqual(related(a.findings[0]), ['guest.log:8 the first of these answers']);
    assert.equal(a.findings[0].device, 'virtio5');
  });

  it('-EAGAIN is NACK', async () => {
    const a = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, ...repeat(8, ...nack))]]);
    assert.deepEqual(a.findings.map((f) => f.message), [
      'virtio5: 8 requests in a row were answered NACK (migration running, or the requested size shrinking while the driver plugs).',
    ]);
  });

  it('seven are the driver’s retry pattern; a confirmed request in between starts the count again', async () => {
    const seven = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, ...repeat(7, ...busy))]]);
    assert.deepEqual(seven.findings, []);
    const broken = await analyzeLogs([
      ['guest.log', dmesg(...VIRTIO5_PROBE, ...repeat(4, ...busy), PLUG_0, 'virtio_mem virtio5: plugged size: 0x8000000', ...repeat(4, ...busy))],
    ]);
    assert.deepEqual(broken.findings, []);
  });

  it('-ENOMEM (an answer the driver does not know) is no retry', async () => {
    const a = await analyzeLogs([['guest.log', dmesg(...VIRTIO5_PROBE, ...repeat(8, PLUG_0, 'virtio_mem virtio5: plugging memory failed: -12'))]]);
    assert.deepEqual(a.findings, []);
  });

  it('eight BUSY answers in QEMU’s trace: the storm at the eighth answer', async () => {
    const a = await analyzeLogs([['qemu.log', trace(...repeat(8, 'virtio_mem_plug_request addr=0x110000000 nb_blocks=64', BUSY))]]);
    assert.deepEqual(a.findings.map(line), [
      'HPL016 qemu.log:16 (vmm, certain) virtio-mem: 8 requests in a row were answered BUSY (migration running, or the requested size shrinking while the driver plugs).',
    ]);
    assert.deepEqual(related(a.findings[0]), ['qemu.log:2 the first of these answers']);
  });

  it('type=1 is NACK; an ACK in between starts the count again', async () => {
    const storm = await analyzeLogs([['qemu.log', trace(...repeat(8, 'virtio_mem_plug_request addr=0x110000000 nb_blocks=64', NACK))]]);
    assert.match(storm.findings[0]?.message ?? '', /^virtio-mem: 8 requests in a row were answered NACK /);
    const broken = await analyzeLogs([
      [
        'qemu.log',
        trace(
          ...repeat(4, 'virtio_mem_plug_request addr=0x110000000 nb_blocks=64', NACK),
          'virtio_mem_plug_request addr=0x110000000 nb_blocks=64',
          ACK,
          ...repeat(4, 'virtio_mem_unplug_request addr=0x110000000 nb_blocks=64', NACK),
        ),
      ],
    ]);
    assert.deepEqual(broken.findings, []);
  });

  it('UNPLUG_ALL answered BUSY is about no one device: not counted', async () => {
    const a = await analyzeLogs([['qemu.log', trace('virtio_mem_plug_request addr=0x110000000 nb_blocks=64', ACK, ...repeat(8, 'virtio_mem_unplug_all_request', BUSY))]]);
    assert.deepEqual(a.findings, []);
    // Not applied either: what was plugged stays.
    assert.equal(stateAt(a, 'virtio-mem', 0x110000000n), 'plugged none ? ? ?');
  });
});

describe('requests: QEMU answers (Q1) and the discard that served the request', () => {
  it('an ACKed PLUG is applied to the device the address falls in; a state request is no request', async () => {
    const a = await analyzeLogs([
      ['qemu.log', trace('virtio_mem_state_request addr=0x140000000 nb_blocks=1', 'virtio_mem_state_response state=1', ACK, 'virtio_mem_plug_request addr=0x180000000 nb_blocks=64', ACK)],
    ]);
    assert.deepEqual(a.findings, []);
    // Only the PLUG placed the region: the state request's address is not taken.
    assert.deepEqual(
      a.devices.map((d) => [d.device, d.startAddress, d.regionSize]),
      [['virtio-mem', 0x180000000n, 0x8000000n]],
    );
    assert.equal(stateAt(a, 'virtio-mem', 0x180000000n), 'plugged none ? ? ?');
  });

  it('an answer with no request before it is ignored', async () => {
    const a = await analyzeLogs([['qemu.log', trace(ACK, ERROR, 'virtio_mem_plug_request addr=0x100000000 nb_blocks=1', ACK, ACK, ERROR)]]);
    assert.deepEqual(a.findings, []);
    assert.equal(stateAt(a, 'virtio-mem', 0x100000000n), 'plugged none ? ? ?');
  });

  it('an ERROR answer to an UNPLUG is HPL007 at the answer, over the request range', async () => {
    const a = await analyzeLogs([['qemu.log', trace('virtio_mem_unplug_request addr=0x108000000 nb_blocks=64', ERROR)]]);
    assert.deepEqual(a.findings.map(line), [
      'HPL007 qemu.log:2 (vmm, certain) QEMU answered ERROR to an UNPLUG of [0x108000000, 0x110000000): the range is not entirely plugged in the device (double unplug), misaligned or outside the usable region. (memory block 33)',
    ]);
    assert.equal(a.findings[0].device, 'virtio-mem');
    assert.deepEqual(related(a.findings[0]), ['qemu.log:1 the request QEMU refused']);
  });

  // Its words ("an UNPLUG of [0x0, 0x0) … (double unplugAll)") are not pinned: UNPLUG_ALL has no range (reported to the lead).
  it('an ERROR answer to UNPLUG_ALL is HPL007 at the answer, about no one device', async () => {
    const a = await analyzeLogs([['qemu.log', trace('virtio_mem_plug_request addr=0x100000000 nb_blocks=1', ACK, 'virtio_mem_unplug_all_request', ERROR)]]);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.location.line, f.device, related(f)]),
      [['HPL007', 4, undefined, ['qemu.log:3 the request QEMU refused']]],
    );
    // No range of [0x0, 0x0), no 'double unplugAll': UNPLUG_ALL is about the whole device.
    assert.equal(a.findings[0].range, undefined);
    assert.equal(
      a.findings[0].message,
      'QEMU answered ERROR to an UNPLUG_ALL, which the virtio-mem specification answers only with ACK or BUSY: device and driver disagree about the request.',
    );
  });

  it('an UNPLUG served by ram_block_discard_range (shared side only) in a confidential guest: HPL005 at the request, the discard related; the policy is inferred', async () => {
    const a = await analyzeLogs([
      ['qemu.log', trace(CONVERT, 'virtio_mem_plug_request addr=0x100000000 nb_blocks=64', ACK, 'virtio_mem_unplug_request addr=0x100000000 nb_blocks=4', DISCARD_SHARED_ONLY, ACK)],
    ]);
    assert.deepEqual(a.findings.map(line), [
      'HPL005 qemu.log:4 (vmm, likely) UNPLUG of [0x100000000, 0x100800000) was acknowledged, but only the shared side was discarded: the private pages stay accepted (TDX) or validated (SEV-SNP), and a re-plug of this range will fail. (memory block 32)',
    ]);
    assert.equal(a.findings[0].device, 'virtio-mem');
    assert.deepEqual(related(a.findings[0]), ['qemu.log:5 QEMU discarded the shared side only (ram_block_discard_range)']);
    assert.deepEqual(a.policies, [
      discardPolicy('no', "QEMU's UNPLUG discarded 0x800000 bytes with ram_block_discard_range, which in QEMU 9.2 punches only the shared side", 5),
    ]);
    // The UNPLUG is applied: the private page is left accepted (stale).
    assert.equal(stateAt(a, 'virtio-mem', 0x100200000n), 'unplugged none ? stale ?');
    assert.equal(stateAt(a, 'virtio-mem', 0x100800000n), 'plugged none ? ? ?');
  });

  it('an UNPLUG served by ram_block_discard_shared_range: a QEMU that punches the private side too, no HPL005', async () => {
    const a = await analyzeLogs([
      ['qemu.log', trace(CONVERT, 'virtio_mem_plug_request addr=0x100000000 nb_blocks=64', ACK, 'virtio_mem_unplug_request addr=0x100000000 nb_blocks=4', DISCARD_BOTH, ACK)],
    ]);
    assert.deepEqual(a.findings, []);
    assert.deepEqual(a.policies, [
      discardPolicy('yes', 'QEMU traces ram_block_discard_shared_range, which only a QEMU that also punches guest_memfd on UNPLUG has (the private punch has no trace)', 5),
    ]);
  });

  it('the discard policy: the first line that shows it is its evidence; a later line that shows the other value replaces it', async () => {
    const unplug = (addr: string, discard: string) => [`virtio_mem_unplug_request addr=${addr} nb_blocks=4`, discard, ACK];
    // A conversion makes the guest a confidential one: only then do private-memory policies count.
    const same = await analyzeLogs([['qemu.log', trace(CONVERT, ...unplug('0x100000000', DISCARD_SHARED_ONLY), ...unplug('0x100800000', DISCARD_SHARED_ONLY))]]);
    assert.deepEqual(
      same.policies.map((p) => [p.name, p.value, p.how, p.at]),
      [['vmm.discardPrivate', 'no', 'inferred', { input: 0, line: 3 }]],
    );
    const other = await analyzeLogs([['qemu.log', trace(CONVERT, ...unplug('0x100000000', DISCARD_SHARED_ONLY), ...unplug('0x100800000', DISCARD_BOTH))]]);
    assert.deepEqual(
      other.policies.map((p) => [p.name, p.value, p.how, p.at]),
      [['vmm.discardPrivate', 'yes', 'inferred', { input: 0, line: 6 }]],
    );
    const plain = await analyzeLogs([['qemu.log', trace(...unplug('0x100000000', DISCARD_SHARED_ONLY))]]);
    assert.deepEqual(plain.policies, []);
  });

  it('a discard while QEMU serves a PLUG, or serves nothing, says nothing about the policy', async () => {
    const a = await analyzeLogs([
      ['qemu.log', trace(CONVERT, DISCARD_SHARED_ONLY, 'virtio_mem_plug_request addr=0x100000000 nb_blocks=4', DISCARD_SHARED_ONLY, ACK, DISCARD_BOTH)],
    ]);
    assert.deepEqual(a.findings, []);
    assert.deepEqual(a.policies, []);
  });

  it('an UNPLUG answered BUSY after its discard is not HPL005', async () => {
    const a = await analyzeLogs([['qemu.log', trace(CONVERT, 'virtio_mem_unplug_request addr=0x100000000 nb_blocks=4', DISCARD_SHARED_ONLY, BUSY)]]);
    assert.deepEqual(a.findings, []);
  });

  it('a policy given on the command line that removes the private page rules HPL005 out', async () => {
    const logs: Array<[string, string]> = [['qemu.log', trace(CONVERT, 'virtio_mem_unplug_request addr=0x100000000 nb_blocks=4', DISCARD_SHARED_ONLY, ACK)]];
    for (const policies of [{ 'guest.convertSharedOnUnplug': 'yes' }, { 'guest.releaseOnUnplug': 'yes' }] as const) {
      const a = await analyzeLogs(logs, { policies });
      assert.deepEqual(a.findings, [], JSON.stringify(policies));
    }
  });

  it('UNPLUG_ALL served by ram_block_discard_range: every device with a region unplugged, one HPL005 each over what it left accepted (the plugged part, not the whole region)', async () => {
    const a = await analyzeLogs([
      [
        'guest.log',
        dmesg(
          'tdx: Guest detected',
          // Devices whose region is not known: nothing to unplug, no finding.
          'virtio_mem virtio7: plugged size: 0x0',
          'virtio_mem virtio8: start address: 0x300000000',
          'virtio_mem virtio9: region size: 0x40000000',
          ...VIRTIO5_PROBE,
          ...VIRTIO6_PROBE,
          'virtio_mem virtio6: plugging memory: 0x200000000 - 0x2001fffff',
          'virtio_mem virtio6: plugged size: 0x200000',
          PLUG_0,
          'virtio_mem virtio5: plugged size: 0x8000000',
        ),
      ],
      ['qemu.log', trace('virtio_mem_unplug_all_request', 'ram_block_discard_range vmem0@0x7f5a50000000 + 0x100000000: madvise: 1 fallocate: 0 ret: 0', ACK)],
    ]);
    assert.deepEqual(
      a.findings.map((f) => [line(f), f.device, hexRange(f), related(f)]),
      [
        [
          'HPL005 qemu.log:1 (vmm, likely) UNPLUG_ALL of [0x100000000, 0x108000000) was acknowledged, but only the shared side was discarded: the private pages stay accepted and a re-plug of this range will fail to accept. (memory block 32)',
          'virtio5',
          '0x100000000-0x108000000',
          ['qemu.log:2 QEMU discarded the shared side only (ram_block_discard_range)'],
        ],
        [
          'HPL005 qemu.log:1 (vmm, likely) UNPLUG_ALL of [0x200000000, 0x200200000) was acknowledged, but only the shared side was discarded: the private pages stay accepted and a re-plug of this range will fail to accept. (memory block 64)',
          'virtio6',
          '0x200000000-0x200200000',
          ['qemu.log:2 QEMU discarded the shared side only (ram_block_discard_range)'],
        ],
      ],
    );
    // Two devices, two root causes.
    assert.notEqual(a.findings[0].rootCause, a.findings[1].rootCause);
    assert.equal(stateAt(a, 'virtio5', 0x100000000n), 'unplugged none ? stale ?');
    assert.equal(stateAt(a, 'virtio6', 0x200000000n), 'unplugged none ? stale ?');
  });

  it('virtio_mem_unplugged_all unplugs every device’s region', async () => {
    const a = await analyzeLogs([
      [
        'guest.log',
        dmesg('virtio_mem virtio7: plugged size: 0x0', 'virtio_mem virtio8: start address: 0x300000000', 'virtio_mem virtio9: region size: 0x40000000', ...VIRTIO5_PROBE, PLUG_0, 'virtio_mem virtio5: requested size: 0x8000000'),
      ],
      ['qemu.log', trace('virtio_mem_unplugged_all')],
    ]);
    assert.match(stateAt(a, 'virtio5', 0x100000000n) ?? '', /^unplugged /);
  });
});
