/**
 * The timeline's store: event times, intervals built from the model's history, windows
 * binned from them, findings placed on lanes, the page's messages validated, and report data
 * that survives the trip through an HTML page.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { analyzeForViews } from '../../../src/core/analyze-for-views';
import type { HotplugEvent } from '../../../src/core/events';
import type { DeviceSnapshot } from '../../../src/core/model/device';
import type { Geometry } from '../../../src/core/model/geometry';
import { HistoryRecorder } from '../../../src/core/model/history';
import { COMPONENT_NAMES, TUPLES, type Tuple } from '../../../src/core/model/state';
import { EventIndex, EventTableRecorder } from '../../../src/core/store/event-table';
import { buildIntervals, intervalAt, intervalEnd } from '../../../src/core/store/intervals';
import { CLASS_OF_TUPLE, STATE_CLASSES } from '../../../src/core/store/state-class';
import { Timeline } from '../../../src/core/store/timeline';
import { MIXED, NONE, queryWindow } from '../../../src/core/store/window';
import { fileSource } from '../../../src/node/inputs';
import { inlineJson } from '../../../src/node/report';
import { reviveTyped } from '../../../src/protocol/report-data';
import { MAX_ROWS, parseViewMessage } from '../../../src/protocol/timeline';
import { parseFilter } from '../../../webview/timeline/filter';

const ROOT = join(__dirname, '..', '..', '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'tdx-replug-failure');
const MiB2 = 0x200000;
const BASE = 0x100000000;

function tuple(known: Partial<Tuple>): number {
  const n = TUPLES.findIndex((t) => COMPONENT_NAMES.every((c) => t[c] === (known[c] ?? 'unknown')));
  assert.ok(n >= 0);
  return n;
}
const UNPLUGGED = tuple({ dev: 'unplugged', use: 'none' });
const PLUGGED = tuple({ dev: 'plugged', use: 'none' });
const STALE = tuple({ dev: 'unplugged', use: 'none', attr: 'private', accept: 'stale', backing: 'page' });
const cls = (id: string) => STATE_CLASSES.findIndex((c) => c.id === id);

/** An event with only what the event table reads. */
function event(input: number, line: number, aligned?: number): HotplugEvent {
  return { kind: 'vmem.size', rule: 'V15', input, source: { path: 'x', line, span: 1, column: 0, endColumn: 1, offset: line * 10 }, ...(aligned !== undefined ? { aligned, time: { clock: 'boot', micros: aligned } } : {}), device: 'virtio0', which: 'plugged', size: 0n } as HotplugEvent;
}

/** Four subblocks of one device: plug 0–1 at t=100, unplug 1 (leaving it stale) at t=300. */
function small() {
  const events = new EventTableRecorder();
  const history = new HistoryRecorder(1000, () => events.count - 1);
  events.see(event(0, 1, 0));
  events.see(event(0, 2, 100));
  history.change('virtio0', BigInt(BASE), BigInt(BASE + 2 * MiB2), UNPLUGGED, PLUGGED, 'plug', { input: 0, line: 2 }, false);
  events.see(event(0, 3, 200));
  events.see(event(0, 4, 300));
  history.change('virtio0', BigInt(BASE + MiB2), BigInt(BASE + 2 * MiB2), PLUGGED, STALE, 'unplug', { input: 0, line: 4 }, false);
  events.see(event(0, 5, 400));
  const states: DeviceSnapshot[] = [{ device: 'virtio0', base: BASE, subblockSize: MiB2, tuples: Uint16Array.from([PLUGGED, STALE, UNPLUGGED, UNPLUGGED]), lastInput: new Int16Array(4), lastLine: new Int32Array(4) }];
  const devices = [{ device: 'virtio0', memoryBlockSize: BigInt(4 * MiB2), subblockSize: BigInt(MiB2) } as Geometry];
  const columns = events.columns();
  return { events: columns, history: history.columns(), intervals: buildIntervals({ history: history.columns(), events: columns, states, devices }) };
}

