/**
 * Which event touched which subblocks: one record per run of subblocks the model changed,
 * tagged with the number of the event being applied. Filled once, the first time the replay
 * goes over an event; read for Step Into (the next event on these subblocks) and for the
 * evidence chain (the earlier events that touched them). Columns of typed arrays: a long trace
 * has millions of records.
 */
import type { ChangeObserver } from '../model/history';
import { TUPLES, type Tuple } from '../model/state';

export interface Touch {
  /** Index of the event (0-based) whose application made the change. */
  event: number;
  device: string;
  start: bigint;
  end: bigint;
  before: Tuple;
  after: Tuple;
}

/** A device and an address range in it. */
export interface Span {
  device: string;
  start: bigint;
  end: bigint;
}

const INITIAL = 4096;

export class Touches implements ChangeObserver {
  private event = new Int32Array(INITIAL);
  private device = new Uint16Array(INITIAL);
  private start = new Float64Array(INITIAL);
  private end = new Float64Array(INITIAL);
  private before = new Uint16Array(INITIAL);
  private after = new Uint16Array(INITIAL);
  private count = 0;
  private readonly devices: string[] = [];
  /** The event being applied, set by the cursor before it applies one. */
  current = -1;

  get size(): number {
    return this.count;
  }

  change(device: string, start: bigint, end: bigint, before: number, after: number): void {
    if (this.count === this.event.length) this.grow();
    let d = this.devices.indexOf(device);
    if (d < 0) d = this.devices.push(device) - 1;
    const k = this.count++;
    this.event[k] = this.current;
    this.device[k] = d;
    this.start[k] = Number(start);
    this.end[k] = Number(end);
    this.before[k] = before;
    this.after[k] = after;
  }

  /** The changes event `e` made (records are in event order). */
  of(e: number): Touch[] {
    const out: Touch[] = [];
    for (let k = this.first(e); k < this.count && this.event[k] === e; k++) out.push(this.record(k));
    return out;
  }

  /** Whether event `e` changed a subblock overlapping one of `spans`. */
  touched(e: number, spans: readonly Span[]): boolean {
    for (let k = this.first(e); k < this.count && this.event[k] === e; k++) if (this.overlaps(k, spans)) return true;
    return false;
  }

  /**
   * The events before `e` that changed a subblock overlapping `spans`, latest first, at most
   * `limit` of them; the search looks at no more than `scanLimit` records.
   */
  earlier(e: number, spans: readonly Span[], limit: number, scanLimit = 1_000_000): Array<{ event: number; touch: Touch }> {
    const out: Array<{ event: number; touch: Touch }> = [];
    const stop = Math.max(0, this.first(e) - scanLimit);
    for (let k = this.first(e) - 1; k >= stop && out.length < limit; k--) {
      if (out.length > 0 && out[out.length - 1].event === this.event[k]) continue;
      if (this.overlaps(k, spans)) out.push({ event: this.event[k], touch: this.record(k) });
    }
    return out;
  }

  private overlaps(k: number, spans: readonly Span[]): boolean {
    const device = this.devices[this.device[k]];
    for (const s of spans) {
      if (s.device === device && this.start[k] < Number(s.end) && Number(s.start) < this.end[k]) return true;
    }
    return false;
  }

  /** The first record of event `e` or of a later one. */
  private first(e: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.event[mid] < e) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private record(k: number): Touch {
    return {
      event: this.event[k],
      device: this.devices[this.device[k]],
      start: BigInt(this.start[k]),
      end: BigInt(this.end[k]),
      before: TUPLES[this.before[k]],
      after: TUPLES[this.after[k]],
    };
  }

  private grow(): void {
    const size = this.event.length * 2;
    const more = <A extends Int32Array | Uint16Array | Float64Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(size);
      b.set(a);
      return b;
    };
    this.event = more(this.event);
    this.device = more(this.device);
    this.start = more(this.start);
    this.end = more(this.end);
    this.before = more(this.before);
    this.after = more(this.after);
  }
}
