/**
 * The history of state changes (HistoryRecorder → columns → History) and the model hook that
 * feeds it: adjacent subblocks of one line are merged into runs, the cap stops recording and
 * says where, `History.at` finds exactly one line's changes also when inputs interleave, the
 * transfer buffers are the trimmed columns, and on real runs (the bundled example, scenario
 * fixtures, generated subsequences of the example) replaying the history's `after` tuples
 * reproduces the final state snapshot. Also the two tuple formatters of state.ts.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { type AnalysisOptions, analyze } from '../../../src/core/analyze';
import type { InputSource } from '../../../src/core/ingest';
import type { DeviceSnapshot } from '../../../src/core/model/device';
import { History, HistoryRecorder, historyBuffers, MAX_HISTORY_RECORDS, type HistoryColumns } from '../../../src/core/model/history';
import { Model } from '../../../src/core/model/model';
import { DEFAULT_POLICIES } from '../../../src/core/model/policy';
import { COMPONENT_NAMES, type Tuple, TUPLES, tupleChanges, tupleText } from '../../../src/core/model/state';
import { fileSource } from '../../../src/node/inputs';

const ROOT = join(__dirname, '..', '..', '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'tdx-replug-failure');
const SCENARIOS = join(ROOT, 'test', 'fixtures', 'scenarios');

const SB = 0x200000n;
const BASE = 0x100000000n;

/** The TUPLES index of a tuple given by its known components (the rest unknown). */
function tuple(known: Partial<Tuple>): number {
  const n = TUPLES.findIndex((t) => COMPONENT_NAMES.every((c) => t[c] === (known[c] ?? 'unknown')));
  assert.ok(n >= 0, `no tuple ${JSON.stringify(known)}`);
  return n;
}

const UNPLUGGED = tuple({ dev: 'unplugged', use: 'none' });
const PLUGGED = tuple({ dev: 'plugged', use: 'none' });
const ONLINE = tuple({ dev: 'plugged', use: 'buddy', attr: 'private', accept: 'accepted', backing: 'page' });

/** Subblock `i` from BASE: its start and end. */
function sb(i: number, n = 1): [bigint, bigint] {
  return [BASE + BigInt(i) * SB, BASE + BigInt(i + n) * SB];
}

function memory(path: string, text: string): InputSource {
  return {
    path,
    async *open() {
      yield Buffer.from(text);
    },
  };
}

async function exampleSources(): Promise<InputSource[]> {
  return [await fileSource(join(EXAMPLE, 'guest.log')), await fileSource(join(EXAMPLE, 'qemu.log'))];
}

/**
 * Replays the `after` tuples of a history over all-unknown subblocks, in record order; checks
 * on the way that each record's `before` is what the replay holds there. Returns the replayed
 * tuples per device, laid out as the snapshots are.
 */
function replay(columns: HistoryColumns, states: readonly DeviceSnapshot[]): Map<string, Uint16Array> {
  const snapshots = new Map(states.map((s) => [s.device, s]));
  const replayed = new Map(states.map((s) => [s.device, new Uint16Array(s.tuples.length)]));
  for (let k = 0; k < columns.count; k++) {
    const device = columns.devices[columns.device[k]];
    const s = snapshots.get(device);
    const tuples = replayed.get(device);
    assert.ok(s && tuples, `record ${k} is about ${device}, which has no final state`);
    const first = (columns.start[k] - s.base) / s.subblockSize;
    const last = (columns.end[k] - s.base) / s.subblockSize;
    assert.ok(Number.isInteger(first) && Number.isInteger(last), `record ${k} is not subblock-aligned`);
    assert.ok(first >= 0 && first < last && last <= tuples.length, `record ${k} [${first}, ${last}) is outside ${device}'s ${tuples.length} subblocks`);
    for (let i = first; i < last; i++) {
      assert.equal(tuples[i], columns.before[k], `record ${k}: subblock ${i} of ${device} was ${tupleText(TUPLES[tuples[i]])}, the record says ${tupleText(TUPLES[columns.before[k]])}`);
      tuples[i] = columns.after[k];
    }
  }
  return replayed;
}

