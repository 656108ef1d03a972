/**
 * A device's subblock store as the state model's readers see it: which addresses it covers,
 * how it grows (also downwards) without losing a state, what `read` and `snapshot` give.
 */
import { strict as assert } from 'node:assert';
import { DeviceModel } from '../../../src/core/model/device';
import { compileUpdate, type Tuple, tupleChanges, TUPLES, tupleText } from '../../../src/core/model/state';

const MiB = 1n << 20n;
const SB = 2n * MiB;
const BASE = 0x100000000n;
const ONLINE: Tuple = { dev: 'plugged', use: 'buddy', attr: 'private', accept: 'accepted', backing: 'page' };

/** A device with subblocks of 2 MiB; `start` null: no start address logged. */
function device(regionSize?: bigint, start: bigint | null = BASE): DeviceModel {
  const d = new DeviceModel('virtio5');
  if (start !== null) d.geometry.startAddress = start;
  if (regionSize !== undefined) d.geometry.regionSize = regionSize;
  d.geometry.subblockSize = SB;
  return d;
}

/** Puts the subblock at `addr` into state ONLINE, as of line `line`. */
function mark(d: DeviceModel, addr: bigint, line: number): void {
  const c = d.cover(addr, addr + SB);
  assert.ok(c);
  c.store.set(c.first, compileUpdate(ONLINE), { input: 0, line }, false);
}

function stateAt(d: DeviceModel, addr: bigint): string {
  const r = d.read(addr);
  return r ? tupleText(r.store.get(r.index)) : 'none';
}

