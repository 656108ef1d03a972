/**
 * How the state model narrows subblock states from a `plugged size` line (Model.pluggedSize),
 * and which device an action without a device name goes to (Model.deviceAt): the states after,
 * the changes it reports (what the hover and the timeline show), and the difference it explains.
 */
import { strict as assert } from 'node:assert';
import type { ChangeObserver } from '../../../src/core/model/history';
import { Model } from '../../../src/core/model/model';
import { DEFAULT_POLICIES } from '../../../src/core/model/policy';
import { compileUpdate, TUPLES, tupleText } from '../../../src/core/model/state';
import { tuple } from '../../helpers/tuple';

const MiB = 1n << 20n;
const SB = 2n * MiB;
const BASE = 0x100000000n;
const DEVICE = 'virtio5';
const AT = { input: 0, line: 9 };

const ONLINE = 'plugged buddy private accepted page';
const OUT = 'unplugged none ? free hole';

/** A device of 8 subblocks from BASE (`regionSize` null: not logged); `states[i]` is subblock i's state (missing: unknown). */
function deviceWith(states: string[], regionSize: bigint | null = 8n * SB): { model: Model; changes: string[] } {
  const model = new Model({ ...DEFAULT_POLICIES });
  const d = model.device(DEVICE);
  d.geometry.startAddress = BASE;
  if (regionSize !== null) d.geometry.regionSize = regionSize;
  d.geometry.subblockSize = SB;
  states.forEach((words, i) => {
    const covered = d.cover(BASE + BigInt(i) * SB, BASE + BigInt(i + 1) * SB);
    assert.ok(covered);
    covered.store.set(covered.first, compileUpdate(tuple(words)), { input: 0, line: 1 }, false);
  });
  const changes: string[] = [];
  const observer: ChangeObserver = {
    change: (device, start, end, before, after, action, at, inferred) => {
      changes.push(
        `${device} ${action} [${(start - BASE) / SB}, ${(end - BASE) / SB}) ${tupleText(TUPLES[before])} → ${tupleText(TUPLES[after])} at ${at.line}${inferred ? ' inferred' : ''}`,
      );
    },
  };
  model.observer = observer;
  return { model, changes };
}

function states(model: Model, count = 8): string[] {
  const d = model.device(DEVICE);
  return Array.from({ length: count }, (_, i) => {
    const read = d.read(BASE + BigInt(i) * SB);
    return read ? tupleText(read.store.get(read.index)) : 'none';
  });
}

