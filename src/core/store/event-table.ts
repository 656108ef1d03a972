/**
 * Every event of a run as columns, in merged order: where it is (input, line, byte offset),
 * when it happened on the merged timeline, and what kind it is. The timeline places state
 * changes in time through it, and finds the event of a line (editor cursor → timeline cursor).
 */
import { RecordsByLine, resizeColumns } from '../columns';
import type { ClockKind } from '../envelope/types';
import type { HotplugEvent } from '../events';

/** The axis the times are in: a log clock of the reference input, or event numbers when no line had a timestamp. */
export type TimeAxis = ClockKind | 'order';

export interface EventColumns {
  count: number;
  kinds: string[];
  input: Int16Array;
  line: Int32Array;
  /** Byte offset of the event's first line, to read its text from a file too big to open. */
  offset: Float64Array;
  /** Microseconds on the merged timeline; never decreasing (see EventTableRecorder). */
  time: Float64Array;
  kind: Uint8Array;
  axis: TimeAxis;
}

export class EventTableRecorder {
  private cols = allocate(4096);
  private readonly kinds: string[] = [];
  private readonly kindIndex = new Map<string, number>();
  private readonly clocks = new Map<number, ClockKind>();
  private last = Number.NaN;

  get count(): number {
    return this.cols.n;
  }

  see(e: HotplugEvent): void {
    if (this.cols.n === this.cols.input.length) this.cols = grow(this.cols, this.cols.n * 2);
    const c = this.cols;
    const k = c.n++;
    c.input[k] = e.input;
    c.line[k] = e.source.line;
    c.offset[k] = e.source.offset;
    // A state interval cannot end before it starts: an event without a time, or one whose
    // aligned time is earlier (another CPU's clock, a pasted excerpt), takes its predecessor's.
    if (e.aligned !== undefined && !(e.aligned < this.last)) this.last = e.aligned;
    c.time[k] = this.last;
    let kind = this.kindIndex.get(e.kind);
    if (kind === undefined) {
      kind = this.kinds.push(e.kind) - 1;
      this.kindIndex.set(e.kind, kind);
    }
    c.kind[k] = kind;
    if (e.time && !this.clocks.has(e.input)) this.clocks.set(e.input, e.time.clock);
  }

  /** The columns; `reference` is the input whose clock the merged times are in. */
  columns(reference = 0): EventColumns {
    const c = grow(this.cols, this.cols.n);
    const n = c.n;
    const firstTimed = c.time.findIndex((t) => !Number.isNaN(t));
    let axis: TimeAxis = this.clocks.get(reference) ?? [...this.clocks.values()][0] ?? 'order';
    if (firstTimed < 0) {
      // No line had a usable time: the axis counts events instead.
      axis = 'order';
      for (let k = 0; k < n; k++) c.time[k] = k;
    } else {
      // Events before the first timed one happened no later than it.
      c.time.fill(c.time[firstTimed], 0, firstTimed);
    }
    return { count: n, kinds: [...this.kinds], input: c.input, line: c.line, offset: c.offset, time: c.time, kind: c.kind, axis };
  }
}

/** Index of the last event of `input` at or before `line`, or -1. */
export class EventIndex {
  private readonly records: RecordsByLine;

  constructor(readonly columns: EventColumns) {
    this.records = new RecordsByLine(columns.input, columns.line, columns.count);
  }

  at(input: number, line: number): number {
    const position = this.records.search(input, line, true);
    return position === 0 ? -1 : this.records.order(input)[position - 1];
  }
}

/** First event whose time is `>= t` (or `> t` with `after`): event times never decrease. */
export function eventAtTime(c: EventColumns, t: number, after = false): number {
  const time = c.time;
  let lo = 0;
  let hi = c.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid] < t || (after && time[mid] === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function eventBuffers(c: EventColumns): ArrayBuffer[] {
  return [c.input, c.line, c.offset, c.time, c.kind].map((a) => a.buffer as ArrayBuffer);
}

interface Growing {
  n: number;
  input: Int16Array;
  line: Int32Array;
  offset: Float64Array;
  time: Float64Array;
  kind: Uint8Array;
}

function allocate(size: number): Growing {
  return { n: 0, input: new Int16Array(size), line: new Int32Array(size), offset: new Float64Array(size), time: new Float64Array(size), kind: new Uint8Array(size) };
}

function grow(c: Growing, size: number): Growing {
  return { ...resizeColumns(c, size, c.n), n: Math.min(c.n, size) };
}