describe('timeline store', () => {
  describe('event table', () => {
    it('keeps times from going backwards and gives untimed events their predecessor’s time', () => {
      const t = new EventTableRecorder();
      [event(0, 1), event(0, 2, 50), event(1, 1, 40), event(0, 3), event(0, 4, 70)].forEach((e) => t.see(e));
      assert.deepEqual([...t.columns().time], [50, 50, 50, 50, 70]);
      assert.equal(t.columns().axis, 'boot');
    });

    it('counts events instead when no line has a time', () => {
      const t = new EventTableRecorder();
      [event(0, 1), event(0, 2), event(0, 3)].forEach((e) => t.see(e));
      assert.deepEqual([...t.columns().time], [0, 1, 2]);
      assert.equal(t.columns().axis, 'order');
    });

    it('finds the event of a line, or the last one before it, per input', () => {
      const t = new EventTableRecorder();
      [event(0, 3, 1), event(1, 2, 2), event(0, 9, 3)].forEach((e) => t.see(e));
      const index = new EventIndex(t.columns());
      assert.deepEqual([index.at(0, 2), index.at(0, 3), index.at(0, 8), index.at(0, 20), index.at(1, 2)], [-1, 0, 0, 2, 1]);
    });
  });

  describe('intervals', () => {
    it('holds every state each subblock went through, with when and which change set it', () => {
      const { intervals: s } = small();
      assert.equal(s.lanes, 4);
      const lane = (l: number) => Array.from({ length: s.laneStart[l + 1] - s.laneStart[l] }, (_, i) => s.laneStart[l] + i).map((k) => [s.start[k], s.state[k], s.ref[k]]);
      assert.deepEqual(lane(0), [[0, UNPLUGGED, -1], [100, PLUGGED, 0]]);
      assert.deepEqual(lane(1), [[0, UNPLUGGED, -1], [100, PLUGGED, 0], [300, STALE, 1]]);
      assert.deepEqual(lane(2), [[0, UNPLUGGED, -1]]);
      assert.equal(intervalAt(s, 1, 250), s.laneStart[1] + 1);
      assert.equal(intervalAt(s, 1, -5), s.laneStart[1], 'before the run: the first state');
      assert.equal(intervalEnd(s, 1, s.laneStart[1] + 1), 300);
      assert.equal(s.laneClasses[1], (1 << cls('unplugged')) | (1 << cls('offline')) | (1 << cls('stale')));
      assert.equal(s.laneActions[1], 0b11);
    });

    it('agrees with the model on the example: every lane ends where the model left its subblock', async () => {
      const { timeline, analysis } = await analyzeForViews(await Promise.all(['guest.log', 'qemu.log'].map((f) => fileSource(join(EXAMPLE, f)))));
      const s = timeline.intervals;
      const snapshot = analysis.states![0];
      assert.equal(s.lanes, snapshot.tuples.length);
      for (let l = 0; l < s.lanes; l++) {
        assert.equal(s.state[s.laneStart[l + 1] - 1], snapshot.tuples[l], `lane ${l}`);
        for (let k = s.laneStart[l] + 1; k < s.laneStart[l + 1]; k++) assert.ok(s.start[k] >= s.start[k - 1], 'in time order');
      }
      // Each change's lanes hold an interval it set, in the state it set.
      const h = timeline.history;
      for (let k = 0; k < h.count; k++) {
        const first = (h.start[k] - s.devices[0].base) / s.devices[0].subblockSize;
        const k2 = [...Array(s.laneStart[first + 1] - s.laneStart[first]).keys()].map((i) => s.laneStart[first] + i).find((i) => s.ref[i] === k);
        assert.ok(k2 !== undefined && s.state[k2] === h.after[k], `record ${k}`);
      }
    });

    it('stops at its cap and says from when', () => {
      const { events, history } = small();
      const states: DeviceSnapshot[] = [{ device: 'virtio0', base: BASE, subblockSize: MiB2, tuples: new Uint16Array(4), lastInput: new Int16Array(4), lastLine: new Int32Array(4) }];
      const capped = buildIntervals({ history, events, states, devices: [] }, 6);
      assert.equal(capped.start.length, 6);
      assert.equal(capped.truncatedAt, 300);
    });
  });

  describe('windows', () => {
    it('bins lanes into runs of state classes, with ticks where states changed and events counted', () => {
      const { intervals, events } = small();
      const w = queryWindow(intervals, events, { t0: 0, t1: 400, bins: 4, rows: Uint32Array.from([1, 2, 2, 3]) });
      const runs = (r: number) => Array.from({ length: w.rowRuns[r + 1] - w.rowRuns[r] }, (_, i) => [w.runStart[w.rowRuns[r] + i], w.runClass[w.rowRuns[r] + i]]);
      // Lane 1: unplugged, then plugged (offline) from 100, stale from 300.
      assert.deepEqual(runs(0), [[0, cls('unplugged')], [1, cls('offline')], [3, cls('stale')]]);
      assert.deepEqual(runs(1), [[0, cls('unplugged')]]);
      assert.deepEqual([...w.ticks], [0, 1, 2, 0, 3, 4]);
      assert.deepEqual([...w.eventCounts], [1, 1, 1, 2]);
    });

    it('never bins a stale subblock away: a summary of many lanes shows it, marked mixed', () => {
      const { intervals, events } = small();
      const w = queryWindow(intervals, events, { t0: 0, t1: 400, bins: 1, rows: Uint32Array.from([0, 4]) });
      assert.equal(w.runClass[0], cls('stale') | MIXED);
    });

    it('leaves bins outside the run empty', () => {
      const { intervals, events } = small();
      const w = queryWindow(intervals, events, { t0: 400, t1: 800, bins: 2, rows: Uint32Array.from([0, 1]) });
      assert.deepEqual([...w.runClass], [NONE]);
    });
  });

  describe('the timeline service', () => {
    it('places findings at their line’s time over the lanes of their range', async () => {
      const { timeline } = await analyzeForViews(await Promise.all(['guest.log', 'qemu.log'].map((f) => fileSource(join(EXAMPLE, f)))));
      const t = new Timeline(timeline);
      const f = t.meta().findings[0];
      assert.deepEqual([f.code, f.line, f.laneFrom, f.laneTo], ['HPL001', 22, 64, 128]);
      assert.equal(f.time, t.timeOfLine(0, 22));
      const lane = t.inspect(64, 65, f.time - 1);
      assert.equal(lane?.kind, 'lane');
      assert.equal(lane?.kind === 'lane' && STATE_CLASSES[lane.classIndex].id, 'stale');
      assert.ok(lane?.setBy && lane.setBy.input === 1 && lane.setBy.offset > 0, 'set by a QEMU line, whose text can be read at its offset');
      assert.deepEqual(t.changesAt(0, 1), [], 'a line that changed nothing');
      assert.equal(t.inspect(5, 3, 0), undefined, 'an empty lane range');
    });
  });

  describe('page messages', () => {
    it('takes well-formed messages', () => {
      assert.deepEqual(parseViewMessage({ type: 'reveal', input: 1, line: 22, focus: false }), { type: 'reveal', input: 1, line: 22, focus: false });
      assert.deepEqual(parseViewMessage({ type: 'reveal', input: 1, line: 22, focus: true, extra: 1 }), { type: 'reveal', input: 1, line: 22, focus: true });
      const w = parseViewMessage({ type: 'window', id: 3, t0: 0, t1: 10, bins: 100, rows: [0, 64, 64, 65] });
      assert.ok(w?.type === 'window' && w.rows instanceof Uint32Array && w.rows.length === 4);
      assert.deepEqual(parseViewMessage({ type: 'problem', text: 'x'.repeat(5000) }), { type: 'problem', text: 'x'.repeat(2000) });
    });

    it('ignores anything else', () => {
      const bad: unknown[] = [
        null,
        'reveal',
        { type: 'run', command: 'rm -rf /' },
        { type: 'reveal', input: -1, line: 2 },
        { type: 'reveal', input: 0, line: 0 },
        { type: 'reveal', input: 0, line: '22', focus: false },
        { type: 'reveal', input: 0, line: 22 },
        { type: 'reveal', input: 0, line: 22, focus: 'yes' },
        { type: 'inspect', id: 1, laneFrom: 0, laneTo: 1, time: Number.NaN },
        { type: 'window', id: 1, t0: 0, t1: 1, bins: 0, rows: [] },
        { type: 'window', id: 1, t0: 0, t1: 1, bins: 10, rows: [5, 2] },
        { type: 'window', id: 1, t0: 0, t1: 1, bins: 10, rows: [0] },
        { type: 'window', id: 1, t0: 0, t1: 1, bins: 10, rows: new Array((MAX_ROWS + 1) * 2).fill(0) },
        { type: 'changes', id: 1.5, input: 0, line: 1 },
        { type: '__proto__' },
      ];
      for (const m of bad) assert.equal(parseViewMessage(m), undefined, JSON.stringify(m)?.slice(0, 80));
    });
  });

  describe('report data', () => {
    it('cannot close its script element, and gives back the same typed arrays', () => {
      const data = { text: '</script><script>alert(1)</script>', rows: Float64Array.from([1.5, -2, 2 ** 50]), lanes: Uint16Array.from([1, 65535]) };
      const json = inlineJson(data);
      assert.ok(!json.includes('<'), json);
      const back = JSON.parse(json, reviveTyped) as typeof data;
      assert.equal(back.text, data.text);
      assert.deepEqual(back.rows, data.rows);
      assert.deepEqual(back.lanes, data.lanes);
    });
  });

  describe('filter box', () => {
    const meta = () => ({ devices: [{ device: 'virtio5' }], classes: STATE_CLASSES, actions: ['plug', 'unplug'] }) as never;
    it('reads keys and recognises bare words by their shape', () => {
      const { filter, unknown } = parseFilter('virtio5 HPL001 code:hpl004 stale state:online unplug addr:0x100000000-0x108000000 0x200000000 nonsense dev:virtio9', meta());
      assert.deepEqual([...filter.devices], ['virtio5']);
      assert.deepEqual([...filter.codes], ['HPL001', 'HPL004']);
      assert.equal(filter.classMask, (1 << cls('stale')) | (1 << cls('online')));
      assert.equal(filter.actionMask, 0b10);
      assert.deepEqual(filter.ranges, [[0x100000000, 0x108000000], [0x200000000, 0x200000001]]);
      assert.deepEqual(unknown, ['nonsense', 'dev:virtio9']);
    });
  });

  it('classifies every tuple', () => {
    assert.equal(CLASS_OF_TUPLE.length, TUPLES.length);
    assert.equal(CLASS_OF_TUPLE[STALE], cls('stale'));
    assert.equal(CLASS_OF_TUPLE[0], cls('unknown'));
  });
});
