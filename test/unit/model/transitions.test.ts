/**
 * Every row of the transition table (docs/model.md), as behaviour of the state model: a
 * subblock in a given state, an action under given policies, the state it is in after, and the
 * finding the model drafts. The expected states are written out here, not read back from the
 * table or the docs, so a changed row fails a test that names it.
 */
import { strict as assert } from 'node:assert';
import { type Action, type Emission, Model } from '../../../src/core/model/model';
import { DEFAULT_POLICIES, type Policies } from '../../../src/core/model/policy';
import { compileUpdate, tupleText } from '../../../src/core/model/state';
import { tuple } from '../../helpers/tuple';
import { type ActionKind, TRANSITIONS } from '../../../src/core/model/transitions';

const MiB = 1n << 20n;
const SB = 2n * MiB;
const BASE = 0x100000000n;
const DEVICE = 'virtio5';

/** A model whose device has 8 subblocks of 2 MiB from BASE, the first `count` from `index` in state `before`. */
function modelWith(before: string, policies: Partial<Policies> = {}, whatIf = false, index = 0, count = 1): Model {
  const model = new Model({ ...DEFAULT_POLICIES, ...policies }, whatIf);
  const d = model.device(DEVICE);
  d.geometry.startAddress = BASE;
  d.geometry.regionSize = 8n * SB;
  d.geometry.subblockSize = SB;
  seed(model, before, index, count);
  return model;
}

/** Puts subblocks `[index, index + count)` (all unknown so far) into state `words`. */
function seed(model: Model, words: string, index: number, count = 1): void {
  const covered = model.device(DEVICE).cover(BASE + BigInt(index) * SB, BASE + BigInt(index + count) * SB);
  assert.ok(covered);
  covered.store.setUniform(covered.first, covered.last, compileUpdate(tuple(words)), { input: 0, line: 1 }, false);
}

function stateOf(model: Model, index: number): string {
  const read = model.device(DEVICE).read(BASE + BigInt(index) * SB);
  assert.ok(read);
  return tupleText(read.store.get(read.index));
}

function act(model: Model, on: ActionKind, index = 0, count = 1, line = 10): readonly Emission[] {
  const action: Action = { on, device: DEVICE, start: BASE + BigInt(index) * SB, end: BASE + BigInt(index + count) * SB, at: { input: 0, line } };
  return model.apply(action);
}

interface Case {
  row: string;
  before: string;
  on: ActionKind;
  policies?: Partial<Policies>;
  whatIf?: boolean;
  after: string;
  /** The finding drafted, if any. */
  emits?: string;
}

const ACCEPTED = 'plugged offline private accepted page';
const DISCARDS: Partial<Policies> = { 'vmm.discardPrivate': 'yes' };

