/**
 * Which event touched which subblocks, read from the change log (model/history.ts) the cursor
 * records on its first pass over each event: a record's `seq` is the index of the event whose
 * application made it, so records are in event order. Read for Step Into (the next event on
 * these subblocks) and for the evidence chain (the earlier events that touched them).
 */
import { type Change, changeAt, type HistoryColumns, type HistoryRecorder } from '../model/history';

export interface Touch extends Change {
  /** Index of the event (0-based) whose application made the change. */
  event: number;
}

/** A device and an address range in it. */
export interface Span {
  device: string;
  start: bigint;
  end: bigint;
}

export class Touches {
  constructor(private readonly log: HistoryRecorder) {}

  get size(): number {
    return this.log.recorded.count;
  }

  /** The changes event `e` made. */
  of(e: number): Touch[] {
    const c = this.log.recorded;
    const out: Touch[] = [];
    for (let k = first(c, e); k < c.count && c.seq[k] === e; k++) out.push(touch(c, k));
    return out;
  }

  /** Whether event `e` changed a subblock overlapping one of `spans`. */
  touched(e: number, spans: readonly Span[]): boolean {
    const c = this.log.recorded;
    for (let k = first(c, e); k < c.count && c.seq[k] === e; k++) if (overlaps(c, k, spans)) return true;
    return false;
  }

  /**
   * The events before `e` that changed a subblock overlapping `spans`, latest first, at most
   * `limit` of them; the search looks at no more than `scanLimit` records.
   */
  earlier(e: number, spans: readonly Span[], limit: number, scanLimit = 1_000_000): Array<{ event: number; touch: Touch }> {
    const c = this.log.recorded;
    const out: Array<{ event: number; touch: Touch }> = [];
    const from = first(c, e);
    const stop = Math.max(0, from - scanLimit);
    for (let k = from - 1; k >= stop && out.length < limit; k--) {
      if (out.length > 0 && out[out.length - 1].event === c.seq[k]) continue;
      if (overlaps(c, k, spans)) out.push({ event: c.seq[k], touch: touch(c, k) });
    }
    return out;
  }
}

function touch(c: Readonly<HistoryColumns>, k: number): Touch {
  return { ...changeAt(c, k), event: c.seq[k] };
}

function overlaps(c: Readonly<HistoryColumns>, k: number, spans: readonly Span[]): boolean {
  const device = c.devices[c.device[k]];
  for (const s of spans) {
    if (s.device === device && c.start[k] < Number(s.end) && Number(s.start) < c.end[k]) return true;
  }
  return false;
}

/** The first record of event `e` or of a later one. */
function first(c: Readonly<HistoryColumns>, e: number): number {
  let lo = 0;
  let hi = c.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.seq[mid] < e) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