/** Analyses `sources` with a history and the final states, and checks that the one replays to the other. */
async function assertReplayGivesFinalState(sources: InputSource[], options: AnalysisOptions = {}): Promise<number> {
  const recorder = new HistoryRecorder();
  const analysis = await analyze(sources, { ...options, observe: { history: recorder, finalState: true } });
  const columns = recorder.columns();
  assert.equal(columns.stoppedAt, undefined);
  const states = analysis.states ?? [];
  const replayed = replay(columns, states);
  for (const s of states) assert.deepEqual(replayed.get(s.device), s.tuples, `${s.device}: the replayed history differs from the final state`);
  return columns.count;
}

// A generated run of one device (virtio5 at 4 GiB, 4 GiB region): some of its geometry lines,
// then guest driver lines and QEMU requests on memory blocks or a few subblocks, in time order.
const MEMORY_BLOCK = 0x8000000n;
const hex = (v: bigint): string => `0x${v.toString(16)}`;
const GEOMETRY = ['start address: 0x100000000', 'region size: 0x100000000', 'device block size: 0x200000', 'memory block size: 0x8000000', 'subblock size: 0x200000'];

const rangeArb = fc
  .tuple(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 1, max: 2 }), fc.boolean())
  .map(([i, n, subblocks]) => {
    const block = BASE + BigInt(i) * MEMORY_BLOCK;
    return subblocks ? { start: block + BigInt(n) * SB, end: block + BigInt(n + 3) * SB } : { start: block, end: block + BigInt(n) * MEMORY_BLOCK };
  });

type Line = ['guest' | 'qemu', string];
const operationArb: fc.Arbitrary<Line[]> = fc.oneof(
  fc
    .tuple(rangeArb, fc.constantFrom('plugging', 'unplugging', 'adding', 'offlining and removing'))
    .map(([r, op]): Line[] => [['guest', `virtio_mem virtio5: ${op} memory: ${hex(r.start)} - ${hex(r.end - 1n)}`]]),
  rangeArb.map((r): Line[] => [['guest', `tdx: Failed to accept memory [${hex(r.start)}, ${hex(r.end)})`]]),
  fc
    .tuple(fc.constantFrom('plugged', 'requested'), fc.integer({ min: 0, max: 64 }))
    .map(([which, n]): Line[] => [['guest', `virtio_mem virtio5: ${which} size: ${hex((BigInt(n) * MEMORY_BLOCK) / 2n)}`]]),
  fc.tuple(rangeArb, fc.constantFrom('plug', 'unplug'), fc.integer({ min: 0, max: 1 }), fc.boolean()).map(([r, op, type, discard]): Line[] => [
    ['qemu', `virtio_mem_${op}_request addr=${hex(r.start)} nb_blocks=${(r.end - r.start) / SB}`],
    ...(discard ? [['qemu', `ram_block_discard_range vmem0@0x7f5ac0000000 + ${hex(r.end - r.start)}: madvise: 1 fallocate: 0 ret: 0`] as Line] : []),
    ['qemu', `virtio_mem_send_response type=${type}`],
  ]),
  fc
    .tuple(rangeArb, fc.constantFrom('shared_to_private', 'private_to_shared'))
    .map(([r, direction]): Line[] => [['qemu', `kvm_convert_memory start ${hex(r.start)} size ${hex(r.end - r.start)} ${direction}`]]),
);

const generatedRunArb: fc.Arbitrary<[string, string]> = fc.tuple(fc.subarray(GEOMETRY), fc.array(operationArb, { maxLength: 40 })).map(([geometry, operations]) => {
  const guest: string[] = [];
  const qemu: string[] = [];
  let micros = 1_000_000;
  const stamp = (): [string, string] => {
    micros += 1000;
    return [String(Math.floor(micros / 1e6)), String(micros % 1e6).padStart(6, '0')];
  };
  for (const line of geometry) {
    const [s, us] = stamp();
    guest.push(`[${s.padStart(5)}.${us}] virtio_mem virtio5: ${line}`);
  }
  for (const [kind, text] of operations.flat()) {
    const [s, us] = stamp();
    if (kind === 'guest') guest.push(`[${s.padStart(5)}.${us}] ${text}`);
    else qemu.push(`4321@${1774365000 + Number(s)}.${us}:${text}`);
  }
  return [`${guest.join('\n')}\n`, `${qemu.join('\n')}\n`];
});