const CASES: Case[] = [
  // PLUG
  { row: 'plug', before: 'unplugged none ? free hole', on: 'plug', after: 'plugged none ? free hole' },
  { row: 'plug', before: '? ? ? ? ?', on: 'plug', after: 'plugged none ? ? ?' },
  { row: 'plug', before: 'unplugged fake-offline private stale page', on: 'plug', after: 'plugged none private stale page' },
  { row: 'plug-again', before: 'plugged buddy private accepted page', on: 'plug', after: 'plugged buddy private accepted page' },
  // UNPLUG
  { row: 'unplug-again', before: 'unplugged fake-offline private stale page', on: 'unplug', policies: { 'vmm.discardPrivate': 'yes' }, after: 'unplugged fake-offline private stale page' },
  { row: 'unplug-after-shared', before: 'plugged offline shared accepted page', on: 'unplug', policies: { 'guest.releaseOnUnplug': 'yes' }, after: 'unplugged none shared free hole' },
  { row: 'unplug-release', before: ACCEPTED, on: 'unplug', policies: { 'guest.releaseOnUnplug': 'yes', 'guest.convertSharedOnUnplug': 'yes' }, after: 'unplugged none private pending page' },
  { row: 'unplug-release', before: 'plugged buddy private stale page', on: 'unplug', policies: { 'guest.releaseOnUnplug': 'yes' }, after: 'unplugged none private pending page' },
  { row: 'unplug-release', before: 'plugged buddy private ? page', on: 'unplug', policies: { 'guest.releaseOnUnplug': 'yes' }, after: 'unplugged none private pending page' },
  // Released only what was accepted: free memory goes on to the next rows.
  { row: 'unplug-convert', before: 'plugged offline private free hole', on: 'unplug', policies: { 'guest.releaseOnUnplug': 'yes', 'guest.convertSharedOnUnplug': 'yes' }, after: 'unplugged none shared free hole' },
  { row: 'unplug-convert', before: ACCEPTED, on: 'unplug', policies: { 'guest.convertSharedOnUnplug': 'yes', 'vmm.discardPrivate': 'yes' }, after: 'unplugged none shared free hole' },
  // The RFC skips the conversion when UNPLUGGED_INACCESSIBLE was negotiated: the private page stays.
  { row: 'unplug-stale', before: ACCEPTED, on: 'unplug', policies: { 'guest.convertSharedOnUnplug': 'yes', 'device.unpluggedInaccessible': 'yes', 'vmm.discardPrivate': 'no' }, after: 'unplugged none private stale page' },
  { row: 'unplug-discard', before: ACCEPTED, on: 'unplug', policies: { 'vmm.discardPrivate': 'yes' }, after: 'unplugged none private free hole' },
  { row: 'unplug-stale', before: ACCEPTED, on: 'unplug', policies: { 'vmm.discardPrivate': 'no' }, after: 'unplugged none private stale page' },
  { row: 'unplug-maybe-stale', before: ACCEPTED, on: 'unplug', after: 'unplugged none private stale page' },
  { row: 'unplug-maybe-stale', before: 'plugged buddy private stale page', on: 'unplug', after: 'unplugged none private stale page' },
  { row: 'unplug-maybe-stale', before: 'plugged buddy ? ? ?', on: 'unplug', after: 'unplugged none ? stale ?' },
  { row: 'unplug-clean', before: 'plugged none private pending page', on: 'unplug', policies: { 'vmm.discardPrivate': 'no' }, after: 'unplugged none private pending page' },
  { row: 'unplug-clean', before: 'plugged buddy ? free hole', on: 'unplug', after: 'unplugged none ? free hole' },
  // ONLINE / OFFLINE
  { row: 'online-unplugged-accept', before: 'unplugged none ? free hole', on: 'online', policies: { 'guest.acceptGranularity': 'block' }, after: 'unplugged fake-offline private accepted page' },
  { row: 'online-unplugged', before: 'unplugged none private stale page', on: 'online', policies: { 'guest.acceptGranularity': 'block' }, after: 'unplugged fake-offline private stale page' },
  { row: 'online-unplugged', before: 'unplugged none ? free hole', on: 'online', policies: { 'guest.acceptGranularity': 'subblock' }, after: 'unplugged fake-offline ? free hole' },
  { row: 'online-unplugged', before: 'unplugged none ? free hole', on: 'online', policies: { 'guest.acceptsMemory': 'no' }, after: 'unplugged fake-offline ? free hole' },
  { row: 'online-no-accept-touched', before: 'plugged none ? free hole', on: 'online', policies: { 'guest.acceptsMemory': 'no' }, whatIf: true, after: 'plugged buddy ? free hole', emits: 'HPL004' },
  { row: 'online-no-accept', before: 'plugged none ? free hole', on: 'online', policies: { 'guest.acceptsMemory': 'no' }, after: 'plugged buddy ? free hole' },
  { row: 'online-accept', before: 'plugged none ? free hole', on: 'online', policies: { 'guest.acceptsMemory': 'yes' }, after: 'plugged buddy private accepted page' },
  { row: 'online-accept', before: 'plugged none shared pending hole', on: 'online', after: 'plugged buddy private accepted page' },
  // Accepting never plugs: dev changes only on an ACK (DOMAIN.md §4.5).
  { row: 'online-accept', before: 'plugged ? ? ? ?', on: 'online', after: 'plugged buddy private accepted page' },
  { row: 'online-unknown-plug', before: '? ? ? ? ?', on: 'online', after: '? ? ? ? ?' },
  { row: 'online-unknown-plug', before: '? none ? free hole', on: 'online', policies: { 'guest.acceptsMemory': 'no' }, after: '? none ? free hole' },
  { row: 'online-again', before: ACCEPTED, on: 'online', after: 'plugged buddy private accepted page' },
  { row: 'online-again', before: 'plugged none private stale page', on: 'online', after: 'plugged buddy private stale page' },
  { row: 'offline', before: 'plugged buddy private accepted page', on: 'offline', after: ACCEPTED },
  { row: 'offline', before: 'unplugged fake-offline ? free hole', on: 'offline', after: 'unplugged offline ? free hole' },
  // CONVERSIONS
  { row: 'to-private', before: 'plugged buddy shared free hole', on: 'toPrivate', after: 'plugged buddy private free hole' },
  { row: 'to-shared', before: 'plugged buddy private accepted page', on: 'toShared', after: 'plugged buddy shared free hole' },
  { row: 'to-shared', before: 'unplugged none private stale page', on: 'toShared', after: 'unplugged none shared free hole' },
  // ACCEPT FAILURES
  { row: 'accept-prevented', before: 'plugged none ? free hole', on: 'acceptFailed', policies: DISCARDS, whatIf: true, after: 'plugged buddy private accepted page' },
  { row: 'accept-prevented', before: 'plugged none shared pending hole', on: 'acceptFailed', policies: { 'guest.releaseOnUnplug': 'yes' }, whatIf: true, after: 'plugged buddy private accepted page' },
  // A what-if of a policy that leaves the private page on unplug prevents nothing.
  { row: 'accept-failed', before: 'plugged none ? free hole', on: 'acceptFailed', policies: { 'guest.acceptGranularity': 'subblock' }, whatIf: true, after: 'plugged offline ? free hole', emits: 'HPL003' },
  { row: 'accept-failed', before: 'plugged none ? free hole', on: 'acceptFailed', policies: { 'guest.convertSharedOnUnplug': 'yes', 'device.unpluggedInaccessible': 'yes' }, whatIf: true, after: 'plugged offline ? free hole', emits: 'HPL003' },
  // The online just before accepted afresh in the world tried: its accept is the one that failed.
  { row: 'accept-prevented-online', before: 'plugged buddy private accepted page', on: 'acceptFailed', policies: DISCARDS, whatIf: true, after: 'plugged buddy private accepted page' },
  { row: 'reaccept-after-offline', before: 'plugged buddy private accepted page', on: 'acceptFailed', policies: { 'guest.acceptGranularity': 'subblock' }, whatIf: true, after: ACCEPTED, emits: 'HPL002' },
  { row: 'reaccept-after-unplug', before: 'plugged none private stale page', on: 'acceptFailed', whatIf: true, after: 'plugged offline private stale page', emits: 'HPL001' },
  { row: 'reaccept-after-offline', before: ACCEPTED, on: 'acceptFailed', after: ACCEPTED, emits: 'HPL002' },
  { row: 'reaccept-after-offline', before: 'plugged buddy private accepted page', on: 'acceptFailed', after: ACCEPTED, emits: 'HPL002' },
  { row: 'accept-failed', before: 'plugged none ? free hole', on: 'acceptFailed', after: 'plugged offline ? free hole', emits: 'HPL003' },
  { row: 'accept-failed', before: 'plugged none private accepted page', on: 'acceptFailed', whatIf: true, after: ACCEPTED, emits: 'HPL003' },
  { row: 'accept-failed', before: '? ? ? ? ?', on: 'acceptFailed', whatIf: true, after: '? offline ? ? ?', emits: 'HPL003' },
  { row: 'validate-prevented', before: 'plugged buddy private free hole', on: 'validateFailed', policies: DISCARDS, whatIf: true, after: 'plugged buddy private accepted page' },
  { row: 'validate-prevented-online', before: 'plugged buddy private accepted page', on: 'validateFailed', policies: { 'guest.convertSharedOnUnplug': 'yes' }, whatIf: true, after: 'plugged buddy private accepted page' },
  { row: 'double-validate', before: 'plugged buddy private accepted page', on: 'validateFailed', policies: { 'guest.acceptsMemory': 'yes' }, whatIf: true, after: 'plugged buddy private accepted page', emits: 'HPL011' },
  { row: 'double-validate', before: 'plugged buddy private free hole', on: 'validateFailed', after: 'plugged buddy private accepted hole', emits: 'HPL011' },
  // ACCESS
  { row: 'touch-unplugged', before: 'unplugged none ? free hole', on: 'touch', after: 'unplugged none ? free hole', emits: 'HPL004' },
  { row: 'touch-unplugged', before: 'unplugged none ? ? ?', on: 'touch', after: 'unplugged none ? ? ?', emits: 'HPL004' },
  { row: 'touch-accepted', before: 'plugged buddy ? free hole', on: 'touch', policies: { 'guest.acceptsMemory': 'yes' }, whatIf: true, after: 'plugged buddy private accepted page' },
  { row: 'touch-unaccepted', before: 'plugged buddy ? free hole', on: 'touch', policies: { 'guest.acceptsMemory': 'yes' }, after: 'plugged buddy ? pending hole', emits: 'HPL004' },
  { row: 'touch-unaccepted', before: 'plugged buddy ? free hole', on: 'touch', after: 'plugged buddy ? pending hole', emits: 'HPL004' },
  { row: 'touch-unaccepted', before: 'unplugged none private stale page', on: 'touch', after: 'unplugged none private pending page', emits: 'HPL004' },
];

