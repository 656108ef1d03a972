/**
 * What a timeline view asks of an analysed run, answered from the interval store, the event
 * table and the history: the overview (meta), windows to draw, what a point holds, what a
 * line changed, when a line happened. The extension host answers a webview with it; a
 * standalone report answers itself with it, in the page.
 */
import type { Finding } from '../diagnose/finding';
import { History } from '../model/history';
import type { HistoryColumns } from '../model/history';
import { COMPONENT_NAMES, TUPLES, tupleChanges, tupleText } from '../model/state';
import { type EventColumns, EventIndex, type TimeAxis } from './event-table';
import { type IntervalColumns, intervalAt, intervalEnd, type LaneDevice, laneOf } from './intervals';
import { CLASS_OF_TUPLE, STATE_CLASSES, type StateClass } from './state-class';
import { queryWindow, type WindowData, type WindowRequest } from './window';

/** Everything a timeline needs of a run, as columns (posted with transfers, embedded in a report). */
export interface TimelineData {
  inputs: string[];
  events: EventColumns;
  intervals: IntervalColumns;
  history: HistoryColumns;
  findings: TimelineFinding[];
}

/** A finding placed on the timeline: its time and the lanes it is about. */
export interface TimelineFinding {
  index: number;
  code: string;
  name: string;
  severity: Finding['severity'];
  message: string;
  rootCause: string;
  input: number;
  line: number;
  time: number;
  /** `[laneFrom, laneTo)`; both -1 when the finding names no address. */
  laneFrom: number;
  laneTo: number;
}

export interface TimelineMeta {
  inputs: string[];
  axis: TimeAxis;
  t0: number;
  t1: number;
  truncatedAt?: number;
  lanes: number;
  devices: LaneDevice[];
  classes: readonly StateClass[];
  actions: string[];
  eventCount: number;
  findings: TimelineFinding[];
  laneClasses: Uint16Array;
  laneActions: Uint32Array;
}

/** A log line a timeline refers to; `offset` lets a host read its text from a file. */
export interface LineRef {
  input: number;
  line: number;
  offset: number;
}

/** What one lane holds at one time. */
export interface LaneInspection {
  kind: 'lane';
  lane: number;
  device: string;
  address: number;
  memoryBlock: number;
  subblockSize: number;
  classIndex: number;
  state: Record<string, string>;
  stateText: string;
  since: number;
  until: number;
  /** The change that set this state (absent for the state the lane started the run in). */
  setBy?: LineRef & { action: string; inferred: boolean; changes: string[] };
}

/** What a range of lanes (a memory block, a device) holds at one time: lanes per class. */
export interface GroupInspection {
  kind: 'group';
  laneFrom: number;
  laneTo: number;
  counts: number[];
  /** The latest change to any of these lanes at or before the time asked about. */
  setBy?: LineRef & { action: string; inferred: boolean; changes: string[] };
}

export type Inspection = LaneInspection | GroupInspection;

/** One change a line made, as the "what changed here" panel lists it. */
export interface ChangeRow {
  device: string;
  start: number;
  end: number;
  action: string;
  before: string;
  after: string;
  changes: string[];
  inferred: boolean;
}

export class Timeline {
  private readonly eventIndex: EventIndex;
  private readonly history: History;

  constructor(readonly data: TimelineData) {
    this.eventIndex = new EventIndex(data.events);
    this.history = new History(data.history);
  }

  meta(): TimelineMeta {
    const { intervals: s, events } = this.data;
    return {
      inputs: this.data.inputs,
      axis: events.axis,
      t0: s.t0,
      t1: s.t1,
      ...(s.truncatedAt !== undefined ? { truncatedAt: s.truncatedAt } : {}),
      lanes: s.lanes,
      devices: s.devices,
      classes: STATE_CLASSES,
      actions: s.actions,
      eventCount: events.count,
      findings: this.data.findings,
      laneClasses: s.laneClasses,
      laneActions: s.laneActions,
    };
  }

  window(request: WindowRequest): WindowData {
    return queryWindow(this.data.intervals, this.data.events, request);
  }