describe('Model.pluggedSize', () => {
  it('with nothing known, plugs and onlines from the region start up (the driver plug order) and takes the rest as unplugged', () => {
    const { model, changes } = deviceWith([]);
    const result = model.pluggedSize(DEVICE, 3n * SB, AT);
    assert.deepEqual(result, { emissions: [], explained: 0n, hadUnknown: true });
    assert.deepEqual(states(model), [ONLINE, ONLINE, ONLINE, ...Array(5).fill('unplugged none ? ? ?')]);
    assert.deepEqual(changes, [
      'virtio5 plug [0, 3) ? ? ? ? ? → plugged none ? ? ? at 9 inferred',
      'virtio5 online [0, 3) plugged none ? ? ? → plugged buddy private accepted page at 9 inferred',
      ...[3, 4, 5, 6, 7].map((i) => `virtio5 unplug [${i}, ${i + 1}) ? ? ? ? ? → unplugged none ? ? ? at 9 inferred`),
    ]);
  });

  it('with more plugged than known, plugs the lowest unplugged subblocks, and says how much it had to explain', () => {
    const { model, changes } = deviceWith([ONLINE, OUT, ONLINE, OUT, OUT, OUT, OUT, OUT]);
    const result = model.pluggedSize(DEVICE, 4n * SB, AT);
    assert.deepEqual(result, { emissions: [], explained: 2n * SB, hadUnknown: false });
    assert.deepEqual(states(model), [ONLINE, ONLINE, ONLINE, ONLINE, OUT, OUT, OUT, OUT]);
    assert.deepEqual(changes, [
      'virtio5 plug [1, 2) unplugged none ? free hole → plugged none ? free hole at 9 inferred',
      'virtio5 plug [3, 4) unplugged none ? free hole → plugged none ? free hole at 9 inferred',
      'virtio5 online [1, 2) plugged none ? free hole → plugged buddy private accepted page at 9 inferred',
      'virtio5 online [3, 4) plugged none ? free hole → plugged buddy private accepted page at 9 inferred',
    ]);
  });

  it('with less plugged than known, unplugs the highest plugged subblocks in one run (the driver unplug order), leaving them stale', () => {
    const { model, changes } = deviceWith([ONLINE, ONLINE, ONLINE, ONLINE, OUT, OUT, OUT, OUT]);
    const result = model.pluggedSize(DEVICE, SB, AT);
    assert.deepEqual(result, { emissions: [], explained: 3n * SB, hadUnknown: false });
    assert.deepEqual(states(model), [ONLINE, ...Array(3).fill('unplugged none private stale page'), OUT, OUT, OUT, OUT]);
    assert.deepEqual(changes, ['virtio5 unplug [1, 4) plugged buddy private accepted page → unplugged none private stale page at 9 inferred']);
    // The re-accept of such a subblock fails, and its evidence is the deduced UNPLUG.
    const [e] = model.apply({ on: 'acceptFailed', device: DEVICE, start: BASE + 2n * SB, end: BASE + 3n * SB, at: { input: 0, line: 20 } });
    assert.deepEqual([e.code, e.staleAt], ['HPL001', [{ input: 0, line: 9, inferred: true }]]);
  });

  it('with the size it knows, changes nothing', () => {
    const { model, changes } = deviceWith([ONLINE, ONLINE, OUT, OUT, OUT, OUT, OUT, OUT]);
    assert.deepEqual(model.pluggedSize(DEVICE, 2n * SB, AT), { emissions: [], explained: 0n, hadUnknown: false });
    assert.deepEqual(changes, []);
  });

  it('with some subblocks unknown, explains the size with them first, and only the rest with known ones', () => {
    const { model } = deviceWith([ONLINE, ONLINE]);
    assert.deepEqual(model.pluggedSize(DEVICE, 3n * SB, AT), { emissions: [], explained: 0n, hadUnknown: true });
    assert.deepEqual(states(model), [ONLINE, ONLINE, ONLINE, ...Array(5).fill('unplugged none ? ? ?')]);
  });

  it('with some subblocks unknown and fewer plugged than known, takes the unknown as unplugged and unplugs from the top', () => {
    const { model, changes } = deviceWith([ONLINE, ONLINE, ONLINE]);
    assert.deepEqual(model.pluggedSize(DEVICE, SB, AT), { emissions: [], explained: 2n * SB, hadUnknown: true });
    assert.deepEqual(states(model), [ONLINE, 'unplugged none private stale page', 'unplugged none private stale page', ...Array(5).fill('unplugged none ? ? ?')]);
    assert.equal(changes[changes.length - 1], 'virtio5 unplug [1, 3) plugged buddy private accepted page → unplugged none private stale page at 9 inferred');
  });

  it('a size beyond the logged region grows the device to hold it', () => {
    const { model } = deviceWith([]);
    model.pluggedSize(DEVICE, 10n * SB, AT);
    assert.deepEqual(states(model, 11), [...Array(10).fill(ONLINE), 'none']);
  });

  it('without a region size, covers the plugged size from the start', () => {
    const { model } = deviceWith([], null);
    model.pluggedSize(DEVICE, 2n * SB, AT);
    assert.deepEqual(states(model, 3), [ONLINE, ONLINE, 'none']);
  });

  it('marks the subblocks it deduced as unplugged as inferred', () => {
    const { model } = deviceWith([ONLINE]);
    model.pluggedSize(DEVICE, SB, AT);
    const read = model.device(DEVICE).read(BASE + 5n * SB);
    assert.ok(read);
    assert.deepEqual([read.store.inferred[read.index], read.store.lastLine[read.index]], [1, 9]);
  });

  it('counts and unplugs only the region: a plugged subblock beyond it is not the one unplugged', () => {
    const { model, changes } = deviceWith([ONLINE, ONLINE, ONLINE, ONLINE, OUT, OUT, OUT, OUT, ONLINE]);
    assert.deepEqual(model.pluggedSize(DEVICE, 4n * SB, AT), { emissions: [], explained: 0n, hadUnknown: false });
    assert.deepEqual(model.pluggedSize(DEVICE, 3n * SB, AT), { emissions: [], explained: SB, hadUnknown: false });
    assert.deepEqual(changes, ['virtio5 unplug [3, 4) plugged buddy private accepted page → unplugged none private stale page at 9 inferred']);
    assert.equal(states(model, 9)[8], ONLINE);
  });

  it('down to nothing plugged, unplugs the lowest subblock too', () => {
    const { model } = deviceWith([ONLINE, ONLINE, OUT, OUT, OUT, OUT, OUT, OUT]);
    assert.deepEqual(model.pluggedSize(DEVICE, 0n, AT), { emissions: [], explained: 2n * SB, hadUnknown: false });
    assert.deepEqual(states(model, 2), Array(2).fill('unplugged none private stale page'));
  });

  it('without a start address, cannot place anything and says the state is unknown', () => {
    const model = new Model({ ...DEFAULT_POLICIES });
    assert.deepEqual(model.pluggedSize('virtio9', 4n * SB, AT), { emissions: [], explained: 0n, hadUnknown: true });
    assert.equal(model.device('virtio9').covered, undefined);
  });

  it('a device too far from its region to index holds nothing', () => {
    const model = new Model({ ...DEFAULT_POLICIES });
    const d = model.device(DEVICE);
    d.geometry.startAddress = BASE;
    d.geometry.subblockSize = SB;
    assert.deepEqual(model.pluggedSize(DEVICE, 1n << 50n, AT), { emissions: [], explained: 0n, hadUnknown: true });
  });
});