describe('transition table: each row as the state model applies it', () => {
  for (const c of CASES) {
    const given = Object.entries(c.policies ?? {}).map(([k, v]) => `${k}=${v}`);
    if (c.whatIf) given.push('what-if');
    it(`${c.row}: ${c.before} --${c.on}${given.length ? ` [${given.join(', ')}]` : ''}--> ${c.after}${c.emits ? ` + ${c.emits}` : ''}`, () => {
      const model = modelWith(c.before, c.policies, c.whatIf === true);
      const emissions = act(model, c.on);
      assert.equal(stateOf(model, 0), c.after);
      assert.deepEqual(
        emissions.map((e) => [e.code, e.row.id]),
        c.emits ? [[c.emits, c.row]] : [],
      );
      // The neighbours the action did not name are left alone.
      assert.equal(stateOf(model, 1), '? ? ? ? ?');
    });
  }

  it('no row both emits a finding and marks pages stale (Model.applyTo sets stale marks on the path of rows that emit nothing)', () => {
    assert.deepEqual(TRANSITIONS.filter((r) => r.emits && r.marksStale).map((r) => r.id), []);
    assert.ok(TRANSITIONS.some((r) => r.marksStale));
  });

  it('a finding carries the action, the device, the range and the state before', () => {
    const model = modelWith('plugged buddy ? free hole', {}, false, 2, 1);
    const [e] = act(model, 'touch', 2, 1, 42);
    assert.deepEqual(
      { code: e.code, device: e.device, start: e.start, end: e.end, at: e.at, before: tupleText(e.before), staleAt: e.staleAt },
      { code: 'HPL004', device: DEVICE, start: BASE + 2n * SB, end: BASE + 3n * SB, at: { input: 0, line: 42 }, before: 'plugged buddy ? free hole', staleAt: [] },
    );
  });

  it('one finding covers a run of subblocks that take the same row; a different row starts another', () => {
    const model = modelWith('plugged buddy ? free hole', {}, false, 0, 2);
    seed(model, 'unplugged none ? free hole', 2, 2);
    seed(model, 'plugged buddy ? free hole', 4);
    const emissions = act(model, 'touch', 0, 5);
    assert.deepEqual(
      emissions.map((e) => [e.row.id, e.start - BASE, e.end - BASE]),
      [
        ['touch-unaccepted', 0n, 2n * SB],
        ['touch-unplugged', 2n * SB, 4n * SB],
        ['touch-unaccepted', 4n * SB, 5n * SB],
      ],
    );
  });

  it('a finding on part of a subblock covers only the action range (a touched page stays a page)', () => {
    const model = modelWith('plugged buddy ? free hole');
    const [e] = model.apply({ on: 'touch', device: DEVICE, start: BASE + 0x3000n, end: BASE + 0x4000n, at: { input: 0, line: 7 } });
    assert.deepEqual([e.start, e.end], [BASE + 0x3000n, BASE + 0x4000n]);
  });

  it('a failed re-accept names the UNPLUG lines that left the pages accepted', () => {
    const model = modelWith(ACCEPTED, {}, false, 0, 3);
    act(model, 'unplug', 0, 2, 20);
    act(model, 'unplug', 2, 1, 30);
    act(model, 'plug', 0, 3, 40);
    const emissions = act(model, 'acceptFailed', 0, 3, 50);
    assert.deepEqual(
      emissions.map((e) => [e.code, e.start - BASE, e.end - BASE, e.staleAt]),
      [
        [
          'HPL001',
          0n,
          3n * SB,
          [
            { input: 0, line: 20, inferred: false },
            { input: 0, line: 30, inferred: false },
          ],
        ],
      ],
    );
  });

  it('a page left accepted by two UNPLUGs names the later one', () => {
    const model = modelWith(ACCEPTED);
    act(model, 'unplug', 0, 1, 20);
    act(model, 'plug', 0, 1, 25);
    act(model, 'unplug', 0, 1, 30);
    const [e] = act(model, 'acceptFailed', 0, 1, 40);
    assert.deepEqual(e.staleAt, [{ input: 0, line: 30, inferred: false }]);
  });

  it('a stale mark set by an UNPLUG that the model deduced says so', () => {
    const model = modelWith(ACCEPTED, { 'vmm.discardPrivate': 'no' });
    model.apply({ on: 'unplug', device: DEVICE, start: BASE, end: BASE + SB, at: { input: 1, line: 5 }, inferred: true });
    const [e] = act(model, 'acceptFailed', 0, 1, 60);
    assert.deepEqual(e.staleAt, [{ input: 1, line: 5, inferred: true }]);
  });

  it('a stale mark is left by an UNPLUG in a run: one mark per subblock, not per run', () => {
    // Two subblocks in the same state take unplug-maybe-stale in one go; a third, different, alone.
    const model = modelWith(ACCEPTED, {}, false, 0, 2);
    seed(model, 'plugged buddy private accepted page', 2);
    act(model, 'unplug', 0, 3, 11);
    assert.deepEqual([0, 1, 2].map((i) => stateOf(model, i)), Array(3).fill('unplugged none private stale page'));
    const [e] = act(model, 'acceptFailed', 2, 1, 12);
    assert.deepEqual(e.staleAt, [{ input: 0, line: 11, inferred: false }]);
  });

  it('an action with no device goes to the device whose region holds its address', () => {
    const model = modelWith('plugged none ? free hole');
    const other = model.device('virtio6');
    other.geometry.startAddress = 0x200000000n;
    other.geometry.regionSize = 8n * SB;
    other.geometry.subblockSize = SB;
    model.apply({ on: 'online', start: BASE, end: BASE + SB, at: { input: 0, line: 3 } });
    assert.equal(stateOf(model, 0), 'plugged buddy private accepted page');
    assert.equal(other.read(0x200000000n), undefined);
  });
});