  inspect(laneFrom: number, laneTo: number, time: number): Inspection | undefined {
    const s = this.data.intervals;
    if (!(laneFrom >= 0 && laneTo > laneFrom && laneTo <= s.lanes)) return undefined;
    if (laneTo - laneFrom > 1) {
      const counts = STATE_CLASSES.map(() => 0);
      // Latest by time (then by order): a change deduced later may name an earlier line.
      let latest = -1;
      let latestStart = Number.NEGATIVE_INFINITY;
      for (let lane = laneFrom; lane < laneTo; lane++) {
        const k = intervalAt(s, lane, time);
        counts[CLASS_OF_TUPLE[s.state[k]]] += 1;
        if (s.ref[k] >= 0 && (s.start[k] > latestStart || (s.start[k] === latestStart && s.ref[k] > latest))) {
          latest = s.ref[k];
          latestStart = s.start[k];
        }
      }
      const group: GroupInspection = { kind: 'group', laneFrom, laneTo, counts };
      if (latest >= 0) group.setBy = this.changeRef(latest);
      return group;
    }
    const lane = laneFrom;
    const device = s.devices.find((d) => lane >= d.firstLane && lane < d.firstLane + d.count);
    if (!device) return undefined;
    const k = intervalAt(s, lane, time);
    const tuple = TUPLES[s.state[k]];
    const address = device.base + (lane - device.firstLane) * device.subblockSize;
    const inspection: LaneInspection = {
      kind: 'lane',
      lane,
      device: device.device,
      address,
      memoryBlock: Math.floor(address / device.memoryBlockSize),
      subblockSize: device.subblockSize,
      classIndex: CLASS_OF_TUPLE[s.state[k]],
      state: Object.fromEntries(COMPONENT_NAMES.map((c) => [c, tuple[c]])),
      stateText: tupleText(tuple),
      since: s.start[k],
      until: intervalEnd(s, lane, k),
    };
    if (s.ref[k] >= 0) inspection.setBy = this.changeRef(s.ref[k]);
    return inspection;
  }

  private changeRef(record: number): LineRef & { action: string; inferred: boolean; changes: string[] } {
    const change = this.history.record(record);
    return {
      ...this.lineRef(change.input, change.line),
      action: change.action,
      inferred: change.inferred,
      changes: tupleChanges(change.before, change.after),
    };
  }

  /** The changes `line` of `input` made ("what changed here"). */
  changesAt(input: number, line: number): ChangeRow[] {
    return this.history.at(input, line).map((c) => ({
      device: c.device,
      start: Number(c.start),
      end: Number(c.end),
      action: c.action,
      before: tupleText(c.before),
      after: tupleText(c.after),
      changes: tupleChanges(c.before, c.after),
      inferred: c.inferred,
    }));
  }

  /** When `line` of `input` happened: the time of its event, or of the last event before it. */
  timeOfLine(input: number, line: number): number | undefined {
    const k = this.eventIndex.at(input, line);
    return k < 0 ? undefined : this.data.events.time[k];
  }

  lineRef(input: number, line: number): LineRef {
    const k = this.eventIndex.at(input, line);
    const exact = k >= 0 && this.data.events.line[k] === line;
    return { input, line, offset: exact ? this.data.events.offset[k] : -1 };
  }
}

/** Places findings on the timeline: at their line's time, over the lanes of their address range. */
export function placeFindings(findings: readonly Finding[], intervals: IntervalColumns, events: EventColumns): TimelineFinding[] {
  const index = new EventIndex(events);
  return findings.map((f, i) => {
    const k = index.at(f.location.input, f.location.line);
    let laneFrom = -1;
    let laneTo = -1;
    if (f.range) {
      const device = f.device ?? intervals.devices.find((d) => Number(f.range!.start) >= d.base && Number(f.range!.start) < d.base + d.count * d.subblockSize)?.device;
      if (device) {
        const first = laneOf(intervals, device, Number(f.range.start));
        const last = laneOf(intervals, device, Number(f.range.end) - 1);
        if (first >= 0 && last >= first) {
          laneFrom = first;
          laneTo = last + 1;
        }
      }
    }
    return {
      index: i,
      code: f.code,
      name: f.name,
      severity: f.severity,
      message: f.message,
      rootCause: f.rootCause,
      input: f.location.input,
      line: f.location.line,
      time: k >= 0 ? events.time[k] : intervals.t0,
      laneFrom,
      laneTo,
    };
  });
}