describe('plugged size with a partly plugged block (a log that starts mid-stream)', () => {
  it('onlining a block whose other subblocks are of unknown plug state leaves them unknown; the next plugged size places them without a difference', () => {
    const { model } = deviceWith(['plugged none ? free hole', 'plugged none ? free hole']);
    model.apply({ on: 'online', device: DEVICE, start: BASE, end: BASE + 8n * SB, at: { input: 0, line: 5 } });
    assert.deepEqual(states(model), [ONLINE, ONLINE, ...Array(6).fill('? ? ? ? ?')]);
    const result = model.pluggedSize(DEVICE, 4n * SB, AT);
    assert.deepEqual(result, { emissions: [], explained: 0n, hadUnknown: true });
    assert.deepEqual(states(model), [ONLINE, ONLINE, ONLINE, ONLINE, ...Array(4).fill('unplugged none ? ? ?')]);
    // Then the size agrees with the requests: nothing left to explain.
    assert.deepEqual(model.pluggedSize(DEVICE, 4n * SB, AT), { emissions: [], explained: 0n, hadUnknown: false });
  });
});

describe('a device named after QEMU saw its memory (Model.claimUnnamed)', () => {
  /** QEMU's trace plugs [0, 4) of the region before any guest line names the device. */
  function qemuFirst(): Model {
    const model = new Model({ ...DEFAULT_POLICIES });
    const unnamed = model.deviceAt(BASE);
    assert.equal(unnamed.id, 'virtio-mem');
    unnamed.geometry.sawAddress(BASE, BASE + 4n * SB);
    model.apply({ on: 'plug', start: BASE, end: BASE + 4n * SB, at: { input: 1, line: 2 } });
    return model;
  }

  function name(model: Model, fields: { subblockSize?: bigint; startAddress?: bigint }): void {
    const g = model.device(DEVICE).geometry;
    g.startAddress = fields.startAddress ?? BASE;
    // A region is whole memory blocks: the unnamed device's inferred one is a memory block.
    g.regionSize = 0x40000000n;
    if (fields.subblockSize !== undefined) g.subblockSize = fields.subblockSize;
    model.claimUnnamed(DEVICE);
  }

  it('takes over its states and their lines once the driver printed the subblock size, and the unnamed device is gone', () => {
    const model = qemuFirst();
    name(model, { subblockSize: SB });
    assert.deepEqual([...model.devices.keys()], [DEVICE]);
    assert.deepEqual(states(model), [...Array(4).fill('plugged none ? ? ?'), ...Array(4).fill('? ? ? ? ?')]);
    const read = model.device(DEVICE).read(BASE + 3n * SB);
    assert.deepEqual(read && [read.store.lastInput[read.index], read.store.lastLine[read.index]], [1, 2]);
    // Later QEMU requests go to the named device.
    assert.equal(model.deviceAt(BASE).id, DEVICE);
  });

  it('waits while the subblock size is not printed yet, and never takes states of other subblocks or outside its region', () => {
    const model = qemuFirst();
    name(model, {});
    assert.deepEqual([...model.devices.keys()].sort(), ['virtio-mem', DEVICE]);
    name(model, { subblockSize: 4n * MiB });
    assert.deepEqual([...model.devices.keys()].sort(), ['virtio-mem', DEVICE]);
    const other = qemuFirst();
    name(other, { subblockSize: SB, startAddress: BASE + SB });
    assert.deepEqual([...other.devices.keys()].sort(), ['virtio-mem', DEVICE]);
  });

  it('a device that has states of its own keeps them: nothing is taken over', () => {
    const model = qemuFirst();
    const d = model.device(DEVICE);
    d.geometry.startAddress = BASE;
    d.geometry.subblockSize = SB;
    model.apply({ on: 'unplug', device: DEVICE, start: BASE, end: BASE + SB, at: { input: 0, line: 7 } });
    model.claimUnnamed(DEVICE);
    // Subblock 1 is not the unnamed device's plugged one.
    assert.deepEqual(states(model, 2), ['unplugged none ? stale ?', '? ? ? ? ?']);
    assert.ok(model.devices.has('virtio-mem'));
  });
});

