/**
 * One window of the interval store at a resolution: for each requested row (a lane, or a
 * range of lanes summarised — a memory block, a device), the state class of each time bin,
 * run-length encoded; plus where states changed (ticks) and how many events each bin holds.
 * What a timeline draws, at the cost of the intervals inside the window only.
 */
import { type EventColumns, eventAtTime } from './event-table';
import { type IntervalColumns, intervalAt } from './intervals';
import { MIXED, NONE } from './run-codes';
import { CLASS_OF_TUPLE, STATE_CLASSES } from './state-class';

export { MIXED, NONE };

export interface WindowRequest {
  t0: number;
  t1: number;
  bins: number;
  /** Pairs `[laneFrom, laneTo)`, one per row. */
  rows: Uint32Array;
}

export interface WindowData {
  t0: number;
  t1: number;
  bins: number;
  /** Runs of row `r` are `rowRuns[r] .. rowRuns[r + 1] - 1`. */
  rowRuns: Uint32Array;
  /** First bin of each run; a run lasts until the next run of its row (or the last bin). */
  runStart: Uint32Array;
  /** State class of each run, `| MIXED` when other classes share its bins; NONE where the run has no data. */
  runClass: Uint8Array;
  /** Triples (row, first bin, end bin): spans of bins in which a state changed. */
  ticks: Uint32Array;
  /** Events per bin, all inputs. */
  eventCounts: Uint32Array;
}

/** Classes that must not vanish in a summary, however little of a bin they cover. */
const ALERT = new Set(STATE_CLASSES.flatMap((c, i) => (c.id === 'stale' ? [i] : [])));
/** A second class counts as mixing a bin when it covers at least this share of it. */
const MIX_SHARE = 0.2;
/** Bins are capped: nobody has a screen 16 K pixels wide. */
export const MAX_BINS = 16_384;

export function queryWindow(store: IntervalColumns, events: EventColumns, request: WindowRequest): WindowData {
  const bins = Math.max(1, Math.min(MAX_BINS, Math.floor(request.bins)));
  const t0 = request.t0;
  const t1 = request.t1 > t0 ? request.t1 : t0 + 1;
  const width = (t1 - t0) / bins;
  const K = STATE_CLASSES.length;
  const rowCount = request.rows.length >> 1;
  const coverage = new Float64Array(K * (bins + 1));
  const full = new Float64Array(K * (bins + 1));
  const tickSeen = new Uint8Array(bins);
  const runStart: number[] = [];
  const runClass: number[] = [];
  const ticks: number[] = [];
  const rowRuns = new Uint32Array(rowCount + 1);

  for (let r = 0; r < rowCount; r++) {
    coverage.fill(0);
    full.fill(0);
    tickSeen.fill(0);
    const from = Math.min(request.rows[2 * r], store.lanes);
    const to = Math.min(request.rows[2 * r + 1], store.lanes);
    for (let lane = from; lane < to; lane++) {
      const last = store.laneStart[lane + 1];
      for (let k = intervalAt(store, lane, t0); k < last; k++) {
        const s = store.start[k];
        if (s >= t1) break;
        const e = k + 1 < last ? store.start[k + 1] : store.t1;
        if (k > store.laneStart[lane] && s >= t0) {
          tickSeen[Math.min(bins - 1, Math.floor((s - t0) / width))] = 1;
        }
        const bs = (Math.max(s, t0) - t0) / width;
        const be = (Math.min(e, t1) - t0) / width;
        if (be <= bs) continue;
        const c = CLASS_OF_TUPLE[store.state[k]] * (bins + 1);
        const b0 = Math.floor(bs);
        const b1 = Math.min(bins, Math.floor(be));
        if (b0 === b1) {
          coverage[c + b0] += be - bs;
          continue;
        }
        coverage[c + b0] += b0 + 1 - bs;
        // Whole bins in between: a difference array, summed once per row.
        full[c + b0 + 1] += 1;
        full[c + b1] -= 1;
        if (b1 < bins) coverage[c + b1] += be - b1;
      }
    }
    for (let cls = 0; cls < K; cls++) {
      const base = cls * (bins + 1);
      let run = 0;
      for (let b = 0; b < bins; b++) {
        run += full[base + b];
        coverage[base + b] += run;
      }
    }
    // Neighbouring bins with changes are one span: one mark to draw, however dense the changes.
    for (let b = 0; b < bins; b++) {
      if (!tickSeen[b]) continue;
      const from = b;
      while (b < bins && tickSeen[b]) b++;
      ticks.push(r, from, b);
    }
    rowRuns[r] = runStart.length;
    let previous = -1;
    for (let b = 0; b < bins; b++) {
      const key = binClass(coverage, bins, b, K);
      if (key !== previous) {
        runStart.push(b);
        runClass.push(key);
        previous = key;
      }
    }
  }
  rowRuns[rowCount] = runStart.length;
  return {
    t0,
    t1,
    bins,
    rowRuns,
    runStart: Uint32Array.from(runStart),
    runClass: Uint8Array.from(runClass),
    ticks: Uint32Array.from(ticks),
    eventCounts: countEvents(events, t0, width, bins),
  };
}

/** The class a bin shows: an alert class if present at all, else the one covering most. */
function binClass(coverage: Float64Array, bins: number, b: number, K: number): number {
  let best = -1;
  let bestCover = 0;
  let total = 0;
  let alert = -1;
  for (let cls = 0; cls < K; cls++) {
    const v = coverage[cls * (bins + 1) + b];
    if (v <= 1e-9) continue;
    total += v;
    if (ALERT.has(cls)) alert = cls;
    if (v > bestCover) {
      bestCover = v;
      best = cls;
    }
  }
  if (best < 0) return NONE;
  const shown = alert >= 0 ? alert : best;
  const shownCover = coverage[shown * (bins + 1) + b];
  return total - shownCover >= MIX_SHARE * total ? shown | MIXED : shown;
}

function countEvents(events: EventColumns, t0: number, width: number, bins: number): Uint32Array {
  const counts = new Uint32Array(bins);
  let k = eventAtTime(events, t0);
  for (let b = 0; b < bins; b++) {
    // The window's end is inclusive: the run's last event sits exactly on it.
    const next = eventAtTime(events, t0 + (b + 1) * width, b === bins - 1);
    counts[b] = next - k;
    k = next;
  }
  return counts;
}