describe('history of state changes', () => {
  describe('HistoryRecorder', () => {
    it('merges adjacent subblocks of the same line, device, states and action into one run', () => {
      const r = new HistoryRecorder();
      const at = { input: 0, line: 7 };
      for (let i = 0; i < 4; i++) r.change('virtio5', ...sb(i), UNPLUGGED, PLUGGED, 'plug', at, false);
      const c = r.columns();
      assert.equal(c.count, 1);
      assert.equal(c.start[0], Number(BASE));
      assert.equal(c.end[0], Number(sb(3)[1]));
      assert.deepEqual(c.devices, ['virtio5']);
      assert.deepEqual(c.actions, ['plug']);
    });

    it('keeps subblocks reported one by one apart when it does not join runs (the replay\'s log), its records readable while it records', () => {
      let event = 4;
      const r = new HistoryRecorder(Number.POSITIVE_INFINITY, () => event, false);
      const at = { input: 0, line: 7 };
      for (let i = 0; i < 3; i++) r.change('virtio5', ...sb(i), UNPLUGGED, PLUGGED, 'plug', at, false);
      assert.deepEqual([r.recorded.count, [...r.recorded.seq.subarray(0, 3)]], [3, [4, 4, 4]]);
      event = 5;
      r.change('virtio5', ...sb(3), UNPLUGGED, PLUGGED, 'plug', at, false);
      const c = r.columns();
      assert.deepEqual([...c.start], [0, 1, 2, 3].map((i) => Number(sb(i)[0])));
      assert.deepEqual([...c.seq], [4, 4, 4, 5]);
    });

    it('does not merge subblocks that are not adjacent', () => {
      const r = new HistoryRecorder();
      const at = { input: 0, line: 7 };
      r.change('virtio5', ...sb(0), UNPLUGGED, PLUGGED, 'plug', at, false);
      r.change('virtio5', ...sb(2), UNPLUGGED, PLUGGED, 'plug', at, false);
      // The previous run ends where this one starts only when it is the last record.
      r.change('virtio5', ...sb(1), UNPLUGGED, PLUGGED, 'plug', at, false);
      const c = r.columns();
      assert.equal(c.count, 3);
      assert.deepEqual([...c.start], [sb(0)[0], sb(2)[0], sb(1)[0]].map(Number));
    });

    it('does not merge adjacent subblocks that differ in line, input, device, states or action', () => {
      const at = { input: 0, line: 7 };
      const variants: Array<(r: HistoryRecorder) => void> = [
        (r) => r.change('virtio5', ...sb(1), UNPLUGGED, PLUGGED, 'plug', { input: 0, line: 8 }, false),
        (r) => r.change('virtio5', ...sb(1), UNPLUGGED, PLUGGED, 'plug', { input: 1, line: 7 }, false),
        (r) => r.change('virtio6', ...sb(1), UNPLUGGED, PLUGGED, 'plug', at, false),
        (r) => r.change('virtio5', ...sb(1), PLUGGED, PLUGGED, 'plug', at, false),
        (r) => r.change('virtio5', ...sb(1), UNPLUGGED, ONLINE, 'plug', at, false),
        (r) => r.change('virtio5', ...sb(1), UNPLUGGED, PLUGGED, 'online', at, false),
      ];
      for (const [n, variant] of variants.entries()) {
        const r = new HistoryRecorder();
        r.change('virtio5', ...sb(0), UNPLUGGED, PLUGGED, 'plug', at, false);
        variant(r);
        assert.equal(r.columns().count, 2, `variant ${n}`);
      }
    });

    it('stops at the cap and records the first line it did not keep', () => {
      const r = new HistoryRecorder(3);
      for (let line = 1; line <= 6; line++) r.change('virtio5', ...sb(line * 2), UNPLUGGED, PLUGGED, 'plug', { input: 0, line }, false);
      const c = r.columns();
      assert.equal(c.count, 3);
      assert.deepEqual([...c.line], [1, 2, 3]);
      assert.deepEqual(c.stoppedAt, { input: 0, line: 4 });
    });

    it('has no stoppedAt when the cap is not reached', () => {
      const r = new HistoryRecorder(3);
      for (let line = 1; line <= 3; line++) r.change('virtio5', ...sb(line * 2), UNPLUGGED, PLUGGED, 'plug', { input: 0, line }, false);
      assert.equal(r.columns().count, 3);
      assert.equal(r.columns().stoppedAt, undefined);
    });

    it('keeps every record across growth of its columns, up to a cap beyond the first allocation', () => {
      const r = new HistoryRecorder(1500);
      for (let line = 1; line <= 2000; line++) r.change(`d${line % 3}`, ...sb(line * 2), UNPLUGGED, PLUGGED, 'plug', { input: line % 2, line }, line % 5 === 0);
      const c = r.columns();
      assert.equal(c.count, 1500);
      assert.deepEqual(c.stoppedAt, { input: 1501 % 2, line: 1501 });
      for (let k = 0; k < c.count; k++) {
        const line = k + 1;
        assert.equal(c.line[k], line);
        assert.equal(c.input[k], line % 2);
        assert.equal(c.devices[c.device[k]], `d${line % 3}`);
        assert.equal(c.start[k], Number(sb(line * 2)[0]));
        assert.equal(c.inferred[k], line % 5 === 0 ? 1 : 0);
      }
    });

    it('caps at MAX_HISTORY_RECORDS by default', () => {
      assert.equal(MAX_HISTORY_RECORDS, 2_000_000);
      const r = new HistoryRecorder();
      for (let line = 1; line <= 3000; line++) r.change('virtio5', ...sb(line * 2), UNPLUGGED, PLUGGED, 'plug', { input: 0, line }, false);
      assert.equal(r.columns().count, 3000);
      assert.equal(r.columns().stoppedAt, undefined);
    });
  });

  describe('History', () => {
    it('reads a record back with names, bigint addresses, tuples and the inferred flag', () => {
      const r = new HistoryRecorder();
      r.change('virtio5', ...sb(0, 2), UNPLUGGED, PLUGGED, 'plug', { input: 1, line: 12 }, true);
      r.change('virtio6', ...sb(5), PLUGGED, ONLINE, 'online', { input: 0, line: 3 }, false);
      const h = new History(r.columns());
      assert.equal(h.size, 2);
      assert.deepEqual(h.record(0), {
        index: 0,
        input: 1,
        line: 12,
        device: 'virtio5',
        action: 'plug',
        start: BASE,
        end: BASE + 2n * SB,
        before: TUPLES[UNPLUGGED],
        after: TUPLES[PLUGGED],
        inferred: true,
      });
      const second = h.record(1);
      assert.equal(second.device, 'virtio6');
      assert.equal(second.action, 'online');
      assert.equal(second.after.accept, 'accepted');
      assert.equal(second.inferred, false);
    });

    it('at() returns exactly the changes of one line, in the order they were made, with inputs interleaved', () => {
      const r = new HistoryRecorder();
      const g = (line: number) => ({ input: 0, line });
      const q = (line: number) => ({ input: 1, line });
      r.change('virtio5', ...sb(0), UNPLUGGED, PLUGGED, 'plug', g(5), false); // 0
      r.change('virtio5', ...sb(0), PLUGGED, ONLINE, 'online', q(3), false); // 1
      r.change('virtio5', ...sb(4), UNPLUGGED, PLUGGED, 'plug', g(5), false); // 2
      r.change('virtio5', ...sb(8), UNPLUGGED, PLUGGED, 'plug', q(3), false); // 3
      r.change('virtio5', ...sb(2), UNPLUGGED, PLUGGED, 'plug', g(5), false); // 4
      r.change('virtio5', ...sb(9), UNPLUGGED, PLUGGED, 'plug', q(4), false); // 5
      r.change('virtio5', ...sb(6), PLUGGED, ONLINE, 'online', g(9), false); // 6
      const h = new History(r.columns());
      assert.deepEqual(h.at(0, 5).map((c) => c.index), [0, 2, 4]);
      assert.deepEqual(h.at(0, 5).map((c) => c.start), [sb(0)[0], sb(4)[0], sb(2)[0]]);
      assert.deepEqual(h.at(1, 3).map((c) => c.index), [1, 3]);
      assert.deepEqual(h.at(1, 4).map((c) => c.index), [5]);
      assert.deepEqual(h.at(0, 9).map((c) => c.index), [6]);
      for (const c of [...h.at(0, 5), ...h.at(0, 9)]) assert.equal(c.input, 0);
      for (const c of [...h.at(1, 3), ...h.at(1, 4)]) assert.equal(c.input, 1);
    });

    it('at() returns nothing for a line without changes, an input without changes, or beyond the last line', () => {
      const r = new HistoryRecorder();
      r.change('virtio5', ...sb(0), UNPLUGGED, PLUGGED, 'plug', { input: 0, line: 5 }, false);
      r.change('virtio5', ...sb(3), UNPLUGGED, PLUGGED, 'plug', { input: 1, line: 6 }, false);
      r.change('virtio5', ...sb(6), UNPLUGGED, PLUGGED, 'plug', { input: 0, line: 8 }, false);
      const h = new History(r.columns());
      assert.deepEqual(h.at(0, 6), []);
      assert.deepEqual(h.at(0, 1), []);
      assert.deepEqual(h.at(0, 100), []);
      assert.deepEqual(h.at(1, 5), []);
      assert.deepEqual(h.at(2, 5), []);
      assert.deepEqual(new History(new HistoryRecorder().columns()).at(0, 1), []);
    });

    it('at() finds changes recorded at an earlier line after later ones (deduced actions), in record order', () => {
      const r = new HistoryRecorder();
      r.change('virtio5', ...sb(0), UNPLUGGED, PLUGGED, 'plug', { input: 0, line: 10 }, false); // 0
      r.change('virtio5', ...sb(2), UNPLUGGED, PLUGGED, 'plug', { input: 0, line: 4 }, true); // 1
      r.change('virtio5', ...sb(4), UNPLUGGED, PLUGGED, 'plug', { input: 0, line: 12 }, false); // 2
      r.change('virtio5', ...sb(6), UNPLUGGED, PLUGGED, 'plug', { input: 0, line: 4 }, true); // 3
      const h = new History(r.columns());
      assert.deepEqual(h.at(0, 4).map((c) => c.index), [1, 3]);
      assert.deepEqual(h.at(0, 10).map((c) => c.index), [0]);
      assert.deepEqual(h.at(0, 12).map((c) => c.index), [2]);
      assert.deepEqual(h.at(0, 11), []);
    });

    it('reads a capped history: the changes kept are found, the ones dropped are not', () => {
      const r = new HistoryRecorder(3);
      for (let line = 1; line <= 5; line++) r.change('virtio5', ...sb(line * 2), UNPLUGGED, PLUGGED, 'plug', { input: 0, line }, false);
      const h = new History(r.columns());
      assert.equal(h.at(0, 3).length, 1);
      assert.deepEqual(h.at(0, 4), []);
    });
  });

  describe('historyBuffers', () => {
    it('returns the buffers of the trimmed columns, one per typed array', () => {
      const r = new HistoryRecorder();
      for (let line = 1; line <= 5; line++) r.change('virtio5', ...sb(line * 2), UNPLUGGED, PLUGGED, 'plug', { input: 0, line }, false);
      const c = r.columns();
      const buffers = historyBuffers(c);
      const arrays = [c.input, c.line, c.device, c.start, c.end, c.before, c.after, c.action, c.inferred, c.seq];
      assert.equal(buffers.length, arrays.length);
      for (const [i, a] of arrays.entries()) {
        assert.equal(a.length, 5);
        assert.equal(buffers[i], a.buffer);
        assert.equal(buffers[i].byteLength, 5 * a.BYTES_PER_ELEMENT);
      }
    });

    it('lets the columns be transferred (as to a worker) and read again on the other side', () => {
      const r = new HistoryRecorder();
      r.change('virtio5', ...sb(0, 3), UNPLUGGED, PLUGGED, 'plug', { input: 0, line: 2 }, false);
      r.change('virtio5', ...sb(0, 3), PLUGGED, ONLINE, 'online', { input: 1, line: 9 }, true);
      const c = r.columns();
      const expected = [new History(c).record(0), new History(c).record(1)];
      const moved = structuredClone(c, { transfer: historyBuffers(c) });
      assert.equal(c.line.length, 0, 'the sender’s arrays are detached');
      const h = new History(moved);
      assert.deepEqual([h.record(0), h.record(1)], expected);
      assert.deepEqual(h.at(1, 9).map((x) => x.after), [TUPLES[ONLINE]]);
    });
  });

  describe('the model hook', () => {
    it('Model.observer is told of the runs an analysis changes', async () => {
      const seen: string[] = [];
      const recorder = new HistoryRecorder();
      const spy = {
        change(...args: Parameters<HistoryRecorder['change']>) {
          seen.push(args[0]);
          recorder.change(...args);
        },
      };
      await analyze(await exampleSources(), { observe: { history: spy } });
      assert.ok(seen.length > 0);
      assert.ok(seen.every((d) => d === 'virtio5'));
      assert.ok(recorder.columns().count <= seen.length);
    });

    it('Model.apply tells its observer of each run it changed, with the states before and after', () => {
      const model = new Model({ ...DEFAULT_POLICIES });
      model.device('virtio5').geometry.sawAddress(BASE, BASE + 8n * SB);
      const recorder = new HistoryRecorder();
      model.observer = recorder;
      model.apply({ on: 'plug', device: 'virtio5', start: BASE, end: BASE + 4n * SB, at: { input: 0, line: 3 } });
      model.apply({ on: 'plug', device: 'virtio5', start: BASE + 6n * SB, end: BASE + 8n * SB, at: { input: 0, line: 4 }, inferred: true });
      const h = new History(recorder.columns());
      assert.equal(h.size, 2);
      const [first] = h.at(0, 3);
      assert.equal(first.start, BASE);
      assert.equal(first.end, BASE + 4n * SB);
      assert.equal(first.before.dev, 'unknown');
      assert.equal(first.after.dev, 'plugged');
      assert.equal(first.action, 'plug');
      assert.equal(first.inferred, false);
      const [second] = h.at(0, 4);
      assert.equal(second.start, BASE + 6n * SB);
      assert.equal(second.inferred, true);
      // Without an observer the model works the same and nothing is told.
      model.observer = undefined;
      model.apply({ on: 'online', device: 'virtio5', start: BASE, end: BASE + 4n * SB, at: { input: 0, line: 5 } });
      assert.equal(recorder.columns().count, 2);
    });

    it('the history of guest.log:22 of the example starts at 0x108000000 with the memory still accepted (stale)', async () => {
      const recorder = new HistoryRecorder();
      await analyze(await exampleSources(), { observe: { history: recorder } });
      const h = new History(recorder.columns());
      const changes = h.at(0, 22);
      assert.ok(changes.length > 0);
      assert.equal(changes[0].start, 0x108000000n);
      assert.equal(changes[0].before.accept, 'stale');
      assert.equal(changes[0].device, 'virtio5');
      for (const c of changes) {
        assert.equal(c.input, 0);
        assert.equal(c.line, 22);
        assert.ok(c.start >= 0x108000000n && c.end <= 0x110000000n, `${c.start.toString(16)}–${c.end.toString(16)}`);
      }
      // Line 12 of the guest log (a virtio_net line) changed nothing.
      assert.deepEqual(h.at(0, 12), []);
    });

    it('replaying the history of the example run reproduces its final states', async () => {
      const records = await assertReplayGivesFinalState(await exampleSources());
      assert.ok(records > 100, `${records} records`);
    });

    it('replaying the history reproduces the final states of a what-if run too', async () => {
      await assertReplayGivesFinalState(await exampleSources(), { whatIf: { 'vmm.discardPrivate': 'yes' } });
    });

    it('replaying the history reproduces the final states of every scenario fixture', async () => {
      let checked = 0;
      for (const dir of readdirSync(SCENARIOS).sort()) {
        const files = readdirSync(join(SCENARIOS, dir)).sort((a, b) => order(a) - order(b)).map((f) => join(SCENARIOS, dir, f));
        await assertReplayGivesFinalState(await Promise.all(files.map((f) => fileSource(f))));
        checked += 1;
      }
      assert.ok(checked >= 10, `${checked} scenarios`);
    });

    it('replaying the history reproduces the final states for any subsequence of the example logs', async () => {
      const guest = readFileSync(join(EXAMPLE, 'guest.log'), 'utf8').split('\n').filter((l) => l !== '');
      const qemu = readFileSync(join(EXAMPLE, 'qemu.log'), 'utf8').split('\n').filter((l) => l !== '');
      await fc.assert(
        fc.asyncProperty(fc.subarray(guest), fc.subarray(qemu), fc.boolean(), async (g, q, whatIf) => {
          await assertReplayGivesFinalState(
            [memory('guest.log', `${g.join('\n')}\n`), memory('qemu.log', `${q.join('\n')}\n`)],
            whatIf ? { whatIf: { 'vmm.discardPrivate': 'yes' } } : {},
          );
        }),
        { numRuns: 25 },
      );
    });

    it('replaying the history reproduces the final states for generated guest and QEMU logs', async () => {
      let records = 0;
      await fc.assert(
        fc.asyncProperty(generatedRunArb, fc.boolean(), async ([guest, qemu], whatIf) => {
          records += await assertReplayGivesFinalState(
            [memory('guest.log', guest), memory('qemu.log', qemu)],
            whatIf ? { whatIf: { 'vmm.discardPrivate': 'yes' } } : {},
          );
        }),
        { numRuns: 100 },
      );
      assert.ok(records > 100, `${records} records in all`);
    });
  });

  describe('tuple formatting', () => {
    it('tupleText lists the components in their fixed order, unknown as ?', () => {
      assert.equal(tupleText(TUPLES[0]), '? ? ? ? ?');
      assert.equal(tupleText(TUPLES[ONLINE]), 'plugged buddy private accepted page');
      assert.equal(tupleText(TUPLES[tuple({ dev: 'unplugged', accept: 'stale' })]), 'unplugged ? ? stale ?');
    });

    it('tupleChanges lists each changed component as `component: before → after`', () => {
      const before = TUPLES[tuple({ dev: 'plugged', use: 'buddy', attr: 'private', accept: 'accepted', backing: 'page' })];
      const after = TUPLES[tuple({ dev: 'unplugged', use: 'none', attr: 'private', accept: 'stale', backing: 'page' })];
      assert.deepEqual(tupleChanges(before, after), ['dev: plugged → unplugged', 'use: buddy → none', 'accept: accepted → stale']);
    });

    it('tupleChanges writes unknown in full and is empty for equal tuples', () => {
      assert.deepEqual(tupleChanges(TUPLES[0], TUPLES[PLUGGED]), ['dev: unknown → plugged', 'use: unknown → none']);
      assert.deepEqual(tupleChanges(TUPLES[ONLINE], TUPLES[ONLINE]), []);
    });
  });
});

/** Guest first, then QEMU, then host, as the CLI is usually given them. */
function order(file: string): number {
  const i = ['guest', 'qemu', 'host'].findIndex((k) => file.startsWith(k));
  return i < 0 ? 3 : i;
}