describe('state model: Model.apply', () => {
  it('a model made without saying so is not a what-if replay: a failed accept of free memory is unexplained', () => {
    const model = new Model({ ...DEFAULT_POLICIES });
    const d = model.device(DEVICE);
    d.geometry.startAddress = BASE;
    d.geometry.subblockSize = SB;
    seed(model, 'plugged none ? free hole', 0);
    assert.deepEqual(
      act(model, 'acceptFailed').map((e) => e.code),
      ['HPL003'],
    );
  });

  it('an action naming a device goes to that device, wherever its address is', () => {
    const model = modelWith('plugged none ? free hole');
    const other = model.device('virtio6');
    other.geometry.startAddress = 0x200000000n;
    other.geometry.subblockSize = SB;
    model.apply({ on: 'plug', device: 'virtio6', start: BASE, end: BASE + SB, at: { input: 0, line: 4 } });
    assert.equal(stateOf(model, 0), 'plugged none ? free hole');
    const read = other.read(BASE);
    assert.equal(read && tupleText(read.store.get(read.index)), 'plugged none ? ? ?');
  });

  it('an empty range changes nothing and drafts nothing', () => {
    const model = modelWith('plugged buddy ? free hole');
    assert.deepEqual(model.apply({ on: 'touch', device: DEVICE, start: BASE, end: BASE, at: { input: 0, line: 4 } }), []);
    assert.equal(stateOf(model, 0), 'plugged buddy ? free hole');
  });

  it('neighbouring subblocks in different states each take their own row', () => {
    const model = modelWith(ACCEPTED);
    seed(model, 'plugged none private pending page', 1);
    act(model, 'unplug', 0, 2);
    assert.deepEqual([stateOf(model, 0), stateOf(model, 1)], ['unplugged none private stale page', 'unplugged none private pending page']);
  });

  it('tells its observer each run it changed, one subblock at a time where a finding is drafted', () => {
    const model = modelWith('plugged buddy ? free hole', {}, false, 0, 2);
    const seen: string[] = [];
    model.observer = { change: (device, start, end, _b, _a, on, at, inferred) => seen.push(`${device} ${on} ${(start - BASE) / SB}-${(end - BASE) / SB} ${at.line} ${inferred}`) };
    act(model, 'offline', 0, 2, 5);
    act(model, 'touch', 0, 2, 6);
    assert.deepEqual(seen, ['virtio5 offline 0-2 5 false', 'virtio5 touch 0-1 6 false', 'virtio5 touch 1-2 6 false']);
  });

  it('names each UNPLUG line once, telling apart lines of the same number in different inputs', () => {
    const model = modelWith(ACCEPTED, {}, false, 0, 3);
    model.apply({ on: 'unplug', device: DEVICE, start: BASE, end: BASE + 2n * SB, at: { input: 0, line: 20 } });
    model.apply({ on: 'unplug', device: DEVICE, start: BASE + 2n * SB, end: BASE + 3n * SB, at: { input: 1, line: 20 } });
    const [e] = act(model, 'acceptFailed', 0, 3, 50);
    assert.deepEqual(e.staleAt, [
      { input: 0, line: 20, inferred: false },
      { input: 1, line: 20, inferred: false },
    ]);
  });

  it('marks what it changed as deduced or seen, and where', () => {
    const model = modelWith('plugged none ? free hole', {}, false, 0, 2);
    model.apply({ on: 'online', device: DEVICE, start: BASE, end: BASE + SB, at: { input: 1, line: 8 }, inferred: true });
    const read = model.device(DEVICE).read(BASE);
    assert.ok(read);
    assert.deepEqual([read.store.inferred[0], read.store.lastInput[0], read.store.lastLine[0]], [1, 1, 8]);
    assert.deepEqual([read.store.inferred[1], read.store.lastLine[1]], [0, 1]);
  });
});

