/**
 * Every change the model made, in the order it made them: one record per run of subblocks of
 * one device that one log line moved from one state to another. Hover ("what did this line
 * do"), the timeline and the replay read it. Kept as columns of typed arrays so that it costs
 * little per record and crosses a worker boundary without copying.
 */
import { RecordsByLine, resizeColumns } from '../columns';
import type { ActionKind } from './transitions';
import { TUPLES, type Tuple } from './state';

/** The columns, as plain typed arrays: what a worker posts and a reader wraps again. */
export interface HistoryColumns {
  count: number;
  devices: string[];
  actions: string[];
  input: Int16Array;
  line: Int32Array;
  device: Uint16Array;
  /** Run start and end addresses; physical addresses stay below 2^52, exact in a double. */
  start: Float64Array;
  end: Float64Array;
  before: Uint16Array;
  after: Uint16Array;
  action: Uint8Array;
  inferred: Uint8Array;
  /** Ordinal of the event being replayed when the change was made (see the constructor). */
  seq: Int32Array;
  /** Where recording stopped because the cap was reached, if it did. */
  stoppedAt?: { input: number; line: number };
}

/** 2 M records (about 60 MB): far more than a day of hotplug cycles; a bench log gets there. */
export const MAX_HISTORY_RECORDS = 2_000_000;

export interface Change {
  index: number;
  input: number;
  line: number;
  device: string;
  action: string;
  start: bigint;
  end: bigint;
  before: Tuple;
  after: Tuple;
  inferred: boolean;
}

/** What the model calls for each run it changed. */
export interface ChangeObserver {
  change(device: string, start: bigint, end: bigint, before: number, after: number, action: ActionKind, at: { input: number; line: number }, inferred: boolean): void;
  /** The unnamed device's memory turned out to be `to`'s (Model.claimUnnamed): its changes are `to`'s. */
  renamed?(from: string, to: string): void;
}

export class HistoryRecorder implements ChangeObserver {
  private cols: HistoryColumns;
  private readonly deviceIndex = new Map<string, number>();
  private readonly actionIndex = new Map<string, number>();

  /**
   * `ordinal` tells which event the model is at: a change deduced later for an earlier line
   * still happened, on the timeline, when it was deduced. `joinsRuns`: whether subblocks the
   * model reports one by one (those that emit) join their neighbour's record; the replay keeps
   * them apart, as the model told them ("+63" in its call stack).
   */
  constructor(
    private readonly cap = MAX_HISTORY_RECORDS,
    private readonly ordinal: () => number = () => -1,
    private readonly joinsRuns = true,
  ) {
    this.cols = allocate(1024, [], []);
  }

  /** The columns as they are now, not trimmed (records below `count`), for a reader while recording goes on. */
  get recorded(): Readonly<HistoryColumns> {
    return this.cols;
  }

  renamed(from: string, to: string): void {
    const index = this.deviceIndex.get(from);
    // A device with changes of its own has no unnamed past to take (Model.claimUnnamed only adopts into an empty device).
    if (index === undefined || this.deviceIndex.has(to)) return;
    this.deviceIndex.delete(from);
    this.deviceIndex.set(to, index);
    this.cols.devices[index] = to;
  }

  change(device: string, start: bigint, end: bigint, before: number, after: number, action: ActionKind, at: { input: number; line: number }, inferred: boolean): void {
    const c = this.cols;
    const dev = this.index(this.deviceIndex, c.devices, device);
    const act = this.index(this.actionIndex, c.actions, action);
    const s = Number(start);
    const e = Number(end);
    const last = c.count - 1;
    // Subblocks that emit are reported one by one: a neighbour of the same line and states joins the run.
    if (
      this.joinsRuns && last >= 0 && c.end[last] === s && c.line[last] === at.line && c.input[last] === at.input && c.device[last] === dev &&
      c.before[last] === before && c.after[last] === after && c.action[last] === act && c.seq[last] === this.ordinal()
    ) {
      c.end[last] = e;
      return;
    }
    if (c.count >= this.cap) {
      c.stoppedAt ??= { input: at.input, line: at.line };
      return;
    }
    if (c.count === c.input.length) this.cols = grow(c, Math.min(this.cap, c.count * 2));
    const k = this.cols.count++;
    const g = this.cols;
    g.input[k] = at.input;
    g.line[k] = at.line;
    g.device[k] = dev;
    g.start[k] = s;
    g.end[k] = e;
    g.before[k] = before;
    g.after[k] = after;
    g.action[k] = act;
    g.inferred[k] = inferred ? 1 : 0;
    g.seq[k] = this.ordinal();
  }

  /** The columns trimmed to their length. */
  columns(): HistoryColumns {
    return grow(this.cols, this.cols.count);
  }

  private index(map: Map<string, number>, list: string[], name: string): number {
    let i = map.get(name);
    if (i === undefined) {
      i = list.length;
      list.push(name);
      map.set(name, i);
    }
    return i;
  }
}

function allocate(size: number, devices: string[], actions: string[]): HistoryColumns {
  return {
    count: 0,
    devices,
    actions,
    input: new Int16Array(size),
    line: new Int32Array(size),
    device: new Uint16Array(size),
    start: new Float64Array(size),
    end: new Float64Array(size),
    before: new Uint16Array(size),
    after: new Uint16Array(size),
    action: new Uint8Array(size),
    inferred: new Uint8Array(size),
    seq: new Int32Array(size),
  };
}

function grow(c: HistoryColumns, size: number): HistoryColumns {
  return { ...resizeColumns(c, size, c.count), count: Math.min(c.count, size) };
}

/** Record `k` of the columns. */
export function changeAt(c: Readonly<HistoryColumns>, k: number): Change {
  return {
    index: k,
    input: c.input[k],
    line: c.line[k],
    device: c.devices[c.device[k]],
    action: c.actions[c.action[k]],
    start: BigInt(c.start[k]),
    end: BigInt(c.end[k]),
    before: TUPLES[c.before[k]],
    after: TUPLES[c.after[k]],
    inferred: c.inferred[k] === 1,
  };
}

/** The typed arrays of a history, for `postMessage`'s transfer list. */
export function historyBuffers(c: HistoryColumns): ArrayBuffer[] {
  return [c.input, c.line, c.device, c.start, c.end, c.before, c.after, c.action, c.inferred, c.seq].map((a) => a.buffer as ArrayBuffer);
}

/** Reads a history: the changes one line of one input made. */
export class History {
  private readonly records: RecordsByLine;

  constructor(readonly columns: HistoryColumns) {
    this.records = new RecordsByLine(columns.input, columns.line, columns.count);
  }

  get size(): number {
    return this.columns.count;
  }

  record(k: number): Change {
    return changeAt(this.columns, k);
  }

  /** The changes made by `line` (1-based) of `input`, in the order they were made. */
  at(input: number, line: number): Change[] {
    const order = this.records.order(input);
    const lines = this.columns.line;
    const out: Change[] = [];
    for (let i = this.records.search(input, line, false); i < order.length && lines[order[i]] === line; i++) out.push(this.record(order[i]));
    return out;
  }
}
