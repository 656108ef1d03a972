/**
 * A cursor over a trace: position p means the first p events have been applied to an
 * analyzer. Forward applies the next event; any other move restores the nearest snapshot at or
 * before the target and applies the events from there. Snapshots are taken every `interval`
 * events the first time the cursor passes there, so a session pays only for the part of the
 * trace it has visited, and re-running with other policies (what-if) goes only as far as asked.
 */
import type { Analyzer } from '../diagnose/analyzer';
import type { HotplugEvent } from '../events';
import { HistoryRecorder } from '../model/history';
import type { Policies } from '../model/policy';
import { TRANSITIONS } from '../model/transitions';
import { type Analysis, RunState } from '../run-state';
import { deepCopy } from './clone';
import { Touches } from './touches';
import type { Trace } from './trace';

/**
 * Events between snapshots. With the analyzer at about 2 µs an event, a seek re-applies at
 * most this many (≈2 ms) plus one restore; a 1 M-event trace keeps about 1 000 snapshots
 * (bench/replay.js measures it; the README has the figures).
 */
export const DEFAULT_INTERVAL = 1024;
/**
 * What the snapshots may take. Past it, every other snapshot goes and the interval doubles:
 * a device with a huge region (a large state per snapshot) makes seeks slower, never the
 * memory unbounded. The estimate runs about a fifth under what V8 really holds, hence 64 MiB
 * for a 100 MB target.
 */
export const DEFAULT_BUDGET_BYTES = 64 * 2 ** 20;

export interface CursorOptions {
  /** Policies taken as given (launch `policies`, `--policy`). */
  policies?: Partial<Policies>;
  /** Replaying to see what forced policies would have prevented (the what-if rows apply). */
  whatIf?: boolean;
  interval?: number;
  /** Bytes the snapshots may take (estimated) before they are thinned. */
  budgetBytes?: number;
}

/** Objects a state shares with every copy of it: the transition rows are keys of the model's tables. */
const SHARED: ReadonlySet<object> = new Set<object>(TRANSITIONS);

export class ReplayCursor {
  private every: number;
  private readonly budget: number;
  readonly policies: Partial<Policies>;
  readonly whatIf: boolean;
  /**
   * What each event changed, for the events the cursor has gone over: the change log, one
   * record per run the model reported, tagged with the event's index. Bounded by the trace,
   * which is in memory anyway.
   */
  private readonly changes = new HistoryRecorder(Number.POSITIVE_INFINITY, () => this.pos, false);
  readonly touches = new Touches(this.changes);
  private state: RunState;
  private pos = 0;
  /** How far the cursor has ever been: touches and snapshots exist up to here. */
  private frontier = 0;
  private snapshots: Array<{ state: RunState; bytes: number }> = [];
  private snapshotBytes = 0;

  constructor(
    readonly trace: Trace,
    options: CursorOptions = {},
  ) {
    this.every = Math.max(1, Math.floor(options.interval ?? DEFAULT_INTERVAL));
    this.budget = options.budgetBytes ?? DEFAULT_BUDGET_BYTES;
    this.policies = { ...(options.policies ?? {}) };
    this.whatIf = options.whatIf === true;
    this.state = new RunState(trace.merge.inputs.length, { forced: this.policies, whatIf: this.whatIf });
    this.keep(0);
  }

  get position(): number {
    return this.pos;
  }

  /** Events between snapshots (doubles when the snapshots outgrow their budget). */
  get interval(): number {
    return this.every;
  }

  get length(): number {
    return this.trace.events.length;
  }

  get analyzer(): Analyzer {
    return this.state.analyzer;
  }

  get events(): readonly HotplugEvent[] {
    return this.trace.events;
  }

  /** The event applied last (the one the cursor stands on), if any. */
  get current(): HotplugEvent | undefined {
    return this.pos > 0 ? this.trace.events[this.pos - 1] : undefined;
  }

  /** Snapshots kept and their estimated size. */
  get memory(): { snapshots: number; bytes: number; interval: number } {
    return { snapshots: this.snapshots.length, bytes: this.snapshotBytes, interval: this.every };
  }

  /** Applies the next event; false at the end. */
  forward(): boolean {
    if (this.pos >= this.trace.events.length) return false;
    const fresh = this.pos === this.frontier;
    const { model } = this.state.analyzer;
    // Only the first pass records what each event touched: later passes would repeat it.
    // The observer is unset between events, so that snapshots do not copy the log.
    model.observer = fresh ? this.changes : undefined;
    this.state.apply(this.trace.events[this.pos]);
    model.observer = undefined;
    this.pos += 1;
    if (fresh) {
      this.frontier = this.pos;
      if (this.pos % this.every === 0) this.keep(this.pos);
    }
    return true;
  }

  /** Goes back one event; false at the start. */
  back(): boolean {
    if (this.pos === 0) return false;
    this.seek(this.pos - 1);
    return true;
  }

  /** Moves to position `target` (clamped to the trace). */
  seek(target: number): void {
    const to = Math.max(0, Math.min(this.trace.events.length, Math.floor(target)));
    if (to === this.pos) return;
    // Going forward within reach of the next snapshot is cheaper without a restore.
    const nearest = Math.min(Math.floor(to / this.every), this.snapshots.length - 1);
    const from = nearest * this.every;
    if (to < this.pos || from > this.pos) this.restore(nearest);
    while (this.pos < to) this.forward();
  }

  /** Everything found up to here, as an analysis; at the end, after the analyzer's last word (`finish`). */
  analysis(): Analysis {
    const atEnd = this.pos === this.trace.events.length;
    if (!atEnd) return this.state.analysis(this.trace.merge);
    // Finishing ends a state: the cursor's own may still go back and forth.
    const { value } = deepCopy(this.state, SHARED);
    value.finish();
    return value.analysis(this.trace.merge);
  }

  /** The cursor's state as a copy that later moves do not change (for comparing positions). */
  copyOfState(): RunState {
    return deepCopy(this.state, SHARED).value;
  }

  private keep(position: number): void {
    const { value, bytes } = deepCopy(this.state, SHARED);
    this.snapshots[position / this.every] = { state: value, bytes };
    this.snapshotBytes += bytes;
    if (this.snapshotBytes > this.budget && this.snapshots.length > 2) this.thin();
  }

  /** Keeps every other snapshot (those at multiples of the doubled interval). */
  private thin(): void {
    this.snapshots = this.snapshots.filter((_, i) => i % 2 === 0);
    this.snapshotBytes = this.snapshots.reduce((n, s) => n + s.bytes, 0);
    this.every *= 2;
  }

  private restore(index: number): void {
    // The snapshot stays as it is: the cursor works on a copy of it.
    this.state = deepCopy(this.snapshots[index].state, SHARED).value;
    this.pos = index * this.every;
  }
}