describe('state model: a policy change applies to the next action', () => {
  it('an UNPLUG after vmm.discardPrivate becomes yes discards the private page', () => {
    const model = modelWith(ACCEPTED, {}, false, 0, 2);
    act(model, 'unplug', 0, 1);
    assert.equal(stateOf(model, 0), 'unplugged none private stale page');
    model.setPolicy('vmm.discardPrivate', 'yes');
    assert.equal(model.policies['vmm.discardPrivate'], 'yes');
    act(model, 'unplug', 1, 1);
    assert.equal(stateOf(model, 1), 'unplugged none private free hole');
  });

  it('an ONLINE after guest.acceptsMemory becomes no leaves plugged memory unaccepted, and back', () => {
    const model = modelWith('plugged none ? free hole', {}, false, 0, 3);
    act(model, 'online', 0, 1);
    assert.equal(stateOf(model, 0), 'plugged buddy private accepted page');
    model.setPolicy('guest.acceptsMemory', 'no');
    act(model, 'online', 1, 1);
    assert.equal(stateOf(model, 1), 'plugged buddy ? free hole');
    model.setPolicy('guest.acceptsMemory', 'no');
    model.setPolicy('guest.acceptsMemory', 'unknown');
    act(model, 'online', 2, 1);
    assert.equal(stateOf(model, 2), 'plugged buddy private accepted page');
  });

  it('the model keeps its own copy of the policies it was given', () => {
    const policies = { ...DEFAULT_POLICIES };
    const model = new Model(policies);
    model.setPolicy('vmm.discardPrivate', 'yes');
    assert.equal(policies['vmm.discardPrivate'], 'unknown');
  });
});