describe('Model.deviceAt', () => {
  function twoDevices(): Model {
    const model = new Model({ ...DEFAULT_POLICIES });
    for (const [id, start] of [
      ['virtio5', 0x100000000n],
      ['virtio6', 0x140000000n],
    ] as const) {
      const g = model.device(id).geometry;
      g.startAddress = start;
      g.regionSize = 0x40000000n;
    }
    return model;
  }

  it('picks the device whose region holds the address, edges included', () => {
    const model = twoDevices();
    assert.equal(model.deviceAt(0x100000000n).id, 'virtio5');
    assert.equal(model.deviceAt(0x13fffffffn).id, 'virtio5');
    assert.equal(model.deviceAt(0x140000000n).id, 'virtio6');
    assert.equal(model.deviceAt(0x17fffffffn).id, 'virtio6');
  });

  it('outside every region of several devices, an unnamed device', () => {
    const model = twoDevices();
    assert.equal(model.deviceAt(0x180000000n).id, 'virtio-mem');
    assert.equal(model.deviceAt(0xfffffffn).id, 'virtio-mem');
    assert.equal(model.devices.size, 3);
  });

  it('the only device, wherever the address is', () => {
    const model = new Model({ ...DEFAULT_POLICIES });
    model.device('virtio7');
    assert.equal(model.deviceAt(0x10n).id, 'virtio7');
  });

  it('of regions of unknown size, the one starting closest below the address', () => {
    const model = new Model({ ...DEFAULT_POLICIES });
    model.device('virtio5').geometry.startAddress = 0x100000000n;
    model.device('virtio6').geometry.startAddress = 0x200000000n;
    model.device('virtio4').geometry.startAddress = 0x80000000n;
    assert.equal(model.deviceAt(0x180000000n).id, 'virtio5');
    assert.equal(model.deviceAt(0x280000000n).id, 'virtio6');
  });

  it('of regions starting at the same address, the first device', () => {
    const model = new Model({ ...DEFAULT_POLICIES });
    model.device('virtio5').geometry.startAddress = 0x100000000n;
    model.device('virtio6').geometry.startAddress = 0x100000000n;
    assert.equal(model.deviceAt(0x100000000n).id, 'virtio5');
  });

  it('with no device yet, an unnamed one', () => {
    const model = new Model({ ...DEFAULT_POLICIES });
    assert.equal(model.deviceAt(0x100000000n).id, 'virtio-mem');
    assert.equal(model.deviceAt(0x200000000n).id, 'virtio-mem');
  });
});