describe('DeviceModel', () => {
  it('covers nothing for an empty or reversed range', () => {
    const d = device(8n * SB);
    assert.equal(d.cover(BASE, BASE), undefined);
    assert.equal(d.cover(BASE + SB, BASE), undefined);
    assert.equal(d.covered, undefined);
    assert.equal(d.snapshot(), undefined);
  });

  it('sizes its store to the region at first use, and indexes from the region start', () => {
    const d = device(8n * SB);
    const c = d.cover(BASE + 3n * SB + 0x1000n, BASE + 4n * SB + 0x1000n);
    assert.deepEqual(c && [c.first, c.last, c.store.count], [3, 5, 8]);
    assert.deepEqual(d.covered, { start: BASE, end: BASE + 8n * SB, subblockSize: SB });
    assert.equal(d.addressOf(3), BASE + 3n * SB);
    // Inside the store (the fast path), the same indexes.
    const again = d.cover(BASE + 3n * SB + 0x1000n, BASE + 4n * SB + 0x1000n);
    assert.deepEqual(again && [again.first, again.last], [3, 5]);
    const whole = d.cover(BASE, BASE + 8n * SB);
    assert.deepEqual(whole && [whole.first, whole.last, whole.store.count], [0, 8, 8]);
  });

  it('without a known region, covers the range asked for, aligned to subblocks', () => {
    const d = device(undefined, null);
    const c = d.cover(BASE + 0x1000n, BASE + SB + 0x1000n);
    assert.deepEqual(c && [c.first, c.last], [0, 2]);
    assert.deepEqual(d.covered, { start: BASE, end: BASE + 2n * SB, subblockSize: SB });
  });

  it('a first range below the region start reaches down to it', () => {
    const d = device(4n * SB);
    const c = d.cover(BASE - 3n * MiB, BASE - MiB);
    assert.deepEqual(c && [c.first, c.last], [0, 2]);
    assert.deepEqual(d.covered, { start: BASE - 4n * MiB, end: BASE + 4n * SB, subblockSize: SB });
  });

  it('grows downwards keeping every state and its line where it was (to twice its size)', () => {
    const d = device(4n * SB);
    mark(d, BASE + SB, 7);
    const c = d.cover(BASE - 2n * SB, BASE - SB);
    assert.deepEqual(c && [c.first, c.last], [0, 1]);
    assert.equal(d.covered?.start, BASE - 2n * SB);
    assert.equal(stateAt(d, BASE + SB), tupleText(ONLINE));
    assert.equal(stateAt(d, BASE), '? ? ? ? ?');
    const snap = d.snapshot();
    assert.ok(snap);
    assert.deepEqual([snap.base, snap.subblockSize, snap.device], [Number(BASE - 2n * SB), Number(SB), 'virtio5']);
    assert.deepEqual([...snap.lastLine], [-1, -1, -1, 7, -1, -1, -1, -1]);
    assert.deepEqual([...snap.lastInput], [-1, -1, -1, 0, -1, -1, -1, -1]);
    assert.equal(TUPLES[snap.tuples[3]], TUPLES[compileUpdate(ONLINE)[0]]);
  });

  it('grows upwards to at least twice its size, keeping every state', () => {
    const d = device(8n * SB);
    mark(d, BASE + 7n * SB, 3);
    const c = d.cover(BASE + 8n * SB, BASE + 9n * SB);
    assert.deepEqual(c && [c.first, c.last, c.store.count], [8, 9, 16]);
    assert.deepEqual(d.covered, { start: BASE, end: BASE + 16n * SB, subblockSize: SB });
    assert.equal(stateAt(d, BASE + 7n * SB), tupleText(ONLINE));
    const far = d.cover(BASE + 40n * SB, BASE + 41n * SB);
    assert.deepEqual(far && [far.first, far.last, far.store.count], [40, 41, 41]);
    assert.equal(stateAt(d, BASE + 7n * SB), tupleText(ONLINE));
  });

  it('grows far downwards to hold the old range and the new one', () => {
    const d = device(8n * SB);
    mark(d, BASE, 2);
    d.cover(BASE - 20n * SB, BASE - 19n * SB);
    assert.deepEqual(d.covered, { start: BASE - 20n * SB, end: BASE + 8n * SB, subblockSize: SB });
    assert.equal(stateAt(d, BASE), tupleText(ONLINE));
  });

  it('once it has a store, grows from the store, not from a region start logged later', () => {
    const d = device(undefined, null);
    d.cover(BASE + 4n * SB, BASE + 5n * SB);
    d.geometry.startAddress = BASE;
    d.cover(BASE + 6n * SB, BASE + 7n * SB);
    assert.deepEqual(d.covered, { start: BASE + 4n * SB, end: BASE + 7n * SB, subblockSize: SB });
  });

  it('a snapshot is a copy: later changes do not show in it', () => {
    const d = device(2n * SB);
    mark(d, BASE, 5);
    const snap = d.snapshot();
    assert.ok(snap);
    const c = d.cover(BASE, BASE + 2n * SB);
    assert.ok(c);
    c.store.setUniform(0, 2, compileUpdate({ dev: 'unplugged' }), { input: 1, line: 9 }, false);
    assert.deepEqual([[...snap.lastLine], [...snap.lastInput], tupleText(TUPLES[snap.tuples[0]])], [[5, -1], [0, -1], tupleText(ONLINE)]);
  });

  it('refuses a range so far away it would need more than 2^22 subblocks', () => {
    const d = device(8n * SB);
    assert.ok(d.cover(BASE, BASE + SB));
    assert.equal(d.cover(BASE + (1n << 22n) * SB, BASE + ((1n << 22n) + 1n) * SB), undefined);
    assert.equal(d.covered?.end, BASE + 8n * SB);
    const fresh = device(undefined, null);
    assert.equal(fresh.cover(0n, ((1n << 22n) + 1n) * SB), undefined);
    assert.equal(fresh.covered, undefined);
  });

  it('reads only inside its store, without growing it', () => {
    const d = device(8n * SB);
    assert.equal(d.read(BASE), undefined);
    d.cover(BASE, BASE + SB);
    assert.equal(d.read(BASE - 1n), undefined);
    assert.equal(d.read(BASE + 8n * SB), undefined);
    assert.equal(d.read(BASE + 8n * SB - 1n)?.index, 7);
    assert.equal(d.covered?.end, BASE + 8n * SB);
  });

  it('keeps the subblock size its store was made with', () => {
    const d = device(8n * SB);
    assert.equal(d.subblockSize, SB);
    d.cover(BASE, BASE + SB);
    d.geometry.subblockSize = 4n * MiB;
    assert.equal(d.subblockSize, SB);
    assert.equal(d.describe().subblockSize, 4n * MiB);
  });
});

describe('compileUpdate', () => {
  it('changes exactly the components an update names, from every state', () => {
    const updates = [{ accept: 'stale' }, { dev: 'unplugged', use: 'none' }, { attr: 'shared', accept: 'free', backing: 'hole' }, {}] as const;
    for (const update of updates) {
      const compiled = compileUpdate(update);
      TUPLES.forEach((t, n) => {
        const after = TUPLES[compiled[n]];
        assert.deepEqual(after, { ...t, ...update }, `${tupleText(t)} + ${JSON.stringify(update)}`);
      });
    }
  });
});

describe('tupleChanges', () => {
  it('names each component that changed, in the fixed order', () => {
    assert.deepEqual(tupleChanges(TUPLES[0], ONLINE), [
      'dev: unknown → plugged',
      'use: unknown → buddy',
      'attr: unknown → private',
      'accept: unknown → accepted',
      'backing: unknown → page',
    ]);
    assert.deepEqual(tupleChanges(ONLINE, { ...ONLINE, accept: 'stale' }), ['accept: accepted → stale']);
    assert.deepEqual(tupleChanges(ONLINE, ONLINE), []);
  });
});
