/**
 * The interval store: for every subblock (a lane), the states it went through and when, as
 * columns of typed arrays. Built once from the model's history; the timeline reads windows of
 * it. A lane's intervals are contiguous and in time order; an interval ends where the next
 * one of its lane starts, the last one at the end of the run.
 */
import type { DeviceSnapshot } from '../model/device';
import type { Geometry } from '../model/geometry';
import type { HistoryColumns } from '../model/history';
import type { EventColumns } from './event-table';
import { CLASS_OF_TUPLE } from './state-class';

/** The lanes of one device: subblock `i` of the device is lane `firstLane + i`. */
export interface LaneDevice {
  device: string;
  /** Address of the device's lane 0, and the size each lane stands for. */
  base: number;
  subblockSize: number;
  memoryBlockSize: number;
  firstLane: number;
  count: number;
}

export interface IntervalColumns {
  lanes: number;
  devices: LaneDevice[];
  /** Intervals of lane `l` are `laneStart[l] .. laneStart[l + 1] - 1`. */
  laneStart: Uint32Array;
  start: Float64Array;
  /** Tuple number (see model/state TUPLES). */
  state: Uint16Array;
  /** The history record that set the state; -1 for the state a lane had before its first change. */
  ref: Int32Array;
  /** Per lane: a bit per state class and per history action it ever had (for filters). */
  laneClasses: Uint16Array;
  laneActions: Uint32Array;
  actions: string[];
  /** The run's time span on the merged timeline. */
  t0: number;
  t1: number;
  /** Time after which changes were not kept (the store's or the history's cap was reached). */
  truncatedAt?: number;
}

/** 4 M intervals (about 56 MB): room for hours of hotplug cycles over thousands of subblocks. */
export const MAX_INTERVALS = 4_000_000;

export interface IntervalInputs {
  history: HistoryColumns;
  events: EventColumns;
  states: readonly DeviceSnapshot[];
  devices: readonly Geometry[];
}

export function buildIntervals({ history, events, states, devices }: IntervalInputs, cap = MAX_INTERVALS): IntervalColumns {
  const layout = laneLayout(states, devices);
  const lanes = layout.reduce((n, d) => n + d.count, 0);
  const t0 = events.count > 0 ? events.time[0] : 0;
  const lastTime = events.count > 0 ? events.time[events.count - 1] : 0;
  const t1 = lastTime > t0 ? lastTime : t0 + 1;
  const timeOf = (k: number) => (history.seq[k] >= 0 && history.seq[k] < events.count ? events.time[history.seq[k]] : t0);

  // Which lanes each history record covers; -1 when its device has no lanes.
  const deviceOfRecord = history.devices.map((name) => layout.findIndex((d) => d.device === name));
  const span = (k: number): [number, number] | undefined => {
    const d = layout[deviceOfRecord[history.device[k]]];
    if (!d) return undefined;
    const first = Math.max(0, Math.floor((history.start[k] - d.base) / d.subblockSize));
    const last = Math.min(d.count, Math.ceil((history.end[k] - d.base) / d.subblockSize));
    return last > first ? [d.firstLane + first, d.firstLane + last] : undefined;
  };

  // Pass 1: intervals per lane (a difference array over lanes), stopping at the cap.
  const diff = new Int32Array(lanes + 1);
  let total = lanes;
  let kept = 0;
  for (; kept < history.count; kept++) {
    const s = span(kept);
    if (!s) continue;
    if (total + (s[1] - s[0]) > cap) break;
    total += s[1] - s[0];
    diff[s[0]] += 1;
    diff[s[1]] -= 1;
  }
  const laneStart = new Uint32Array(lanes + 1);
  for (let l = 0, run = 0, at = 0; l < lanes; l++) {
    run += diff[l];
    laneStart[l] = at;
    at += run + 1;
    laneStart[l + 1] = at;
  }

  // Pass 2: each lane starts in its final state (right for lanes that never change), corrected
  // to the first change's "before" when there is one.
  const start = new Float64Array(total);
  const state = new Uint16Array(total);
  const ref = new Int32Array(total);
  const laneClasses = new Uint16Array(lanes);
  const laneActions = new Uint32Array(lanes);
  const cursor = new Uint32Array(lanes);
  for (const d of layout) {
    const tuples = states.find((s) => s.device === d.device)?.tuples;
    for (let i = 0; i < d.count; i++) {
      const l = d.firstLane + i;
      const k = laneStart[l];
      start[k] = t0;
      state[k] = tuples ? tuples[i] : 0;
      ref[k] = -1;
      cursor[l] = k + 1;
    }
  }
  for (let k = 0; k < kept; k++) {
    const s = span(k);
    if (!s) continue;
    const t = timeOf(k);
    const actionBit = history.action[k] < 32 ? 1 << history.action[k] : 0;
    for (let l = s[0]; l < s[1]; l++) {
      const at = cursor[l]++;
      if (at === laneStart[l] + 1) state[at - 1] = history.before[k];
      start[at] = t;
      state[at] = history.after[k];
      ref[at] = k;
      laneActions[l] |= actionBit;
    }
  }
  for (let l = 0; l < lanes; l++) {
    for (let k = laneStart[l]; k < laneStart[l + 1]; k++) laneClasses[l] |= 1 << CLASS_OF_TUPLE[state[k]];
  }
  const truncated = kept < history.count ? timeOf(kept) : history.stoppedAt ? lastTime : undefined;
  return {
    lanes,
    devices: layout,
    laneStart,
    start,
    state,
    ref,
    laneClasses,
    laneActions,
    actions: [...history.actions],
    t0,
    t1,
    ...(truncated !== undefined ? { truncatedAt: truncated } : {}),
  };
}

function laneLayout(states: readonly DeviceSnapshot[], devices: readonly Geometry[]): LaneDevice[] {
  let firstLane = 0;
  return states.map((s) => {
    const g = devices.find((d) => d.device === s.device);
    const memoryBlockSize = g ? Number(g.memoryBlockSize) : s.subblockSize;
    const d: LaneDevice = { device: s.device, base: s.base, subblockSize: s.subblockSize, memoryBlockSize, firstLane, count: s.tuples.length };
    firstLane += d.count;
    return d;
  });
}

/** The interval (index) of `lane` in force at time `t`. */
export function intervalAt(c: IntervalColumns, lane: number, t: number): number {
  let lo = c.laneStart[lane];
  let hi = c.laneStart[lane + 1] - 1;
  // The last interval starting at or before t; the first one also stands for any earlier time.
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (c.start[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The time interval `k` of `lane` ends. */
export function intervalEnd(c: IntervalColumns, lane: number, k: number): number {
  return k + 1 < c.laneStart[lane + 1] ? c.start[k + 1] : c.t1;
}

/** The lane of an address on a device, or -1. */
export function laneOf(c: IntervalColumns, device: string, address: number): number {
  const d = c.devices.find((x) => x.device === device);
  if (!d) return -1;
  const i = Math.floor((address - d.base) / d.subblockSize);
  return i >= 0 && i < d.count ? d.firstLane + i : -1;
}

export function intervalBuffers(c: IntervalColumns): ArrayBuffer[] {
  return [c.laneStart, c.start, c.state, c.ref, c.laneClasses, c.laneActions].map((a) => a.buffer as ArrayBuffer);
}
